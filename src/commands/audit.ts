import {Flags} from '@oclif/core'

import {ElbxCommand} from '../base-command.js'
import type {DryRunRecorder as Recorder} from '../aws/dry-run.js'
import {checkProfileExists, checkRegionName} from '../aws/connection-settings.js'
import type {Connection} from '../aws/index.js'
import {
  AuditFindingsError,
  ConfirmationDeclinedError,
  InvalidInputError,
  MissingRegionError,
  RuntimeError,
} from '../errors.js'
import {RECOMMENDED_SSL_POLICY} from '../policy/predefined-ssl-policies.js'
import {confirmAction} from '../prompts/confirm.js'
import {DEFAULT_CONCURRENCY} from '../steps/engine/limit.js'
import {planEntry, recordPlan, type PlanEntry} from '../steps/engine/render.js'
import type {TlsVersion} from '../steps/audit/facts.js'
import {atLeast, type Finding, type Severity} from '../steps/audit/finding.js'
import {
  TLS_FIX_RULES,
  applyTlsFixes,
  checkFixTarget,
  fixKey,
  planTlsFixes,
  type TlsFixOutcome,
  type TlsFixPlan,
} from '../steps/audit/fix-tls.js'
import {runAudit, type AuditReport, type AuditTarget} from '../steps/audit/index.js'
import {AuditProgress, renderCsv, renderFixOutcomes, renderFixPlan, renderTable} from '../ui/audit.js'
import {toAwsCliCommand} from '../ui/aws-cli-command.js'
import {stdoutStyle} from '../ui/output.js'
import {dryRunCommands} from '../ui/plan.js'
import {parseIntInRange} from '../validate/ranges.js'

/** The --json document (and --format json): the report, and what --fix did. */
export type AuditResult = AuditReport & {
  failOn: Severity
  minTls: TlsVersion
  expiringWithinDays: number
  fix?: {
    policy: string
    dryRun: boolean
    plan: (PlanEntry & {profile: string; region: string; loadBalancerName: string})[]
    commands?: string[]
    outcomes?: TlsFixOutcome[]
  }
}

const MIN_TLS: Record<string, TlsVersion> = {'1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2'}
/** Regions (and accounts) read at once: each has its own request bound, so this caps the total. */
const REGIONS_AT_ONCE = 8
const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

export default class Audit extends ElbxCommand<typeof Audit> {
  static override summary =
    'Audit every Classic Load Balancer of the Regions and accounts: the TLS each listener really accepts, certificates about to expire, what is unhealthy or unsafe.'

  static override description = `Every finding has a severity (error, warning, info) and a one-line fix; docs/audit.md explains each one. Listeners are judged by the protocols and ciphers their policy enables (a listener with no policy is on AWS's default ELBSecurityPolicy-2016-08, which enables TLS 1.0), certificates by the expiry in their body. Only reads, a bounded number at a time per Region and account; a Region that cannot be read is one finding.

Exit codes: 0 when no finding reaches --fail-on, 6 when one does, 1 when no Region at all could be audited (or --fix failed on a load balancer).

--fix tls puts --to (default ${RECOMMENDED_SSL_POLICY}) on every listener found below --min-tls, on weak ciphers or on AWS's default, the way \`elbx policy ssl\` does (every other policy of the listener kept). The plan is shown first and applied once confirmed (--yes without a terminal); --dry-run prints it as aws CLI commands.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --regions all --profiles prod,staging --format csv > findings.csv',
    '<%= config.bin %> <%= command.id %> --regions us-west-2,eu-west-1 --expiring-within 45 --fail-on warning',
    '<%= config.bin %> <%= command.id %> --fix tls --dry-run',
  ]

  static override flags = {
    regions: Flags.string({
      description:
        'Regions to audit, comma-separated, or "all" (every Region enabled for the account). Default: the one --region or the profile names.',
      exclusive: ['region'],
    }),
    profiles: Flags.string({
      description:
        'Named profiles to audit, comma-separated: each profile is one account. Default: --profile.',
      exclusive: ['profile'],
    }),
    'name-prefix': Flags.string({description: 'Only load balancers whose name starts with this.'}),
    'expiring-within': Flags.string({
      description: 'A certificate expiring within this many days (0-3650) is a warning.',
      default: '30',
    }),
    'min-tls': Flags.option({
      options: ['1.0', '1.1', '1.2'] as const,
      default: '1.2' as const,
      description: 'The oldest TLS version a listener may enable.',
    })(),
    format: Flags.option({
      options: ['table', 'json', 'csv'] as const,
      default: 'table' as const,
      description: 'table (grouped by Region and load balancer), json or csv (one row per finding).',
    })(),
    'fail-on': Flags.option({
      options: ['warning', 'error'] as const,
      default: 'error' as const,
      description: 'Exit 6 when a finding of this severity or higher is found.',
    })(),
    concurrency: Flags.string({
      description: `AWS requests in flight at once per Region and account (1-64).`,
      default: String(DEFAULT_CONCURRENCY),
    }),
    fix: Flags.option({
      options: ['tls'] as const,
      description:
        'Fix what the audit found: tls puts --to on the listeners found below --min-tls, on weak ciphers or on AWS default.',
    })(),
    to: Flags.string({
      description: `The predefined SSL policy --fix tls puts on the listeners (default ${RECOMMENDED_SSL_POLICY}).`,
      dependsOn: ['fix'],
    }),
    'dry-run': Flags.boolean({
      description: 'With --fix: print the changes as aws CLI commands and change nothing.',
      dependsOn: ['fix'],
    }),
  }

  private readonly connections: Connection[] = []

  public async run(): Promise<AuditResult> {
    const flags = this.flags
    // Everything typed is checked before the first request.
    const minTls = MIN_TLS[flags['min-tls']]!
    const expiringWithinDays = parseIntInRange('--expiring-within', flags['expiring-within'], 0, 3650)
    const concurrency = parseIntInRange('--concurrency', flags.concurrency, 1, 64)
    const spec = flags.fix ? checkFixTarget(flags.to ?? RECOMMENDED_SSL_POLICY, minTls) : undefined
    const regions = this.regionsWanted()
    const profiles = flags.profiles === undefined ? [flags.profile] : list(flags.profiles)
    if (profiles.length === 0)
      throw new InvalidInputError('--profiles names no profile.', 'Example: --profiles prod,staging')
    for (const p of profiles) if (p !== undefined) checkProfileExists(p, '--profiles', process.env)
    const json = this.jsonEnabled() || flags.format === 'json'

    const recorders = new Map<string, Recorder>()
    const targets = (
      await Promise.all(profiles.map((p) => this.targets(p, regions, Boolean(flags['dry-run']), recorders)))
    ).flat()
    const progress = new AuditProgress(process.stderr, Boolean(process.stderr.isTTY) && !json)
    for (const t of targets)
      progress.update(fixKey(t.profile, t.region, ''), {found: 0, read: 0, done: false})
    let audit
    try {
      audit = await runAudit(targets, {
        minTls,
        expiringWithinDays,
        concurrency,
        regionsAtOnce: REGIONS_AT_ONCE,
        now: new Date(),
        signal: this.interrupt.signal,
        ...(flags['name-prefix'] ? {namePrefix: flags['name-prefix']} : {}),
        onProgress: (t, counts) => progress.update(fixKey(t.profile, t.region, ''), counts),
      })
    } finally {
      progress.end()
    }
    const result: AuditResult = {...audit.report, failOn: flags['fail-on'], minTls, expiringWithinDays}
    this.printReport(result, json)

    let fixed: TlsFixOutcome[] = []
    if (spec) {
      const plans = planTlsFixes(audit.facts, audit.report.findings, spec)
      result.fix = {policy: spec.name, dryRun: Boolean(flags['dry-run']), plan: this.planEntries(plans)}
      if (plans.every((p) => p.actions.length === 0 && !p.refused))
        this.ui.info('--fix tls: nothing to change (unchanged).')
      else if (flags['dry-run']) {
        result.fix.commands = await this.dryRun(plans, targets, recorders)
        if (!json)
          this.log(
            [
              '',
              '# --fix tls --dry-run: these aws CLI commands make the change (nothing was changed).',
              ...result.fix.commands,
            ].join('\n'),
          )
      } else {
        await this.confirmFix(plans, spec.name, result)
        fixed = await applyTlsFixes(plans, (profile, region) => this.gatewaysOf(targets, profile, region), {
          concurrency,
          commandFor: toAwsCliCommand,
          signal: this.interrupt.signal,
        })
        result.fix.outcomes = fixed
        for (const line of renderFixOutcomes(fixed)) this.ui.info(line)
      }
    }
    if (json && !this.jsonEnabled()) this.log(JSON.stringify(result, null, 2))

    const failedFixes = fixed.filter((o) => o.status === 'failed')
    if (failedFixes.length) {
      this.resultDespiteFailure = result
      throw new RuntimeError(
        `--fix tls failed on ${failedFixes.length} load balancer(s): ${failedFixes.map((o) => `${o.loadBalancerName} (${o.reason})`).join('; ')}.`,
        "Each failed load balancer's own changes were undone; the others stand. Rerun elbx audit --fix tls once the cause is fixed.",
      )
    }
    const open = this.openFindings(result.findings, fixed).filter((f) =>
      atLeast(f.severity, flags['fail-on']),
    )
    if (open.length) {
      this.resultDespiteFailure = result
      throw new AuditFindingsError(
        `${open.length} finding(s) at or above ${flags['fail-on']} (--fail-on ${flags['fail-on']}).`,
        'Each finding says how to fix it; docs/audit.md explains them.',
      )
    }
    return result
  }

  public override async finally(error: Error | undefined): Promise<void> {
    for (const c of this.connections) c.close()
    await super.finally(error)
  }

  /** --regions as typed: "all", a list of Region names, or undefined (the default Region). */
  private regionsWanted(): 'all' | string[] | undefined {
    const raw = this.flags.regions
    if (raw === undefined) return undefined
    if (raw.trim().toLowerCase() === 'all') return 'all'
    const names = [...new Set(list(raw))]
    if (names.length === 0)
      throw new InvalidInputError(
        '--regions names no Region.',
        'Example: --regions us-east-1,eu-west-1 (or --regions all).',
      )
    for (const r of names) checkRegionName(r)
    return names
  }

  private async connectTo(
    profile: string | undefined,
    region: string | undefined,
    dryRun: Recorder | undefined,
  ): Promise<Connection> {
    const {connect} = await import('../aws/index.js')
    const connection = await connect({
      ...(region ? {region} : {}),
      ...(profile ? {profile} : {}),
      ...(this.flags['endpoint-url'] ? {endpointUrl: this.flags['endpoint-url']} : {}),
      requestLog: this.requestLog,
      userAgent: `elbx/${this.config.version}`,
      ...(dryRun ? {dryRun} : {}),
    })
    this.connections.push(connection)
    return connection
  }

  /** One target per Region of the profile: its account, connected (with its own dry-run recorder). */
  private async targets(
    profile: string | undefined,
    regions: 'all' | string[] | undefined,
    dryRun: boolean,
    recorders: Map<string, Recorder>,
  ): Promise<AuditTarget[]> {
    const label = profile ?? process.env.AWS_PROFILE ?? 'default'
    const {DryRunRecorder} = await import('../aws/dry-run.js')
    const make = async (region: string | undefined) => {
      const recorder = dryRun ? new DryRunRecorder() : undefined
      const gateways = await this.connectTo(profile, region, recorder)
      if (recorder) recorders.set(fixKey(label, gateways.region, ''), recorder)
      return {profile: label, region: gateways.region, gateways}
    }
    if (Array.isArray(regions)) return Promise.all(regions.map(make))
    const fallback =
      this.flags.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined
    if (regions === undefined) return [await make(fallback)]
    // "all": the account's enabled Regions, asked of its default Region (us-east-1 when none is set).
    let first: Connection
    try {
      first = await this.connectTo(profile, fallback, undefined)
    } catch (error) {
      if (!(error instanceof MissingRegionError)) throw error
      first = await this.connectTo(profile, 'us-east-1', undefined)
    }
    const names = await first.ec2.describeRegions()
    return Promise.all(names.map(make))
  }

  private gatewaysOf(targets: AuditTarget[], profile: string, region: string) {
    const t = targets.find((x) => x.profile === profile && x.region === region)
    if (!t) throw new Error(`internal: no connection for ${profile} ${region}`)
    return t.gateways
  }

  private printReport(result: AuditResult, json: boolean): void {
    if (json) return
    if (this.flags.format === 'csv') process.stdout.write(renderCsv(result.findings))
    else this.log(renderTable(result, stdoutStyle(this.flags.color).colors))
  }

  private planEntries(plans: TlsFixPlan[]): NonNullable<AuditResult['fix']>['plan'] {
    return plans.flatMap((p) =>
      p.actions.map((a) => ({
        profile: p.profile,
        region: p.region,
        loadBalancerName: p.loadBalancerName,
        ...planEntry(a),
      })),
    )
  }

  /** The plan recorded against each Region's dry-run gateways, as aws CLI commands for its Region and profile. */
  private async dryRun(
    plans: TlsFixPlan[],
    targets: AuditTarget[],
    recorders: Map<string, Recorder>,
  ): Promise<string[]> {
    const commands: string[] = []
    for (const p of plans) {
      const recorder = recorders.get(fixKey(p.profile, p.region, ''))!
      const requests = await recordPlan(
        p.actions,
        {},
        this.gatewaysOf(targets, p.profile, p.region),
        recorder,
      )
      const shown = dryRunCommands(requests, {
        region: p.region,
        // The profile is named when the user named one: the commands then run as that account.
        profile: this.flags.profiles || this.flags.profile ? p.profile : undefined,
        endpointUrl: this.flags['endpoint-url'],
      })
      commands.push(...shown.commands)
    }
    return commands
  }

  /**
   * The plan on stderr, then --yes or a terminal's answer. Without a terminal and without --yes,
   * nothing changes: exit 2, the plan in the error's details (as every change command does).
   */
  private async confirmFix(plans: TlsFixPlan[], policy: string, result: AuditResult): Promise<void> {
    this.ui.info(renderFixPlan(plans, policy).join('\n'))
    if (this.flags.yes) return
    if (!this.ui.interactive) {
      this.resultDespiteFailure = result
      throw new InvalidInputError(
        'Refusing to change load balancers without confirmation: there is no terminal to ask in. Nothing was changed.',
        'Pass --yes to apply the plan (--dry-run prints it as aws CLI commands).',
        {plan: result.fix?.plan ?? []},
      )
    }
    const count = plans.filter((p) => p.actions.length).length
    if (!(await confirmAction(`Change ${count} load balancer(s)?`, this.interrupt.signal))) {
      throw new ConfirmationDeclinedError('Not confirmed: nothing was changed.')
    }
  }

  /** The findings still standing: those --fix tls resolved on the load balancers it changed are not. */
  private openFindings(findings: Finding[], fixed: TlsFixOutcome[]): Finding[] {
    const changed = new Set(
      fixed.filter((o) => o.status === 'changed').map((o) => fixKey(o.profile, o.region, o.loadBalancerName)),
    )
    return findings.filter(
      (f) =>
        !(
          TLS_FIX_RULES.has(f.rule) &&
          f.loadBalancerName &&
          changed.has(fixKey(f.profile, f.region, f.loadBalancerName))
        ),
    )
  }
}
