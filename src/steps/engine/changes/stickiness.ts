/**
 * Session stickiness on one listener (never every listener, as Ansible does): a duration-based
 * (the load balancer's AWSELB cookie) or application-controlled (follows the application's cookie)
 * stickiness policy, or none. Only the listener's stickiness policy is swapped: SetLoadBalancerPoliciesOfListener
 * replaces the whole list (aws-cli#2587), so the list sent is the observed one with the stickiness
 * policy exchanged, and the listener's SSL negotiation policy and every other policy stay.
 */
import {InvalidInputError} from '../../../errors.js'
import type {ListenerDescription, LoadBalancer, StickinessPolicy} from '../../../model.js'
import {formatListener} from '../../../validate/listener.js'
import type {Stickiness} from '../../../validate/stickiness.js'
import {contentHash} from '../../content-hash.js'
import type {ChangePlan, ObservedExisting} from '../change-flow.js'
import {STEP, type Action, type Call} from '../plan.js'

/** The stickiness policy in force on a listener, as read back from AWS. */
export type ListenerStickiness = StickinessPolicy

export interface StickinessState {
  loadBalancerPort: number
  listener: string
  /** Null when the listener is not sticky. */
  stickiness: ListenerStickiness | null
  /** The listener's whole policy list once the plan is applied. */
  policyNames: string[]
}

/**
 * The policy name elbx gives a stickiness setting, derived from it so that a rerun reuses the
 * policy: elbx-lb-cookie-300, elbx-lb-cookie-session, elbx-app-cookie-<hash of the cookie name>
 * (cookie names may hold characters policy names may not).
 */
/** Names of the stickiness policies elbx makes start with one of these (only those does it delete). */
export const ELBX_STICKINESS_PREFIXES = ['elbx-lb-cookie-', 'elbx-app-cookie-']

export function stickinessPolicyName(s: Exclude<Stickiness, {kind: 'off'}>): string {
  if (s.kind === 'app-cookie') return `elbx-app-cookie-${contentHash(s.cookieName)}`
  return `elbx-lb-cookie-${s.cookieExpirationPeriod ?? 'session'}`
}

/**
 * A policy of the load balancer read as a stickiness setting (undefined: it is none). DescribeLoadBalancers
 * reports every stickiness policy with its setting (DescribeLoadBalancerPolicies need not: moto does not).
 */
export function readStickiness(policyName: string, lb: LoadBalancer): ListenerStickiness | undefined {
  const found = lb.stickinessPolicies?.find((p) => p.policyName === policyName)
  if (found) return found
  // A description without the settings still names the policies by kind.
  if (lb.policies.lbCookieStickiness.includes(policyName)) return {kind: 'lb-cookie', policyName}
  if (lb.policies.appCookieStickiness.includes(policyName))
    return {kind: 'app-cookie', policyName, cookieName: ''}
  return undefined
}

const sameStickiness = (have: ListenerStickiness | undefined, want: Stickiness) =>
  have !== undefined &&
  have.kind === want.kind &&
  (have.kind === 'lb-cookie'
    ? have.cookieExpirationPeriod === (want as {cookieExpirationPeriod?: number}).cookieExpirationPeriod
    : have.cookieName === (want as {cookieName: string}).cookieName)

/** "lb-cookie 300 s", "lb-cookie (browser session)", "app-cookie JSESSIONID", "off". */
export function describeStickiness(s: Stickiness | ListenerStickiness | null): string {
  if (!s || s.kind === 'off') return 'off'
  if (s.kind === 'app-cookie') return `app-cookie ${s.cookieName}`
  return `lb-cookie ${s.cookieExpirationPeriod === undefined ? '(browser session)' : `${s.cookieExpirationPeriod} s`}`
}

/**
 * The listener on a port, refused unless stickiness can work there: AWS allows stickiness policies
 * on HTTP and HTTPS listeners only (a TCP or SSL listener does not see cookies).
 */
function httpListener(lb: LoadBalancer, port: number): ListenerDescription {
  const found = lb.listeners.find((d) => d.listener.loadBalancerPort === port)
  const list = lb.listeners.map((d) => formatListener(d.listener)).join('; ') || 'none'
  if (!found)
    throw new InvalidInputError(
      `Load balancer "${lb.name}" has no listener on port ${port}. Its listeners: ${list}.`,
      'Pass --port with the load balancer port of an HTTP or HTTPS listener.',
    )
  if (found.listener.protocol !== 'HTTP' && found.listener.protocol !== 'HTTPS')
    throw new InvalidInputError(
      `The listener on port ${port} of "${lb.name}" is ${formatListener(found.listener)}: AWS allows stickiness only on HTTP and HTTPS listeners. Its listeners: ${list}.`,
      'Pass --port with the load balancer port of an HTTP or HTTPS listener (proxy protocol is the TCP/SSL way to keep the client address: `elbx policy proxy-protocol`).',
    )
  return found
}

/**
 * The plan for `elbx policy stickiness`: create the stickiness policy unless the load balancer has
 * it, then set the listener's policy list to what it was with the stickiness policy exchanged.
 * Nothing when the listener already has exactly that stickiness (under any policy name).
 */
export function planStickiness(
  want: {loadBalancerPort: number; stickiness: Stickiness},
  observed: ObservedExisting,
): ChangePlan<StickinessState> {
  const lb = observed.loadBalancer
  const name = lb.name
  const port = want.loadBalancerPort
  const listener = httpListener(lb, port)
  const before = listener.policyNames
  const sticky = before
    .map((n) => readStickiness(n, lb))
    .filter((s): s is ListenerStickiness => s !== undefined)
  const kept = before.filter((n) => !sticky.some((s) => s.policyName === n))
  const state = (stickiness: ListenerStickiness | null, policyNames: string[]): StickinessState => ({
    loadBalancerPort: port,
    listener: formatListener(listener.listener),
    stickiness,
    policyNames,
  })
  const unchanged = (stickiness: ListenerStickiness | null) => ({
    actions: [],
    state: state(stickiness, before),
    changes: [],
    warnings: [],
  })

  if (want.stickiness.kind === 'off') {
    if (sticky.length === 0) return unchanged(null)
    const set = setListenerPolicies(
      name,
      port,
      kept,
      before,
      `remove ${sticky.map((s) => s.policyName).join(', ')}`,
    )
    return {
      actions: [set, ...deleteUnused(lb, port, sticky, set.id)],
      state: state(null, kept),
      changes: [`listener ${port}: stickiness off (was ${sticky.map(describeStickiness).join(', ')})`],
      warnings: [],
    }
  }
  const wanted = want.stickiness
  if (sticky.length === 1 && sameStickiness(sticky[0], wanted)) return unchanged(sticky[0]!)

  const policyName = stickinessPolicyName(wanted)
  const result: ListenerStickiness =
    wanted.kind === 'lb-cookie'
      ? {kind: 'lb-cookie', policyName, ...periodOf(wanted)}
      : {kind: 'app-cookie', policyName, cookieName: wanted.cookieName}
  const actions: Action[] = []
  const existing = readStickiness(policyName, lb)
  if (existing || lb.policies.other.includes(policyName)) {
    if (!sameStickiness(existing, wanted))
      throw new InvalidInputError(
        `Load balancer "${name}" already has a policy named "${policyName}" with other settings (${existing ? describeStickiness(existing) : 'not a stickiness policy'}); AWS policies cannot be changed in place.`,
        `Delete it (aws elb delete-load-balancer-policy --load-balancer-name ${name} --policy-name ${policyName}) once no listener uses it, then run elbx again.`,
      )
  } else
    actions.push({
      id: `create-policy:${policyName}`,
      step: STEP.stickiness,
      call: createStickinessPolicy(name, result),
      target: `policy ${policyName}`,
      why: `stickiness ${describeStickiness(wanted)}`,
      dependsOn: [],
    })
  const after = [...kept, policyName]
  const set = setListenerPolicies(
    name,
    port,
    after,
    before,
    `stickiness ${describeStickiness(wanted)} by ${policyName}${sticky.length ? ` instead of ${sticky.map((s) => s.policyName).join(', ')}` : ''}`,
  )
  set.dependsOn = actions.map((a) => a.id)
  actions.push(set)
  actions.push(
    ...deleteUnused(
      lb,
      port,
      sticky.filter((p) => p.policyName !== policyName),
      set.id,
    ),
  )
  return {
    actions,
    state: state(result, after),
    changes: [
      `listener ${port}: stickiness ${describeStickiness(wanted)}${sticky.length ? ` (was ${sticky.map(describeStickiness).join(', ')})` : ''}`,
    ],
    warnings: [],
  }
}

const periodOf = (s: {cookieExpirationPeriod?: number}) =>
  s.cookieExpirationPeriod !== undefined ? {cookieExpirationPeriod: s.cookieExpirationPeriod} : {}

/** The request that creates a stickiness policy (also what puts a deleted one back). */
function createStickinessPolicy(loadBalancerName: string, p: ListenerStickiness): Call {
  return p.kind === 'lb-cookie'
    ? {
        operation: 'CreateLBCookieStickinessPolicy',
        loadBalancerName,
        policyName: p.policyName,
        ...periodOf(p),
      }
    : {
        operation: 'CreateAppCookieStickinessPolicy',
        loadBalancerName,
        policyName: p.policyName,
        cookieName: p.cookieName,
      }
}

/**
 * DeleteLoadBalancerPolicy for the stickiness policies elbx made that the listener no longer uses and
 * no other listener does: policies cannot change, so each setting is a policy, and they would pile
 * up into TooManyPolicies. Another tool's policies stay. Each deletion's restore creates it again.
 */
function deleteUnused(
  lb: LoadBalancer,
  port: number,
  replaced: ListenerStickiness[],
  after: string,
): Action[] {
  return replaced
    .filter((p) => ELBX_STICKINESS_PREFIXES.some((prefix) => p.policyName.startsWith(prefix)))
    .filter((p) => p.kind === 'lb-cookie' || p.cookieName)
    .filter(
      (p) =>
        !lb.listeners.some(
          (d) => d.listener.loadBalancerPort !== port && d.policyNames.includes(p.policyName),
        ),
    )
    .map((p) => ({
      id: `delete-policy:${p.policyName}`,
      step: STEP.stickiness,
      call: {operation: 'DeleteLoadBalancerPolicy', loadBalancerName: lb.name, policyName: p.policyName},
      target: `policy ${p.policyName}`,
      why: 'elbx made it and no listener uses it any more',
      dependsOn: [after],
      restore: [createStickinessPolicy(lb.name, p)],
    }))
}

/** SetLoadBalancerPoliciesOfListener with the whole list, and the request that sets the previous list back. */
export function setListenerPolicies(
  loadBalancerName: string,
  loadBalancerPort: number,
  policyNames: string[],
  before: string[],
  why: string,
): Action {
  const kept = policyNames.filter((n) => before.includes(n))
  return {
    id: `set-listener-policies:${loadBalancerPort}`,
    step: STEP.stickiness,
    call: {operation: 'SetLoadBalancerPoliciesOfListener', loadBalancerName, loadBalancerPort, policyNames},
    target: `listener ${loadBalancerPort}`,
    why: `${why}${kept.length ? `; keeping ${kept.join(', ')}` : ''}`,
    dependsOn: [],
    restore: [
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName,
        loadBalancerPort,
        policyNames: before,
      },
    ],
  }
}
