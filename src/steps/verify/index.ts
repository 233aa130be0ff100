/**
 * `elbx verify` as a plain function: the configuration, instances, DNS, each listener, and each
 * secure listener's policy enforcement, every one reported as pass, fail, warn or skip. Nothing
 * here throws for a failed check (the report says so); only Ctrl-C and the first AWS lookup of the
 * load balancer itself can throw. `create --https --verify` runs the same function.
 */
import {inStep} from '../../aws/errors.js'
import type {ElbGateway} from '../../aws/gateways.js'
import {VerificationFailedError, throwIfInterrupted} from '../../errors.js'
import type {LoadBalancer} from '../../model.js'
import {describeBackendAuthentication} from '../backend-auth.js'
import {describeListenerSslPolicy} from '../ssl-policy.js'
import {waitForInService} from '../wait-for-in-service.js'
import {formatListener, isSecure} from '../../validate/listener.js'
import {type ConfigurationDeps, checkConfiguration} from './configuration.js'
import type {ConnectToRule} from './connect-to.js'
import {checkDns} from './dns.js'
import {type InstancesDeps, type InstancesOptions, checkInstances} from './instances.js'
import type {VerifyNetwork} from './network.js'
import {nodeNetwork} from './node-network.js'
import {checkPolicyEnforcement} from './policy-enforcement.js'
import {
  type ProbeContext,
  isRedirected,
  probeHttpListener,
  probeTcpListener,
  probeTlsListener,
} from './probes.js'
import {type CheckOutcome, type CheckStatus, type VerifyCheck, type VerifyReport, skip} from './types.js'

export type {CheckStatus, VerifyCheck, VerifyReport} from './types.js'
export {type ConnectToRule, parseConnectTo, hostNameProblem} from './connect-to.js'
export type {VerifyNetwork} from './network.js'

/** The AWS gateway, plus every other dependency with a real default; tests replace what they need. */
export interface VerifyDeps {
  elb: ElbGateway
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
  base: Pick<VerifyReport, 'loadBalancerName' | 'dnsName' | 'host'>,
  checks: VerifyCheck[],
): VerifyReport {
  const counts = Object.fromEntries(
    COUNT_KEYS.map((k) => [k, checks.filter((c) => c.status === k).length]),
  ) as Record<CheckStatus, number>
  return {
    loadBalancerName: base.loadBalancerName,
    ...(base.dnsName ? {dnsName: base.dnsName} : {}),
    ...(base.host ? {host: base.host} : {}),
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
  if (isSecure(listener.protocol)) rows.push({id: `policy:${port}`, title: `SSL policy enforced on ${port}`})
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

  const host = options.host ?? lb.dnsName
  const configuration = await checkConfiguration(
    {
      elb: deps.elb,
      describeListenerSslPolicy: deps.describeListenerSslPolicy ?? describeListenerSslPolicy,
      describeBackendAuthentication: deps.describeBackendAuthentication ?? describeBackendAuthentication,
    },
    lb,
  )
  record('configuration', 'Configuration', configuration.outcome)

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
    path: options.path ?? '/',
    connectTo,
    dnsResolved: dns.outcome.status === 'pass',
    insecure: options.insecure ?? false,
    timeoutMs: probeTimeoutMs,
    now,
    ...(options.signal ? {signal: options.signal} : {}),
  }
  for (const listener of listeners) {
    const [main, policyRow] = listenerCheckTitles(listener)
    throwIfInterrupted(options.signal)
    progress(`Probing ${formatListener(listener)}`)
    if (listener.protocol === 'HTTP') {
      record(main!.id, main!.title, (await probeHttpListener(ctx, listener)).outcome)
    } else if (listener.protocol === 'TCP') {
      record(main!.id, main!.title, (await probeTcpListener(ctx, listener)).outcome)
    } else {
      const policy = configuration.sslPolicies.get(listener.loadBalancerPort)
      const probe = await probeTlsListener(ctx, listener, policy)
      record(main!.id, main!.title, probe.outcome)
      throwIfInterrupted(options.signal)
      progress(`Probing the protocols the policy on ${listener.loadBalancerPort} disables`)
      record(
        policyRow!.id,
        policyRow!.title,
        await checkPolicyEnforcement(ctx, listener, policy, {
          reached: probe.reached,
          skipped: probe.outcome.status === 'skip',
        }),
      )
    }
  }
  return toReport({loadBalancerName: lb.name, dnsName: lb.dnsName, host}, checks)
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
