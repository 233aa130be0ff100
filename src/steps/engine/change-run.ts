/**
 * How a day-two command (cert rotate, listener add/remove) applies its plan to a load balancer
 * that exists: step by step, in the plan's order, each step's actions as one dependency graph; the
 * changes made in place are kept with the requests that undo them, so a failure (or a verification
 * that fails) puts the previous values back before the rollback deletes what the run created.
 */
import {toStepError} from '../../aws/errors.js'
import type {Gateways} from '../../aws/gateways.js'
import type {Task} from '../../ui/tasks.js'
import type {Clock} from '../retry.js'
import type {Rollback} from '../rollback.js'
import {ApplyFailure, applyPlan} from './apply.js'
import type {DesiredLoadBalancer} from './desired.js'
import type {Action, Step} from './plan.js'

/** What a change's steps share while it is applied. */
export interface ChangeRun {
  gateways: Gateways
  /** The certificate files' contents (an upload) live here, not in the plan. */
  desired: Pick<DesiredLoadBalancer, 'certificate'>
  rollback: Rollback
  signal?: AbortSignal
  clock?: Clock
  /** Each action's answer (the uploaded certificate's ARN) as it comes. */
  outputs: Map<string, string>
  /** Actions that succeeded, in order. */
  done: Action[]
  /** Changes made in place, oldest first, with the requests that undo them. */
  changedInPlace: Action[]
}

export function newChangeRun(
  gateways: Gateways,
  desired: ChangeRun['desired'],
  rollback: Rollback,
  options: {signal?: AbortSignal; clock?: Clock} = {},
): ChangeRun {
  return {
    gateways,
    desired,
    rollback,
    ...(options.signal ? {signal: options.signal} : {}),
    ...(options.clock ? {clock: options.clock} : {}),
    outputs: new Map(),
    done: [],
    changedInPlace: [],
  }
}

/**
 * Applies some of a plan's actions. Dependencies on actions outside `actions` have succeeded
 * already (the earlier steps ran first), so only those inside count. The first failure is thrown,
 * naming its step, once the requests in flight have settled.
 */
export async function applyPart(actions: Action[], run: ChangeRun): Promise<void> {
  const ids = new Set(actions.map((a) => a.id))
  const local = actions.map((a) => ({...a, dependsOn: a.dependsOn.filter((d) => ids.has(d))}))
  const record = (applied: {done: Action[]; changedInPlace: Action[]}) => {
    run.done.push(...applied.done)
    run.changedInPlace.push(...applied.changedInPlace)
  }
  try {
    record(
      await applyPlan(local, {
        gateways: run.gateways,
        desired: run.desired,
        rollback: run.rollback,
        runMark: run.rollback.mark,
        outputs: run.outputs,
        ...(run.signal ? {signal: run.signal} : {}),
        ...(run.clock ? {clock: run.clock} : {}),
      }),
    )
  } catch (failure) {
    if (!(failure instanceof ApplyFailure)) throw failure
    record(failure.applied)
    throw failure.error
  }
}

/** The steps of a plan in the order their first action appears. */
export function stepsOf(actions: Action[]): Step[] {
  return [...new Set(actions.map((a) => a.step))]
}

/**
 * One task per step of `actions`, each applying that step's actions; `outcome` words what it did
 * for the task list ("listener 443 of web: swapped").
 */
export function changeTasks(
  actions: Action[],
  outcome: (step: Step, actions: Action[]) => string,
): Task<ChangeRun>[] {
  return stepsOf(actions).map((step) => ({
    title: step,
    async run(run) {
      const mine = actions.filter((a) => a.step === step)
      await applyPart(mine, run)
      return outcome(step, mine)
    },
  }))
}

/** What putting the in-place changes back did. */
export interface RestoreReport {
  restored: Action[]
  failed: {action: Action; message: string}[]
}

/**
 * Puts back what the run changed in place, newest change first, one request at a time (it runs
 * after a failure or Ctrl-C, so it watches no signal). Keeps going past a failed request: each one
 * is reported with its message.
 */
export async function restoreInPlace(run: ChangeRun): Promise<RestoreReport> {
  const report: RestoreReport = {restored: [], failed: []}
  const changed = [...run.changedInPlace].reverse()
  run.changedInPlace = []
  for (const action of changed) {
    const undo: Action[] = (action.restore ?? []).map((call, i) => ({
      id: `restore:${action.id}:${i}`,
      step: action.step,
      call,
      target: action.target,
      why: 'put back the previous value',
      dependsOn: i ? [`restore:${action.id}:${i - 1}`] : [],
    }))
    try {
      await applyPlan(undo, {
        gateways: run.gateways,
        // The previous values are in place already: nothing of them waits for IAM to propagate.
        desired: {},
        rollback: run.rollback,
        ...(run.clock ? {clock: run.clock} : {}),
      })
      report.restored.push(action)
    } catch (failure) {
      const error = failure instanceof ApplyFailure ? failure.error : failure
      report.failed.push({action, message: toStepError(`Restore ${action.target}`, error).message})
    }
  }
  return report
}
