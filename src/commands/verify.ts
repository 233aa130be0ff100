import {isIP} from 'node:net'

import {Flags} from '@oclif/core'
import {Chalk} from 'chalk'

import {ElbxCommand, LOAD_BALANCER, type Needs} from '../base-command.js'
import {InvalidInputError} from '../errors.js'
import {loadBalancerNameFlag, parseWaitTimeout} from '../flags.js'
import {DEFAULT_WAIT_TIMEOUT_SECONDS} from '../model.js'
import {
  type ConnectToRule,
  DEFAULT_PROBE_TIMEOUT_MS,
  type VerifyReport,
  hostNameProblem,
  parseConnectTo,
  runVerification,
  verificationFailure,
} from '../steps/verify/index.js'
import {normalizeHost} from '../steps/verify/connect-to.js'
import {countsText, renderChecklist} from '../ui/checklist.js'
import {instanceLine} from '../ui/instance-progress.js'
import {noColorRequested} from '../ui/output.js'
import {runTasks} from '../ui/tasks.js'
import {parseIntInRange} from '../validate/ranges.js'

export type VerifyResult = VerifyReport

const PATH_RULE = 'The path starts with "/" and has no spaces or control characters, e.g. --path /health.'

/** --path: what goes after the host in the URL. */
export function checkRequestPath(raw: string): string {
  if (!raw.startsWith('/')) throw new InvalidInputError(`--path "${raw}" does not start with "/".`, PATH_RULE)
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(raw))
    throw new InvalidInputError(`--path "${raw}" contains a space or control character.`, PATH_RULE)
  if (raw.length > 2048)
    throw new InvalidInputError(`--path has ${raw.length} characters; at most 2048 are allowed.`, PATH_RULE)
  return raw
}

/** --host: a DNS name or an IP address, sent as SNI and in the Host header. */
export function checkHost(raw: string): string {
  const value = raw.trim()
  if (isIP(value)) return value
  const problem = hostNameProblem(value)
  if (problem) {
    throw new InvalidInputError(
      `--host ${problem}.`,
      'Give the name clients use, e.g. --host www.example.com (no scheme, port or path).',
    )
  }
  return normalizeHost(value)
}

export default class Verify extends ElbxCommand<typeof Verify> {
  static override summary = 'Prove the load balancer serves HTTP and HTTPS the way it is configured.'

  static override description = `Runs a checklist and exits 4 when a check fails (warnings do not fail):
  1. configuration: the load balancer, its listeners, each HTTPS/SSL listener's certificate and SSL negotiation policy, back-end authentication, the health check;
  2. instances: at least one InService (every one with --all), waiting up to --wait-timeout;
  3. DNS: the DNS name resolves through the system resolver (so /etc/hosts counts);
  4. each HTTP listener: a GET answers 2xx or 3xx;
  5. each HTTPS/SSL listener: a TLS handshake with SNI (--host, or the DNS name) and a GET; the negotiated protocol and cipher must be enabled by the listener's policy; the certificate must cover the host name, be trusted (unless --insecure), unexpired, with an RSA key of at least 2048 bits and no SHA-1 signature (--insecure or not); it warns when the certificate expires within 30 days, and reports the key exchange group and Strict-Transport-Security;
  6. certificate: the served certificate is the listener's configured one (from IAM or ACM, by SHA-256 fingerprint);
  7. policy enforcement: each protocol the policy disables, and each cipher it does not enable (one handshake per cipher, for each enabled protocol), must be refused; with Server-Defined-Cipher-Order the server's cipher must win whatever the client's order; forward secrecy and key exchange groups are reported.

--connect-to HOST1:PORT1:HOST2:PORT2 works like curl's: connections meant for HOST1:PORT1 (the DNS name or --host) go to HOST2:PORT2, while SNI and the Host header keep the original name, so a load balancer can be checked before DNS propagates or through a tunnel. When the DNS name does not resolve but --connect-to covers every listener, the DNS check is a warning and the probes run.

See docs/verify.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb',
    '<%= config.bin %> <%= command.id %> --name my-lb --host www.example.com --path /health --all',
    '<%= config.bin %> <%= command.id %> --name my-lb --host www.example.com --connect-to ::203.0.113.10: --json',
  ]

  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb'}

  static override flags = {
    name: loadBalancerNameFlag(),
    host: Flags.string({
      description:
        'Host name to present: sent as SNI and in the Host header, and checked against the certificate (default: the DNS name).',
    }),
    path: Flags.string({description: 'Path of the GET requests.', default: '/'}),
    all: Flags.boolean({description: 'Require every registered instance to be InService, not just one.'}),
    'wait-timeout': Flags.string({
      description: `Wait up to this many seconds for instances to be InService (1-86400); after that the instances check fails.`,
      default: String(DEFAULT_WAIT_TIMEOUT_SECONDS),
    }),
    'connect-to': Flags.string({
      description:
        'HOST1:PORT1:HOST2:PORT2, as in curl: connect to HOST2:PORT2 instead of HOST1:PORT1 (empty HOST1 or PORT1 match any). Repeatable; the first match wins.',
      multiple: true,
    }),
    insecure: Flags.boolean({
      char: 'k',
      description:
        'Do not fail on a certificate chain that is not trusted (self-signed, private CA); everything is still reported.',
    }),
    'probe-timeout': Flags.string({
      description: `Seconds to wait for each DNS lookup, connection, handshake and response (1-300).`,
      default: String(DEFAULT_PROBE_TIMEOUT_MS / 1000),
    }),
  }

  public async run(): Promise<VerifyResult> {
    // Every flag is checked before the first AWS request.
    const host = this.flags.host === undefined ? undefined : checkHost(this.flags.host)
    const path = checkRequestPath(this.flags.path)
    const waitTimeoutMs = parseWaitTimeout(this.flags['wait-timeout'])
    const probeTimeoutMs =
      parseIntInRange(
        '--probe-timeout',
        this.flags['probe-timeout'],
        1,
        300,
        'The probe timeout is a number of seconds.',
      ) * 1000
    const connectTo: ConnectToRule[] = (this.flags['connect-to'] ?? []).map(parseConnectTo)
    const loadBalancerName = await this.loadBalancerName()

    const {elb, iam, acm} = await this.aws()
    const ctx: {report?: VerifyReport} = {}
    try {
      await runTasks(
        this.ui,
        [
          {
            title: `Verify ${loadBalancerName}`,
            run: async (c, progress) => {
              c.report = await runVerification(
                {elb, iam, acm},
                {
                  loadBalancerName,
                  ...(host ? {host} : {}),
                  path,
                  all: this.flags.all,
                  waitTimeoutMs,
                  connectTo,
                  insecure: this.flags.insecure,
                  probeTimeoutMs,
                  signal: this.interrupt.signal,
                  onProgress: progress,
                  // The task list shows the states live in a terminal and logs each change otherwise.
                  onInstanceChange: (states) => progress(states.map(instanceLine).join('; ')),
                },
              )
              // A failed check fails the task, so the task list shows a cross, not a tick.
              if (!c.report.passed) throw verificationFailure(c.report)
              return countsText(c.report)
            },
          },
        ],
        ctx,
        this.interrupt.signal,
      )
    } catch (error) {
      // The checklist is the result either way; anything else (AWS, Ctrl-C) is the error itself.
      if (!ctx.report || ctx.report.passed) throw error
    }
    const report = ctx.report!
    const color = this.flags.color && !noColorRequested() && Boolean(process.stdout.isTTY)
    this.log(
      renderChecklist(report, {
        table: Boolean(process.stdout.isTTY),
        colors: new Chalk({level: color ? 2 : 0}),
        ...(process.stdout.columns ? {width: process.stdout.columns} : {}),
      }),
    )
    if (!report.passed) {
      this.resultDespiteFailure = report
      throw verificationFailure(report)
    }
    return report
  }
}
