/**
 * `elbx audit` on stdout: a table grouped by account, Region and load balancer, or CSV with one row
 * per finding (stable column names, RFC 4180 quoting). --json is the stable form of both. And the
 * progress bar on stderr while a large estate is read.
 */
import type {ChalkInstance} from 'chalk'

import type {Finding, Severity} from '../steps/audit/finding.js'
import type {AuditReport} from '../steps/audit/index.js'
import type {TlsFixOutcome, TlsFixPlan} from '../steps/audit/fix-tls.js'
import {planLines} from './plan.js'

/** The CSV columns, in order: the Finding fields scripts rely on. */
export const CSV_COLUMNS = [
  'profile',
  'region',
  'loadBalancerName',
  'severity',
  'rule',
  'resource',
  'loadBalancerPort',
  'message',
  'fix',
] as const satisfies readonly (keyof Finding)[]

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
  const text = value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function renderCsv(findings: readonly Finding[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const f of findings) lines.push(CSV_COLUMNS.map((c) => csvField(f[c])).join(','))
  return lines.join('\r\n') + '\r\n'
}

const LABEL: Record<Severity, string> = {error: 'ERROR', warning: 'WARNING', info: 'INFO'}

const paint = (severity: Severity, text: string, colors: ChalkInstance) =>
  severity === 'error' ? colors.red(text) : severity === 'warning' ? colors.yellow(text) : colors.dim(text)

/** The summary line: how much was audited and what was found. */
export function summaryLine(report: AuditReport): string {
  const profiles = new Set(report.regions.map((r) => r.profile)).size
  const regions = report.regions.length
  const {error, warning, info} = report.counts
  const where = `${regions} Region${regions === 1 ? '' : 's'}${profiles > 1 ? ` of ${profiles} accounts` : ''}`
  return `Audited ${report.loadBalancers.length} load balancer(s) in ${where}: ${error} error(s), ${warning} warning(s), ${info} information.`
}

/** The report grouped by account and Region, then load balancer, each finding with its fix under it. */
export function renderTable(report: AuditReport, colors: ChalkInstance): string {
  const lines: string[] = []
  for (const region of report.regions) {
    const here = report.findings.filter((f) => f.profile === region.profile && f.region === region.region)
    lines.push(
      colors.bold(
        `${region.region}${region.profile === 'default' ? '' : ` (profile ${region.profile})`}: ${region.failed ? 'not audited' : `${region.loadBalancers} load balancer(s)`}`,
      ),
    )
    const groups = new Map<string, Finding[]>()
    for (const f of here)
      groups.set(f.loadBalancerName ?? '', [...(groups.get(f.loadBalancerName ?? '') ?? []), f])
    const clean = report.loadBalancers.filter(
      (l) => l.profile === region.profile && l.region === region.region && l.findings === 0,
    )
    for (const [name, findings] of groups) {
      if (name) lines.push(`  ${name}`)
      for (const f of findings) {
        lines.push(`    ${paint(f.severity, LABEL[f.severity].padEnd(7), colors)} ${f.rule}  ${f.resource}`)
        lines.push(`            ${f.message}`)
        lines.push(`            ${colors.dim('fix:')} ${f.fix}`)
      }
    }
    for (const l of clean) lines.push(`  ${l.name}: ${colors.green('no findings')}`)
    lines.push('')
  }
  lines.push(summaryLine(report))
  return lines.join('\n')
}

const located = (o: {profile: string; region: string; loadBalancerName: string}) =>
  `${o.region}${o.profile === 'default' ? '' : ` (profile ${o.profile})`} ${o.loadBalancerName}`

/** The --fix plan, per Region and load balancer, each request as every change command shows it (stderr, before the confirmation). */
export function renderFixPlan(plans: readonly TlsFixPlan[], policy: string): string[] {
  const lines = [
    `--fix tls: put ${policy} on ${plans.reduce((n, p) => n + p.loadBalancerPorts.length, 0)} listener(s) of ${plans.length} load balancer(s):`,
  ]
  for (const p of plans) {
    if (p.refused) lines.push(`${located(p)}: not changed: ${p.refused}`)
    else if (p.actions.length)
      lines.push(`${located(p)}: ${p.actions.length} change(s):`, ...planLines(p.actions))
  }
  return lines
}

/** One line per load balancer --fix acted on (and, under a failed one, what its undo did). */
export function renderFixOutcomes(outcomes: readonly TlsFixOutcome[]): string[] {
  return outcomes.flatMap((o) => {
    const where = located(o)
    const ports = `listener${o.loadBalancerPorts.length > 1 ? 's' : ''} ${o.loadBalancerPorts.join(', ')}`
    if (o.status === 'changed') return [`${where}: changed (${ports} now on ${o.policyName})`]
    if (o.status === 'unchanged') return [`${where}: unchanged (${ports} already on ${o.policyName})`]
    return [`${where}: FAILED: ${o.reason}`, ...(o.rollback ?? []).map((l) => `  ${l}`)]
  })
}

/**
 * A one-line bar on stderr in a terminal ("[#####-----] 120/250 load balancers, 3/4 Regions"),
 * redrawn in place; nothing elsewhere (a script's stderr gets no carriage returns).
 */
export class AuditProgress {
  private readonly regions = new Map<string, {found: number; read: number; done: boolean}>()
  private drawn = false

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {}

  update(key: string, counts: {found: number; read: number; done: boolean}): void {
    this.regions.set(key, counts)
    if (!this.enabled) return
    const all = [...this.regions.values()]
    const found = all.reduce((n, r) => n + r.found, 0)
    const read = all.reduce((n, r) => n + r.read, 0)
    const done = all.filter((r) => r.done).length
    const width = 20
    const filled = found ? Math.round((read / found) * width) : 0
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
    this.stream.write(
      `\r${bar} ${read}/${found} load balancers read, ${done}/${this.regions.size} Regions done\x1b[K`,
    )
    this.drawn = true
  }

  /** Clears the bar so the report starts on a clean line. */
  end(): void {
    if (this.drawn) this.stream.write('\r\x1b[K')
    this.drawn = false
  }
}
