/**
 * Proxy protocol (version 1) on one instance port: the load balancer prepends a PROXY line with the
 * client's address to each TCP connection it opens to the instances there. The console cannot
 * enable it; the API does it with a ProxyProtocolPolicyType policy set on the instance port.
 * SetLoadBalancerPoliciesForBackendServer replaces the port's whole list, so the list sent is the
 * observed one with the proxy protocol policy added or taken out: back-end authentication stays.
 */
import {InvalidInputError} from '../../../errors.js'
import type {LoadBalancer, Policy} from '../../../model.js'
import {PROXY_PROTOCOL_POLICY_TYPE, policyTypeOf} from '../../../policy/listener-policies.js'
import {formatListener} from '../../../validate/listener.js'
import type {ChangePlan, ObservedExisting} from '../change-flow.js'
import {STEP, type Action} from '../plan.js'

/** The one policy elbx needs for it: its content never varies. */
export const ELBX_PROXY_PROTOCOL_POLICY = 'elbx-proxy-protocol'

export interface ProxyProtocolState {
  instancePort: number
  enabled: boolean
  /** The listeners that send to the port. */
  listeners: string[]
  /** The port's whole back-end policy list once the plan is applied. */
  policyNames: string[]
}

const isProxyProtocol = (p: Policy | undefined) =>
  p !== undefined &&
  policyTypeOf(p) === PROXY_PROTOCOL_POLICY_TYPE &&
  p.attributes.some((a) => a.name === 'ProxyProtocol' && a.value.toLowerCase() === 'true')

/**
 * The listeners sending to the port, refused unless proxy protocol can work there: AWS enables it
 * only for instance ports reached over TCP or SSL, from TCP or SSL listeners (an HTTP listener
 * would send the PROXY line into the instance's HTTP parser).
 */
function tcpListeners(lb: LoadBalancer, instancePort: number): string[] {
  const to = lb.listeners.filter((d) => d.listener.instancePort === instancePort)
  const list = lb.listeners.map((d) => formatListener(d.listener)).join('; ') || 'none'
  if (to.length === 0)
    throw new InvalidInputError(
      `No listener of "${lb.name}" sends to instance port ${instancePort}. Its listeners: ${list}.`,
      'Pass --instance-port with the instance port of a TCP or SSL listener.',
    )
  const layer7 = to.filter(
    (d) =>
      !['TCP', 'SSL'].includes(d.listener.protocol) || !['TCP', 'SSL'].includes(d.listener.instanceProtocol),
  )
  if (layer7.length)
    throw new InvalidInputError(
      `Instance port ${instancePort} of "${lb.name}" is reached by ${layer7.map((d) => formatListener(d.listener)).join(', ')}: AWS enables proxy protocol only where TCP or SSL listeners send TCP or SSL. Its listeners: ${list}.`,
      'Pass --instance-port with the instance port of TCP/SSL listeners (an HTTP/HTTPS listener already passes the client address in X-Forwarded-For).',
    )
  return to.map((d) => formatListener(d.listener))
}

/**
 * The plan for `elbx policy proxy-protocol`: create elbx-proxy-protocol unless the load balancer
 * has it, and add it to the port's policies; with --off, take every proxy protocol policy out.
 */
export function planProxyProtocol(
  want: {instancePort: number; enabled: boolean},
  observed: ObservedExisting,
): ChangePlan<ProxyProtocolState> {
  const lb = observed.loadBalancer
  const name = lb.name
  const port = want.instancePort
  const policies = new Map(observed.policies.map((p) => [p.name, p]))
  const before = lb.backendServers.find((b) => b.instancePort === port)?.policyNames ?? []
  const on = before.filter((n) => isProxyProtocol(policies.get(n)))
  const kept = before.filter((n) => !on.includes(n))
  // --off needs no listener (a policy may outlive the listener); turning it on does.
  const listeners = want.enabled
    ? tcpListeners(lb, port)
    : lb.listeners.filter((d) => d.listener.instancePort === port).map((d) => formatListener(d.listener))
  const state = (enabled: boolean, policyNames: string[]): ProxyProtocolState => ({
    instancePort: port,
    enabled,
    listeners,
    policyNames,
  })
  if (want.enabled === on.length > 0)
    return {actions: [], state: state(want.enabled, before), changes: [], warnings: []}

  const actions: Action[] = []
  let after = kept
  if (want.enabled) {
    const existing = policies.get(ELBX_PROXY_PROTOCOL_POLICY)
    if (existing && !isProxyProtocol(existing))
      throw new InvalidInputError(
        `Load balancer "${name}" already has a policy named "${ELBX_PROXY_PROTOCOL_POLICY}" (${existing.typeName}) that does not enable proxy protocol.`,
        `Delete it (aws elb delete-load-balancer-policy --load-balancer-name ${name} --policy-name ${ELBX_PROXY_PROTOCOL_POLICY}), then run elbx again.`,
      )
    if (!existing)
      actions.push({
        id: `create-policy:${ELBX_PROXY_PROTOCOL_POLICY}`,
        step: STEP.proxyProtocol,
        call: {
          operation: 'CreateLoadBalancerPolicy',
          loadBalancerName: name,
          policyName: ELBX_PROXY_PROTOCOL_POLICY,
          policyTypeName: PROXY_PROTOCOL_POLICY_TYPE,
          attributes: [{name: 'ProxyProtocol', value: 'true'}],
        },
        target: `policy ${ELBX_PROXY_PROTOCOL_POLICY} (${PROXY_PROTOCOL_POLICY_TYPE})`,
        why: 'a policy that enables proxy protocol',
        dependsOn: [],
      })
    after = [...kept, ELBX_PROXY_PROTOCOL_POLICY]
  }
  actions.push({
    id: `set-backend-policies:${port}`,
    step: STEP.proxyProtocol,
    call: {
      operation: 'SetLoadBalancerPoliciesForBackendServer',
      loadBalancerName: name,
      instancePort: port,
      policyNames: after,
    },
    target: `instance port ${port}`,
    why: `${want.enabled ? `enable proxy protocol by ${ELBX_PROXY_PROTOCOL_POLICY}` : `disable proxy protocol (remove ${on.join(', ')})`}${kept.length ? `; keeping ${kept.join(', ')}` : ''}`,
    dependsOn: actions.map((a) => a.id),
    restore: [
      {
        operation: 'SetLoadBalancerPoliciesForBackendServer',
        loadBalancerName: name,
        instancePort: port,
        policyNames: before,
      },
    ],
  })
  return {
    actions,
    state: state(want.enabled, after),
    changes: [`instance port ${port}: proxy protocol ${want.enabled ? 'on' : 'off'}`],
    warnings: want.enabled
      ? [
          `The instances on port ${port} must now expect the PROXY line before each connection's data (e.g. nginx "listen ${port} proxy_protocol"), or they will fail to parse it.`,
        ]
      : [],
  }
}
