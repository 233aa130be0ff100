import {Flags, type Command} from '@oclif/core'

import {DryRunRecorder} from './aws/dry-run.js'
import type {Gateways} from './aws/gateways.js'
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
import type {DesiredLoadBalancer} from './steps/engine/desired.js'
import type {Action} from './steps/engine/plan.js'
import {planEntry, recordPlan, type PlanEntry, type RecordedRequest} from './steps/engine/render.js'
import {Rollback, runWithRollback} from './steps/rollback.js'
import {toAwsCliCommand} from './ui/aws-cli-command.js'
import {dryRunCommands, planLines, type CertificateFileFlags} from './ui/plan.js'
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
  reads?: ExistingReads
  /** The task list's title for the change ("Stickiness of listener 443"). */
  title: string
  plan?: (observed: ObservedExisting) => ChangePlan<State>
  dryRun: boolean
  /** Lines for stdout describing the state after the change. */
  describe: (state: State) => string[]
  /** Rewords a failed request the command knows more about (an access-log bucket AWS cannot write to). */
  explainFailure?: (error: unknown) => unknown
  /**
   * Reads and plans in one go, instead of `reads` and `plan`, for a change that needs more than the
   * load balancer's own parts (certificates in IAM or ACM, security groups, every load balancer).
   */
  observePlan?: (gateways: Gateways) => Promise<ChangePlan<State>>
  /** How the messages name what changes (default: load balancer NAME). */
  subject?: string
  /** The certificate files an upload in the plan sends (their contents are not in the plan). */
  desired?: Pick<DesiredLoadBalancer, 'certificate'>
  /** Runs once the plan is applied; a failure (a verification) undoes the run like a failed request. */
  check?: (state: State, gateways: Gateways, outputs: Map<string, string>) => Promise<void>
  /** Actions that wait for `check` and are not undone (a deletion): applied last, on their own. */
  afterCheck?: (action: Action) => boolean
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
    const subject = spec.subject ?? `load balancer ${name}`
    const Subject = subject[0]!.toUpperCase() + subject.slice(1)
    const dryRun = spec.dryRun ? new DryRunRecorder() : undefined
    const gateways = await this.aws(dryRun ? {dryRun} : {})
    const ctx: {plan?: ChangePlan<State>} = {}
    await runTasks(
      this.ui,
      [
        {
          title: `Read ${subject}`,
          run: async (c) => {
            c.plan = spec.observePlan
              ? await spec.observePlan(gateways)
              : spec.plan!(await observeExisting(gateways, name, spec.reads ?? {}))
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
      return this.printDryRun(
        name,
        subject,
        gateways.region,
        await recordPlan(plan.actions, spec.desired ?? {}, gateways, dryRun),
      )
    if (plan.actions.length === 0) {
      for (const w of plan.warnings) this.ui.warn(w)
      this.log(`${Subject}: nothing to change (unchanged).`)
      this.log(spec.describe(plan.state).join('\n'))
      return result
    }
    await this.confirmPlan(subject, spec.subject ?? name, gateways.region, plan)
    const rollback = new Rollback()
    const options = {
      gateways,
      rollback,
      commandFor: toAwsCliCommand,
      signal: this.interrupt.signal,
      ...(spec.desired ? {desired: spec.desired} : {}),
    }
    const later = spec.afterCheck ? plan.actions.filter(spec.afterCheck) : []
    const first = plan.actions.filter((a) => !later.includes(a))
    // Each action's answer (an uploaded certificate's ARN), for the check.
    let outputs = new Map<string, string>()
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
                  const applied = await applyChange(first, options).catch((failure: {error?: unknown}) => {
                    throw failure.error ?? failure
                  })
                  outputs = applied.outputs
                  return plan.changes.join('; ')
                },
              },
            ],
            {},
            this.interrupt.signal,
          )
          throwIfInterrupted(this.interrupt.signal)
          await spec.check?.(plan.state, gateways, outputs)
        },
        {
          enabled: true,
          step: spec.title,
          report: (lines) => lines.forEach((l) => this.ui.info(l)),
        },
      )
      // What waited for the check runs on its own: the earlier actions have succeeded.
      const ids = new Set(later.map((a) => a.id))
      if (later.length)
        await applyChange(
          later.map((a) => ({...a, dependsOn: a.dependsOn.filter((d) => ids.has(d))})),
          {...options, rollback: new Rollback()},
        ).catch((failure: {error?: unknown}) => {
          throw failure.error ?? failure
        })
    } catch (error) {
      throw spec.explainFailure ? spec.explainFailure(error) : error
    }
    for (const w of plan.warnings) this.ui.warn(w)
    this.log(`${Subject}: ${plan.changes.join('; ')}.`)
    this.log(spec.describe(plan.state).join('\n'))
    return result
  }

  /**
   * Shows the plan; goes on with --yes or a yes in a terminal. Without a terminal and without --yes,
   * nothing changes: exit 2, the plan in the error's details.
   */
  private async confirmPlan<State>(
    subject: string,
    asked: string,
    region: string,
    plan: ChangePlan<State>,
  ): Promise<void> {
    const lines = [
      `${subject[0]!.toUpperCase()}${subject.slice(1)} in ${region}: ${plan.actions.length} change(s):`,
      ...planLines(plan.actions),
    ]
    if (this.flags.yes) {
      this.ui.info(lines.join('\n'))
      return
    }
    if (!this.ui.interactive)
      throw new InvalidInputError(
        `Refusing to change ${subject} without confirmation: there is no terminal to ask in. Nothing was changed.`,
        'Pass --yes to apply the changes (--dry-run prints them as aws CLI commands).',
        {plan: plan.actions.map(planEntry)},
      )
    this.ui.info(lines.join('\n'))
    if (!(await confirmAction(`Change ${asked}?`, this.interrupt.signal)))
      throw new ConfirmationDeclinedError('Not confirmed: nothing was changed.')
  }

  private printDryRun(
    name: string,
    subject: string,
    region: string,
    plan: RecordedRequest[],
  ): ChangeDryRunResult {
    const endpoint = (this.flags as {'endpoint-url'?: string})['endpoint-url']
    if (plan.length === 0)
      this.log(`# ${subject[0]!.toUpperCase()}${subject.slice(1)}: nothing to change (unchanged).`)
    else this.log(`# The plan: these aws CLI commands, in this order, make the change (nothing was changed).`)
    // An upload's ARN is looked up when its line has run; its files are named, never their contents.
    const shown = dryRunCommands(plan, {
      region,
      endpointUrl: endpoint,
      files: this.flags as CertificateFileFlags,
    })
    for (const command of shown.commands) this.log(command)
    return {dryRun: true, loadBalancerName: name, plan: shown.requests as RecordedRequest[]}
  }
}
