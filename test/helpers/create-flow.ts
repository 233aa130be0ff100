/** `elbx create` as the command drives the engine, without the command: for step and integration tests. */
import type {Gateways} from '../../src/aws/gateways.js'
import {
  applyTasks,
  observeTask,
  startApply,
  watchTasks,
  type CreateRun,
} from '../../src/steps/engine/create-flow.js'
import {checkDesired, desiredFromCreate} from '../../src/steps/engine/desired.js'
import type {Clock} from '../../src/steps/retry.js'
import {Rollback} from '../../src/steps/rollback.js'
import {Ui} from '../../src/ui/output.js'
import {runTasks, type TaskOutcome} from '../../src/ui/tasks.js'
import {checkCreateFlags, completeCreateInput} from '../../src/validate/create-input.js'
import {checkWorkflowFlags, type WorkflowFlagValues} from '../../src/validate/workflow-input.js'

export const silentUi = () => new Ui({json: true, color: false, interactive: false, verbose: false})

/** The run create's checked flags make: desired state, a fresh journal, the wait asked for. */
export function createRun(
  gateways: Gateways,
  name: string,
  flags: {create: Record<string, unknown>; workflow?: Partial<WorkflowFlagValues>; clock?: Clock},
): CreateRun {
  const input = completeCreateInput(checkCreateFlags(flags.create), name)
  // The flag's default, as oclif fills it in.
  const workflow = checkWorkflowFlags({'wait-timeout': '600', ...flags.workflow}, input.listeners)
  return {
    desired: checkDesired(desiredFromCreate(input, workflow)),
    gateways,
    rollback: new Rollback(),
    ...(flags.clock ? {clock: flags.clock} : {}),
    outputs: new Map(),
    waitFor: workflow.wait,
  }
}

/** What `elbx create --yes` runs after its flags are checked: observe and plan, apply, then wait. */
export async function runCreateFlow(run: CreateRun): Promise<TaskOutcome[]> {
  const outcomes = await runTasks(silentUi(), [observeTask], run)
  startApply(run)
  try {
    outcomes.push(...(await runTasks(silentUi(), applyTasks(), run)))
  } finally {
    await run.applying?.catch(() => {})
  }
  await run.applying
  outcomes.push(...(await runTasks(silentUi(), watchTasks(), run)))
  return outcomes
}
