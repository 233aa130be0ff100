/**
 * A spec file and the engine's desired state, both ways. desiredFromSpec() turns a checked spec
 * into the value create's flags also produce; settleDesired() then reads it against what exists,
 * so that what is already so by content is not changed again under another name (the perpetual
 * diff of other tools: an SSL policy AWS expanded into a hundred attributes, a policy another tool
 * named); specFromObserved() writes an existing load balancer as a spec (`elbx export`).
 */
import type {
  HealthCheck,
  Listener,
  ListenerDescription,
  LoadBalancerAttributes,
  Policy,
  Tag,
} from '../../model.js'
import {effectiveSslNegotiation} from '../../policy/listener-policies.js'
import {AWS_DEFAULT_SSL_POLICY} from '../../policy/predefined-ssl-policies.js'
import {sortCiphers, sortProtocols} from '../../policy/ssl-attributes.js'
import {publicKeyPem} from '../../pem/public-key.js'
import {CONSOLE_DEFAULT_ATTRIBUTES} from '../../validate/attributes.js'
import {isSecure} from '../../validate/listener.js'
import type {CheckedSpec} from '../../validate/spec.js'
import {SPEC_VERSION, type ListenerSpec, type LoadBalancerSpec} from '../../validate/spec-schema.js'
import {BACKEND_AUTH_POLICY_TYPE, PUBLIC_KEY_POLICY_TYPE} from '../backend-auth.js'
import {defaultCertificateName} from '../certificate.js'
import {RUN_TAG_KEY} from '../rollback.js'
import {DEFAULT_INGRESS_CIDRS} from '../security-group.js'
import {DEFAULT_SSL_POLICY, defaultSslPolicyName, type SslPolicySpec} from '../ssl-policy.js'
import type {DesiredLoadBalancer} from './desired.js'
import type {Observed, ObservedLoadBalancer} from './observe.js'

/** The desired state a spec asks for (before settleDesired() has seen what exists). */
export function desiredFromSpec(spec: CheckedSpec): DesiredLoadBalancer {
  const certificate =
    spec.certificate?.kind === 'upload'
      ? {
          ...spec.certificate,
          name:
            spec.certificate.name ?? defaultCertificateName(spec.name, spec.certificate.checked.fingerprint),
        }
      : spec.certificate
  return {
    name: spec.name,
    scheme: spec.scheme,
    listeners: spec.listeners,
    ...(certificate ? {certificate} : {}),
    network: spec.network,
    securityGroups: spec.securityGroups,
    ingressCidrs: DEFAULT_INGRESS_CIDRS,
    sslPolicies: spec.sslPolicies.map((p) => {
      const policy: SslPolicySpec = p.spec ?? {kind: 'predefined', name: DEFAULT_SSL_POLICY}
      return {
        loadBalancerPort: p.loadBalancerPort,
        spec: policy,
        policyName: defaultSslPolicyName(policy),
        isDefault: p.spec === undefined,
      }
    }),
    backendAuthentication: spec.backendAuthentication,
    healthCheck: spec.healthCheck,
    // What the spec leaves out stays as it is; settleDesired() puts the current values in.
    attributes: {...CONSOLE_DEFAULT_ATTRIBUTES, ...spec.attributes},
    tags: spec.tags ?? [],
    instances: spec.instances ?? [],
  }
}

/** The SSL negotiation in force on a listener, by content: a predefined policy's name, or what a custom one enables. */
export function listenerSslPolicy(
  d: ListenerDescription,
  byName: ReadonlyMap<string, Policy>,
): SslPolicySpec | undefined {
  if (!isSecure(d.listener.protocol)) return undefined
  const ssl = effectiveSslNegotiation(d.policyNames, byName)
  if (ssl.kind !== 'custom') return {kind: 'predefined', name: ssl.referencePolicy ?? AWS_DEFAULT_SSL_POLICY}
  return {kind: 'custom', protocols: ssl.protocols, ciphers: ssl.ciphers, serverOrder: ssl.serverOrder}
}

/** Two SSL policies that enable the same thing, whatever their names. */
export function sameSslPolicy(a: SslPolicySpec, b: SslPolicySpec): boolean {
  if (a.kind === 'predefined') return b.kind === 'predefined' && a.name === b.name
  if (b.kind === 'predefined') return false
  return (
    a.serverOrder === b.serverOrder &&
    sortProtocols(a.protocols).join() === sortProtocols(b.protocols).join() &&
    sortCiphers(a.ciphers).join() === sortCiphers(b.ciphers).join()
  )
}

const keyPolicyNames = (p: Policy | undefined) =>
  (p?.attributes ?? []).filter((a) => a.name === 'PublicKeyPolicyName').map((a) => a.value)

/** The public keys (PublicKey attribute values) an instance port authenticates its instances by. */
export function backendPublicKeys(policyNames: string[], byName: Map<string, Policy>): string[] {
  const auth = policyNames.map((n) => byName.get(n)).find((p) => p?.typeName === BACKEND_AUTH_POLICY_TYPE)
  return keyPolicyNames(auth)
    .map((n) => byName.get(n))
    .filter((p) => p?.typeName === PUBLIC_KEY_POLICY_TYPE)
    .map((p) => p!.attributes.find((a) => a.name === 'PublicKey')?.value)
    .filter((k): k is string => Boolean(k))
}

const sameSet = (a: string[], b: string[]) => [...new Set(a)].sort().join() === [...new Set(b)].sort().join()

/**
 * The desired state as the plan should see it once what exists is known: an SSL policy or
 * back-end authentication already in force by content (under any name) is left as it is, and the
 * attributes the spec leaves out keep their current values.
 */
export function settleDesired(
  desired: DesiredLoadBalancer,
  spec: Pick<CheckedSpec, 'attributes'>,
  observed: Pick<Observed, 'loadBalancer' | 'policies' | 'attributes'>,
): DesiredLoadBalancer {
  const lb = observed.loadBalancer
  if (!lb) return desired
  const byName = new Map(observed.policies.map((p) => [p.name, p]))
  const kept = (port: number) => {
    const have = lb.listeners.find((d) => d.listener.loadBalancerPort === port)
    const want = desired.listeners.find((l) => l.loadBalancerPort === port)
    // A listener the plan deletes and creates again starts from AWS's default policy.
    return have &&
      want &&
      have.listener.protocol === want.protocol &&
      have.listener.instanceProtocol === want.instanceProtocol &&
      have.listener.instancePort === want.instancePort
      ? have
      : undefined
  }
  const sslPolicies = desired.sslPolicies.filter((p) => {
    const have = kept(p.loadBalancerPort)
    const inForce = have && listenerSslPolicy(have, byName)
    return !(inForce && sameSslPolicy(inForce, p.spec))
  })
  const backendAuthentication = desired.backendAuthentication.filter((b) => {
    const onPort = lb.backendServers.find((s) => s.instancePort === b.instancePort)?.policyNames ?? []
    return !sameSet(backendPublicKeys(onPort, byName), b.publicKeys)
  })
  const current = observed.attributes
  const attributes = current
    ? {
        crossZoneLoadBalancing: spec.attributes.crossZoneLoadBalancing ?? current.crossZoneLoadBalancing,
        connectionDraining: spec.attributes.connectionDraining ?? current.connectionDraining,
        idleTimeout: spec.attributes.idleTimeout ?? current.idleTimeout,
      }
    : desired.attributes
  return {...desired, sslPolicies, backendAuthentication, attributes}
}

/** The tags a spec shows: all but elbx's run mark, which only says which run made the load balancer. */
export const specTags = (tags: Tag[]) => tags.filter((t) => t.key !== RUN_TAG_KEY)

/** A listener as a spec names it: its SSL policy by name when predefined, by content when custom. */
function listenerSpec(l: Listener, ssl: SslPolicySpec | undefined): ListenerSpec {
  return {
    protocol: l.protocol,
    loadBalancerPort: l.loadBalancerPort,
    instanceProtocol: l.instanceProtocol,
    instancePort: l.instancePort,
    ...(l.sslCertificateId ? {certificate: l.sslCertificateId} : {}),
    ...(ssl
      ? {
          sslPolicy:
            ssl.kind === 'predefined'
              ? ssl.name
              : {protocols: ssl.protocols, ciphers: ssl.ciphers, serverOrder: ssl.serverOrder},
        }
      : {}),
  }
}

/** The attributes a spec carries; connection draining is its timeout when on, false when off. */
function attributesSpec(a: LoadBalancerAttributes): NonNullable<LoadBalancerSpec['attributes']> {
  return {
    crossZoneLoadBalancing: a.crossZoneLoadBalancing,
    connectionDraining: a.connectionDraining.enabled ? (a.connectionDraining.timeout ?? 300) : false,
    idleTimeout: a.idleTimeout,
  }
}

/**
 * An existing load balancer as a spec: listeners with their certificates and SSL policies by
 * content (a predefined policy by name, a custom one as its protocols, ciphers and order, never
 * AWS's hundred attributes), back-end public keys as PEM, health check, attributes, tags, network,
 * security groups, instances. No private key is ever in it: AWS does not return any.
 */
export function specFromObserved(
  o: Pick<ObservedLoadBalancer, 'loadBalancer' | 'policies' | 'attributes' | 'tags'>,
): LoadBalancerSpec {
  const lb = o.loadBalancer
  const byName = new Map(o.policies.map((p) => [p.name, p]))
  const listeners: ListenerSpec[] = [...lb.listeners]
    .sort((a, b) => a.listener.loadBalancerPort - b.listener.loadBalancerPort)
    .map((d) => listenerSpec(d.listener, listenerSslPolicy(d, byName)))
  const backendAuthentication = [...lb.backendServers]
    .sort((a, b) => a.instancePort - b.instancePort)
    .map((b) => ({instancePort: b.instancePort, publicKeys: backendPublicKeys(b.policyNames, byName)}))
    .filter((b) => b.publicKeys.length > 0)
    .map((b) => ({instancePort: b.instancePort, publicKeys: b.publicKeys.map(publicKeyPem)}))
  const a = o.attributes
  const tags = specTags(o.tags)
  return {
    version: SPEC_VERSION,
    name: lb.name,
    scheme: lb.scheme,
    ...(lb.vpcId ? {subnets: [...lb.subnets].sort()} : {availabilityZones: [...lb.availabilityZones].sort()}),
    ...(lb.securityGroups.length ? {securityGroups: [...lb.securityGroups].sort()} : {}),
    listeners,
    ...(backendAuthentication.length ? {backendAuthentication} : {}),
    ...(lb.healthCheck ? {healthCheck: {...lb.healthCheck}} : {}),
    attributes: attributesSpec(a),
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
    instances: [...lb.instanceIds].sort(),
  }
}

/**
 * The spec `create` would apply (`create --dry-run --export-spec`): its desired state as a file,
 * the certificate by the files it was given (never their contents), the back-end keys as PEM.
 */
export function specFromDesired(
  desired: DesiredLoadBalancer,
  options: {
    certificateFiles?: {certificateFile: string; privateKeyFile: string; chainFile?: string}
    healthCheck?: Partial<HealthCheck>
  } = {},
): LoadBalancerSpec {
  const ssl = new Map(desired.sslPolicies.map((p) => [p.loadBalancerPort, p.spec]))
  const certificate =
    desired.certificate?.kind === 'arn'
      ? desired.certificate.arn
      : desired.certificate?.kind === 'upload' && options.certificateFiles
        ? {...options.certificateFiles, name: desired.certificate.name}
        : undefined
  const healthCheck = options.healthCheck ?? desired.healthCheck
  const a = desired.attributes
  return {
    version: SPEC_VERSION,
    name: desired.name,
    scheme: desired.scheme,
    ...(desired.network.subnets?.length ? {subnets: desired.network.subnets} : {}),
    ...(desired.network.availabilityZones?.length
      ? {availabilityZones: desired.network.availabilityZones}
      : {}),
    ...(desired.securityGroups.length ? {securityGroups: desired.securityGroups} : {}),
    ...(certificate ? {certificate} : {}),
    listeners: desired.listeners.map((l) => listenerSpec(l, ssl.get(l.loadBalancerPort))),
    ...(desired.backendAuthentication.length
      ? {
          backendAuthentication: desired.backendAuthentication.map((b) => ({
            instancePort: b.instancePort,
            publicKeys: b.publicKeys.map(publicKeyPem),
          })),
        }
      : {}),
    ...(Object.keys(healthCheck).length ? {healthCheck: {...healthCheck}} : {}),
    attributes: attributesSpec(a),
    ...(desired.tags.length ? {tags: Object.fromEntries(desired.tags.map((t) => [t.key, t.value]))} : {}),
    ...(desired.instances.length ? {instances: desired.instances} : {}),
  }
}
