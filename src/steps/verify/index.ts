/**
 * `elbx verify` as a plain function: the configuration, instances, DNS, each listener, and for each
 * secure listener the certificate it serves (against its configured one) and the enforcement of its
 * SSL policy (protocols, ciphers, server order), every one reported as pass, fail, warn or skip. Nothing
 * here throws for a failed check (the report says so); only Ctrl-C and the first AWS lookup of the
 * load balancer itself can throw. `create --https --verify` runs the same function.
 */
import {getMaxListeners, setMaxListeners} from 'node:events'

import {inStep} from '../../aws/errors.js'
import type {AcmGateway, ElbGateway, IamGateway} from '../../aws/gateways.js'
import {VerificationFailedError, throwIfInterrupted} from '../../errors.js'
import type {LoadBalancer} from '../../model.js'
import {describeBackendAuthentication} from '../backend-auth.js'
import {describeListenerSslPolicy} from '../ssl-policy.js'
import {waitForInService} from '../wait-for-in-service.js'
import {formatListener, isSecure} from '../../validate/listener.js'
import {type ConfigurationDeps, checkConfiguration} from './configuration.js'
import {
  type ConfiguredCertificate,
  type UnreadableCertificate,
  compareServedCertificate,
  isConfigured,
  readConfiguredCertificate,
} from './configured-certificate.js'
import type {ConnectToRule} from './connect-to.js'
import {checkDns} from './dns.js'
import {type InstancesDeps, type InstancesOptions, checkInstances} from './instances.js'
import {servedCertificateWeaknesses} from './certificate.js'
import type {TlsSession, VerifyNetwork} from './network.js'
import {nodeNetwork} from './node-network.js'
import {PROBE_CONCURRENCY} from './cipher-enforcement.js'
import {checkPolicyEnforcement} from './policy-enforcement.js'
import {
  type HostSource,
  type ProbeContext,
  isRedirected,
  listenerRoute,
  probeHttpListener,
  probeTcpListener,
  probeTlsListener,
} from './probes.js'
import {type CheckOutcome, type CheckStatus, type VerifyCheck, type VerifyReport, skip} from './types.js'

export type {CheckStatus, VerifyCheck, VerifyReport} from './types.js'
export {type ConnectToRule, parseConnectTo, hostNameProblem} from './connect-to.js'
export type {VerifyNetwork} from './network.js'
export type {HostSource} from './probes.js'
export {
  checkServedCertificate,
  compareServedCertificate,
  readConfiguredCertificate,
} from './configured-certificate.js'

/** The AWS gateway, plus every other dependency with a real default; tests replace what they need. */
export interface VerifyDeps {
  elb: ElbGateway
  /** Read the listeners' configured certificates; without them the certificate checks are skipped. */
  iam?: IamGateway
  acm?: AcmGateway
  network?: VerifyNetwork
  describeListenerSslPolicy?: ConfigurationDeps['describeListenerSslPolicy']
  describeBackendAuthentication?: ConfigurationDeps['describeBackendAuthentication']
  waitForInService?: InstancesDeps['waitForInService']
  now?: () => Date
}

export interface VerifyOptions {
  loadBalancerName: string
  /** SNI and Host header; defaults to the load balancer's DNS name. */
  host?: string
  /**
   * Without `host`, present a name the listener's configured certificate covers instead of the
   * DNS name (which no public certificate covers); a mismatch is then only a warning.
   * `create --verify` guesses, since it has no --host.
   */
  guessHost?: boolean
  /** Path of the GETs; defaults to /. */
  path?: string
  /** Every instance InService, not just one. */
  all?: boolean
  waitTimeoutMs: number
  connectTo?: ConnectToRule[]
  /** Do not fail on an untrusted chain (everything is still reported). */
  insecure?: boolean
  /** Per DNS lookup, connection and handshake. */
  probeTimeoutMs?: number
  signal?: AbortSignal
  /** A check is about to run ("Checking DNS..."), or the wait for InService moved on. */
  onProgress?: (message: string) => void
  /** A check finished. */
  onCheck?: (check: VerifyCheck) => void
  onInstanceChange?: InstancesOptions['onChange']
}

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000

const COUNT_KEYS: CheckStatus[] = ['pass', 'fail', 'warn', 'skip']

/** Assembles a report from checks: passed unless one failed. */
export function toReport(
  base: Pick<VerifyReport, 'loadBalancerName' | 'dnsName' | 'host' | 'hostSource'>,
  checks: VerifyCheck[],
): VerifyReport {
  const counts = Object.fromEntries(
    COUNT_KEYS.map((k) => [k, checks.filter((c) => c.status === k).length]),
  ) as Record<CheckStatus, number>
  return {
    loadBalancerName: base.loadBalancerName,
    ...(base.dnsName ? {dnsName: base.dnsName} : {}),
    ...(base.host ? {host: base.host} : {}),
    ...(base.hostSource ? {hostSource: base.hostSource} : {}),
    checks,
    passed: counts.fail === 0,
    counts,
  }
}

/** The checks that follow the configuration check, in the order they run. */
function dependentTitles(lb: LoadBalancer | undefined): {id: string; title: string}[] {
  const rows = [
    {id: 'instances', title: 'Instances InService'},
    {id: 'dns', title: 'DNS name resolves'},
  ]
  for (const {listener} of sortedListeners(lb)) rows.push(...listenerCheckTitles(listener))
  return rows
}

function sortedListeners(lb: LoadBalancer | undefined) {
  return [...(lb?.listeners ?? [])].sort((a, b) => a.listener.loadBalancerPort - b.listener.loadBalancerPort)
}

function listenerCheckTitles(
  listener: LoadBalancer['listeners'][number]['listener'],
): {id: string; title: string}[] {
  const port = listener.loadBalancerPort
  const rows = [
    {
      id: `${listener.protocol.toLowerCase()}:${port}`,
      title: `Listener ${formatListener(listener)}`,
    },
  ]
  if (isSecure(listener.protocol)) {
    rows.push({id: `certificate:${port}`, title: `Configured certificate served on ${port}`})
    rows.push({id: `policy:${port}`, title: `SSL policy enforced on ${port}`})
  }
  return rows
}

/**
 * Runs every check against the load balancer and returns the report. A check whose prerequisite
 * failed (no load balancer, no DNS answer, an unreachable listener) is "skip" with the reason.
 */
export async function runVerification(deps: VerifyDeps, options: VerifyOptions): Promise<VerifyReport> {
  const network = deps.network ?? nodeNetwork
  const now = deps.now ?? (() => new Date())
  const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
  const checks: VerifyCheck[] = []
  const record = (id: string, title: string, outcome: CheckOutcome): void => {
    const check: VerifyCheck = {id, title, ...outcome}
    checks.push(check)
    options.onCheck?.(check)
  }
  const progress = (message: string) => options.onProgress?.(message)
  // Every handshake in flight listens for Ctrl-C on the same signal; that many is expected, not a leak.
  if (options.signal)
    setMaxListeners(Math.max(getMaxListeners(options.signal), 4 * PROBE_CONCURRENCY), options.signal)

  throwIfInterrupted(options.signal)
  progress('Checking the configuration')
  // Credentials, region or endpoint problems surface here as one AWS error (exit 1), not as a report.
  const lb = await inStep('Describe load balancer', () =>
    deps.elb.describeLoadBalancer(options.loadBalancerName),
  )
  if (!lb) {
    record('configuration', 'Configuration', {
      status: 'fail',
      detail: `there is no load balancer named "${options.loadBalancerName}" in this region (check --name and --region)`,
    })
    for (const row of dependentTitles(undefined))
      record(row.id, row.title, skip('not checked: the load balancer does not exist'))
    return toReport({loadBalancerName: options.loadBalancerName}, checks)
  }

  const configuration = await checkConfiguration(
    {
      elb: deps.elb,
      describeListenerSslPolicy: deps.describeListenerSslPolicy ?? describeListenerSslPolicy,
      describeBackendAuthentication: deps.describeBackendAuthentication ?? describeBackendAuthentication,
    },
    lb,
  )
  record('configuration', 'Configuration', configuration.outcome)
  const configured = await readConfiguredCertificates(deps, lb)
  const {host, hostSource} = chooseHost(options, lb, configured)

  throwIfInterrupted(options.signal)
  progress(`Waiting for ${options.all ? 'every instance' : 'an instance'} to be InService`)
  record(
    'instances',
    'Instances InService',
    await checkInstances({elb: deps.elb, waitForInService: deps.waitForInService ?? waitForInService}, lb, {
      all: options.all ?? false,
      waitTimeoutMs: options.waitTimeoutMs,
      ...(options.signal ? {signal: options.signal} : {}),
      ...(options.onInstanceChange ? {onChange: options.onInstanceChange} : {}),
    }),
  )

  const listeners = sortedListeners(lb).map((l) => l.listener)
  const connectTo = options.connectTo ?? []
  throwIfInterrupted(options.signal)
  progress(`Resolving ${lb.dnsName}`)
  const everyListenerRedirected =
    listeners.length > 0 && listeners.every((l) => isRedirected({connectTo, dnsName: lb.dnsName, host}, l))
  const dns = await checkDns(network, lb.dnsName, {timeoutMs: probeTimeoutMs, everyListenerRedirected})
  record('dns', 'DNS name resolves', dns.outcome)

  const ctx: ProbeContext = {
    network,
    dnsName: lb.dnsName,
    host,
    hostSource,
    path: options.path ?? '/',
    connectTo,
    dnsResolved: dns.outcome.status === 'pass',
    insecure: options.insecure ?? false,
    timeoutMs: probeTimeoutMs,
    now,
    ...(options.signal ? {signal: options.signal} : {}),
  }
  for (const listener of listeners) {
    const [main, certificateRow, policyRow] = listenerCheckTitles(listener)
    throwIfInterrupted(options.signal)
    // Announce only what will run: a listener the DNS name cannot reach is skipped at once.
    const willProbe = dns.outcome.status === 'pass' || listenerRoute(ctx, listener).rule !== undefined
    if (willProbe) progress(`Probing ${formatListener(listener)}`)
    if (listener.protocol === 'HTTP') {
      record(main!.id, main!.title, (await probeHttpListener(ctx, listener)).outcome)
    } else if (listener.protocol === 'TCP') {
      record(main!.id, main!.title, (await probeTcpListener(ctx, listener)).outcome)
    } else {
      const policy = configuration.sslPolicies.get(listener.loadBalancerPort)
      const probe = await probeTlsListener(ctx, listener, policy)
      record(main!.id, main!.title, probe.outcome)
      record(certificateRow!.id, certificateRow!.title, servedCertificateOutcome(listener, configured, probe))
      throwIfInterrupted(options.signal)
      const skipped = probe.outcome.status === 'skip'
      if (policy && !skipped && probe.reached)
        progress(`Probing the protocols and ciphers the policy on ${listener.loadBalancerPort} disables`)
      record(
        policyRow!.id,
        policyRow!.title,
        await checkPolicyEnforcement(
          ctx,
          listener,
          policy,
          {reached: probe.reached, skipped},
          servedKeyType(probe.session),
        ),
      )
    }
  }
  return toReport({loadBalancerName: lb.name, dnsName: lb.dnsName, host, hostSource}, checks)
}

/** The key type of the served leaf certificate (rsa, ec...), if the handshake showed one. */
function servedKeyType(session: TlsSession | undefined): string | undefined {
  return servedCertificateWeaknesses(session?.certificate)[0]?.strength.keyType
}

type Configured = Map<string, ConfiguredCertificate | UnreadableCertificate>

/** The configured certificate of every secure listener, each ARN read once, all at once. */
async function readConfiguredCertificates(deps: VerifyDeps, lb: LoadBalancer): Promise<Configured> {
  const arns = [
    ...new Set(
      lb.listeners
        .filter((l) => isSecure(l.listener.protocol) && l.listener.sslCertificateId)
        .map((l) => l.listener.sslCertificateId!),
    ),
  ]
  const gateways = {...(deps.iam ? {iam: deps.iam} : {}), ...(deps.acm ? {acm: deps.acm} : {})}
  const read = await Promise.all(arns.map((arn) => readConfiguredCertificate(gateways, arn)))
  return new Map(arns.map((arn, i) => [arn, read[i]!]))
}

/** --host; else (when asked to guess) a name the configured certificate covers; else the DNS name. */
function chooseHost(
  options: VerifyOptions,
  lb: LoadBalancer,
  configured: Configured,
): {host: string; hostSource: HostSource} {
  if (options.host) return {host: options.host, hostSource: 'given'}
  if (options.guessHost) {
    const names = [...configured.values()].filter(isConfigured).flatMap((c) => c.dnsNames)
    // A wildcard covers any one label; "www" is the likeliest one clients use.
    const guess = names.find((n) => !n.startsWith('*.')) ?? names[0]?.replace(/^\*\./, 'www.')
    if (guess) return {host: guess.toLowerCase(), hostSource: 'guessed'}
  }
  return {host: lb.dnsName, hostSource: 'dns-name'}
}

/** The certificate check of one secure listener, from its TLS probe and its configured certificate. */
function servedCertificateOutcome(
  listener: LoadBalancer['listeners'][number]['listener'],
  configured: Configured,
  probe: Awaited<ReturnType<typeof probeTlsListener>>,
): CheckOutcome {
  if (!listener.sslCertificateId) return skip('not compared: the listener names no certificate')
  if (!probe.session) {
    return skip(
      probe.outcome.status === 'skip'
        ? `not compared: the ${listener.protocol} check was skipped`
        : 'not compared: no TLS session (see the listener check)',
    )
  }
  return compareServedCertificate(configured.get(listener.sslCertificateId)!, probe.session.certificate)
}

/** "2 checks failed: dns, https:443" */
export function failureSummary(report: VerifyReport): string {
  const failed = report.checks.filter((c) => c.status === 'fail')
  return `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.id).join(', ')}`
}

/** The error (exit 4) a command throws for a report that did not pass; the report rides along for --json. */
export function verificationFailure(report: VerifyReport): VerificationFailedError {
  const first = report.checks.find((c) => c.status === 'fail')
  return new VerificationFailedError(
    `Verification of ${report.loadBalancerName} failed: ${failureSummary(report)}.`,
    first ? `${first.title}: ${first.detail.split('\n')[0]}` : undefined,
    {report},
  )
}
