/**
 * A change to a load balancer that exists (stickiness, proxy protocol, attributes, tags...), on the
 * same engine as create: observeExisting() makes every read the change needs in one round before any
 * write, a change kind's plan function turns (request, observed) into actions, and applyChange()
 * runs them as a dependency graph. A failure undoes what the run did: policies it created are
 * deleted and settings it changed in place are put back (their `restore` requests), newest first.
 */
import type {PlannedRequest} from '../../aws/dry-run.js'
import type {Gateways} from '../../aws/gateways.js'
import type {LoadBalancer, LoadBalancerAttributes, Policy, Tag} from '../../model.js'
import {findLoadBalancer} from '../find-load-balancer.js'
import {Rollback} from '../rollback.js'
import {applyInOrder, applyPlan, type AppliedPlan} from './apply.js'
import type {DesiredLoadBalancer} from './desired.js'
import {DEFAULT_CONCURRENCY, limitConcurrency} from './limit.js'
import type {Action, Call, Step} from './plan.js'
import {restoreRequest} from './render.js'

/** Which of the load balancer's parts a change reads besides its description. */
export interface ExistingReads {
  policies?: boolean
  attributes?: boolean
  tags?: boolean
}

/** The load balancer as a change found it. */
export interface ObservedExisting {
  region: string
  loadBalancer: LoadBalancer
  /** Its own policies (empty unless read). */
  policies: Policy[]
  attributes?: LoadBalancerAttributes
  tags?: Tag[]
}

/** What a change kind's plan function returns. */
export interface ChangePlan<State> {
  /** Empty when the load balancer is already as asked. */
  actions: Action[]
  /** The part of the load balancer the change is about, as it is once the plan is applied. */
  state: State
  /** What the plan changes, in words ("listener 443: stickiness lb-cookie 300 s"); empty when nothing. */
  changes: string[]
  warnings: string[]
}

/**
 * Reads the load balancer and what the change needs of it, all in one round. A load balancer that
 * does not exist is LoadBalancerNotFound (exit 1) whatever the other reads answered.
 */
export async function observeExisting(
  gateways: Gateways,
  name: string,
  reads: ExistingReads,
  options: {concurrency?: number} = {},
): Promise<ObservedExisting> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const {elb} = gateways
  const [lb, policies, attributes, tags] = await Promise.allSettled([
    run(() => findLoadBalancer(elb, name)),
    reads.policies ? run(() => elb.describePolicies(name)) : Promise.resolve([]),
    reads.attributes ? run(() => elb.describeAttributes(name)) : Promise.resolve(undefined),
    reads.tags ? run(() => elb.describeTags(name)) : Promise.resolve(undefined),
  ])
  // The load balancer's absence explains the other reads' LoadBalancerNotFound: report it first.
  const value = <T>(r: PromiseSettledResult<T>): T => {
    if (r.status === 'rejected') throw r.reason
    return r.value
  }
  const loadBalancer = value(lb)
  const a = value(attributes)
  const t = value(tags)
  return {
    region: gateways.region,
    loadBalancer,
    policies: value(policies),
    ...(a ? {attributes: a} : {}),
    ...(t ? {tags: t} : {}),
  }
}

/** Operations that create a policy of the load balancer (deleted again when the run is undone). */
const CREATES_POLICY = new Set<Call['operation']>([
  'CreateLoadBalancerPolicy',
  'CreateLBCookieStickinessPolicy',
  'CreateAppCookieStickinessPolicy',
])

export interface ApplyChangeOptions {
  gateways: Gateways
  rollback: Rollback
  /** The exact aws CLI command for a request (printed for whatever a failed undo leaves behind). */
  commandFor: (request: PlannedRequest) => string
  signal?: AbortSignal
  /** The certificate files an upload in the plan sends. */
  desired?: Pick<DesiredLoadBalancer, 'certificate'>
}

/**
 * Applies a change's plan, recording in `rollback` as each action succeeds how to undo it: a
 * created policy is deleted, a setting changed in place is set back. The caller runs the plan
 * under runWithRollback, which undoes newest first (a listener's policies before the policy).
 */
export async function applyChange(actions: Action[], options: ApplyChangeOptions): Promise<AppliedPlan> {
  const {gateways, rollback} = options
  const rank = new Map(actions.map((a, i) => [a.id, i]))
  const send = (step: Step, calls: Call[]) =>
    applyInOrder(
      calls.map((call, i) => ({id: `undo-${i}`, step, call, target: '', why: 'undo', dependsOn: []})),
      {gateways, desired: {}, rollback: new Rollback()},
    ).then(() => undefined)
  const commands = (calls: Call[]) =>
    calls.map((c) => `${options.commandFor(restoreRequest(c))} --region ${gateways.region}`).join(' && ')
  return applyPlan(actions, {
    gateways,
    desired: options.desired ?? {},
    rollback,
    ...(options.signal ? {signal: options.signal} : {}),
    onDone: (action) => {
      const {call} = action
      if (CREATES_POLICY.has(call.operation) && 'policyName' in call) {
        const undo: Call = {
          operation: 'DeleteLoadBalancerPolicy',
          loadBalancerName: call.loadBalancerName,
          policyName: call.policyName,
        }
        rollback.record(
          {
            kind: 'policy',
            id: call.policyName,
            remove: () => send(action.step, [undo]),
            removeCommand: commands([undo]),
          },
          rank.get(action.id),
        )
      } else if (action.restore?.length) {
        const restore = action.restore
        rollback.record(
          {
            kind: 'change to',
            id: action.target,
            remove: () => send(action.step, restore),
            removeCommand: commands(restore),
          },
          rank.get(action.id),
        )
      }
    },
  })
}
