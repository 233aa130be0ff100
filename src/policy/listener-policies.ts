/**
 * A load balancer's policies read back into what they do where: the SSL negotiation in force on
 * each HTTPS/SSL listener (AWS's ELBSecurityPolicy-2016-08 when the listener names none), cookie
 * stickiness per listener, and back-end authentication and proxy protocol per instance port.
 * Pure: the caller reads the load balancer and its policy descriptions (by name: moto refuses
 * DescribeLoadBalancerPolicies without names), this module says what they mean.
 */
import type {LoadBalancer, Policy, Protocol} from '../model.js'
import {publicKeyInfo} from '../pem/certificate-info.js'
import {
  AWS_DEFAULT_SSL_POLICY,
  DETAILS_FROM_AWS,
  findPredefinedSslPolicy,
  hasReservedPrefix,
} from './predefined-ssl-policies.js'
import {SSL_NEGOTIATION_POLICY_TYPE, readSslNegotiation} from './ssl-attributes.js'

export const LB_COOKIE_STICKINESS_POLICY_TYPE = 'LBCookieStickinessPolicyType'
export const APP_COOKIE_STICKINESS_POLICY_TYPE = 'AppCookieStickinessPolicyType'
export const PROXY_PROTOCOL_POLICY_TYPE = 'ProxyProtocolPolicyType'
export const PUBLIC_KEY_POLICY_TYPE = 'PublicKeyPolicyType'
export const BACKEND_SERVER_AUTHENTICATION_POLICY_TYPE = 'BackendServerAuthenticationPolicyType'

const KNOWN_POLICY_TYPES = [
  SSL_NEGOTIATION_POLICY_TYPE,
  LB_COOKIE_STICKINESS_POLICY_TYPE,
  APP_COOKIE_STICKINESS_POLICY_TYPE,
  PROXY_PROTOCOL_POLICY_TYPE,
  PUBLIC_KEY_POLICY_TYPE,
  BACKEND_SERVER_AUTHENTICATION_POLICY_TYPE,
]

/**
 * A policy's type in AWS's spelling: moto reports stickiness as "LbCookieStickinessPolicy" (no
 * "Type" suffix, "Lb" for "LB"), so known types are matched without regard to either.
 */
export function policyTypeOf(policy: Pick<Policy, 'typeName'>): string {
  const wanted = (policy.typeName.endsWith('Type') ? policy.typeName : `${policy.typeName}Type`).toLowerCase()
  return KNOWN_POLICY_TYPES.find((t) => t.toLowerCase() === wanted) ?? policy.typeName
}

const isSecureProtocol = (p: Protocol) => p === 'HTTPS' || p === 'SSL'

/** The SSL negotiation a listener negotiates with clients. Field names are part of --json. */
export interface EffectiveSslNegotiation {
  /** The SSL negotiation policy on the listener; absent when it has none. */
  policyName?: string
  /**
   * aws-default: the listener names no SSL negotiation policy, or only the one AWS attaches by
   * itself to a listener created without one (named ELBSecurityPolicy-2016-08); predefined:
   * references (or is) another of AWS's predefined policies; custom: its own protocols and ciphers.
   */
  kind: 'predefined' | 'custom' | 'aws-default'
  referencePolicy?: string
  /** Newest first, as Node's tls names them (TLSv1.2, TLSv1.1, TLSv1, SSLv3). */
  protocols: string[]
  /** OpenSSL names, in AWS's table order. */
  ciphers: string[]
  serverOrder: boolean
  /** True when kind is aws-default: AWS's ELBSecurityPolicy-2016-08 (TLS 1.0 and 1.1 included) is in force because nobody chose a policy. */
  awsDefaultInForce: boolean
  /** Where protocols and ciphers came from. */
  source: 'policy-attributes' | 'built-in-table' | 'unknown'
  /** Set when the protocols and ciphers could not be known. */
  note?: string
}

/** True when a policy on a listener is an SSL negotiation policy (a reserved name may not be the load balancer's own). */
export function isSslNegotiationPolicy(name: string, byName: ReadonlyMap<string, Policy>): boolean {
  const policy = byName.get(name)
  return policy ? policyTypeOf(policy) === SSL_NEGOTIATION_POLICY_TYPE : hasReservedPrefix(name)
}

const byNameOf = (policies: readonly Policy[] | ReadonlyMap<string, Policy>): ReadonlyMap<string, Policy> =>
  policies instanceof Map ? policies : new Map((policies as readonly Policy[]).map((p) => [p.name, p]))

function fromTable(
  referencePolicy: string,
): Pick<EffectiveSslNegotiation, 'protocols' | 'ciphers' | 'serverOrder' | 'source' | 'note'> {
  const entry = findPredefinedSslPolicy(referencePolicy)
  if (entry?.protocols && entry.ciphers)
    return {
      protocols: entry.protocols,
      ciphers: entry.ciphers,
      serverOrder: entry.serverOrder ?? true,
      source: 'built-in-table',
    }
  return {
    protocols: [],
    ciphers: [],
    serverOrder: false,
    source: 'unknown',
    note: `${referencePolicy}: ${DETAILS_FROM_AWS}`,
  }
}

/**
 * The SSL negotiation in force on a listener with these policy names. AWS expands every policy
 * into its ~100 attributes, which are read as they are; a policy that only names its reference
 * policy (moto) or a predefined name the load balancer does not own is read from elbx's copy of
 * AWS's table. No SSL negotiation policy: AWS's documented default, ELBSecurityPolicy-2016-08.
 */
export function effectiveSslNegotiation(
  listenerPolicyNames: readonly string[],
  policies: readonly Policy[] | ReadonlyMap<string, Policy>,
): EffectiveSslNegotiation {
  const byName = byNameOf(policies)
  const policyName = listenerPolicyNames.find((n) => isSslNegotiationPolicy(n, byName))
  if (!policyName) {
    return {
      kind: 'aws-default',
      referencePolicy: AWS_DEFAULT_SSL_POLICY,
      ...fromTable(AWS_DEFAULT_SSL_POLICY),
      awsDefaultInForce: true,
    }
  }
  // AWS attaches its default under the predefined policy's own name to a listener created without one.
  const attachedByAws = policyName === AWS_DEFAULT_SSL_POLICY
  const policy = byName.get(policyName)
  if (!policy) {
    return {
      policyName,
      kind: attachedByAws ? 'aws-default' : 'predefined',
      referencePolicy: policyName,
      ...fromTable(policyName),
      awsDefaultInForce: attachedByAws,
    }
  }
  const read = readSslNegotiation(policy.attributes)
  const isAwsDefault = attachedByAws && read.referencePolicy === AWS_DEFAULT_SSL_POLICY
  const kind = isAwsDefault ? 'aws-default' : read.referencePolicy ? 'predefined' : 'custom'
  const reference = read.referencePolicy ? {referencePolicy: read.referencePolicy} : {}
  if (read.expanded || !read.referencePolicy) {
    return {
      policyName,
      kind,
      ...reference,
      protocols: read.protocols,
      ciphers: read.ciphers,
      serverOrder: read.serverOrder,
      awsDefaultInForce: isAwsDefault,
      source: 'policy-attributes',
    }
  }
  return {
    policyName,
    kind,
    ...reference,
    ...fromTable(read.referencePolicy),
    awsDefaultInForce: isAwsDefault,
  }
}

/** Cookie stickiness on a listener. */
export type Stickiness =
  | {policyName: string; kind: 'lb-cookie'; cookieExpirationPeriod?: number}
  | {policyName: string; kind: 'app-cookie'; cookieName?: string}

export interface ListenerPolicies {
  loadBalancerPort: number
  protocol: Protocol
  /** HTTPS and SSL listeners only. */
  sslNegotiation?: EffectiveSslNegotiation
  stickiness?: Stickiness
  /** Any other policy on the listener, with its type when the load balancer describes it. */
  otherPolicies: {policyName: string; typeName?: string}[]
}

export interface BackendPublicKey {
  policyName: string
  keyType?: string
  keyBits?: number
  /** SHA-256 of the public key's DER, hex lower case; absent when the policy was not described. */
  fingerprint?: string
}

export interface BackendPolicies {
  instancePort: number
  /** The BackendServerAuthenticationPolicyType policy and the public keys it names. */
  backendAuthentication?: {policyName: string; publicKeys: BackendPublicKey[]}
  /** The ProxyProtocolPolicyType policy on the port, when proxy protocol is enabled. */
  proxyProtocol?: {policyName: string}
  otherPolicies: {policyName: string; typeName?: string}[]
}

export interface PolicyPlacement {
  listeners: ListenerPolicies[]
  backendServers: BackendPolicies[]
  /** The load balancer's policies that no listener or instance port uses (public key policies named by one in use count as used). */
  unattached: string[]
}

const attribute = (policy: Policy | undefined, name: string) =>
  policy?.attributes.find((a) => a.name === name)?.value

function stickinessOf(
  name: string,
  policy: Policy | undefined,
  lb: Pick<LoadBalancer, 'policies'>,
): Stickiness | undefined {
  const type = policy ? policyTypeOf(policy) : undefined
  if (
    type === LB_COOKIE_STICKINESS_POLICY_TYPE ||
    (!policy && lb.policies.lbCookieStickiness.includes(name))
  ) {
    const period = Number(attribute(policy, 'CookieExpirationPeriod'))
    return {
      policyName: name,
      kind: 'lb-cookie',
      ...(Number.isFinite(period) && period > 0 ? {cookieExpirationPeriod: period} : {}),
    }
  }
  if (
    type === APP_COOKIE_STICKINESS_POLICY_TYPE ||
    (!policy && lb.policies.appCookieStickiness.includes(name))
  ) {
    const cookieName = attribute(policy, 'CookieName')
    return {policyName: name, kind: 'app-cookie', ...(cookieName ? {cookieName} : {})}
  }
  return undefined
}

const other = (name: string, policy: Policy | undefined) => ({
  policyName: name,
  ...(policy ? {typeName: policyTypeOf(policy)} : {}),
})

/** The public keys a back-end authentication policy names, each with its fingerprint. */
export function backendPublicKeys(
  auth: Policy | undefined,
  byName: ReadonlyMap<string, Policy>,
): BackendPublicKey[] {
  return (auth?.attributes ?? [])
    .filter((a) => a.name === 'PublicKeyPolicyName')
    .map((a) => {
      const key = attribute(byName.get(a.value), 'PublicKey')
      const info = key ? publicKeyInfo(key) : undefined
      return {policyName: a.value, ...(info ?? {})}
    })
}

/** Says which policy does what on each listener and instance port. */
export function placePolicies(
  lb: Pick<LoadBalancer, 'listeners' | 'backendServers' | 'policies'>,
  policies: readonly Policy[] | ReadonlyMap<string, Policy>,
): PolicyPlacement {
  const byName = byNameOf(policies)
  const used = new Set<string>()
  const listeners = lb.listeners.map(({listener, policyNames}): ListenerPolicies => {
    policyNames.forEach((n) => used.add(n))
    const secure = isSecureProtocol(listener.protocol)
    const ssl = secure ? effectiveSslNegotiation(policyNames, byName) : undefined
    let stickiness: Stickiness | undefined
    const otherPolicies: ListenerPolicies['otherPolicies'] = []
    for (const name of policyNames) {
      if (name === ssl?.policyName) continue
      const sticky = stickiness ? undefined : stickinessOf(name, byName.get(name), lb)
      if (sticky) stickiness = sticky
      else otherPolicies.push(other(name, byName.get(name)))
    }
    return {
      loadBalancerPort: listener.loadBalancerPort,
      protocol: listener.protocol,
      ...(ssl ? {sslNegotiation: ssl} : {}),
      ...(stickiness ? {stickiness} : {}),
      otherPolicies,
    }
  })
  const backendServers = lb.backendServers.map(({instancePort, policyNames}): BackendPolicies => {
    let backendAuthentication: BackendPolicies['backendAuthentication']
    let proxyProtocol: BackendPolicies['proxyProtocol']
    const otherPolicies: BackendPolicies['otherPolicies'] = []
    for (const name of policyNames) {
      used.add(name)
      const policy = byName.get(name)
      const type = policy ? policyTypeOf(policy) : undefined
      if (type === BACKEND_SERVER_AUTHENTICATION_POLICY_TYPE && !backendAuthentication) {
        const publicKeys = backendPublicKeys(policy, byName)
        publicKeys.forEach((k) => used.add(k.policyName))
        backendAuthentication = {policyName: name, publicKeys}
      } else if (
        type === PROXY_PROTOCOL_POLICY_TYPE &&
        attribute(policy, 'ProxyProtocol')?.toLowerCase() !== 'false'
      ) {
        proxyProtocol = {policyName: name}
      } else otherPolicies.push(other(name, policy))
    }
    return {
      instancePort,
      ...(backendAuthentication ? {backendAuthentication} : {}),
      ...(proxyProtocol ? {proxyProtocol} : {}),
      otherPolicies,
    }
  })
  const unattached = [...byName.keys()].filter((n) => !used.has(n)).sort()
  return {listeners, backendServers, unattached}
}

/**
 * Every policy name the load balancer lists or uses, to describe by name in one request (moto
 * refuses DescribeLoadBalancerPolicies without names; AWS answers both).
 */
export function policyNamesOf(lb: Pick<LoadBalancer, 'listeners' | 'backendServers' | 'policies'>): string[] {
  return [
    ...new Set([
      ...lb.policies.appCookieStickiness,
      ...lb.policies.lbCookieStickiness,
      ...lb.policies.other,
      ...lb.listeners.flatMap((l) => l.policyNames),
      ...lb.backendServers.flatMap((b) => b.policyNames),
    ]),
  ].filter(Boolean)
}
