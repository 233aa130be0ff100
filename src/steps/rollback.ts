import {randomUUID} from 'node:crypto'

import {toStepError} from '../aws/errors.js'
import {ElbxError} from '../errors.js'
import type {Tag} from '../model.js'

/**
 * Tag key of a run's mark. Everything elbx creates carries its run's mark (a random ID, set at
 * creation and never compared on a rerun), so that a run can tell what it made itself from what
 * another made: when a create's answer is lost and the SDK's retry meets what the first attempt
 * made, and when AWS accepts an identical CreateLoadBalancer from two runs at once.
 */
export const RUN_TAG_KEY = 'elbx:run'

/** A new run's mark: the tag every resource this run creates carries. */
export const newRunMark = (): Tag => ({key: RUN_TAG_KEY, value: randomUUID()})

/** True when the tags carry this run's mark, so this run made the resource (whatever its answers said). */
export function carriesRunMark(tags: readonly Tag[], mark: Tag | undefined): boolean {
  return mark !== undefined && tags.some((t) => t.key === mark.key && t.value === mark.value)
}

/** Something a run created, and how to remove it (in code, and as the AWS CLI command a person would run). */
export interface Resource {
  /** load-balancer, security-group, server-certificate, policy... */
  kind: string
  id: string
  remove: () => Promise<void>
  /** The exact `aws ...` command that deletes it, printed when it is left behind. */
  removeCommand: string
  /**
   * Asked just before removing it, for what two runs can both believe they created (AWS accepts an
   * identical CreateLoadBalancer twice): false leaves it to the run whose mark it carries.
   */
  stillOurs?: () => Promise<boolean>
}

export interface RollbackReport {
  removed: Resource[]
  /** Still there: kept with --no-rollback, or their removal failed. */
  remaining: Resource[]
  errors: {resource: Resource; message: string}[]
  /** Not removed: another run made it too, and it carries that run's mark. */
  leftToOtherRun: Resource[]
}

/**
 * The resources one run created, in order. On failure `undo()` removes them newest first, so a
 * load balancer goes before the security group it uses and the certificate it serves.
 */
export class Rollback {
  private readonly resources: Resource[] = []
  private readonly ranks = new WeakMap<Resource, number>()

  /** @param mark this run's mark, which everything it creates carries */
  constructor(readonly mark: Tag = newRunMark()) {}

  /**
   * Records a resource as created. `rank` (its action's place in a plan) keeps the order the plan's
   * when independent actions finish in any order; without it, the resource is the newest.
   */
  record(resource: Resource, rank = Number.POSITIVE_INFINITY): void {
    this.ranks.set(resource, rank)
    const at = this.resources.findIndex((r) => (this.ranks.get(r) ?? Number.POSITIVE_INFINITY) > rank)
    if (at === -1) this.resources.push(resource)
    else this.resources.splice(at, 0, resource)
  }

  /** What this run created so far, oldest first. */
  get created(): readonly Resource[] {
    return this.resources
  }

  /** Removes every recorded resource in reverse order; keeps going past failures and reports them. */
  async undo(): Promise<RollbackReport> {
    const report: RollbackReport = {removed: [], remaining: [], errors: [], leftToOtherRun: []}
    for (const resource of [...this.resources].reverse()) {
      try {
        if (resource.stillOurs && !(await resource.stillOurs())) {
          report.leftToOtherRun.push(resource)
          continue
        }
        await resource.remove()
        report.removed.push(resource)
      } catch (error) {
        report.remaining.push(resource)
        report.errors.push({
          resource,
          message: toStepError(`Delete ${resource.kind} ${resource.id}`, error).message,
        })
      }
    }
    this.resources.length = 0
    return report
  }

  /**
   * The report for --no-rollback: nothing removed, everything remains, newest first like undo(),
   * so the printed commands run in an order AWS accepts (the load balancer before the security
   * group it uses and the certificate it serves: DependencyViolation and DeleteConflict otherwise).
   */
  keep(): RollbackReport {
    return {removed: [], remaining: [...this.resources].reverse(), errors: [], leftToOtherRun: []}
  }
}

const describe = (r: Resource) => `${r.kind} ${r.id}`

/** Lines for stderr after a failed run: what was removed, what remains and the commands that remove it. */
export function formatRollbackReport(report: RollbackReport, rolledBack: boolean): string[] {
  const lines: string[] = []
  if (report.removed.length) lines.push(`Rolled back: deleted ${report.removed.map(describe).join(', ')}.`)
  for (const r of report.leftToOtherRun)
    lines.push(
      `Left ${describe(r)} alone: another elbx run created it at the same time, and it carries that run's mark.`,
    )
  for (const e of report.errors) lines.push(`Could not delete ${describe(e.resource)}: ${e.message}`)
  if (report.remaining.length) {
    lines.push(
      rolledBack
        ? 'These resources remain; delete them with:'
        : 'Kept (--no-rollback) what this run created; delete it with:',
    )
    for (const r of report.remaining) lines.push(`  ${r.removeCommand}`)
  }
  return lines
}

/**
 * The error a failed run ends with: the original message, exit code and hint, with the rollback
 * report in its --json details (kind, id and removal command of each resource).
 */
export function withRollbackDetails(
  error: unknown,
  step: string,
  report: RollbackReport,
  rolledBack: boolean,
): ElbxError {
  const original = toStepError(step, error)
  const plain = (r: Resource) => ({kind: r.kind, id: r.id, removeCommand: r.removeCommand})
  const details = {
    ...(original.details ?? {}),
    rollback: {
      performed: rolledBack,
      removed: report.removed.map(plain),
      remaining: report.remaining.map(plain),
      ...(report.leftToOtherRun.length ? {leftToOtherRun: report.leftToOtherRun.map(plain)} : {}),
    },
  }
  const hint =
    report.remaining.length && rolledBack
      ? `${original.hint ? original.hint + ' ' : ''}Some resources could not be deleted; the commands above remove them.`
      : original.hint
  return new ElbxError(original.message, original.exitCode, hint, details)
}

export interface RunWithRollbackOptions {
  /** False with --no-rollback: keep what was created and say how to remove it. */
  enabled: boolean
  /** Names the failure when the error carries no step of its own. */
  step: string
  /** Receives the report's lines (for stderr). */
  report: (lines: string[]) => void
}

/**
 * Runs `work`; when it fails (or is interrupted), removes what this run recorded in reverse order
 * (unless disabled), reports what was removed and what remains, and rethrows the error with the
 * rollback in its details. The exit code stays the original one (1, 130...).
 */
export async function runWithRollback<T>(
  rollback: Rollback,
  work: () => Promise<T>,
  options: RunWithRollbackOptions,
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (rollback.created.length === 0) throw error
    const report = options.enabled ? await rollback.undo() : rollback.keep()
    options.report(formatRollbackReport(report, options.enabled))
    throw withRollbackDetails(error, options.step, report, options.enabled)
  }
}
