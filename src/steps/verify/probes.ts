import {InterruptedError} from '../../errors.js'
import type {Listener} from '../../model.js'
import type {ListenerSslPolicy} from '../ssl-policy.js'
import {
  EXPIRY_WARNING_DAYS,
  daysToExpiry,
  describeCertificate,
  describeChainError,
  hostMismatch,
  isExpired,
  servedCertificateWeaknesses,
} from './certificate.js'
import {groupLabel} from './cipher-suites.js'
import {type ConnectToRule, type Route, formatEndpoint, routeConnection} from './connect-to.js'
import {
  type HttpExchange,
  type TlsSession,
  type VerifyNetwork,
  describeNetworkError,
  isUnreachable,
} from './network.js'
import {type CheckOutcome, type CheckStatus, skip, worstStatus} from './types.js'

/** given: --host; dns-name: the load balancer's DNS name; guessed: elbx picked it (from the certificate). */
export type HostSource = 'given' | 'dns-name' | 'guessed'

/** What every listener probe needs: where to connect, which name to present, and how long to wait. */
export interface ProbeContext {
  network: VerifyNetwork
  dnsName: string
  /** Sent as SNI and in the Host header: --host, or the DNS name. */
  host: string
  /** Where `host` came from: a certificate that does not cover a guessed name only warns. */
  hostSource: HostSource
  path: string
  connectTo: ConnectToRule[]
  dnsResolved: boolean
  insecure: boolean
  timeoutMs: number
  now: () => Date
  signal?: AbortSignal
}

export interface ProbeResult {
  outcome: CheckOutcome
  /** The listener answered at all (a TLS alert counts): policy probes are worth running. */
  reached: boolean
}

const DEFAULT_PORT: Record<string, number> = {HTTP: 80, HTTPS: 443}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** "www.example.com" on the protocol's default port, "www.example.com:8443" otherwise (also the Host header). */
export function authority(host: string, listener: Listener): string {
  const port = listener.loadBalancerPort
  return DEFAULT_PORT[listener.protocol] === port ? bracketed(host) : `${bracketed(host)}:${port}`
}

/** The route a listener's connections take: --connect-to rules are matched against the DNS name and --host. */
export function listenerRoute(ctx: ProbeContext, listener: Listener): Route {
  return routeConnection(ctx.connectTo, [ctx.dnsName, ctx.host], listener.loadBalancerPort)
}

/** True when --connect-to sends this listener's connections somewhere else. */
export function isRedirected(
  ctx: Pick<ProbeContext, 'connectTo' | 'dnsName' | 'host'>,
  listener: Listener,
): boolean {
  return routeConnection(ctx.connectTo, [ctx.dnsName, ctx.host], listener.loadBalancerPort).rule !== undefined
}

function connectedVia(route: Route): string {
  return route.rule
    ? `connected to ${formatEndpoint(route.endpoint)} (--connect-to ${route.rule.text})`
    : `connected to ${formatEndpoint(route.endpoint)}`
}

function routeData(route: Route): Record<string, unknown> {
  return {connectedTo: formatEndpoint(route.endpoint), ...(route.rule ? {connectTo: route.rule.text} : {})}
}

/** The reason to skip a listener whose name does not resolve and that --connect-to does not redirect. */
function unresolvable(ctx: ProbeContext, listener: Listener): ProbeResult {
  return {
    outcome: skip(
      `not probed: ${ctx.dnsName} does not resolve (see the DNS check); --connect-to ${ctx.dnsName}:${listener.loadBalancerPort}:HOST:PORT reaches the listener another way`,
    ),
    reached: false,
  }
}

function rethrowInterrupt(ctx: ProbeContext, error: unknown): void {
  if (error instanceof InterruptedError || ctx.signal?.aborted) throw error
}

function describeExchange(url: string, exchange: HttpExchange): string {
  const redirect = exchange.location ? ` (Location: ${exchange.location})` : ''
  return `GET ${url} -> ${exchange.status}${redirect} in ${exchange.elapsedMs} ms`
}

/** 2xx and 3xx mean the load balancer and an instance answered; 4xx/5xx (503: no healthy instance) do not. */
export function statusPasses(status: number): boolean {
  return status >= 200 && status < 400
}

/** Check 4: a GET to an HTTP listener answers 2xx or 3xx. */
export async function probeHttpListener(ctx: ProbeContext, listener: Listener): Promise<ProbeResult> {
  const route = listenerRoute(ctx, listener)
  if (!route.rule && !ctx.dnsResolved) return unresolvable(ctx, listener)
  const url = `http://${authority(ctx.host, listener)}${ctx.path}`
  try {
    const exchange = await ctx.network.httpGet({
      endpoint: route.endpoint,
      hostHeader: authority(ctx.host, listener),
      path: ctx.path,
      timeoutMs: ctx.timeoutMs,
      ...(ctx.signal ? {signal: ctx.signal} : {}),
    })
    const status: CheckStatus = statusPasses(exchange.status) ? 'pass' : 'fail'
    return {
      outcome: {
        status,
        detail: [describeExchange(url, exchange), connectedVia(route)].join('\n'),
        data: {
          url,
          ...routeData(route),
          status: exchange.status,
          elapsedMs: exchange.elapsedMs,
          ...(exchange.location ? {location: exchange.location} : {}),
        },
      },
      reached: true,
    }
  } catch (error) {
    rethrowInterrupt(ctx, error)
    const reason = describeNetworkError(error, route.endpoint.host)
    return {
      outcome: {
        status: 'fail',
        detail: [`GET ${url} failed: ${reason}`, connectedVia(route)].join('\n'),
        data: {url, ...routeData(route), error: reason},
      },
      reached: !isUnreachable(error),
    }
  }
}

/** Check for TCP listeners: the port accepts a connection. */
export async function probeTcpListener(ctx: ProbeContext, listener: Listener): Promise<ProbeResult> {
  const route = listenerRoute(ctx, listener)
  if (!route.rule && !ctx.dnsResolved) return unresolvable(ctx, listener)
  try {
    const {elapsedMs} = await ctx.network.tcpConnect(route.endpoint, ctx.timeoutMs, ctx.signal)
    return {
      outcome: {
        status: 'pass',
        detail: `accepted a TCP connection in ${elapsedMs} ms; ${connectedVia(route)}`,
        data: {...routeData(route), elapsedMs},
      },
      reached: true,
    }
  } catch (error) {
    rethrowInterrupt(ctx, error)
    const reason = describeNetworkError(error, route.endpoint.host)
    return {
      outcome: {
        status: 'fail',
        detail: `TCP connection failed: ${reason}; ${connectedVia(route)}`,
        data: {...routeData(route), error: reason},
      },
      reached: false,
    }
  }
}

interface Finding {
  status: CheckStatus
  line: string
}

function hostFinding(mismatch: string, source: HostSource): Finding {
  if (source === 'guessed')
    return {
      status: 'warn',
      line: `${mismatch}; elbx guessed that name, so this only warns (--host names the one clients use)`,
    }
  const hint =
    source === 'dns-name'
      ? '; browsers refuse it. Clients reach the load balancer by another name? Pass it with --host (the name the certificate covers)'
      : '; browsers refuse it'
  return {status: 'fail', line: `${mismatch}${hint}`}
}

/** The key exchange as people name it: "X25519", "P-256", "DH 2048 bits". */
function describeKeyExchange(session: TlsSession): string | undefined {
  const kx = session.keyExchange
  if (!kx) return undefined
  return kx.name ? groupLabel(kx.name) : `${kx.type} ${kx.size} bits`
}

/**
 * Judges one TLS session against the listener's policy and the host name: a protocol or cipher the
 * policy does not enable, an untrusted chain (unless --insecure), an expired certificate or a
 * failed GET fail; a certificate for another name or one expiring within 30 days warns.
 */
export function evaluateTlsSession(
  session: TlsSession,
  options: {
    policy?: ListenerSslPolicy
    host: string
    /** Default 'given': a certificate that does not cover the host fails. */
    hostSource?: HostSource
    insecure: boolean
    now: Date
    url?: string
  },
): {status: CheckStatus; lines: string[]; data: Record<string, unknown>} {
  const findings: Finding[] = []
  const {policy, host, now} = options
  const keyExchange = describeKeyExchange(session)
  const data: Record<string, unknown> = {
    protocol: session.protocol,
    cipher: session.cipher,
    ...(session.cipherStandardName ? {cipherStandardName: session.cipherStandardName} : {}),
    ...(session.keyExchange ? {keyExchange: session.keyExchange} : {}),
    handshakeMs: session.handshakeMs,
    authorized: session.authorized,
    ...(session.authorizationError ? {authorizationError: session.authorizationError} : {}),
  }

  if (options.url) {
    const http = session.http
    if (!http) findings.push({status: 'fail', line: `GET ${options.url}: no answer`})
    else if ('error' in http) {
      findings.push({status: 'fail', line: `GET ${options.url} failed after the handshake: ${http.error}`})
      data.error = http.error
    } else {
      findings.push({
        status: statusPasses(http.status) ? 'pass' : 'fail',
        line: describeExchange(options.url, http),
      })
      Object.assign(data, {
        url: options.url,
        status: http.status,
        elapsedMs: http.elapsedMs,
        ...(http.location ? {location: http.location} : {}),
        strictTransportSecurity: http.strictTransportSecurity ?? null,
      })
      // Information: HSTS is the site's choice, not the listener's configuration.
      findings.push({
        status: 'pass',
        line: http.strictTransportSecurity
          ? `Strict-Transport-Security: ${http.strictTransportSecurity}`
          : 'no Strict-Transport-Security header (browsers may still try plain HTTP first)',
      })
    }
  }

  findings.push({
    status: 'pass',
    line: `${session.protocol}, ${session.cipher}${keyExchange ? `, ${keyExchange}` : ''} (handshake ${session.handshakeMs} ms)`,
  })
  if (policy) {
    const label = policy.policyName ?? policy.referencePolicy ?? 'in force'
    if (!policy.protocols.includes(session.protocol)) {
      findings.push({
        status: 'fail',
        line: `${session.protocol} was negotiated, but the listener's policy ${label} does not enable it (it enables ${policy.protocols.join(', ') || 'none'})`,
      })
    }
    const ciphers = policy.ciphers.map((c) => c.toUpperCase())
    if (!ciphers.includes(session.cipher.toUpperCase())) {
      findings.push({
        status: 'fail',
        line: `cipher ${session.cipher} was negotiated, but the listener's policy ${label} does not enable it`,
      })
    }
  } else {
    findings.push({
      status: 'pass',
      line: "the listener's SSL policy is unknown (see the configuration check), so protocol and cipher were not compared with it",
    })
  }

  const certificate = session.certificate
  if (!certificate) {
    findings.push({status: 'fail', line: 'the server sent no certificate'})
  } else {
    const days = daysToExpiry(certificate, now)
    const mismatch = hostMismatch(host, certificate)
    const strengths = servedCertificateWeaknesses(certificate, session.chain)
    const leaf = strengths[0]?.strength
    // The DER stays out of --json: the fingerprint identifies the certificate.
    const {der: _der, ...described} = certificate
    data.certificate = {
      ...described,
      daysToExpiry: days,
      coversHost: mismatch === undefined,
      ...(leaf?.keyType ? {keyType: leaf.keyType} : {}),
      ...(leaf?.keyBits ? {keyBits: leaf.keyBits} : {}),
      ...(leaf?.signatureAlgorithm ? {signatureAlgorithm: leaf.signatureAlgorithm} : {}),
    }
    findings.push({
      status: 'pass',
      line: `${describeCertificate(certificate, now)}${leaf?.keyBits ? `; ${leaf.keyType?.toUpperCase()} ${leaf.keyBits} bits` : ''}${leaf?.signatureAlgorithm ? `, ${leaf.signatureAlgorithm}` : ''}`,
    })
    if (mismatch) findings.push(hostFinding(mismatch, options.hostSource ?? 'given'))
    // Checked with or without --insecure: trusting a private CA does not make a 1024-bit key safe.
    const weak = strengths.flatMap((s) => s.strength.weaknesses.map((w) => `${s.subject}: ${w}`))
    if (weak.length) data.weaknesses = weak
    for (const w of weak) findings.push({status: 'fail', line: `weak certificate ${w}`})
    if (isExpired(certificate, now)) {
      findings.push({
        status: 'fail',
        line: `the certificate expired on ${certificate.validTo.slice(0, 10)}: every browser refuses it`,
      })
    } else if (days < EXPIRY_WARNING_DAYS) {
      findings.push({
        status: 'warn',
        line: `the certificate expires in ${days} day${days === 1 ? '' : 's'} (less than ${EXPIRY_WARNING_DAYS}): renew it; SetLoadBalancerListenerSSLCertificate swaps it in without recreating the listener`,
      })
    }
  }

  if (!session.authorized) {
    const code = session.authorizationError ?? 'UNSPECIFIED'
    const weakOnly = code === 'UNSPECIFIED' && Array.isArray(data.weaknesses)
    const why = weakOnly
      ? `OpenSSL refused the weak key or signature named above (${code})`
      : describeChainError(code, session.certificate)
    data.chainProblem = why
    if (options.insecure) {
      findings.push({status: 'pass', line: `chain not validated (--insecure): ${why}`})
    } else {
      findings.push({
        status: 'fail',
        line: `the certificate chain is not trusted: ${why}${weakOnly ? '' : '; --insecure checks everything else'}`,
      })
    }
  } else {
    findings.push({status: 'pass', line: 'certificate chain trusted'})
  }

  const status = worstStatus(findings.map((f) => f.status))
  const ordered = [
    ...findings.filter((f) => f.status === 'fail'),
    ...findings.filter((f) => f.status === 'warn'),
    ...findings.filter((f) => f.status === 'pass'),
  ]
  return {status, lines: ordered.map((f) => f.line), data}
}

/** Check 5: a TLS handshake with SNI, then (HTTPS) a GET; judged by evaluateTlsSession. */
export async function probeTlsListener(
  ctx: ProbeContext,
  listener: Listener,
  policy: ListenerSslPolicy | undefined,
): Promise<ProbeResult & {session?: TlsSession}> {
  const route = listenerRoute(ctx, listener)
  if (!route.rule && !ctx.dnsResolved) return unresolvable(ctx, listener)
  const isHttps = listener.protocol === 'HTTPS'
  const url = isHttps ? `https://${authority(ctx.host, listener)}${ctx.path}` : undefined
  try {
    const session = await ctx.network.tls({
      endpoint: route.endpoint,
      servername: ctx.host,
      ...(isHttps ? {get: {hostHeader: authority(ctx.host, listener), path: ctx.path}} : {}),
      timeoutMs: ctx.timeoutMs,
      ...(ctx.signal ? {signal: ctx.signal} : {}),
    })
    const judged = evaluateTlsSession(session, {
      ...(policy ? {policy} : {}),
      host: ctx.host,
      hostSource: ctx.hostSource,
      insecure: ctx.insecure,
      now: ctx.now(),
      ...(url ? {url} : {}),
    })
    return {
      outcome: {
        status: judged.status,
        detail: [...judged.lines, `SNI ${ctx.host}; ${connectedVia(route)}`].join('\n'),
        data: {...judged.data, sni: ctx.host, ...routeData(route)},
      },
      reached: true,
      session,
    }
  } catch (error) {
    rethrowInterrupt(ctx, error)
    const reason = describeNetworkError(error, route.endpoint.host)
    return {
      outcome: {
        status: 'fail',
        detail: [`TLS handshake with SNI ${ctx.host} failed: ${reason}`, connectedVia(route)].join('\n'),
        data: {...(url ? {url} : {}), sni: ctx.host, ...routeData(route), error: reason},
      },
      reached: !isUnreachable(error),
    }
  }
}
