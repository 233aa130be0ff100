/**
 * create's plan: a pure function from the desired load balancer and what observe() found to the
 * AWS requests that make one into the other, each with the actions it waits for. Nothing here
 * talks to AWS, so AWS's quirks are tested with plain data: a new HTTPS listener comes with AWS's
 * default SSL policy (the policy list is replaced, never appended to), a predefined policy is
 * referenced from a policy of the load balancer's own, a listener whose protocol or instance port
 * changes can only be deleted and created again (which interrupts its traffic), and create removes
 * nothing the user did not name.
 */
import type {CreateLoadBalancerInput} from '../../aws/gateways.js'
import type {
  HealthCheck,
  IngressRule,
  Listener,
  ListenerDescription,
  LoadBalancerAttributes,
  Policy,
  Tag,
} from '../../model.js'
import {SSL_NEGOTIATION_POLICY_TYPE} from '../../policy/ssl-attributes.js'
import {formatListener, isSecure} from '../../validate/listener.js'
import {attributeChanges, describeAttributes} from '../attributes.js'
import {
  BACKEND_AUTH_POLICY_TYPE,
  PUBLIC_KEY_POLICY_TYPE,
  backendAuthPolicyName,
  expectType,
  isBackendAuthPolicy,
  publicKeyPolicyName,
} from '../backend-auth.js'
import {InvalidInputError} from '../../errors.js'
import {apiDefaultHealthCheck, healthCheckWarnings, sameHealthCheck} from '../health-check.js'
import {formatPortRange, missingIngress, securityGroupName} from '../security-group.js'
import {
  isSslNegotiationPolicy,
  policyMatchesSpec,
  sslPolicyAttributes,
  type SslPolicySpec,
} from '../ssl-policy.js'
import {instanceZoneWarnings} from './check.js'
import type {DesiredLoadBalancer} from './desired.js'
import type {Observed} from './observe.js'

/** The task an action belongs to: its title in the task list, and the step a failure names. */
export const STEP = {
  certificate: 'Upload certificate to IAM',
  securityGroup: 'Security group',
  loadBalancer: 'Create load balancer and listeners',
  sslPolicy: 'SSL negotiation policy',
  backendAuth: 'Back-end instance authentication',
  healthCheck: 'Health check',
  attributes: 'Attributes (cross-zone, connection draining, idle timeout)',
  tags: 'Tags',
  register: 'Register instances',
  stickiness: 'Stickiness policy',
  proxyProtocol: 'Proxy protocol',
  // Day-two changes to an existing load balancer (cert rotate, listener add/remove).
  rotateCertificate: 'Swap listener certificate',
  deleteOldCertificate: 'Delete the replaced certificate',
  listeners: 'Listeners',
} as const
export type Step = (typeof STEP)[keyof typeof STEP]

/**
 * A value only an earlier action's answer gives (the uploaded certificate's ARN, the new security
 * group's ID); apply puts the answer in its place before the request is sent.
 */
export const pending = (actionId: string) => `pending:${actionId}`
export const PENDING = /^pending:(.+)$/

/** One AWS request, in elbx's domain terms (the gateway call it becomes). */
export type Call =
  | {operation: 'UploadServerCertificate'; name: string; loadBalancerName: string}
  | {
      operation: 'CreateSecurityGroup'
      groupName: string
      description: string
      vpcId: string
      loadBalancerName: string
    }
  | {operation: 'AuthorizeSecurityGroupIngress'; groupId: string; rules: IngressRule[]}
  | {operation: 'RevokeSecurityGroupIngress'; groupId: string; rules: IngressRule[]}
  | {operation: 'DeleteServerCertificate'; name: string}
  | {operation: 'CreateLoadBalancer'; input: CreateLoadBalancerInput}
  | {operation: 'CreateLoadBalancerListeners'; loadBalancerName: string; listeners: Listener[]}
  | {operation: 'DeleteLoadBalancerListeners'; loadBalancerName: string; loadBalancerPorts: number[]}
  | {
      operation: 'SetLoadBalancerListenerSSLCertificate'
      loadBalancerName: string
      loadBalancerPort: number
      certificateArn: string
    }
  | {
      operation: 'CreateLoadBalancerPolicy'
      loadBalancerName: string
      policyName: string
      policyTypeName: string
      attributes: {name: string; value: string}[]
    }
  | {
      operation: 'SetLoadBalancerPoliciesOfListener'
      loadBalancerName: string
      loadBalancerPort: number
      policyNames: string[]
    }
  | {
      operation: 'SetLoadBalancerPoliciesForBackendServer'
      loadBalancerName: string
      instancePort: number
      policyNames: string[]
    }
  | {operation: 'ConfigureHealthCheck'; loadBalancerName: string; healthCheck: HealthCheck}
  | {
      operation: 'ModifyLoadBalancerAttributes'
      loadBalancerName: string
      attributes: Partial<LoadBalancerAttributes>
    }
  | {operation: 'AddTags'; loadBalancerName: string; tags: Tag[]}
  | {operation: 'RemoveTags'; loadBalancerName: string; keys: string[]}
  | {
      operation: 'CreateLBCookieStickinessPolicy'
      loadBalancerName: string
      policyName: string
      /** Seconds; absent: the cookie lasts for the browser session. */
      cookieExpirationPeriod?: number
    }
  | {
      operation: 'CreateAppCookieStickinessPolicy'
      loadBalancerName: string
      policyName: string
      cookieName: string
    }
  | {operation: 'DeleteLoadBalancerPolicy'; loadBalancerName: string; policyName: string}
  | {operation: 'RegisterInstancesWithLoadBalancer'; loadBalancerName: string; instanceIds: string[]}

export interface Action {
  /** Unique in the plan; what other actions' dependsOn name. */
  id: string
  step: Step
  call: Call
  /** What the request acts on, in words ("listener 443", "load balancer my-lb"). */
  target: string
  /** Why the plan holds it, in words. */
  why: string
  /** Ids of the actions that must succeed first. */
  dependsOn: string[]
  /** The request cuts the traffic of a listener for a moment (a listener deleted to be created again). */
  interruptsTraffic?: boolean
  /** What a rollback deletes once this action has succeeded. */
  creates?: {kind: 'server-certificate' | 'security-group' | 'load-balancer'; id: string}
  /** For a change made in place: the requests that put the previous value back. */
  restore?: Call[]
}

/** What each step will have done once the plan is applied (the task list and --json report it). */
export interface PlannedOutcome {
  existing: boolean
  certificate?: {name?: string; arn: string; status: 'upload' | 'unchanged' | 'given'}
  securityGroups: string[]
  securityGroup?: {groupId: string; created: boolean; added: IngressRule[]; given: boolean}
  listeners: Listener[]
  listenerChanges: string[]
  sslPolicies: {
    loadBalancerPort: number
    policyName: string
    status: 'created' | 'reused' | 'unchanged'
    spec: SslPolicySpec
    isDefault: boolean
  }[]
  backendAuthentication: {
    instancePort: number
    policyName: string
    publicKeyPolicies: string[]
    status: 'created' | 'unchanged'
  }[]
  healthCheck?: {healthCheck: HealthCheck; changed: boolean}
  attributeChanges: string[]
  tags: Tag[]
  addedTags: Tag[]
  registered: string[]
  warnings: string[]
}

export interface CreatePlan {
  actions: Action[]
  outcome: PlannedOutcome
}

const CREATE_LB = 'create-load-balancer'
const UPLOAD = 'upload-certificate'
const CREATE_SG = 'create-security-group'
const AUTHORIZE = 'authorize-ingress'
const CREATE_LISTENERS = 'create-listeners'
const DELETE_LISTENERS = 'delete-listeners'
const policyId = (name: string) => `create-policy:${name}`

/** Same protocols and instance port: the listener can stay (only its certificate may differ). */
export const sameListener = (a: Listener, b: Listener) =>
  a.protocol === b.protocol && a.instanceProtocol === b.instanceProtocol && a.instancePort === b.instancePort

/** The listeners with the run's certificate on every HTTPS/SSL listener that names none. */
export function listenersWithCertificate(
  listeners: Listener[],
  certificateArn: string | undefined,
): Listener[] {
  return listeners.map((l) =>
    isSecure(l.protocol) && !l.sslCertificateId && certificateArn
      ? {...l, sslCertificateId: certificateArn}
      : l,
  )
}

/**
 * The plan for `create`: the actions (in the AWS guide's order, which is also a valid order to run
 * them one by one) and what each step will report. Assumes checkObserved() passed. An empty list
 * means the load balancer is already as desired.
 */
export function planCreate(desired: DesiredLoadBalancer, observed: Observed): CreatePlan {
  const actions: Action[] = []
  const add = (action: Action) => {
    actions.push(action)
    return action.id
  }
  const name = desired.name
  const lb = observed.loadBalancer
  const lbTarget = `load balancer ${name}`
  // A weak certificate (RSA key under 2048 bits, SHA-1 signature) is the user's call, but browsers
  // refuse it: said before it is uploaded, and in the result.
  const warnings: string[] =
    desired.certificate?.kind === 'upload' ? [...(desired.certificate.checked.warnings ?? [])] : []

  // Certificate.
  let certificate: PlannedOutcome['certificate']
  if (desired.certificate?.kind === 'upload') {
    const certName = desired.certificate.name
    if (observed.uploadTarget)
      certificate = {name: certName, arn: observed.uploadTarget.arn, status: 'unchanged'}
    else {
      add({
        id: UPLOAD,
        step: STEP.certificate,
        call: {operation: 'UploadServerCertificate', name: certName, loadBalancerName: name},
        target: `server certificate ${certName}`,
        why: 'the HTTPS/SSL listeners serve it, and IAM does not hold it yet',
        dependsOn: [],
        creates: {kind: 'server-certificate', id: certName},
      })
      certificate = {name: certName, arn: pending(UPLOAD), status: 'upload'}
    }
  } else if (desired.certificate?.kind === 'arn')
    certificate = {arn: desired.certificate.arn, status: 'given'}
  const certDeps = certificate?.status === 'upload' ? [UPLOAD] : []
  const listeners = listenersWithCertificate(desired.listeners, certificate?.arn)
  const depsOf = (l: Listener) => (l.sslCertificateId === pending(UPLOAD) ? [UPLOAD] : [])

  // Security group: the user's, the load balancer's own, or one elbx makes (only where there is a VPC).
  const vpcId = lb?.vpcId ?? observed.network.vpcId
  let securityGroups: string[] = desired.securityGroups
  let securityGroup: PlannedOutcome['securityGroup']
  let sgDeps: string[] = []
  const ports = listeners.map((l) => l.loadBalancerPort)
  if (desired.securityGroups.length)
    securityGroup = {groupId: desired.securityGroups.join(', '), created: false, added: [], given: true}
  else if (
    vpcId &&
    (!lb || (observed.elbxSecurityGroup && lb.securityGroups.includes(observed.elbxSecurityGroup.groupId)))
  ) {
    const existing = observed.elbxSecurityGroup
    const groupId = existing?.groupId ?? pending(CREATE_SG)
    if (!existing) {
      add({
        id: CREATE_SG,
        step: STEP.securityGroup,
        call: {
          operation: 'CreateSecurityGroup',
          groupName: securityGroupName(name),
          description: `Load balancer ${name}: inbound to its listener ports (created by elbx)`,
          vpcId,
          loadBalancerName: name,
        },
        target: `security group ${securityGroupName(name)} in ${vpcId}`,
        why: 'no --security-groups given: elbx makes a group that admits the listener ports',
        dependsOn: [],
        creates: {kind: 'security-group', id: groupId},
      })
      sgDeps = [CREATE_SG]
    }
    const rules = missingIngress(ports, desired.ingressCidrs, existing?.ingress ?? [])
    if (rules.length)
      add({
        id: AUTHORIZE,
        step: STEP.securityGroup,
        call: {operation: 'AuthorizeSecurityGroupIngress', groupId, rules},
        target: `security group ${existing?.groupId ?? securityGroupName(name)}`,
        why: `admit TCP ${[...new Set(rules.map(formatPortRange))].join(', ')} from ${desired.ingressCidrs.join(', ')}`,
        dependsOn: existing ? [] : [CREATE_SG],
      })
    securityGroups = lb ? lb.securityGroups : [groupId]
    securityGroup = {groupId, created: !existing, added: rules, given: false}
  } else if (lb) securityGroups = lb.securityGroups

  // The load balancer and its listeners.
  const listenerChanges: string[] = []
  /** Per listener port: the action that (re)creates the listener, if any, and the policies it had before. */
  const fresh = new Map<number, {after: string[]; before: string[]}>()
  if (!lb) {
    add({
      id: CREATE_LB,
      step: STEP.loadBalancer,
      call: {
        operation: 'CreateLoadBalancer',
        input: {
          name,
          listeners,
          ...(observed.network.subnets.length
            ? {subnets: observed.network.subnets}
            : {availabilityZones: observed.network.availabilityZones}),
          ...(securityGroups.length ? {securityGroups} : {}),
          scheme: desired.scheme,
          ...(desired.tags.length ? {tags: desired.tags} : {}),
        },
      },
      target: lbTarget,
      why: `no load balancer named ${name} in ${observed.region}`,
      dependsOn: [...certDeps, ...sgDeps],
      creates: {kind: 'load-balancer', id: name},
    })
    for (const l of listeners) fresh.set(l.loadBalancerPort, {after: [CREATE_LB], before: []})
  } else {
    const current = new Map(lb.listeners.map((d) => [d.listener.loadBalancerPort, d]))
    const toCreate: Listener[] = []
    const toDelete: ListenerDescription[] = []
    for (const want of listeners) {
      const have = current.get(want.loadBalancerPort)
      if (!have) toCreate.push(want)
      else if (!sameListener(have.listener, want)) {
        toDelete.push(have)
        toCreate.push(want)
      } else if (want.sslCertificateId && have.listener.sslCertificateId !== want.sslCertificateId) {
        add({
          id: `set-certificate:${want.loadBalancerPort}`,
          step: STEP.loadBalancer,
          call: {
            operation: 'SetLoadBalancerListenerSSLCertificate',
            loadBalancerName: name,
            loadBalancerPort: want.loadBalancerPort,
            certificateArn: want.sslCertificateId,
          },
          target: `listener ${want.loadBalancerPort}`,
          why: `swap its certificate ${have.listener.sslCertificateId ?? '(none)'} for ${certificate?.status === 'upload' ? `the uploaded ${certificate.name}` : want.sslCertificateId} in place`,
          dependsOn: depsOf(want),
          ...(have.listener.sslCertificateId
            ? {
                restore: [
                  {
                    operation: 'SetLoadBalancerListenerSSLCertificate' as const,
                    loadBalancerName: name,
                    loadBalancerPort: want.loadBalancerPort,
                    certificateArn: have.listener.sslCertificateId,
                  },
                ],
              }
            : {}),
        })
        listenerChanges.push(`${want.loadBalancerPort}: certificate swapped`)
      }
    }
    if (toDelete.length) {
      add({
        id: DELETE_LISTENERS,
        step: STEP.loadBalancer,
        call: {
          operation: 'DeleteLoadBalancerListeners',
          loadBalancerName: name,
          loadBalancerPorts: toDelete.map((d) => d.listener.loadBalancerPort),
        },
        target: `listener${toDelete.length > 1 ? 's' : ''} ${toDelete.map((d) => d.listener.loadBalancerPort).join(', ')}`,
        why: `${toDelete.map((d) => `${formatListener(d.listener)} must become ${formatListener(listeners.find((l) => l.loadBalancerPort === d.listener.loadBalancerPort)!)}`).join('; ')}: a listener's protocols and instance port cannot be changed in place, so it is deleted and created again (its traffic is interrupted until then)`,
        dependsOn: [],
        interruptsTraffic: true,
        restore: [
          {
            operation: 'DeleteLoadBalancerListeners',
            loadBalancerName: name,
            loadBalancerPorts: toDelete.map((d) => d.listener.loadBalancerPort),
          },
          {
            operation: 'CreateLoadBalancerListeners',
            loadBalancerName: name,
            listeners: toDelete.map((d) => d.listener),
          },
        ],
      })
      for (const d of toDelete)
        listenerChanges.push(`${d.listener.loadBalancerPort}: replaced (traffic interrupted)`)
    }
    if (toCreate.length) {
      add({
        id: CREATE_LISTENERS,
        step: STEP.loadBalancer,
        call: {operation: 'CreateLoadBalancerListeners', loadBalancerName: name, listeners: toCreate},
        target: `listener${toCreate.length > 1 ? 's' : ''} ${toCreate.map((l) => l.loadBalancerPort).join(', ')}`,
        why: toDelete.length
          ? 'create the listeners again with their new settings'
          : `${name} has no listener on ${toCreate.length > 1 ? 'these ports' : 'this port'} yet`,
        dependsOn: [...(toDelete.length ? [DELETE_LISTENERS] : []), ...new Set(toCreate.flatMap(depsOf))],
        ...(toDelete.length
          ? {interruptsTraffic: true}
          : {
              restore: [
                {
                  operation: 'DeleteLoadBalancerListeners' as const,
                  loadBalancerName: name,
                  loadBalancerPorts: toCreate.map((l) => l.loadBalancerPort),
                },
              ],
            }),
      })
      for (const l of toCreate) {
        fresh.set(l.loadBalancerPort, {
          after: [CREATE_LISTENERS],
          before: current.get(l.loadBalancerPort)?.policyNames ?? [],
        })
        if (!current.has(l.loadBalancerPort)) listenerChanges.push(`${l.loadBalancerPort}: added`)
      }
    }
  }
  const lbDeps = lb ? [] : [CREATE_LB]

  // Policies: created once per name (listeners may share one), before anything sets them.
  const policies = new Map<string, Policy>(observed.policies.map((p) => [p.name, p]))
  const createPolicy = (
    policyName: string,
    policyTypeName: string,
    attributes: {name: string; value: string}[],
    step: Step,
    why: string,
    dependsOn: string[] = [],
  ) => {
    const id = policyId(policyName)
    if (!actions.some((a) => a.id === id))
      add({
        id,
        step,
        call: {
          operation: 'CreateLoadBalancerPolicy',
          loadBalancerName: name,
          policyName,
          policyTypeName,
          attributes,
        },
        target: `policy ${policyName} (${policyTypeName})`,
        why,
        dependsOn: [...lbDeps, ...dependsOn],
      })
    return id
  }

  // SSL negotiation policy on each HTTPS/SSL listener the user named; the listener's other policies stay.
  const sslPolicies: PlannedOutcome['sslPolicies'] = []
  for (const want of desired.sslPolicies) {
    const existing = policies.get(want.policyName)
    if (existing && !policyMatchesSpec(existing, want.spec))
      throw new InvalidInputError(
        `Load balancer "${name}" already has a policy named "${want.policyName}" (${existing.typeName}) with other settings; AWS policies cannot be changed in place.`,
        'Pass another --ssl-policy-name, or leave it out and elbx names the policy after its content.',
      )
    const created = existing
      ? undefined
      : createPolicy(
          want.policyName,
          SSL_NEGOTIATION_POLICY_TYPE,
          sslPolicyAttributes(want.spec),
          STEP.sslPolicy,
          want.spec.kind === 'predefined'
            ? `reference the predefined ${want.spec.name}${want.isDefault ? " (elbx's default, the AWS guide's recommendation)" : ''} from a policy of the load balancer`
            : 'the custom protocols and ciphers asked for',
        )
    const port = want.loadBalancerPort
    const recreated = fresh.get(port)
    const before = recreated
      ? recreated.before
      : (lb?.listeners.find((d) => d.listener.loadBalancerPort === port)?.policyNames ?? [])
    const sslBefore = before.filter((n) => isSslNegotiationPolicy(n, policies))
    const kept = before.filter((n) => !sslBefore.includes(n))
    // A new listener carries AWS's default SSL policy (ELBSecurityPolicy-2016-08), which the set replaces.
    const alreadySet = !recreated && sslBefore.length === 1 && sslBefore[0] === want.policyName
    if (!alreadySet) {
      add({
        id: `set-listener-policies:${port}`,
        step: STEP.sslPolicy,
        call: {
          operation: 'SetLoadBalancerPoliciesOfListener',
          loadBalancerName: name,
          loadBalancerPort: port,
          policyNames: [...kept, want.policyName],
        },
        target: `listener ${port}`,
        why: recreated
          ? `a new listener gets AWS's default SSL policy; put ${want.policyName} there${kept.length ? `, keeping ${kept.join(', ')}` : ''}`
          : `its SSL negotiation policy is ${sslBefore.join(', ') || "AWS's default"}, not ${want.policyName}${kept.length ? ` (keeping ${kept.join(', ')})` : ''}`,
        dependsOn: [...(recreated?.after ?? []), ...(created ? [created] : [])],
        ...(recreated
          ? {}
          : {
              restore: [
                {
                  operation: 'SetLoadBalancerPoliciesOfListener' as const,
                  loadBalancerName: name,
                  loadBalancerPort: port,
                  policyNames: before,
                },
              ],
            }),
      })
    }
    sslPolicies.push({
      loadBalancerPort: port,
      policyName: want.policyName,
      status: created ? 'created' : alreadySet ? 'unchanged' : 'reused',
      spec: want.spec,
      isDefault: want.isDefault,
    })
  }

  // Back-end authentication: a PublicKeyPolicyType policy per key, one policy naming them all, set on the port.
  const backendAuthentication: PlannedOutcome['backendAuthentication'] = []
  for (const want of desired.backendAuthentication) {
    const keys = [...new Set(want.publicKeys)]
    const keyPolicies = keys.map(publicKeyPolicyName)
    const createdIds: string[] = []
    keyPolicies.forEach((policyName, i) => {
      const existing = policies.get(policyName)
      if (existing) expectType({name}, existing, PUBLIC_KEY_POLICY_TYPE)
      else
        createdIds.push(
          createPolicy(
            policyName,
            PUBLIC_KEY_POLICY_TYPE,
            [{name: 'PublicKey', value: keys[i]!}],
            STEP.backendAuth,
            'a public key the instances may present',
          ),
        )
    })
    const policyName = backendAuthPolicyName(keyPolicies)
    const existingAuth = policies.get(policyName)
    if (existingAuth) expectType({name}, existingAuth, BACKEND_AUTH_POLICY_TYPE)
    else
      createdIds.push(
        createPolicy(
          policyName,
          BACKEND_AUTH_POLICY_TYPE,
          keyPolicies.map((value) => ({name: 'PublicKeyPolicyName', value})),
          STEP.backendAuth,
          `authenticate the instances on port ${want.instancePort} by ${keys.length} public key(s)`,
          keyPolicies.map(policyId).filter((id) => actions.some((a) => a.id === id)),
        ),
      )
    const onPort = lb?.backendServers.find((b) => b.instancePort === want.instancePort)?.policyNames ?? []
    const authOnPort = onPort.filter((n) => isBackendAuthPolicy(n, policies))
    const alreadySet = authOnPort.length === 1 && authOnPort[0] === policyName
    if (!alreadySet) {
      const kept = onPort.filter((n) => !authOnPort.includes(n))
      const listenerDeps = [...fresh.entries()]
        .filter(
          ([port]) => listeners.find((l) => l.loadBalancerPort === port)?.instancePort === want.instancePort,
        )
        .flatMap(([, f]) => f.after)
      add({
        id: `set-backend-policies:${want.instancePort}`,
        step: STEP.backendAuth,
        call: {
          operation: 'SetLoadBalancerPoliciesForBackendServer',
          loadBalancerName: name,
          instancePort: want.instancePort,
          policyNames: [...kept, policyName],
        },
        target: `instance port ${want.instancePort}`,
        why: `authenticate the instances by ${policyName}${kept.length ? `, keeping ${kept.join(', ')}` : ''}`,
        dependsOn: [
          ...new Set([...lbDeps, ...listenerDeps, ...(existingAuth ? [] : [policyId(policyName)])]),
        ],
        ...(lb
          ? {
              restore: [
                {
                  operation: 'SetLoadBalancerPoliciesForBackendServer' as const,
                  loadBalancerName: name,
                  instancePort: want.instancePort,
                  policyNames: onPort,
                },
              ],
            }
          : {}),
      })
    }
    backendAuthentication.push({
      instancePort: want.instancePort,
      policyName,
      publicKeyPolicies: keyPolicies,
      status: createdIds.length || !alreadySet ? 'created' : 'unchanged',
    })
  }

  // Health check: what the user gave over what is in force (AWS's documented default on a new one).
  let healthCheck: PlannedOutcome['healthCheck']
  if (Object.keys(desired.healthCheck).length) {
    const listenerDescriptions = listeners.map((listener) => ({listener, policyNames: []}))
    const previous =
      lb?.healthCheck ?? apiDefaultHealthCheck({listeners: lb?.listeners ?? listenerDescriptions})
    const wanted: HealthCheck = {...previous, ...desired.healthCheck}
    warnings.push(
      ...healthCheckWarnings(
        wanted.target,
        lb ? mergedListeners(lb.listeners, listeners) : listenerDescriptions,
      ),
    )
    const changed = !(lb?.healthCheck && sameHealthCheck(previous, wanted))
    if (changed)
      add({
        id: 'configure-health-check',
        step: STEP.healthCheck,
        call: {operation: 'ConfigureHealthCheck', loadBalancerName: name, healthCheck: wanted},
        target: lbTarget,
        why: lb?.healthCheck
          ? `the health check is ${lb.healthCheck.target} every ${lb.healthCheck.interval} s`
          : 'the health check asked for',
        dependsOn: lbDeps,
        ...(lb?.healthCheck
          ? {
              restore: [
                {
                  operation: 'ConfigureHealthCheck' as const,
                  loadBalancerName: name,
                  healthCheck: lb.healthCheck,
                },
              ],
            }
          : {}),
      })
    healthCheck = {healthCheck: wanted, changed}
  }

  // Attributes: all of them on a new load balancer (AWS's defaults are not the console's), what differs otherwise.
  const {changes, described} = observed.attributes
    ? attributeChanges(observed.attributes, desired.attributes)
    : {changes: desired.attributes, described: [describeAttributes(desired.attributes)]}
  if (described.length)
    add({
      id: 'modify-attributes',
      step: STEP.attributes,
      call: {operation: 'ModifyLoadBalancerAttributes', loadBalancerName: name, attributes: changes},
      target: lbTarget,
      why: described.join(', '),
      dependsOn: lbDeps,
      ...(observed.attributes
        ? {
            restore: [
              {
                operation: 'ModifyLoadBalancerAttributes' as const,
                loadBalancerName: name,
                attributes: previousAttributes(observed.attributes, changes),
              },
            ],
          }
        : {}),
    })

  // Tags: a new load balancer gets them with CreateLoadBalancer; AddTags overwrites a key, other tags stay.
  const currentTags = observed.tags ?? []
  const addedTags = lb
    ? desired.tags.filter((w) => !currentTags.some((c) => c.key === w.key && c.value === w.value))
    : desired.tags
  if (lb && addedTags.length) {
    const overwritten = currentTags.filter((c) => addedTags.some((a) => a.key === c.key))
    add({
      id: 'add-tags',
      step: STEP.tags,
      call: {operation: 'AddTags', loadBalancerName: name, tags: addedTags},
      target: lbTarget,
      why: addedTags.map((t) => `${t.key}=${t.value}`).join(', '),
      dependsOn: [],
      ...(overwritten.length
        ? {restore: [{operation: 'AddTags' as const, loadBalancerName: name, tags: overwritten}]}
        : {}),
    })
  }
  const tags = lb
    ? [...currentTags.filter((c) => !addedTags.some((a) => a.key === c.key)), ...addedTags]
    : desired.tags

  // Instances: register those not registered yet; the others stay.
  const registered = desired.instances.filter((id) => !(lb?.instanceIds ?? []).includes(id))
  if (registered.length)
    add({
      id: 'register-instances',
      step: STEP.register,
      call: {operation: 'RegisterInstancesWithLoadBalancer', loadBalancerName: name, instanceIds: registered},
      target: lbTarget,
      why: `${registered.join(', ')} ${registered.length > 1 ? 'are' : 'is'} not registered yet`,
      dependsOn: lbDeps,
    })
  warnings.push(...instanceZoneWarnings(desired, observed))

  return {
    actions,
    outcome: {
      existing: lb !== undefined,
      ...(certificate ? {certificate} : {}),
      securityGroups,
      ...(securityGroup ? {securityGroup} : {}),
      listeners,
      listenerChanges,
      sslPolicies,
      backendAuthentication,
      ...(healthCheck ? {healthCheck} : {}),
      attributeChanges: described,
      tags,
      addedTags,
      registered,
      warnings,
    },
  }
}

/** The listeners after the plan: the desired ones, and the existing ones it leaves alone. */
function mergedListeners(current: ListenerDescription[], desired: Listener[]): ListenerDescription[] {
  return [
    ...current.filter((d) => !desired.some((l) => l.loadBalancerPort === d.listener.loadBalancerPort)),
    ...desired.map((listener) => ({listener, policyNames: []})),
  ]
}

function previousAttributes(
  current: LoadBalancerAttributes,
  changes: Partial<LoadBalancerAttributes>,
): Partial<LoadBalancerAttributes> {
  return {
    ...(changes.crossZoneLoadBalancing !== undefined
      ? {crossZoneLoadBalancing: current.crossZoneLoadBalancing}
      : {}),
    ...(changes.connectionDraining ? {connectionDraining: current.connectionDraining} : {}),
    ...(changes.idleTimeout !== undefined ? {idleTimeout: current.idleTimeout} : {}),
  }
}

/**
 * The actions in waves: each wave's actions depend only on earlier waves. Its length is the plan's
 * critical path in requests (what the bench counts as sequential round trips).
 */
export function waves(actions: Action[]): Action[][] {
  const done = new Set<string>()
  const left = [...actions]
  const out: Action[][] = []
  while (left.length) {
    const ready = left.filter((a) => a.dependsOn.every((d) => done.has(d)))
    if (ready.length === 0)
      throw new Error(`internal: the plan's dependencies form a cycle (${left.map((a) => a.id).join(', ')})`)
    out.push(ready)
    for (const a of ready) {
      done.add(a.id)
      left.splice(left.indexOf(a), 1)
    }
  }
  return out
}
