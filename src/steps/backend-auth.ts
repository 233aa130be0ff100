/**
 * The seed's "configure back-end instance authentication" step: one PublicKeyPolicyType policy per
 * key, one BackendServerAuthenticationPolicyType policy naming them all (ELB tries each key in
 * turn), set on the instance port while every other back-end policy there (ProxyProtocol) stays.
 */

import {contentHash} from './content-hash.js'
import {awsErrorCode} from '../aws/errors.js'
import type {ElbGateway} from '../aws/gateways.js'
import {InvalidInputError} from '../errors.js'
import type {Listener, LoadBalancer, Policy} from '../model.js'
import {
  BACKEND_SERVER_AUTHENTICATION_POLICY_TYPE as BACKEND_AUTH_POLICY_TYPE,
  PUBLIC_KEY_POLICY_TYPE,
} from '../policy/listener-policies.js'
import {formatListener, isSecure} from '../validate/listener.js'
import {findLoadBalancer} from './find-load-balancer.js'

export {PUBLIC_KEY_POLICY_TYPE, BACKEND_AUTH_POLICY_TYPE}
/** Names of the policies elbx creates start with these, so it knows which ones it may delete. */
export const ELBX_PUBLIC_KEY_POLICY_PREFIX = 'elbx-public-key-'
export const ELBX_BACKEND_AUTH_POLICY_PREFIX = 'elbx-backend-auth-'

const hash = contentHash

/** Named after the key, so the same key always maps to the same policy. */
export const publicKeyPolicyName = (publicKey: string) => `${ELBX_PUBLIC_KEY_POLICY_PREFIX}${hash(publicKey)}`

/** Named after the set of keys (order does not matter to ELB, which tries each). */
export const backendAuthPolicyName = (publicKeyPolicies: string[]) =>
  `${ELBX_BACKEND_AUTH_POLICY_PREFIX}${hash([...publicKeyPolicies].sort().join(','))}`

/**
 * The listeners that send to the instance port over HTTPS or SSL. Back-end authentication only
 * means something on an encrypted back-end connection, so anything else is InvalidInputError.
 */
export function secureBackendListeners(lb: LoadBalancer, instancePort: number): Listener[] {
  const all = lb.listeners.map((l) => l.listener)
  const list = all.length ? all.map(formatListener).join('; ') : 'none'
  const toPort = all.filter((l) => l.instancePort === instancePort)
  const hint =
    'Back-end authentication needs an encrypted back-end connection: a listener whose instance protocol is HTTPS or SSL (e.g. HTTPS 443 -> HTTPS 443, `elbx create --backend-https`).'
  if (toPort.length === 0) {
    throw new InvalidInputError(
      `No listener of "${lb.name}" sends traffic to instance port ${instancePort}. Its listeners: ${list}.`,
      hint,
      {listeners: all},
    )
  }
  const secure = toPort.filter((l) => isSecure(l.instanceProtocol))
  if (secure.length === 0) {
    throw new InvalidInputError(
      `Instance port ${instancePort} of "${lb.name}" is reached over ${[...new Set(toPort.map((l) => l.instanceProtocol))].join(' and ')} (${toPort.map(formatListener).join('; ')}): back-end authentication needs the instance protocol to be HTTPS or SSL, because the load balancer can only check an instance's public key on an encrypted connection.`,
      hint,
      {listeners: all},
    )
  }
  return secure
}

export interface EnsureBackendAuthResult {
  policyName: string
  publicKeyPolicies: string[]
  status: 'created' | 'unchanged'
  /** Policies this run created (public key and authentication policies). */
  createdPolicies: string[]
  /** The back-end authentication policies that were on the port before and are no longer. */
  replacedPolicies: string[]
  /** Replaced elbx policies nothing uses any more, deleted so they do not pile up. */
  deletedPolicies: string[]
}

/**
 * Makes the instance port authenticate instances by these public keys (PublicKey attributes as
 * publicKeyFromFile returns them). A rerun with the same keys creates and sets nothing.
 * Requests: DescribeLoadBalancers (unless `loadBalancer` is given), DescribeLoadBalancerPolicies,
 * then only the writes needed.
 */
export async function ensureBackendAuthentication(
  elb: ElbGateway,
  input: {
    loadBalancerName: string
    instancePort: number
    publicKeys: string[]
    loadBalancer?: LoadBalancer
    /** The load balancer's policies, when the caller has them already (saves a request). */
    policies?: Policy[]
  },
): Promise<EnsureBackendAuthResult> {
  const keys = [...new Set(input.publicKeys)]
  if (keys.length === 0) {
    throw new InvalidInputError(
      'Back-end authentication needs at least one public key (--backend-auth-cert FILE).',
    )
  }
  const lb = input.loadBalancer ?? (await findLoadBalancer(elb, input.loadBalancerName))
  secureBackendListeners(lb, input.instancePort)
  const byName = new Map((input.policies ?? (await elb.describePolicies(lb.name))).map((p) => [p.name, p]))
  const createdPolicies: string[] = []

  const publicKeyPolicies = keys.map(publicKeyPolicyName)
  for (const [i, name] of publicKeyPolicies.entries()) {
    const existing = byName.get(name)
    if (existing) {
      expectType(lb, existing, PUBLIC_KEY_POLICY_TYPE)
      continue
    }
    await elb.createPolicy(lb.name, name, PUBLIC_KEY_POLICY_TYPE, [{name: 'PublicKey', value: keys[i]!}])
    createdPolicies.push(name)
  }
  const policyName = backendAuthPolicyName(publicKeyPolicies)
  const existingAuth = byName.get(policyName)
  if (existingAuth) expectType(lb, existingAuth, BACKEND_AUTH_POLICY_TYPE)
  else {
    await elb.createPolicy(
      lb.name,
      policyName,
      BACKEND_AUTH_POLICY_TYPE,
      publicKeyPolicies.map((value) => ({name: 'PublicKeyPolicyName', value})),
    )
    createdPolicies.push(policyName)
  }

  const onPort = lb.backendServers.find((b) => b.instancePort === input.instancePort)?.policyNames ?? []
  const authOnPort = onPort.filter((n) => isBackendAuthPolicy(n, byName))
  const replacedPolicies = authOnPort.filter((n) => n !== policyName)
  const alreadySet = authOnPort.length === 1 && authOnPort[0] === policyName
  if (!alreadySet) {
    // The set call replaces the port's whole list: keep ProxyProtocol and anything else there.
    const kept = onPort.filter((n) => !authOnPort.includes(n))
    await elb.setBackendServerPolicies(lb.name, input.instancePort, [...kept, policyName])
  }
  const deletedPolicies = await deleteUnused(
    elb,
    lb,
    input.instancePort,
    replacedPolicies,
    byName,
    publicKeyPolicies,
  )
  return {
    policyName,
    publicKeyPolicies,
    status: createdPolicies.length || !alreadySet ? 'created' : 'unchanged',
    createdPolicies,
    replacedPolicies,
    deletedPolicies,
  }
}

export function isBackendAuthPolicy(name: string, byName: Map<string, Policy>): boolean {
  const policy = byName.get(name)
  return policy
    ? policy.typeName === BACKEND_AUTH_POLICY_TYPE
    : name.startsWith(ELBX_BACKEND_AUTH_POLICY_PREFIX)
}

/** InvalidInputError when a policy elbx names after its content exists with another type. */
export function expectType(lb: Pick<LoadBalancer, 'name'>, policy: Policy, typeName: string): void {
  if (policy.typeName !== typeName) {
    throw new InvalidInputError(
      `Load balancer "${lb.name}" already has a policy named "${policy.name}" of type ${policy.typeName}, where elbx expected ${typeName}.`,
      'Delete or rename that policy (`aws elb delete-load-balancer-policy`), then run elbx again.',
    )
  }
}

const keyPolicyNamesOf = (policy: Policy | undefined) =>
  (policy?.attributes ?? []).filter((a) => a.name === 'PublicKeyPolicyName').map((a) => a.value)

/**
 * Deletes the replaced elbx authentication policies no other instance port uses, then their elbx
 * public key policies no remaining authentication policy names. AWS failures leave a policy in place.
 */
async function deleteUnused(
  elb: ElbGateway,
  lb: LoadBalancer,
  instancePort: number,
  replaced: string[],
  byName: Map<string, Policy>,
  keep: string[],
): Promise<string[]> {
  const usedElsewhere = new Set(
    lb.backendServers.filter((b) => b.instancePort !== instancePort).flatMap((b) => b.policyNames),
  )
  const deleted: string[] = []
  const tryDelete = async (name: string) => {
    try {
      await elb.deletePolicy(lb.name, name)
      deleted.push(name)
    } catch (error) {
      if (!awsErrorCode(error)) throw error
    }
  }
  const doomed = replaced.filter(
    (n) => n.startsWith(ELBX_BACKEND_AUTH_POLICY_PREFIX) && !usedElsewhere.has(n) && byName.has(n),
  )
  for (const name of doomed) await tryDelete(name)
  const stillNamed = new Set([
    ...keep,
    ...[...byName.values()]
      .filter((p) => p.typeName === BACKEND_AUTH_POLICY_TYPE && !deleted.includes(p.name))
      .flatMap(keyPolicyNamesOf),
  ])
  const orphans = [
    ...new Set(doomed.filter((n) => deleted.includes(n)).flatMap((n) => keyPolicyNamesOf(byName.get(n)))),
  ]
  for (const name of orphans) {
    if (name.startsWith(ELBX_PUBLIC_KEY_POLICY_PREFIX) && !stillNamed.has(name) && byName.has(name))
      await tryDelete(name)
  }
  return deleted
}

/** The back-end authentication in force on an instance port (for verify and --show). */
export interface BackendAuthentication {
  instancePort: number
  /** The BackendServerAuthenticationPolicyType policy on the port, if any. */
  policyName?: string
  publicKeyPolicies: {policyName: string; publicKey?: string}[]
  /** Other back-end policies on the port (ProxyProtocol and the like). */
  otherPolicies: string[]
}

/**
 * Reads which public keys the instance port authenticates instances by. One
 * DescribeLoadBalancerPolicies, none when the port has no back-end policy at all.
 */
export async function describeBackendAuthentication(
  elb: ElbGateway,
  lb: LoadBalancer,
  instancePort: number,
  options: {policies?: Map<string, Policy>} = {},
): Promise<BackendAuthentication> {
  const onPort = lb.backendServers.find((b) => b.instancePort === instancePort)?.policyNames ?? []
  if (onPort.length === 0) return {instancePort, publicKeyPolicies: [], otherPolicies: []}
  const byName = options.policies ?? new Map((await elb.describePolicies(lb.name)).map((p) => [p.name, p]))
  const auth = onPort.find((n) => isBackendAuthPolicy(n, byName))
  const keyNames = keyPolicyNamesOf(auth ? byName.get(auth) : undefined)
  return {
    instancePort,
    ...(auth ? {policyName: auth} : {}),
    publicKeyPolicies: keyNames.map((policyName) => {
      const publicKey = byName.get(policyName)?.attributes.find((a) => a.name === 'PublicKey')?.value
      return {policyName, ...(publicKey ? {publicKey} : {})}
    }),
    otherPolicies: onPort.filter((n) => n !== auth),
  }
}
