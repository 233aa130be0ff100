import {Flags, type Command} from '@oclif/core'

import {DryRunRecorder} from './aws/dry-run.js'
import {ElbxCommand} from './base-command.js'
import {ConfirmationDeclinedError, InvalidInputError, throwIfInterrupted} from './errors.js'
import {confirmAction} from './prompts/confirm.js'
import {
  applyChange,
  observeExisting,
  type ChangePlan,
  type ExistingReads,
  type ObservedExisting,
} from './steps/engine/change-flow.js'
import {planEntry, recordPlan, type PlanEntry, type RecordedRequest} from './steps/engine/render.js'
import {Rollback, runWithRollback} from './steps/rollback.js'
import {toAwsCliCommand} from './ui/aws-cli-command.js'
import {runTasks} from './ui/tasks.js'

/** --dry-run, as every command that changes a load balancer spells it. */
export const dryRunFlag = () =>
  Flags.boolean({
    description:
      'Read the load balancer, check everything and print the plan as the aws CLI commands that would carry it out; change nothing.',
  })

/** `--json` result of a change to an existing load balancer. */
export interface ChangeResult<State> {
  loadBalancerName: string
  /** False when the load balancer was already as asked (a rerun): nothing was sent. */
  changed: boolean
  /** What changed, in words; empty when unchanged. */
  changes: string[]
  /** The part of the load balancer the command is about, after the change. */
  state: State
  /** The requests sent, one per action of the plan (empty when unchanged). */
  actions: PlanEntry[]
  warnings: string[]
}

/** `--json` result with --dry-run: the requests the change would send, in order. */
export interface ChangeDryRunResult {
  dryRun: true
  loadBalancerName: string
  plan: RecordedRequest[]
}

/** What one command asks the engine for. */
export interface ChangeSpec<State> {
  loadBalancerName: string
  /** What the plan reads besides the load balancer's description. */
  reads: ExistingReads
  /** The task list's title for the change ("Stickiness of listener 443"). */
  title: string
  plan: (observed: ObservedExisting) => ChangePlan<State>
  dryRun: boolean
  /** Lines for stdout describing the state after the change. */
  describe: (state: State) => string[]
  /** Rewords a failed request the command knows more about (an access-log bucket AWS cannot write to). */
  explainFailure?: (error: unknown) => unknown
}

/**
 * A command that changes an existing load balancer on the engine: every read before the first
 * write, the plan shown, confirmation in a terminal or --yes (without either in a script: exit 2
 * with the plan), --dry-run as aws CLI commands, and on failure the run's own changes undone.
 */
export abstract class ChangeCommand<T extends typeof Command> extends ElbxCommand<T> {
  protected async runChange<State>(
    spec: ChangeSpec<State>,
  ): Promise<ChangeResult<State> | ChangeDryRunResult> {
    const name = spec.loadBalancerName
    const dryRun = spec.dryRun ? new DryRunRecorder() : undefined
    const gateways = await this.aws(dryRun ? {dryRun} : {})
    const ctx: {plan?: ChangePlan<State>} = {}
    await runTasks(
      this.ui,
      [
        {
          title: `Read load balancer ${name}`,
          run: async (c) => {
            c.plan = spec.plan(await observeExisting(gateways, name, spec.reads))
            return c.plan.actions.length ? `${c.plan.actions.length} change(s) planned` : 'nothing to change'
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    const plan = ctx.plan!
    const result: ChangeResult<State> = {
      loadBalancerName: name,
      changed: plan.actions.length > 0,
      changes: plan.changes,
      state: plan.state,
      actions: plan.actions.map(planEntry),
      warnings: plan.warnings,
    }
    if (dryRun)
      return this.printDryRun(name, gateways.region, await recordPlan(plan.actions, {}, gateways, dryRun))
    if (plan.actions.length === 0) {
      for (const w of plan.warnings) this.ui.warn(w)
      this.log(`Load balancer ${name}: nothing to change (unchanged).`)
      this.log(spec.describe(plan.state).join('\n'))
      return result
    }
    await this.confirmPlan(name, gateways.region, plan)
    const rollback = new Rollback()
    try {
      await runWithRollback(
        rollback,
        async () => {
          await runTasks(
            this.ui,
            [
              {
                title: spec.title,
                run: async () => {
                  await applyChange(plan.actions, {
                    gateways,
                    rollback,
                    commandFor: toAwsCliCommand,
                    signal: this.interrupt.signal,
                  }).catch((failure: {error?: unknown}) => {
                    throw failure.error ?? failure
                  })
                  return plan.changes.join('; ')
                },
              },
            ],
            {},
            this.interrupt.signal,
          )
          throwIfInterrupted(this.interrupt.signal)
        },
        {
          enabled: true,
          step: spec.title,
          report: (lines) => lines.forEach((l) => this.ui.info(l)),
        },
      )
    } catch (error) {
      throw spec.explainFailure ? spec.explainFailure(error) : error
    }
    for (const w of plan.warnings) this.ui.warn(w)
    this.log(`Load balancer ${name}: ${plan.changes.join('; ')}.`)
    this.log(spec.describe(plan.state).join('\n'))
    return result
  }

  /**
   * Shows the plan; goes on with --yes or a yes in a terminal. Without a terminal and without --yes,
   * nothing changes: exit 2, the plan in the error's details.
   */
  private async confirmPlan<State>(name: string, region: string, plan: ChangePlan<State>): Promise<void> {
    const lines = [
      `Load balancer ${name} in ${region}: ${plan.actions.length} change(s):`,
      ...plan.actions.map((a) => `  ${a.call.operation} ${a.target}: ${a.why}`),
    ]
    if (this.flags.yes) {
      this.ui.info(lines.join('\n'))
      return
    }
    if (!this.ui.interactive)
      throw new InvalidInputError(
        `Refusing to change load balancer ${name} without confirmation: there is no terminal to ask in. Nothing was changed.`,
        'Pass --yes to apply the changes (--dry-run prints them as aws CLI commands).',
        {plan: plan.actions.map(planEntry)},
      )
    this.ui.info(lines.join('\n'))
    if (!(await confirmAction(`Change ${name}?`, this.interrupt.signal)))
      throw new ConfirmationDeclinedError('Not confirmed: nothing was changed.')
  }

  private printDryRun(name: string, region: string, plan: RecordedRequest[]): ChangeDryRunResult {
    const endpoint = (this.flags as {'endpoint-url'?: string})['endpoint-url']
    const target = [`--region ${region}`, ...(endpoint ? [`--endpoint-url ${endpoint}`] : [])].join(' ')
    if (plan.length === 0) this.log(`# Load balancer ${name}: nothing to change (unchanged).`)
    else this.log(`# The plan: these aws CLI commands, in this order, make the change (nothing was changed).`)
    for (const request of plan) this.log(`${toAwsCliCommand(request)} ${target}`)
    return {dryRun: true, loadBalancerName: name, plan}
  }
}
