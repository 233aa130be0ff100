/**
 * The seed's "configure the SSL security policy" step, without the traps other tools fall into:
 * a predefined policy is referenced from a load-balancer policy (never set directly, which fails
 * with PolicyNotFound), only the SSL negotiation policy of the listener is swapped (the listener
 * keeps stickiness and every other policy), and the policy elbx replaced is deleted once unused.
 */

import {contentHash} from './content-hash.js'
import {awsErrorCode, isAwsError} from '../aws/errors.js'
import type {ElbGateway} from '../aws/gateways.js'
import {InvalidInputError} from '../errors.js'
import type {ListenerDescription, LoadBalancer, Policy} from '../model.js'
import {
  AWS_DEFAULT_SSL_POLICY,
  DETAILS_FROM_AWS,
  PREDEFINED_SSL_POLICIES,
  RECOMMENDED_SSL_POLICY,
  findPredefinedSslPolicy,
} from '../policy/predefined-ssl-policies.js'
import {
  REFERENCE_SECURITY_POLICY,
  SERVER_DEFINED_CIPHER_ORDER,
  SSL_NEGOTIATION_POLICY_TYPE,
  protocolAttribute,
  readSslNegotiation,
  sortCiphers,
  sortProtocols,
} from '../policy/ssl-attributes.js'
import {isSslNegotiationPolicy} from '../policy/listener-policies.js'
import {formatListener, isSecure} from '../validate/listener.js'
import {findLoadBalancer} from './find-load-balancer.js'

/** The predefined policy elbx attaches when none is asked for: TLS 1.2 only, AWS's latest. */
export const DEFAULT_SSL_POLICY = RECOMMENDED_SSL_POLICY

export type SslPolicySpec =
  | {kind: 'predefined'; name: string}
  | {kind: 'custom'; protocols: string[]; ciphers: string[]; serverOrder: boolean}

/** Names of the policies elbx creates start with this, so it knows which ones it may delete. */
export const ELBX_SSL_POLICY_PREFIX = 'elbx-ssl-'

const hash = contentHash

/**
 * The policy name elbx derives from a policy's content, so a rerun finds and reuses the policy
 * instead of creating another (policies are immutable and pile up into TooManyPolicies).
 */
export function defaultSslPolicyName(spec: SslPolicySpec): string {
  if (spec.kind === 'predefined')
    return `${ELBX_SSL_POLICY_PREFIX}${spec.name.replace(/^ELBSecurityPolicy-/, '')}`
  const content = [
    sortProtocols(spec.protocols).join(','),
    sortCiphers(spec.ciphers).join(','),
    spec.serverOrder ? 'server-order' : 'client-order',
  ].join('|')
  return `${ELBX_SSL_POLICY_PREFIX}custom-${hash(content)}`
}

/** The attributes of the SSLNegotiationPolicyType policy that carries the spec. */
export function sslPolicyAttributes(spec: SslPolicySpec) {
  if (spec.kind === 'predefined') return [{name: REFERENCE_SECURITY_POLICY, value: spec.name}]
  return [
    ...sortProtocols(spec.protocols).map((p) => ({name: protocolAttribute(p), value: 'true'})),
    ...sortCiphers(spec.ciphers).map((c) => ({name: c, value: 'true'})),
    {name: SERVER_DEFINED_CIPHER_ORDER, value: String(spec.serverOrder)},
  ]
}

/** True when an existing policy carries the same content as the spec (AWS's ~100 expanded attributes notwithstanding). */
export function policyMatchesSpec(policy: Policy, spec: SslPolicySpec): boolean {
  if (policy.typeName !== SSL_NEGOTIATION_POLICY_TYPE) return false
  const read = readSslNegotiation(policy.attributes)
  if (spec.kind === 'predefined') return read.referencePolicy === spec.name
  if (read.referencePolicy) return false
  return (
    read.serverOrder === spec.serverOrder &&
    read.protocols.join(',') === sortProtocols(spec.protocols).join(',') &&
    read.ciphers.join(',') === sortCiphers(spec.ciphers).join(',')
  )
}

/** The HTTPS/SSL listener on that port, or InvalidInputError listing the load balancer's listeners. */
export function secureListener(lb: LoadBalancer, loadBalancerPort: number): ListenerDescription {
  const found = lb.listeners.find((l) => l.listener.loadBalancerPort === loadBalancerPort)
  const list = lb.listeners.length ? lb.listeners.map((l) => formatListener(l.listener)).join('; ') : 'none'
  if (!found) {
    throw new InvalidInputError(
      `Load balancer "${lb.name}" has no listener on port ${loadBalancerPort}. Its listeners: ${list}.`,
      'Pass --port with the load balancer port of an HTTPS or SSL listener.',
      {listeners: lb.listeners.map((l) => l.listener)},
    )
  }
  if (!isSecure(found.listener.protocol)) {
    throw new InvalidInputError(
      `The listener on port ${loadBalancerPort} of "${lb.name}" is ${formatListener(found.listener)}: an SSL negotiation policy needs an HTTPS or SSL listener. Its listeners: ${list}.`,
      'Pass --port with the load balancer port of an HTTPS or SSL listener.',
      {listeners: lb.listeners.map((l) => l.listener)},
    )
  }
  return found
}

export {isSslNegotiationPolicy}

export interface EnsureSslPolicyResult {
  policyName: string
  status: 'created' | 'reused' | 'unchanged'
  /** SSL negotiation policies that were on the listener before and are no longer. */
  replacedPolicies: string[]
  /** Replaced policies elbx had created and no listener uses any more. */
  deletedPolicies: string[]
  /** The listener's other policies (cookie stickiness and the like), left in place. */
  keptPolicies: string[]
  /** Replaced elbx policies AWS would not delete, with its reason (left in place, not an error). */
  notDeleted?: {policyName: string; reason: string}[]
}

/**
 * Puts an SSL negotiation policy with the spec's content on an HTTPS/SSL listener. Creates the
 * load-balancer policy unless one with that name and content exists; sets it on the listener with
 * every non-SSL policy already there; deletes the SSL policy it replaced when elbx created it and
 * no listener uses it. Requests: DescribeLoadBalancers (unless `loadBalancer` is given),
 * DescribeLoadBalancerPolicies, then only the writes needed.
 */
export async function ensureListenerSslPolicy(
  elb: ElbGateway,
  input: {
    loadBalancerName: string
    loadBalancerPort: number
    spec: SslPolicySpec
    policyName?: string
    /** The load balancer's description, when the caller has it already (saves a request). */
    loadBalancer?: LoadBalancer
    /** The load balancer's policies, when the caller has them already (saves a request). */
    policies?: Policy[]
  },
): Promise<EnsureSslPolicyResult> {
  const lb = input.loadBalancer ?? (await findLoadBalancer(elb, input.loadBalancerName))
  const listener = secureListener(lb, input.loadBalancerPort)
  const policyName = input.policyName ?? defaultSslPolicyName(input.spec)
  const byName = new Map((input.policies ?? (await elb.describePolicies(lb.name))).map((p) => [p.name, p]))

  let status: EnsureSslPolicyResult['status'] = 'reused'
  const existing = byName.get(policyName)
  if (existing && !policyMatchesSpec(existing, input.spec)) {
    throw new InvalidInputError(
      `Load balancer "${lb.name}" already has a policy named "${policyName}" (${existing.typeName}) with other settings; AWS policies cannot be changed in place.`,
      'Pass another --ssl-policy-name, or leave it out and elbx names the policy after its content.',
    )
  }
  if (!existing) {
    try {
      await elb.createPolicy(
        lb.name,
        policyName,
        SSL_NEGOTIATION_POLICY_TYPE,
        sslPolicyAttributes(input.spec),
      )
      status = 'created'
    } catch (error) {
      // Another run made it between our read and this write (two creates racing on AWS): the name
      // comes from the content, so a policy of that name with this content is the one we want.
      if (!isAwsError(error, 'DuplicatePolicyName')) throw error
      const [raced] = await elb.describePolicies(lb.name, [policyName])
      if (!raced || !policyMatchesSpec(raced, input.spec)) throw error
    }
  }

  const sslOnListener = listener.policyNames.filter((n) => isSslNegotiationPolicy(n, byName))
  const keptPolicies = listener.policyNames.filter((n) => !sslOnListener.includes(n))
  const replacedPolicies = sslOnListener.filter((n) => n !== policyName)
  if (sslOnListener.length === 1 && sslOnListener[0] === policyName) {
    return {
      policyName,
      status: status === 'created' ? status : 'unchanged',
      replacedPolicies: [],
      deletedPolicies: [],
      keptPolicies,
    }
  }
  await elb.setListenerPolicies(lb.name, input.loadBalancerPort, [...keptPolicies, policyName])

  // Other listeners may share a policy; only what nothing uses any more may go.
  const stillUsed = new Set(
    lb.listeners
      .filter((l) => l.listener.loadBalancerPort !== input.loadBalancerPort)
      .flatMap((l) => l.policyNames),
  )
  const deletedPolicies: string[] = []
  const notDeleted: {policyName: string; reason: string}[] = []
  for (const name of replacedPolicies) {
    if (!name.startsWith(ELBX_SSL_POLICY_PREFIX) || stillUsed.has(name) || !byName.has(name)) continue
    try {
      await elb.deletePolicy(lb.name, name)
      deletedPolicies.push(name)
    } catch (error) {
      const code = awsErrorCode(error)
      if (!code) throw error
      notDeleted.push({policyName: name, reason: `${code}: ${(error as Error).message}`})
    }
  }
  return {
    policyName,
    status,
    replacedPolicies,
    deletedPolicies,
    keptPolicies,
    ...(notDeleted.length ? {notDeleted} : {}),
  }
}

/** The SSL negotiation in force on a listener, reduced to what is enabled. */
export interface ListenerSslPolicy {
  policyName?: string
  referencePolicy?: string
  /** 'TLSv1.2' style, as Node's tls names them: 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'SSLv3'. */
  protocols: string[]
  /** OpenSSL names. */
  ciphers: string[]
  serverOrder: boolean
  /** Where the answer came from: the load balancer's policy attributes, AWS's predefined policy, or elbx's built-in table. */
  source: string
  /** True when neither AWS nor elbx's table could say which protocols and ciphers the policy enables. */
  unresolved?: boolean
}

/** Predefined policies described once per run, whoever asks. */
export type PredefinedCache = Map<string, Promise<ResolvedPredefined>>

interface ResolvedPredefined {
  protocols: string[]
  ciphers: string[]
  serverOrder: boolean
  source: string
  unresolved?: boolean
}

/**
 * A predefined policy's protocols and ciphers: from AWS (DescribeLoadBalancerPolicies without a
 * load balancer name) or, when the endpoint refuses that, from elbx's copy of AWS's table.
 */
export function resolvePredefinedPolicy(
  elb: ElbGateway,
  name: string,
  cache: PredefinedCache = new Map(),
): Promise<ResolvedPredefined> {
  let pending = cache.get(name)
  if (!pending) {
    pending = (async () => {
      try {
        const [policy] = await elb.describePolicies(undefined, [name])
        if (policy && policy.attributes.length) {
          const read = readSslNegotiation(policy.attributes)
          return {
            protocols: read.protocols,
            ciphers: read.ciphers,
            serverOrder: read.serverOrder,
            source: `AWS's predefined policy ${name}`,
          }
        }
        return fromTable(name, 'AWS returned no attributes for it')
      } catch (error) {
        const code = awsErrorCode(error)
        if (!code) throw error
        return fromTable(name, `the endpoint refused to describe it: ${code}`)
      }
    })()
    cache.set(name, pending)
  }
  return pending
}

function fromTable(name: string, why: string): ResolvedPredefined {
  const entry = findPredefinedSslPolicy(name)
  if (entry?.protocols && entry.ciphers) {
    return {
      protocols: entry.protocols,
      ciphers: entry.ciphers,
      serverOrder: entry.serverOrder ?? true,
      source: `elbx's built-in table of AWS's documented ${name} (${why})`,
    }
  }
  return {
    protocols: [],
    ciphers: [],
    serverOrder: false,
    unresolved: true,
    source: `${name}: ${DETAILS_FROM_AWS}, but ${why}`,
  }
}

async function resolveListenerPolicy(
  elb: ElbGateway,
  listener: ListenerDescription,
  policies: Map<string, Policy>,
  cache: PredefinedCache,
): Promise<ListenerSslPolicy> {
  const names = listener.policyNames.filter((n) => isSslNegotiationPolicy(n, policies))
  const policyName = names[0]
  if (!policyName) {
    const resolved = await resolvePredefinedPolicy(elb, AWS_DEFAULT_SSL_POLICY, cache)
    return {
      referencePolicy: AWS_DEFAULT_SSL_POLICY,
      ...resolved,
      source: `no SSL negotiation policy on the listener, so AWS applies its documented default ${AWS_DEFAULT_SSL_POLICY}; details from ${resolved.source}`,
    }
  }
  const policy = policies.get(policyName)
  if (!policy) {
    // A predefined name on the listener that the load balancer does not list as its own.
    const resolved = await resolvePredefinedPolicy(elb, policyName, cache)
    return {policyName, referencePolicy: policyName, ...resolved}
  }
  const read = readSslNegotiation(policy.attributes)
  if (read.expanded) {
    return {
      policyName,
      ...(read.referencePolicy ? {referencePolicy: read.referencePolicy} : {}),
      protocols: read.protocols,
      ciphers: read.ciphers,
      serverOrder: read.serverOrder,
      source: `the attributes of the load balancer's policy ${policyName}`,
    }
  }
  if (read.referencePolicy) {
    const resolved = await resolvePredefinedPolicy(elb, read.referencePolicy, cache)
    return {policyName, referencePolicy: read.referencePolicy, ...resolved}
  }
  return {
    policyName,
    protocols: [],
    ciphers: [],
    serverOrder: read.serverOrder,
    source: `the attributes of the load balancer's policy ${policyName} (none enabled)`,
  }
}

/** The load balancer's policies by name (one DescribeLoadBalancerPolicies). */
export async function loadBalancerPolicies(elb: ElbGateway, lb: LoadBalancer): Promise<Map<string, Policy>> {
  return new Map((await elb.describePolicies(lb.name)).map((p) => [p.name, p]))
}

/**
 * The SSL negotiation in force on one HTTPS/SSL listener: the policy, the predefined policy it
 * references, and the protocols and ciphers it enables (AWS expands a policy to about a hundred
 * attributes; only the enabled ones are reported). InvalidInputError when the port is not a
 * secure listener.
 */
export async function describeListenerSslPolicy(
  elb: ElbGateway,
  lb: LoadBalancer,
  loadBalancerPort: number,
  options: {policies?: Map<string, Policy>; cache?: PredefinedCache} = {},
): Promise<ListenerSslPolicy> {
  const listener = secureListener(lb, loadBalancerPort)
  const policies = options.policies ?? (await loadBalancerPolicies(elb, lb))
  return resolveListenerPolicy(elb, listener, policies, options.cache ?? new Map())
}

/** describeListenerSslPolicy for every HTTPS/SSL listener, with one DescribeLoadBalancerPolicies for all. */
export async function describeLoadBalancerSslPolicies(
  elb: ElbGateway,
  lb: LoadBalancer,
): Promise<{loadBalancerPort: number; protocol: string; sslPolicy: ListenerSslPolicy}[]> {
  const secure = lb.listeners.filter((l) => isSecure(l.listener.protocol))
  if (secure.length === 0) return []
  const policies = await loadBalancerPolicies(elb, lb)
  const cache: PredefinedCache = new Map()
  const out = []
  for (const l of secure) {
    out.push({
      loadBalancerPort: l.listener.loadBalancerPort,
      protocol: l.listener.protocol,
      sslPolicy: await resolveListenerPolicy(elb, l, policies, cache),
    })
  }
  return out
}

/** One predefined policy as --list shows it. */
export interface PredefinedSslPolicyDescription {
  name: string
  protocols: string[]
  ciphers: string[]
  serverOrder: boolean
  recommended?: boolean
  awsDefault?: boolean
  /** Set when the protocols and ciphers are not known (older policies, built-in table). */
  details?: string
}

export interface PredefinedSslPolicyList {
  source: 'aws' | 'built-in table'
  /** Where the list came from, in words. */
  sourceDescription: string
  policies: PredefinedSslPolicyDescription[]
}

const tableRank = (name: string) => {
  const i = PREDEFINED_SSL_POLICIES.findIndex((p) => p.name === name)
  return i === -1 ? PREDEFINED_SSL_POLICIES.length : i
}

const marks = (name: string) => ({
  ...(name === RECOMMENDED_SSL_POLICY ? {recommended: true} : {}),
  ...(name === AWS_DEFAULT_SSL_POLICY ? {awsDefault: true} : {}),
})

/** elbx's table of AWS's documented predefined policies, as a list; `why` says why AWS's own answer is not used. */
export function builtInPredefinedSslPolicies(why: string): PredefinedSslPolicyList {
  return {
    source: 'built-in table',
    sourceDescription: `elbx's built-in table of AWS's documented predefined policies (${why})`,
    policies: PREDEFINED_SSL_POLICIES.map((p) => ({
      name: p.name,
      protocols: p.protocols ?? [],
      ciphers: p.ciphers ?? [],
      serverOrder: p.serverOrder ?? false,
      ...marks(p.name),
      ...(p.protocols ? {} : {details: DETAILS_FROM_AWS}),
    })),
  }
}

/**
 * The predefined SSL policies with their protocols and ciphers: AWS's own answer
 * (DescribeLoadBalancerPolicies without a load balancer name) or, when the endpoint refuses
 * that, elbx's table of AWS's documented matrix. The result says which.
 */
export async function listPredefinedSslPolicies(elb: ElbGateway): Promise<PredefinedSslPolicyList> {
  let fromAws: Policy[]
  try {
    fromAws = (await elb.describePolicies(undefined)).filter(
      (p) => p.typeName === SSL_NEGOTIATION_POLICY_TYPE,
    )
  } catch (error) {
    const code = awsErrorCode(error)
    if (!code) throw error
    return builtInPredefinedSslPolicies(
      `the endpoint refused DescribeLoadBalancerPolicies without a load balancer name: ${code}`,
    )
  }
  const policies = fromAws
    .map((p) => {
      const read = readSslNegotiation(p.attributes)
      return {
        name: p.name,
        protocols: read.protocols,
        ciphers: read.ciphers,
        serverOrder: read.serverOrder,
        ...marks(p.name),
      }
    })
    .sort((a, b) => tableRank(a.name) - tableRank(b.name) || b.name.localeCompare(a.name))
  return {
    source: 'aws',
    sourceDescription: 'AWS (DescribeLoadBalancerPolicies without a load balancer name)',
    policies,
  }
}
