import {Flags} from '@oclif/core'

import type {Gateways} from '../../aws/gateways.js'
import {InvalidInputError, VerificationFailedError} from '../../errors.js'
import {certificateFlags, loadBalancerNameFlag} from '../../flags.js'
import type {Listener} from '../../model.js'
import {defaultCertificateName} from '../../steps/certificate.js'
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
import {parseConnectTo, type ConnectToRule} from '../../steps/verify/connect-to.js'
import {checkListenerServes} from '../../steps/verify/served-certificate.js'
import type {CheckStatus} from '../../steps/verify/types.js'
import {runTasks} from '../../ui/tasks.js'
import {checkCertificateArn, checkCertificateRegion} from '../../validate/certificate-arn.js'
import {certificateSource, type CertificateSource} from '../../validate/create-input.js'
import {parseIntInRange, parsePort} from '../../validate/ranges.js'
import {LOAD_BALANCER, required, type Needs} from '../../base-command.js'
import {ChangeCommand, dryRunFlag, type ChangeDryRunResult, type ChangeResult} from '../../change-command.js'

/** One listener in the result: what it served, what it serves now. */
export interface RotatedListenerResult {
  loadBalancerName: string
  loadBalancerPort: number
  protocol: Listener['protocol']
  /** The certificate it served before. */
  from: string | null
  /** The certificate it serves after the run. */
  certificateArn: string | null
  /** restored: --verify failed and the old certificate was put back (with the error, in --json). */
  status: 'swapped' | 'unchanged' | 'restored'
}

/** What `elbx cert rotate` reports (the `state` of its --json result). */
export interface RotationState {
  certificate: {arn: string; name?: string; status: 'uploaded' | 'in-iam' | 'given'}
  listeners: RotatedListenerResult[]
  /** With --delete-old: each replaced certificate and what becomes of it. */
  oldCertificates: {arn: string; status: 'deleted' | 'in-use' | 'not-iam'; usedBy: string[]}[]
  /** With --verify: per listener, whether it serves the new certificate. */
  verification?: {loadBalancerName: string; loadBalancerPort: number; status: CheckStatus; detail: string}[]
}

/** `--json` result of `elbx cert rotate` (loadBalancerName is "*" with --all-load-balancers). */
export type CertRotateResult = ChangeResult<RotationState> | ChangeDryRunResult

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

  public async run(): Promise<CertRotateResult> {
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

    const desired: DesiredRotation = {
      ...(loadBalancerName ? {loadBalancerName} : {}),
      certificate: source,
      listeners: selection,
      deleteOld: flags['delete-old'],
    }
    let observed: ObservedRotation | undefined
    return this.runChange<RotationState>({
      loadBalancerName: loadBalancerName ?? '*',
      ...(loadBalancerName ? {} : {subject: 'every load balancer of the Region'}),
      observePlan: async (gateways) => {
        // The Region is known now, before any request: an ACM certificate must be of it.
        if (source.kind === 'arn') checkCertificateRegion(source.arn, gateways.region)
        if (replace) checkCertificateRegion(replace, gateways.region, '--replace')
        observed = await observeRotation(gateways, desired)
        checkRotation(desired, observed)
        const plan = planRotation(desired, observed)
        if (plan.outcome.listeners.length === 0 && replace)
          this.ui.info(`No listener serves ${replace}: nothing to change.`)
        return {
          actions: plan.actions,
          state: stateOf(plan),
          changes: plan.actions.map(changeOf),
          warnings: [],
        }
      },
      desired: {certificate: source},
      title: 'Swap listener certificates',
      dryRun: flags['dry-run'],
      describe: describeRotation,
      // Once swapped: the uploaded certificate's ARN, then (--verify) is it served? A failure puts
      // the old certificates back and deletes the upload; --delete-old's deletions wait for this.
      check: async (state, gateways, outputs) => {
        const arn = outputs.get('upload-certificate') ?? state.certificate.arn
        state.certificate.arn = arn
        for (const l of state.listeners) if (l.status === 'swapped') l.certificateArn = arn
        if (!flags.verify) return
        state.verification = await this.verifyListeners(state, observed!, gateways, connectTo, verifyBudgetMs)
        const failed = state.verification.filter((v) => v.status === 'fail')
        if (failed.length === 0) return
        for (const l of state.listeners)
          if (l.status === 'swapped') Object.assign(l, {status: 'restored', certificateArn: l.from})
        this.resultDespiteFailure = {loadBalancerName: loadBalancerName ?? '*', changed: false, state}
        throw new VerificationFailedError(
          `Verification failed: ${failed.map((f) => `listener ${f.loadBalancerPort} of ${f.loadBalancerName}`).join(', ')} ${failed.length > 1 ? 'do' : 'does'} not serve the new certificate; the old certificate is put back.`,
          failed[0]!.detail.split('\n')[0],
          {verification: state.verification},
        )
      },
      afterCheck: isDeletion,
    })
  }

  /** Each chosen listener's served certificate against the new one, all at once, as a task. */
  private async verifyListeners(
    state: RotationState,
    observed: ObservedRotation,
    gateways: Gateways,
    connectTo: ConnectToRule[],
    budgetMs: number,
  ): Promise<NonNullable<RotationState['verification']>> {
    const out: {checks?: NonNullable<RotationState['verification']>} = {}
    await runTasks(
      this.ui,
      [
        {
          title: 'Verify the listeners serve the new certificate',
          run: async (c, progress) => {
            c.checks = await Promise.all(
              state.listeners.map(async (l) => {
                const lb = observed.loadBalancers.find((b) => b.name === l.loadBalancerName)!
                const listener = lb.listeners.find((d) => d.listener.loadBalancerPort === l.loadBalancerPort)!
                const outcome = await checkListenerServes(
                  {iam: gateways.iam, acm: gateways.acm},
                  {
                    dnsName: lb.dnsName,
                    listener: listener.listener,
                    certificateArn: state.certificate.arn,
                    connectTo,
                    budgetMs,
                    probeTimeoutMs: 10_000,
                    signal: this.interrupt.signal,
                    onRetry: progress,
                  },
                )
                return {
                  loadBalancerName: l.loadBalancerName,
                  loadBalancerPort: l.loadBalancerPort,
                  status: outcome.status,
                  detail: outcome.detail,
                }
              }),
            )
            return `${c.checks.filter((x) => x.status === 'pass').length} of ${c.checks.length} serve it`
          },
        },
      ],
      out,
      this.interrupt.signal,
    )
    return out.checks!
  }
}

/** The state the plan leaves: the certificate, each chosen listener, each replaced certificate. */
function stateOf(plan: RotationPlan): RotationState {
  const c = plan.outcome.certificate
  return {
    certificate: {
      arn: c.arn,
      ...(c.name ? {name: c.name} : {}),
      status: c.status === 'upload' ? 'uploaded' : c.status === 'unchanged' ? 'in-iam' : 'given',
    },
    listeners: plan.outcome.listeners.map((l) => ({
      loadBalancerName: l.loadBalancerName,
      loadBalancerPort: l.listener.loadBalancerPort,
      protocol: l.listener.protocol,
      from: l.from ?? null,
      certificateArn: c.arn,
      status: l.status === 'changed' ? 'swapped' : 'unchanged',
    })),
    oldCertificates: plan.outcome.oldCertificates.map((o) => ({
      arn: o.arn,
      status: o.status === 'delete' ? 'deleted' : o.status,
      usedBy: o.usedBy,
    })),
  }
}

/** One action in words, for the result's changes. */
function changeOf(a: Action): string {
  switch (a.call.operation) {
    case 'UploadServerCertificate':
      return `uploaded ${a.call.name} to IAM`
    case 'DeleteServerCertificate':
      return `deleted the replaced certificate ${a.call.name}`
    default:
      return `${a.target}: certificate swapped in place`
  }
}

/** The result for stdout, one line per listener and replaced certificate. */
function describeRotation(r: RotationState): string[] {
  return [
    ...r.listeners.map(
      (l) =>
        `  ${l.loadBalancerName}:${l.loadBalancerPort} (${l.protocol})  ${l.status === 'swapped' ? `${l.from ?? '(none)'} -> ${l.certificateArn}` : `serves ${l.certificateArn}`}`,
    ),
    ...(r.verification ?? []).map(
      (v) => `  verified ${v.loadBalancerName}:${v.loadBalancerPort}: ${v.detail.split('\n')[0]}`,
    ),
    ...r.oldCertificates.map((o) =>
      o.status === 'deleted'
        ? `  deleted the replaced certificate ${o.arn}`
        : o.status === 'in-use'
          ? `  kept the replaced certificate ${o.arn}: ${o.usedBy.join(', ')} still ${o.usedBy.length === 1 ? 'serves' : 'serve'} it`
          : `  kept the replaced certificate ${o.arn}: elbx deletes only IAM server certificates (ACM's: \`aws acm delete-certificate\`)`,
    ),
  ]
}
