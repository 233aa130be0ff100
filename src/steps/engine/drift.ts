/**
 * A spec against what is in AWS: the engine's plan read as differences (`elbx diff`), and the plan
 * `elbx apply -f` carries out, with --prune's removals of what the spec no longer names. What
 * cannot be changed in place (scheme, network, security groups) is a difference too, which apply
 * refuses as create does.
 */
import {RuntimeError} from '../../errors.js'
import type {Listener} from '../../model.js'
import {formatListener} from '../../validate/listener.js'
import {BACKEND_AUTH_POLICY_TYPE, PUBLIC_KEY_POLICY_TYPE} from '../backend-auth.js'
import {checkObserved, loadBalancerConflicts} from './check.js'
import type {DesiredLoadBalancer} from './desired.js'
import type {Observed} from './observe.js'
import {specTags} from './spec.js'
import {STEP, planCreate, type Action, type CreatePlan} from './plan.js'

/** One way AWS differs from the spec, in words, with the request that would converge it. */
export interface Difference {
  /** What differs: "listener 443", "load balancer my-lb". */
  target: string
  /** How it differs (the plan's reason). */
  difference: string
  /** The AWS operation apply sends for it; absent where apply cannot change it in place. */
  action?: string
  /** Only --prune would remove it. */
  pruned?: boolean
}

export interface SpecPlan extends CreatePlan {
  /** What cannot be changed in place (apply refuses while there is any). */
  conflicts: string[]
  /** Actions of `actions` that only --prune adds. */
  pruned: Action[]
}

/**
 * The plan for a spec: create's plan over the settled desired state, then (with `prune`) the
 * removals of what `named` (the desired state as the spec gave it, before settling) no longer
 * names. Refuses nothing about conflicts: the caller decides (diff shows them, apply refuses).
 */
export function planSpec(
  desired: DesiredLoadBalancer,
  named: DesiredLoadBalancer,
  observed: Observed,
  options: {prune: boolean; now?: Date},
): SpecPlan {
  const lb = observed.loadBalancer
  const conflicts = lb ? loadBalancerConflicts(lb, desired, observed) : []
  // The rest of what the reads found (a certificate missing, an unknown instance) stops diff and apply alike.
  if (conflicts.length === 0) checkObserved(desired, observed, options.now)
  const plan = planCreate(desired, observed)
  const pruned = options.prune ? planPrune(named, observed, plan.actions) : []
  return {...plan, actions: [...plan.actions, ...pruned], conflicts, pruned}
}

/** The actions that remove what the spec does not name: listeners, and back-end authentication on other ports. */
export function planPrune(named: DesiredLoadBalancer, observed: Observed, planned: Action[]): Action[] {
  const lb = observed.loadBalancer
  if (!lb) return []
  const name = lb.name
  const out: Action[] = []
  const ports = new Set(named.listeners.map((l) => l.loadBalancerPort))
  const gone: Listener[] = lb.listeners
    .filter((d) => !ports.has(d.listener.loadBalancerPort))
    .map((d) => d.listener)
  if (gone.length)
    out.push({
      id: 'prune-listeners',
      step: STEP.loadBalancer,
      call: {
        operation: 'DeleteLoadBalancerListeners',
        loadBalancerName: name,
        loadBalancerPorts: gone.map((l) => l.loadBalancerPort),
      },
      target: `listener${gone.length > 1 ? 's' : ''} ${gone.map((l) => l.loadBalancerPort).join(', ')}`,
      why: `the spec does not name ${gone.map(formatListener).join(', ')} (--prune)`,
      dependsOn: [],
      interruptsTraffic: true,
      restore: [{operation: 'CreateLoadBalancerListeners', loadBalancerName: name, listeners: gone}],
    })
  const byName = new Map(observed.policies.map((p) => [p.name, p]))
  const authPorts = new Set(named.backendAuthentication.map((b) => b.instancePort))
  for (const b of lb.backendServers) {
    if (authPorts.has(b.instancePort)) continue
    const auth = b.policyNames.filter((n) => byName.get(n)?.typeName === BACKEND_AUTH_POLICY_TYPE)
    if (auth.length === 0) continue
    const id = `prune-backend-policies:${b.instancePort}`
    if (planned.some((a) => a.id === id)) continue
    out.push({
      id,
      step: STEP.backendAuth,
      call: {
        operation: 'SetLoadBalancerPoliciesForBackendServer',
        loadBalancerName: name,
        instancePort: b.instancePort,
        policyNames: b.policyNames.filter((n) => !auth.includes(n)),
      },
      target: `instance port ${b.instancePort}`,
      why: `the spec names no back-end authentication there: take ${auth.join(', ')} off (--prune)`,
      dependsOn: [],
      restore: [
        {
          operation: 'SetLoadBalancerPoliciesForBackendServer',
          loadBalancerName: name,
          instancePort: b.instancePort,
          policyNames: b.policyNames,
        },
      ],
    })
  }
  out.push(...pruneTags(named, observed))
  out.push(...prunePolicies(observed, [...planned, ...out]))
  return out
}

/** --prune: the tags the spec does not name (never elbx's run mark). */
function pruneTags(named: DesiredLoadBalancer, observed: Observed): Action[] {
  const name = observed.loadBalancer!.name
  const gone = specTags(observed.tags ?? []).filter((t) => !named.tags.some((n) => n.key === t.key))
  if (gone.length === 0) return []
  return [
    {
      id: 'prune-tags',
      step: STEP.tags,
      call: {operation: 'RemoveTags', loadBalancerName: name, keys: gone.map((t) => t.key)},
      target: `load balancer ${name}`,
      why: `the spec does not name the tag${gone.length > 1 ? 's' : ''} ${gone.map((t) => t.key).join(', ')} (--prune)`,
      dependsOn: [],
      restore: [{operation: 'AddTags', loadBalancerName: name, tags: gone}],
    },
  ]
}

const ELBX_POLICY_PREFIX = 'elbx-'

/**
 * --prune: the policies elbx made (named elbx-...) that nothing uses once the plan is applied:
 * no listener or instance port names them, nor a back-end authentication policy still in use.
 * Each is deleted after every request that takes it off; public key policies after the
 * authentication policies that name them.
 */
function prunePolicies(observed: Observed, planned: Action[]): Action[] {
  const lb = observed.loadBalancer!
  const name = lb.name
  const setOn = (operation: string, port: number) =>
    planned.find(
      (a) =>
        a.call.operation === operation &&
        ('loadBalancerPort' in a.call
          ? a.call.loadBalancerPort
          : (a.call as {instancePort?: number}).instancePort) === port,
    )?.call as {policyNames: string[]} | undefined
  const deletedPorts = new Set(
    planned.flatMap((a) =>
      a.call.operation === 'DeleteLoadBalancerListeners' && a.id === 'prune-listeners'
        ? a.call.loadBalancerPorts
        : [],
    ),
  )
  const used = new Set<string>()
  for (const d of lb.listeners) {
    const port = d.listener.loadBalancerPort
    if (deletedPorts.has(port)) continue
    for (const n of setOn('SetLoadBalancerPoliciesOfListener', port)?.policyNames ?? d.policyNames)
      used.add(n)
  }
  for (const a of planned)
    if (
      a.call.operation === 'SetLoadBalancerPoliciesOfListener' ||
      a.call.operation === 'SetLoadBalancerPoliciesForBackendServer'
    )
      for (const n of a.call.policyNames) used.add(n)
  for (const b of lb.backendServers) {
    const after = planned
      .filter(
        (a) =>
          a.call.operation === 'SetLoadBalancerPoliciesForBackendServer' &&
          a.call.instancePort === b.instancePort,
      )
      .at(-1)?.call as {policyNames: string[]} | undefined
    for (const n of after?.policyNames ?? b.policyNames) used.add(n)
  }
  const byName = new Map(observed.policies.map((p) => [p.name, p]))
  for (const n of [...used])
    for (const a of byName.get(n)?.attributes ?? []) if (a.name === 'PublicKeyPolicyName') used.add(a.value)
  const doomed = observed.policies.filter((p) => p.name.startsWith(ELBX_POLICY_PREFIX) && !used.has(p.name))
  const takesOff = planned
    .filter((a) =>
      [
        'SetLoadBalancerPoliciesOfListener',
        'SetLoadBalancerPoliciesForBackendServer',
        'DeleteLoadBalancerListeners',
      ].includes(a.call.operation),
    )
    .map((a) => a.id)
  const authIds = doomed
    .filter((p) => p.typeName === BACKEND_AUTH_POLICY_TYPE)
    .map((p) => `prune-policy:${p.name}`)
  return doomed.map((p) => ({
    id: `prune-policy:${p.name}`,
    step:
      p.typeName === BACKEND_AUTH_POLICY_TYPE || p.typeName === PUBLIC_KEY_POLICY_TYPE
        ? STEP.backendAuth
        : STEP.sslPolicy,
    call: {operation: 'DeleteLoadBalancerPolicy' as const, loadBalancerName: name, policyName: p.name},
    target: `policy ${p.name} (${p.typeName})`,
    why: 'elbx made it and nothing uses it once the spec is applied (--prune)',
    dependsOn: [...takesOff, ...(p.typeName === PUBLIC_KEY_POLICY_TYPE ? authIds : [])],
  }))
}

/** The plan as differences: the conflicts first (no action can fix them in place), then each action. */
export function differences(plan: SpecPlan, observed: Observed, name: string): Difference[] {
  const out: Difference[] = plan.conflicts.map((c) => ({target: `load balancer ${name}`, difference: c}))
  const pruned = new Set(plan.pruned.map((a) => a.id))
  for (const a of plan.actions)
    out.push({
      target: a.target,
      difference: a.why,
      action: a.call.operation,
      ...(pruned.has(a.id) ? {pruned: true} : {}),
    })
  if (!observed.loadBalancer && out.length === 0)
    out.push({target: `load balancer ${name}`, difference: `does not exist in ${observed.region}`})
  return out
}

/** apply refuses what only deleting the load balancer could change, as create does on an existing one. */
export function refuseConflicts(plan: SpecPlan, name: string): void {
  if (plan.conflicts.length === 0) return
  throw new RuntimeError(
    `Load balancer ${name} differs from the spec in what cannot be changed in place: ${plan.conflicts.join('; ')}.`,
    'Change the spec to match it, or `elbx destroy --name ' + name + '` first and apply again.',
    {differences: plan.conflicts},
  )
}
