import {Flags} from '@oclif/core'

import {DryRunRecorder} from '../aws/dry-run.js'
import {ElbxCommand, required, type Needs} from '../base-command.js'
import {ConfirmationDeclinedError, InvalidInputError, throwIfInterrupted} from '../errors.js'
import {confirmAction} from '../prompts/confirm.js'
import {ApplyFailure, applyPlan, type AppliedPlan} from '../steps/engine/apply.js'
import {refuseConflicts} from '../steps/engine/drift.js'
import {planEntry, recordPlan, restoreRequests, type PlanEntry} from '../steps/engine/render.js'
import {planFromSpec, type SpecRun} from '../steps/engine/spec-flow.js'
import {Rollback, runWithRollback} from '../steps/rollback.js'
import {toAwsCliCommand} from '../ui/aws-cli-command.js'
import {dryRunCommands, type CertificateFileFlags} from '../ui/plan.js'
import {readSpecFile} from '../validate/spec.js'
import {pruneFlag, specFileFlag} from './diff.js'

/** `--json` result of `elbx apply`: what each load balancer of the spec needed, and what the run created. */
export interface ApplyResult {
  dryRun: boolean
  changed: boolean
  loadBalancers: {
    name: string
    existed: boolean
    /** The plan (empty when AWS was as the spec says). */
    plan: PlanEntry[]
    /** --dry-run: the aws CLI commands that carry it out. */
    commands?: string[]
    createdResources: {kind: string; id: string}[]
  }[]
}

const line = (a: SpecRun['plan']['actions'][number]) =>
  `  ${a.call.operation} ${a.target}: ${a.why}${a.interruptsTraffic ? ' (INTERRUPTS TRAFFIC)' : ''}`

export default class Apply extends ElbxCommand<typeof Apply> {
  static override summary =
    'Make the load balancers of a spec file so in AWS: the plan first, then the changes.'

  static override description = `Checks the spec (exit 2 with the line and field, before any request), reads every load balancer it names, and plans what makes AWS as the spec says: the same engine as \`elbx create\`, so a load balancer that does not exist is created, and one that does is changed in place (a certificate with SetLoadBalancerListenerSSLCertificate, never by recreating its listener; a listener is deleted and created again only when its protocol or instance port changes, which interrupts its traffic and is marked so).

The plan is shown, then confirmed in a terminal, or with --yes (without either in a script: exit 2 with the plan, nothing changed). --dry-run prints it as aws CLI commands. On failure, what the run created is deleted (--no-rollback keeps it) and the commands that put in-place changes back are printed. A spec already in force changes nothing ("nothing to change").

What the spec leaves out is left alone; --prune removes what it no longer names: listeners, back-end authentication on instance ports the spec does not list, tags, and the policies elbx made that nothing uses any more. Certificates named by file are uploaded to IAM as create uploads them. See docs/spec.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -f my-lb.yaml',
    '<%= config.bin %> <%= command.id %> -f my-lb.yaml --dry-run',
    '<%= config.bin %> <%= command.id %> -f my-lb.yaml --prune --yes',
  ]

  static override flags = {
    file: specFileFlag(),
    prune: pruneFlag('Remove'),
    'dry-run': Flags.boolean({
      description:
        'Check everything and print the plan as the aws CLI commands that would carry it out; change nothing.',
    }),
    rollback: Flags.boolean({
      allowNo: true,
      default: true,
      description:
        'On failure, delete what this run created (--no-rollback keeps it and prints what remains).',
    }),
  }

  static override needs: Needs = {flags: {file: required('which spec file')}, example: '-f my-lb.yaml'}

  public async run(): Promise<ApplyResult> {
    const file = this.flags.file!
    const {checked} = readSpecFile('--file', file)
    const dryRun = this.flags['dry-run'] ? new DryRunRecorder() : undefined
    const gateways = await this.aws(dryRun ? {dryRun} : {})
    // Every read, for every load balancer of the file, before any write.
    const runs: SpecRun[] = []
    for (const spec of checked) runs.push(await planFromSpec(gateways, spec, {prune: this.flags.prune}))
    for (const run of runs) refuseConflicts(run.plan, run.named.name)
    for (const run of runs) for (const w of run.plan.outcome.warnings) this.ui.warn(w)

    const result: ApplyResult = {
      dryRun: dryRun !== undefined,
      changed: runs.some((r) => r.plan.actions.length > 0),
      loadBalancers: runs.map((r) => ({
        name: r.named.name,
        existed: r.observed.loadBalancer !== undefined,
        plan: r.plan.actions.map(planEntry),
        createdResources: [],
      })),
    }
    if (!result.changed) {
      this.log(`Nothing to change: AWS is as ${file} says.`)
      return result
    }
    if (dryRun) return this.printCommands(runs, result, dryRun, file)
    await this.confirm(runs)
    for (const [i, run] of runs.entries()) {
      if (run.plan.actions.length === 0) continue
      result.loadBalancers[i]!.createdResources = await this.applyOne(run)
    }
    for (const r of result.loadBalancers)
      this.log(
        r.plan.length
          ? `${r.name}: ${r.existed ? 'changed' : 'created'} (${r.plan.length} request(s))`
          : `${r.name}: unchanged`,
      )
    return result
  }

  /** The plan, and the go-ahead to change what exists: a question in a terminal, --yes in scripts. */
  private async confirm(runs: SpecRun[]): Promise<void> {
    const lines: string[] = []
    for (const run of runs) {
      if (run.plan.actions.length === 0) continue
      const lb = run.observed.loadBalancer
      lines.push(
        lb
          ? `Load balancer ${run.named.name} exists in ${run.observed.region}; apply changes it in place:`
          : `Load balancer ${run.named.name} does not exist in ${run.observed.region}; apply creates it:`,
      )
      lines.push(...run.plan.actions.map(line))
    }
    const changesExisting = runs.some((r) => r.observed.loadBalancer && r.plan.actions.length)
    if (this.flags.yes || !changesExisting) {
      this.ui.info(lines.join('\n'))
      return
    }
    if (!this.ui.interactive)
      throw new InvalidInputError(
        `Refusing to change AWS without confirmation: there is no terminal to ask in. Nothing was changed. The plan:\n${lines.join('\n')}`,
        'Pass --yes to apply it (--dry-run prints it as aws CLI commands).',
        {plan: runs.flatMap((r) => r.plan.actions.map(planEntry))},
      )
    this.ui.info(lines.join('\n'))
    if (!(await confirmAction('Apply these changes?', this.interrupt.signal)))
      throw new ConfirmationDeclinedError('Not confirmed: nothing was changed.')
  }

  /** Applies one load balancer's plan as a dependency graph, rolling back what it created on failure. */
  private async applyOne(run: SpecRun): Promise<{kind: string; id: string}[]> {
    const rollback = new Rollback()
    const gateways = await this.aws()
    let applied: AppliedPlan | undefined
    try {
      await runWithRollback(
        rollback,
        async () => {
          try {
            applied = await applyPlan(run.plan.actions, {
              gateways,
              desired: run.desired,
              rollback,
              runMark: rollback.mark,
              signal: this.interrupt.signal,
              onDone: (a) => this.ui.info(`  done: ${a.call.operation} ${a.target}`),
            })
          } catch (failure) {
            if (failure instanceof ApplyFailure) {
              applied = failure.applied
              throw failure.error
            }
            throw failure
          }
          throwIfInterrupted(this.interrupt.signal)
        },
        {
          enabled: this.flags.rollback,
          step: 'apply',
          report: (lines) => lines.forEach((l) => this.ui.info(l)),
        },
      )
    } catch (error) {
      const changed = applied?.changedInPlace ?? []
      if (changed.length) {
        this.ui.info(
          'Changed in place before the failure (not rolled back); to put the previous values back:',
        )
        for (const request of restoreRequests(changed))
          this.ui.info(`  ${toAwsCliCommand(request)} --region ${gateways.region}`)
      }
      throw error
    }
    return rollback.created.map((r) => ({kind: r.kind, id: r.id}))
  }

  /** --dry-run: each load balancer's requests as aws CLI commands, runnable as printed. */
  private async printCommands(
    runs: SpecRun[],
    result: ApplyResult,
    recorder: DryRunRecorder,
    file: string,
  ): Promise<ApplyResult> {
    const gateways = await this.aws()
    this.log(
      `# The plan for ${file}: these aws CLI commands, in this order, carry it out (nothing was changed).`,
    )
    for (const [i, run] of runs.entries()) {
      const requests = await recordPlan(run.plan.actions, run.desired, gateways, recorder)
      const {commands} = dryRunCommands(requests, {
        region: gateways.region,
        endpointUrl: this.flags['endpoint-url'],
        files: certificateFileFlags(run),
      })
      result.loadBalancers[i]!.commands = commands
      for (const c of commands) this.log(c)
    }
    return result
  }
}

/** The spec's certificate files, which an upload in the printed plan names instead of their contents. */
function certificateFileFlags(run: SpecRun): CertificateFileFlags {
  const source = run.spec.certificateFiles
  if (!source) return {}
  return {
    'certificate-file': source.certificateFile,
    'private-key-file': source.privateKeyFile,
    ...(source.chainFile ? {'chain-file': source.chainFile} : {}),
  }
}
