/**
 * `elbx create` on the engine, as the task list shows it: one task reads the account (observe,
 * check, plan); after the command has shown and confirmed the plan, the plan is applied as one
 * dependency graph while each step's task reports its own actions in the AWS guide's order; then
 * waiting and verifying, which only watch.
 */
import type {Gateways} from '../../aws/gateways.js'
import type {InstanceHealth} from '../../model.js'
import type {Task} from '../../ui/tasks.js'
import {formatPortRange} from '../security-group.js'
import type {Clock} from '../retry.js'
import type {Rollback} from '../rollback.js'
import {runVerification, type VerifyReport} from '../verify/index.js'
import {waitForInService, type WaitResult} from '../wait-for-in-service.js'
import {ApplyFailure, applyPlan, type AppliedPlan} from './apply.js'
import {checkObserved} from './check.js'
import type {DesiredLoadBalancer} from './desired.js'
import {observe, type Observed} from './observe.js'
import {PENDING, STEP, planCreate, type Action, type CreatePlan, type Step} from './plan.js'

/** State shared by create's tasks. */
export interface CreateRun {
  desired: DesiredLoadBalancer
  gateways: Gateways
  rollback: Rollback
  signal?: AbortSignal
  clock?: Clock
  observed?: Observed
  plan?: CreatePlan
  /** Settles when the whole plan has been applied (or has stopped). */
  applying?: Promise<AppliedPlan>
  applied?: AppliedPlan
  /** Each action's answer as it comes: certificate ARN, group ID, DNS name. */
  outputs: Map<string, string>
  wait?: WaitResult
  verification?: VerifyReport
  waitFor?: {mode: 'any' | 'all' | 'none'; timeoutMs: number}
  verify?: {connectTo: Parameters<typeof runVerification>[1]['connectTo']; insecure: boolean}
  /** Live instance states while waiting (the task list shows them). */
  onInstanceChange?: (states: InstanceHealth[]) => void
}

/** A value an earlier task must have set; its absence is a bug in the task order, not user input. */
export const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`internal: ${what} is not known yet`)
  return value
}

/** Replaces a pending value (an uploaded certificate's ARN, a new group's ID) with what AWS answered. */
export function answered(value: string, run: Pick<CreateRun, 'outputs'>): string {
  const m = PENDING.exec(value)
  return m ? (run.outputs.get(m[1]!) ?? value) : value
}

/** Reads the account (every read before any write), refuses what cannot be done, and plans. */
export const observeTask: Task<CreateRun> = {
  title: 'Resolve network',
  async run(run) {
    const observed = await observe(run.gateways, run.desired)
    run.observed = observed
    checkObserved(run.desired, observed)
    run.plan = planCreate(run.desired, observed)
    const network = observed.network
    const where = network.subnets.length
      ? network.subnets.map((s, i) => `${s} (${network.availabilityZones[i]})`).join(', ')
      : network.availabilityZones.join(', ')
    const place = network.defaultVpc
      ? `default VPC ${network.vpcId}: ${where}`
      : network.vpcId
        ? `${network.vpcId}: ${where}`
        : where
    const lb = observed.loadBalancer
    const changes = run.plan.actions.length
    return lb
      ? `${place}; ${lb.name} exists, ${changes ? `${changes} change(s) planned` : 'nothing to change'}`
      : place
  },
}

/**
 * Starts applying the plan (all of it, as a dependency graph). The step tasks that follow each
 * wait for their own actions, so the list reports in the guide's order while requests overlap.
 */
export function startApply(run: CreateRun): void {
  const plan = need(run.plan, 'the plan')
  const settled = new Map<
    string,
    {resolve: () => void; reject: (e: unknown) => void; promise: Promise<void>}
  >()
  for (const action of plan.actions) {
    let resolve!: () => void
    let reject!: (e: unknown) => void
    const promise = new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    })
    // A step that never looks (it failed earlier) must not leave an unhandled rejection behind.
    promise.catch(() => {})
    settled.set(action.id, {resolve, reject, promise})
  }
  run.applying = applyPlan(plan.actions, {
    gateways: run.gateways,
    desired: run.desired,
    rollback: run.rollback,
    runMark: run.rollback.mark,
    ...(run.signal ? {signal: run.signal} : {}),
    ...(run.clock ? {clock: run.clock} : {}),
    outputs: run.outputs,
    onDone: (action) => settled.get(action.id)!.resolve(),
  }).then(
    (applied) => {
      run.applied = applied
      return applied
    },
    (failure: unknown) => {
      const error = failure instanceof ApplyFailure ? failure.error : failure
      if (failure instanceof ApplyFailure) run.applied = failure.applied
      for (const s of settled.values()) s.reject(error)
      throw error
    },
  )
  // The tasks (or runCreate) report the failure; this keeps Node from calling it unhandled meanwhile.
  run.applying.catch(() => {})
  stepWaits.set(run, settled)
}

const stepWaits = new WeakMap<CreateRun, Map<string, {promise: Promise<void>}>>()

/** Waits until every action of the step has succeeded; throws the apply's failure otherwise. */
async function stepDone(run: CreateRun, step: Step): Promise<Action[]> {
  const actions = need(run.plan, 'the plan').actions.filter((a) => a.step === step)
  const waits = need(stepWaits.get(run), 'the apply')
  await Promise.all(actions.map((a) => waits.get(a.id)!.promise))
  return actions
}

const ops = (actions: Action[]) => new Set(actions.map((a) => a.call.operation))

/** The step tasks, in the AWS guide's order, each reporting what its actions did (or that nothing was needed). */
export function applyTasks(): Task<CreateRun>[] {
  return [
    {
      title: STEP.certificate,
      skip: (run) => (run.desired.certificate?.kind === 'upload' ? false : 'no certificate files given'),
      async run(run) {
        const done = await stepDone(run, STEP.certificate)
        const name = run.plan!.outcome.certificate?.name
        return done.length ? `uploaded ${name}` : `unchanged (${name} already in IAM)`
      },
    },
    {
      title: STEP.securityGroup,
      skip: (run) => {
        const sg = run.plan?.outcome.securityGroup
        if (sg?.given) return `using ${run.desired.securityGroups.join(', ')}`
        if (!sg)
          return run.observed?.network.vpcId
            ? "kept the load balancer's groups"
            : 'no VPC given (Availability Zones only)'
        return false
      },
      async run(run) {
        await stepDone(run, STEP.securityGroup)
        const sg = run.plan!.outcome.securityGroup!
        const groupId = answered(sg.groupId, run)
        const ports = [...new Set(sg.added.map(formatPortRange))].join(', ')
        if (sg.created)
          return `created ${groupId} (inbound TCP ${ports} from ${run.desired.ingressCidrs.join(', ')})`
        return sg.added.length ? `${groupId}: opened TCP ${ports}` : `unchanged (${groupId})`
      },
    },
    {
      title: STEP.loadBalancer,
      async run(run) {
        const done = await stepDone(run, STEP.loadBalancer)
        if (ops(done).has('CreateLoadBalancer')) return `created ${dnsNameOf(run)}`
        const changes = run.plan!.outcome.listenerChanges
        return changes.length ? `listeners ${changes.join(', ')}` : `unchanged (${dnsNameOf(run)})`
      },
    },
    {
      title: STEP.sslPolicy,
      skip: (run) => (run.desired.sslPolicies.length ? false : 'no HTTPS or SSL listener'),
      async run(run) {
        await stepDone(run, STEP.sslPolicy)
        const policies = run.plan!.outcome.sslPolicies
        const first = policies[0]!
        const what = first.spec.kind === 'predefined' ? first.spec.name : 'custom policy'
        const outcomes = policies.map((p) => `${p.loadBalancerPort}: ${p.policyName} ${p.status}`)
        return `${what}${first.isDefault ? " (elbx's default, the latest predefined policy)" : ''}; ${outcomes.join(', ')}`
      },
    },
    {
      title: STEP.backendAuth,
      skip: (run) => (run.desired.backendAuthentication.length ? false : 'no --backend-auth-cert given'),
      async run(run) {
        await stepDone(run, STEP.backendAuth)
        const keys = run.desired.backendAuthentication[0]!.publicKeys.length
        const outcomes = run.plan!.outcome.backendAuthentication.map(
          (b) => `port ${b.instancePort}: ${b.policyName} ${b.status}`,
        )
        return `${keys} key(s); ${outcomes.join(', ')}`
      },
    },
    {
      title: STEP.healthCheck,
      skip: (run) =>
        Object.keys(run.desired.healthCheck).length ? false : "no --health-check given (AWS's default stays)",
      async run(run) {
        await stepDone(run, STEP.healthCheck)
        const {healthCheck: hc, changed} = run.plan!.outcome.healthCheck!
        const text = `${hc.target} every ${hc.interval} s, timeout ${hc.timeout} s, healthy ${hc.healthyThreshold}, unhealthy ${hc.unhealthyThreshold}`
        return changed ? text : `unchanged (${text})`
      },
    },
    {
      title: STEP.attributes,
      async run(run) {
        const done = await stepDone(run, STEP.attributes)
        const changed = run.plan!.outcome.attributeChanges
        return done.length ? `set ${changed.join(', ')}` : 'unchanged'
      },
    },
    {
      title: STEP.tags,
      async run(run) {
        await stepDone(run, STEP.tags)
        const {addedTags} = run.plan!.outcome
        const text = (tags: {key: string; value: string}[]) =>
          tags.map((t) => `${t.key}=${t.value}`).join(', ')
        if (run.desired.tags.length === 0) return 'none given'
        if (!run.plan!.outcome.existing) return `set ${text(run.desired.tags)}`
        return addedTags.length ? `added ${text(addedTags)}` : 'unchanged'
      },
    },
    {
      title: STEP.register,
      skip: (run) => (run.desired.instances.length ? false : 'no --instances given'),
      async run(run) {
        await stepDone(run, STEP.register)
        const {registered} = run.plan!.outcome
        // Every task has seen its actions succeed: the whole plan is applied.
        await run.applying
        return registered.length ? `registered ${registered.join(', ')}` : 'unchanged (already registered)'
      },
    },
  ]
}

/** The load balancer's DNS name: from CreateLoadBalancer's answer, or its description. */
export function dnsNameOf(run: CreateRun): string {
  return run.outputs.get('create-load-balancer') ?? run.observed?.loadBalancer?.dnsName ?? ''
}

/** Waiting and verifying: they only watch, so what they find never undoes the load balancer. */
export function watchTasks(): Task<CreateRun>[] {
  return [
    {
      title: 'Wait for InService',
      skip: (run) =>
        run.waitFor?.mode === 'none' || run.desired.instances.length === 0
          ? 'not waiting (--wait none)'
          : false,
      async run(run, progress) {
        const interval =
          run.plan?.outcome.healthCheck?.healthCheck.interval ??
          run.observed?.loadBalancer?.healthCheck?.interval
        run.wait = await waitForInService(run.gateways.elb, {
          loadBalancerName: run.desired.name,
          instanceIds: run.desired.instances,
          mode: run.waitFor?.mode === 'all' ? 'all' : 'any',
          timeoutMs: need(run.waitFor, 'the wait').timeoutMs,
          ...(interval ? {healthCheckIntervalSec: interval} : {}),
          ...(run.signal ? {signal: run.signal} : {}),
          ...(run.clock ? {clock: run.clock} : {}),
          onChange: (states) => {
            progress(
              states
                .map(
                  (s) =>
                    `${s.instanceId} ${s.state}${s.description && s.description !== 'N/A' ? ` (${s.description})` : ''}`,
                )
                .join('; '),
            )
            run.onInstanceChange?.(states)
          },
        })
        const inService = run.wait.states.filter((s) => s.state === 'InService').length
        return `${inService} of ${run.wait.states.length} InService after ${Math.round(run.wait.elapsedMs / 1000)} s`
      },
    },
    {
      title: 'Verify',
      skip: (run) => (run.verify ? false : 'not asked (--verify)'),
      async run(run, progress) {
        const verify = need(run.verify, '--verify')
        run.verification = await runVerification(
          {elb: run.gateways.elb},
          {
            loadBalancerName: run.desired.name,
            // The wait step already waited; verify only looks.
            waitTimeoutMs: Math.max(1000, need(run.waitFor, 'the wait').timeoutMs),
            all: run.waitFor?.mode === 'all',
            connectTo: verify.connectTo,
            insecure: verify.insecure,
            ...(run.signal ? {signal: run.signal} : {}),
            onProgress: progress,
          },
        )
        const {counts} = run.verification
        return `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warnings, ${counts.skip} skipped`
      },
    },
  ]
}
