import {Flags} from '@oclif/core'

import {DryRunRecorder} from '../../aws/dry-run.js'
import {InvalidInputError, VerificationFailedError} from '../../errors.js'
import {certificateFlags, dryRunFlag, loadBalancerNameFlag} from '../../flags.js'
import type {Listener} from '../../model.js'
import {defaultCertificateName} from '../../steps/certificate.js'
import {changeTasks, newChangeRun, type ChangeRun} from '../../steps/engine/change-run.js'
import {
  checkRotation,
  isDeletion,
  observeRotation,
  planRotation,
  type DesiredRotation,
  type ListenerSelection,
  type ObservedRotation,
  type RotationPlan,
} from '../../steps/engine/changes/certificate.js'
import type {Action} from '../../steps/engine/plan.js'
import {answered} from '../../steps/engine/create-flow.js'
import {planEntry, type PlanEntry} from '../../steps/engine/render.js'
import {Rollback} from '../../steps/rollback.js'
import {parseConnectTo, type ConnectToRule} from '../../steps/verify/connect-to.js'
import {checkListenerServes} from '../../steps/verify/served-certificate.js'
import type {CheckStatus} from '../../steps/verify/types.js'
import {runTasks} from '../../ui/tasks.js'
import {
  checkCertificateArn,
  checkCertificateRegion,
  serverCertificateNameOf,
} from '../../validate/certificate-arn.js'
import {certificateSource, type CertificateSource} from '../../validate/create-input.js'
import {parseIntInRange, parsePort} from '../../validate/ranges.js'
import {LOAD_BALANCER, required, type Needs} from '../../base-command.js'
import {ChangeCommand, type ChangePlanResult} from '../../change-command.js'

/** One listener in the result: what it served, what it serves now. */
export interface RotatedListenerResult {
  loadBalancerName: string
  loadBalancerPort: number
  protocol: Listener['protocol']
  /** The certificate it served before. */
  from: string | null
  /** The certificate it serves after the run. */
  certificateArn: string | null
  status: 'swapped' | 'unchanged' | 'restored'
}

/** `--json` result of `elbx cert rotate`. */
export interface CertRotateResult {
  status: 'changed' | 'unchanged'
  certificate: {arn: string; name?: string; status: 'uploaded' | 'in-iam' | 'given'}
  listeners: RotatedListenerResult[]
  /** With --delete-old: each replaced certificate and what became of it. */
  oldCertificates: {arn: string; status: 'deleted' | 'in-use' | 'not-iam'; usedBy: string[]}[]
  /** With --verify: per listener, whether it serves the new certificate. */
  verification?: {loadBalancerName: string; loadBalancerPort: number; status: CheckStatus; detail: string}[]
  /** What this run created (the uploaded certificate). */
  createdResources: {kind: string; id: string}[]
  /** What this run sent: each action of the plan (empty when nothing changed). */
  plan: PlanEntry[]
}

/** `--json` result of `elbx cert rotate --dry-run`. */
export type CertRotatePlanResult = ChangePlanResult

const DEFAULT_VERIFY_TIMEOUT_SECONDS = 60

export default class CertRotate extends ChangeCommand<typeof CertRotate> {
  static override summary =
    "Swap the certificate of a load balancer's HTTPS/SSL listeners in place, keeping their SSL policy and every other policy."

  static override description = `Each chosen listener gets the new certificate with SetLoadBalancerListenerSSLCertificate: the listener is not deleted and created again (as Terraform and CloudFormation do), so its SSL negotiation policy, cookie stickiness and other policies stay exactly as they are, and its traffic goes on. A certificate given as files is checked locally and uploaded to IAM first (a key under 2048 bits or a SHA-1 signature is warned about); ELB may not see a just-uploaded certificate for a while, and the swap is retried until it does.

The listener on --port (default 443), every HTTPS/SSL listener with --all-ports, or every listener that serves the certificate --replace names (on every load balancer of the Region with --all-load-balancers). The plan is shown first and applied once confirmed (--yes without a terminal).

--verify connects to each listener (--connect-to as in curl) and compares the certificate it serves with the new one by SHA-256 fingerprint; when it does not serve it within --verify-timeout, the old certificate is put back, the uploaded one deleted, and elbx exits 4. --delete-old then deletes each replaced IAM certificate that no listener in the Region serves any more. A rerun with the same certificate changes nothing. See docs/cert.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --certificate-file new-cert.pem --private-key-file new-key.pem --chain-file chain.pem',
    '<%= config.bin %> <%= command.id %> --name my-lb --certificate arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012 --all-ports --verify --delete-old',
    '<%= config.bin %> <%= command.id %> --replace arn:aws:iam::123456789012:server-certificate/old --certificate arn:aws:iam::123456789012:server-certificate/new --all-load-balancers --dry-run',
  ]

  static override needs: Needs = {
    flags: {
      name: {...LOAD_BALANCER, unless: ['all-load-balancers']},
      certificate: required('which certificate the listeners are to serve', {
        label: '--certificate ARN (or --certificate-file and --private-key-file)',
        given: (f) => f.certificate !== undefined || f['certificate-file'] !== undefined,
      }),
    },
    example: '--name my-lb --certificate-file cert.pem --private-key-file key.pem',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    ...certificateFlags(),
    port: Flags.string({
      char: 'p',
      description: 'Load balancer port of the HTTPS or SSL listener (default 443).',
      exclusive: ['all-ports', 'replace'],
    }),
    'all-ports': Flags.boolean({
      description: 'Every HTTPS and SSL listener of the load balancer.',
      exclusive: ['port', 'replace'],
    }),
    replace: Flags.string({
      description:
        'Every listener that serves this certificate ARN now (of --name, or of every load balancer with --all-load-balancers).',
      exclusive: ['port', 'all-ports'],
    }),
    'all-load-balancers': Flags.boolean({
      description: 'With --replace: every load balancer of the Region, instead of --name.',
      dependsOn: ['replace'],
      exclusive: ['name'],
    }),
    verify: Flags.boolean({
      description:
        'Check that each listener serves the new certificate (SHA-256 fingerprint); if not, put the old one back and exit 4.',
    }),
    'connect-to': Flags.string({
      multiple: true,
      description: 'With --verify: HOST1:PORT1:HOST2:PORT2, as in curl and `elbx verify`.',
      dependsOn: ['verify'],
    }),
    'verify-timeout': Flags.string({
      description: `With --verify: seconds to wait for the listener to serve the new certificate (1-600, default ${DEFAULT_VERIFY_TIMEOUT_SECONDS}).`,
      dependsOn: ['verify'],
    }),
    'delete-old': Flags.boolean({
      description:
        'Delete each replaced IAM server certificate that no load balancer in the Region serves any more (after --verify passed).',
    }),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<CertRotateResult | CertRotatePlanResult> {
    const flags = this.flags
    // Everything the user typed is checked before the first request.
    const replace = flags.replace === undefined ? undefined : checkCertificateArn(flags.replace, '--replace')
    const selection: ListenerSelection = replace
      ? {kind: 'replace', certificateArn: replace}
      : flags['all-ports']
        ? {kind: 'all-ports'}
        : {kind: 'port', loadBalancerPort: parsePort('--port', flags.port ?? '443')}
    const certificate = certificateSource(flags, new Date())
    const connectTo: ConnectToRule[] = (flags['connect-to'] ?? []).map(parseConnectTo)
    const verifyBudgetMs =
      parseIntInRange(
        '--verify-timeout',
        flags['verify-timeout'] ?? String(DEFAULT_VERIFY_TIMEOUT_SECONDS),
        1,
        600,
        'The verify timeout is a number of seconds.',
      ) * 1000
    const allLoadBalancers = flags['all-load-balancers']
    // The base command has refused a run without a certificate flag (needs).
    if (certificate === undefined) throw new Error('internal: no certificate flag')
    if (allLoadBalancers && certificate.kind === 'upload')
      throw new InvalidInputError(
        '--all-load-balancers takes the new certificate by --certificate ARN, not as files.',
        'Upload it once (for example with `elbx cert rotate --name ONE-LB --certificate-file ...`), then pass its ARN.',
      )
    if (replace && certificate.kind === 'arn' && certificate.arn === replace)
      throw new InvalidInputError(
        '--replace and --certificate name the same certificate: nothing would change.',
      )
    if (certificate.kind === 'upload') for (const w of certificate.checked.warnings ?? []) this.ui.warn(w)
    const loadBalancerName = allLoadBalancers ? undefined : await this.loadBalancerName()
    const source: CertificateSource =
      certificate.kind === 'upload'
        ? {
            kind: 'upload',
            checked: certificate.checked,
            name:
              certificate.name ?? defaultCertificateName(loadBalancerName!, certificate.checked.fingerprint),
          }
        : certificate

    const dryRun = flags['dry-run'] ? new DryRunRecorder() : undefined
    const gateways = await this.aws(dryRun ? {dryRun} : {})
    // The Region is known now: an ACM certificate must be of it.
    if (source.kind === 'arn') checkCertificateRegion(source.arn, gateways.region)
    if (replace) checkCertificateRegion(replace, gateways.region, '--replace')
    const desired: DesiredRotation = {
      ...(loadBalancerName ? {loadBalancerName} : {}),
      certificate: source,
      listeners: selection,
      deleteOld: flags['delete-old'],
    }

    const state: {observed?: ObservedRotation; plan?: RotationPlan} = {}
    await runTasks(
      this.ui,
      [
        {
          title: 'Read the load balancer and the certificate',
          run: async (s) => {
            s.observed = await observeRotation(gateways, desired)
            checkRotation(desired, s.observed)
            s.plan = planRotation(desired, s.observed)
            const n = s.plan.actions.length
            return n ? `${n} change(s) planned` : 'nothing to change'
          },
        },
      ],
      state,
      this.interrupt.signal,
    )
    const plan = state.plan!
    if (dryRun)
      return this.printDryRun(
        plan.actions,
        {desired: {certificate: source}, gateways},
        dryRun,
        'carry out the rotation',
      )
    if (plan.outcome.listeners.length === 0 && replace)
      this.ui.info(`No listener serves ${replace}: nothing to change.`)
    if (plan.actions.length)
      await this.confirm(
        plan.actions,
        `cert rotate changes, in ${gateways.region}:`,
        'Swap the certificates?',
      )

    const rollback = new Rollback()
    const run = newChangeRun(gateways, {certificate: source}, rollback, {signal: this.interrupt.signal})
    const verification: NonNullable<CertRotateResult['verification']> = []
    const restored: Action[] = []
    const verify = async () => {
      if (!flags.verify) return
      await runTasks(
        this.ui,
        [this.verifyTask(plan, state.observed!, run, connectTo, verifyBudgetMs, verification)],
        run,
        this.interrupt.signal,
      )
      const failed = verification.filter((v) => v.status === 'fail')
      if (failed.length)
        throw new VerificationFailedError(
          `Verification failed: ${failed.map((f) => `listener ${f.loadBalancerPort} of ${f.loadBalancerName}`).join(', ')} ${failed.length > 1 ? 'do' : 'does'} not serve the new certificate.`,
          failed[0]!.detail.split('\n')[0],
          {verification},
        )
    }
    try {
      // A deletion cannot be undone: it waits for the verification, and a failure after it undoes nothing.
      await this.applyChanges(
        run,
        plan.actions.filter((a) => !isDeletion(a)),
        {
          step: 'cert rotate',
          restored,
          describe: (done) => describeDone(done, run),
          then: verify,
        },
      )
      const deletions = plan.actions.filter(isDeletion)
      if (deletions.length)
        await runTasks(
          this.ui,
          changeTasks(deletions, (_s, done) => describeDone(done, run)),
          run,
          this.interrupt.signal,
        )
    } catch (error) {
      // What the run found stands beside the error in --json: which listeners were put back, and why.
      if (verification.length || restored.length)
        this.resultDespiteFailure = this.result(plan, run, verification, flags.verify, restored)
      throw error
    }
    const result = this.result(plan, run, verification, flags.verify, restored)
    this.printSummary(result)
    return result
  }

  private verifyTask(
    plan: RotationPlan,
    observed: ObservedRotation,
    run: ChangeRun,
    connectTo: ConnectToRule[],
    budgetMs: number,
    out: NonNullable<CertRotateResult['verification']>,
  ) {
    return {
      title: 'Verify the listeners serve the new certificate',
      run: async (_: ChangeRun, progress: (m: string) => void) => {
        const arn = answered(plan.outcome.certificate.arn, run)
        const checks = await Promise.all(
          plan.outcome.listeners.map(async (l) => {
            const lb = observed.loadBalancers.find((b) => b.name === l.loadBalancerName)!
            const outcome = await checkListenerServes(
              {iam: run.gateways.iam, acm: run.gateways.acm},
              {
                dnsName: lb.dnsName,
                listener: l.listener,
                certificateArn: arn,
                connectTo,
                budgetMs,
                probeTimeoutMs: 10_000,
                ...(run.signal ? {signal: run.signal} : {}),
                onRetry: progress,
              },
            )
            return {
              loadBalancerName: l.loadBalancerName,
              loadBalancerPort: l.listener.loadBalancerPort,
              status: outcome.status,
              detail: outcome.detail,
            }
          }),
        )
        out.push(...checks)
        const passed = checks.filter((c) => c.status === 'pass').length
        return `${passed} of ${checks.length} serve it`
      },
    }
  }

  private result(
    plan: RotationPlan,
    run: ChangeRun,
    verification: NonNullable<CertRotateResult['verification']>,
    verified: boolean,
    restored: Action[],
  ): CertRotateResult {
    const arn = answered(plan.outcome.certificate.arn, run)
    const swapped = new Set(
      run.done
        .filter((a) => a.call.operation === 'SetLoadBalancerListenerSSLCertificate')
        .map((a) => a.target),
    )
    const deleted = new Set(
      run.done.flatMap((a) => (a.call.operation === 'DeleteServerCertificate' ? [a.call.name] : [])),
    )
    const c = plan.outcome.certificate
    return {
      status: plan.actions.length ? 'changed' : 'unchanged',
      certificate: {
        arn,
        ...(c.name ? {name: c.name} : {}),
        status: c.status === 'upload' ? 'uploaded' : c.status === 'unchanged' ? 'in-iam' : 'given',
      },
      listeners: plan.outcome.listeners.map((l) => {
        const target = `listener ${l.listener.loadBalancerPort} of ${l.loadBalancerName}`
        const isRestored = restored.some((a) => a.target === target)
        const isSwapped = swapped.has(target) && !isRestored
        return {
          loadBalancerName: l.loadBalancerName,
          loadBalancerPort: l.listener.loadBalancerPort,
          protocol: l.listener.protocol,
          from: l.from ?? null,
          certificateArn: isSwapped || (l.status === 'unchanged' && !isRestored) ? arn : (l.from ?? null),
          status: isRestored
            ? ('restored' as const)
            : isSwapped
              ? ('swapped' as const)
              : ('unchanged' as const),
        }
      }),
      oldCertificates: plan.outcome.oldCertificates.map((o) => ({
        arn: o.arn,
        // Planned for deletion but not deleted: the run stopped before (it threw), so this is not reached.
        status:
          o.status === 'delete' && deleted.has(serverCertificateNameOf(o.arn)!)
            ? 'deleted'
            : o.status === 'delete'
              ? 'in-use'
              : o.status,
        usedBy: o.usedBy,
      })),
      ...(verified ? {verification} : {}),
      createdResources: run.rollback.created.map((r) => ({kind: r.kind, id: r.id})),
      plan: plan.actions.map(planEntry),
    }
  }

  private printSummary(r: CertRotateResult): void {
    const swapped = r.listeners.filter((l) => l.status === 'swapped')
    this.log(
      swapped.length
        ? `Swapped the certificate of ${swapped.length} listener(s) for ${r.certificate.arn}; their policies are unchanged.`
        : `Unchanged: ${r.listeners.length ? 'every chosen listener serves' : 'no listener to change for'} ${r.certificate.arn}.`,
    )
    for (const l of r.listeners)
      this.log(
        `  ${l.loadBalancerName}:${l.loadBalancerPort} (${l.protocol})  ${l.status === 'swapped' ? `${l.from ?? '(none)'} -> ${l.certificateArn}` : 'unchanged'}`,
      )
    for (const v of r.verification ?? [])
      this.log(`  verified ${v.loadBalancerName}:${v.loadBalancerPort}: ${v.detail.split('\n')[0]}`)
    for (const o of r.oldCertificates)
      this.log(
        o.status === 'deleted'
          ? `Deleted the replaced certificate ${o.arn}.`
          : o.status === 'in-use'
            ? `Kept the replaced certificate ${o.arn}: ${o.usedBy.join(', ')} still ${o.usedBy.length === 1 ? 'serves' : 'serve'} it.`
            : `Kept the replaced certificate ${o.arn}: elbx deletes only IAM server certificates (ACM's: \`aws acm delete-certificate\`).`,
      )
  }
}

/** What a step's actions did, for its task line. */
function describeDone(done: Action[], run: ChangeRun): string {
  return done
    .map((a) =>
      a.call.operation === 'UploadServerCertificate'
        ? `uploaded ${a.call.name} (${run.outputs.get(a.id) ?? ''})`
        : a.call.operation === 'DeleteServerCertificate'
          ? `deleted ${a.call.name}`
          : `${a.target}: swapped`,
    )
    .join(', ')
}
