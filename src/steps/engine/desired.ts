/**
 * The load balancer as the user wants it: one typed value that create's flags, the wizard and
 * (later) a spec file all produce, checked as a whole before the first request. observe() reads
 * what the plan needs about it; plan() compares the two.
 */
import {InvalidInputError} from '../../errors.js'
import type {Listener, Scheme, Tag} from '../../model.js'
import type {DesiredAttributes} from '../../validate/attributes.js'
import type {CertificateSource, CreateInput} from '../../validate/create-input.js'
import {checkTimeoutBelowInterval, type HealthCheckChanges} from '../../validate/health-check.js'
import {formatListener, isSecure} from '../../validate/listener.js'
import type {NetworkRequest} from '../../validate/network.js'
import {WORKFLOW_HEALTH_FLAG_NAMES, type WorkflowInput} from '../../validate/workflow-input.js'
import {DEFAULT_SSL_POLICY, defaultSslPolicyName, type SslPolicySpec} from '../ssl-policy.js'

/** The SSL negotiation policy one HTTPS/SSL listener should carry. */
export interface DesiredSslPolicy {
  loadBalancerPort: number
  spec: SslPolicySpec
  /** The load balancer policy's name (derived from its content unless the user named it). */
  policyName: string
  /** True when no SSL flag was given and elbx chose its default. */
  isDefault: boolean
}

/** Back-end authentication on one instance port: the instances' public keys (PublicKey attribute values). */
export interface DesiredBackendAuthentication {
  instancePort: number
  publicKeys: string[]
}

export interface DesiredLoadBalancer {
  name: string
  scheme: Scheme
  /** HTTPS/SSL listeners that name no certificate get `certificate`'s ARN. */
  listeners: Listener[]
  certificate?: CertificateSource
  network: NetworkRequest
  /** Groups the user gave; empty means elbx's own group (in a VPC) admitting `ingressCidrs` to the listener ports. */
  securityGroups: string[]
  ingressCidrs: string[]
  sslPolicies: DesiredSslPolicy[]
  backendAuthentication: DesiredBackendAuthentication[]
  /** What the user gave of the health check; the rest keeps the load balancer's (or AWS's default) value. */
  healthCheck: HealthCheckChanges
  attributes: DesiredAttributes
  /** Added or overwritten; other tags stay. */
  tags: Tag[]
  /** Registered if they are not yet; other registered instances stay. */
  instances: string[]
}

/**
 * The desired state from create's checked flags (or the wizard's answers): every HTTPS/SSL listener
 * gets the SSL policy asked for, or elbx's default (the AWS guide recommends the latest predefined
 * policy); every instance port reached over HTTPS/SSL gets the back-end keys.
 */
export function desiredFromCreate(input: CreateInput, workflow: WorkflowInput): DesiredLoadBalancer {
  const isDefault = workflow.ssl.spec === undefined
  const spec: SslPolicySpec = workflow.ssl.spec ?? {kind: 'predefined', name: DEFAULT_SSL_POLICY}
  const policyName = workflow.ssl.policyName ?? defaultSslPolicyName(spec)
  const publicKeys = workflow.backendAuth.map((k) => k.publicKey)
  return {
    name: input.name,
    scheme: input.scheme,
    listeners: input.listeners,
    ...(input.certificate ? {certificate: input.certificate} : {}),
    network: input.network,
    securityGroups: input.securityGroups,
    ingressCidrs: input.ingressCidrs,
    sslPolicies: input.listeners
      .filter((l) => isSecure(l.protocol))
      .map((l) => ({loadBalancerPort: l.loadBalancerPort, spec, policyName, isDefault})),
    backendAuthentication: publicKeys.length
      ? workflow.backendAuthPorts.map((instancePort) => ({instancePort, publicKeys}))
      : [],
    healthCheck: workflow.healthCheck,
    attributes: input.attributes,
    tags: input.tags,
    instances: workflow.instances,
  }
}

/**
 * Checks the desired state as a whole (the parts may come from different sources): each listener
 * port once, SSL policies only on HTTPS/SSL listeners, back-end authentication only on instance
 * ports reached over HTTPS/SSL, a health check timeout below its interval. InvalidInputError (exit 2).
 */
export function checkDesired(desired: DesiredLoadBalancer): DesiredLoadBalancer {
  const byPort = new Map<number, Listener>()
  for (const l of desired.listeners) {
    const same = byPort.get(l.loadBalancerPort)
    if (same)
      throw new InvalidInputError(
        `Load balancer port ${l.loadBalancerPort} is used twice (${formatListener(same)} and ${formatListener(l)}).`,
      )
    byPort.set(l.loadBalancerPort, l)
    if (isSecure(l.protocol) && !l.sslCertificateId && !desired.certificate)
      throw new InvalidInputError(
        `The ${formatListener(l)} listener needs a certificate.`,
        'Pass --certificate ARN, or --certificate-file and --private-key-file.',
      )
  }
  for (const p of desired.sslPolicies) {
    const listener = byPort.get(p.loadBalancerPort)
    if (!listener || !isSecure(listener.protocol))
      throw new InvalidInputError(
        `An SSL negotiation policy for port ${p.loadBalancerPort} needs an HTTPS or SSL listener there.`,
      )
  }
  for (const b of desired.backendAuthentication) {
    if (b.publicKeys.length === 0)
      throw new InvalidInputError(`Back-end authentication on port ${b.instancePort} needs a public key.`)
    if (!desired.listeners.some((l) => l.instancePort === b.instancePort && isSecure(l.instanceProtocol)))
      throw new InvalidInputError(
        `Back-end authentication on instance port ${b.instancePort} needs a listener that sends HTTPS or SSL there.`,
        'Add --backend-https, or a listener such as --listener https:443:https:443.',
      )
  }
  const hc = desired.healthCheck
  if (hc.timeout !== undefined && hc.interval !== undefined)
    checkTimeoutBelowInterval(
      hc.timeout,
      hc.interval,
      {timeout: true, interval: true},
      WORKFLOW_HEALTH_FLAG_NAMES,
    )
  if (new Set(desired.instances).size !== desired.instances.length)
    throw new InvalidInputError('An instance is listed twice in --instances.')
  return desired
}
