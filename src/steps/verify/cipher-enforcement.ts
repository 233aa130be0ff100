/**
 * Which ciphers and key exchange groups a secure listener accepts, and whose cipher order wins:
 * one handshake per cipher (only that cipher offered) for each protocol the policy enables, a
 * bounded number at a time with a short timeout, then two handshakes that offer the same two
 * allowed ciphers in both orders.
 */
import {InterruptedError} from '../../errors.js'
import type {ListenerSslPolicy} from '../ssl-policy.js'
import {PROBED_CIPHERS, PROBED_GROUPS, hasForwardSecrecy, isTls12Only} from './cipher-suites.js'
import type {Endpoint} from './connect-to.js'
import {
  type ClientTlsProtocol,
  type KeyExchange,
  type TlsRequest,
  type TlsSession,
  describeNetworkError,
  isClientCannotOffer,
  isUnreachable,
} from './network.js'
import {mapBounded} from './pool.js'
import type {ProbeContext} from './probes.js'

/** Handshakes in flight at once, per listener: far below what a load balancer takes, quick on a slow link. */
export const PROBE_CONCURRENCY = 16
/** Each enumeration handshake waits at most this long (or --probe-timeout, when shorter). */
export const ENUMERATION_TIMEOUT_MS = 3000

export type HandshakeResult = 'accepted' | 'refused' | 'unreachable' | 'not-offerable'

export interface Handshake {
  result: HandshakeResult
  session?: TlsSession
  /** Why it was not accepted. */
  reason?: string
}

/** One handshake, classified: accepted, refused by the server, never answered, or not sendable by this client. */
export async function tryHandshake(
  ctx: ProbeContext,
  endpoint: Endpoint,
  request: Pick<TlsRequest, 'onlyProtocol' | 'ciphers' | 'group'>,
  timeoutMs: number,
): Promise<Handshake> {
  try {
    const session = await ctx.network.tls({
      endpoint,
      servername: ctx.host,
      ...request,
      timeoutMs,
      ...(ctx.signal ? {signal: ctx.signal} : {}),
    })
    return {result: 'accepted', session}
  } catch (error) {
    if (error instanceof InterruptedError || ctx.signal?.aborted) throw error
    const reason = describeNetworkError(error, endpoint.host)
    if (isClientCannotOffer(error)) return {result: 'not-offerable', reason}
    if (isUnreachable(error)) return {result: 'unreachable', reason}
    return {result: 'refused', reason}
  }
}

export interface CipherProbe {
  protocol: string
  cipher: string
  result: HandshakeResult
  /** The group or DH size of an accepted ECDHE/DHE cipher. */
  keyExchange?: KeyExchange
}

export interface CipherEnforcement {
  probes: CipherProbe[]
  /** Accepted ciphers per protocol, in the policy's (AWS's table) order. */
  accepted: Record<string, string[]>
  /** Accepted ciphers the policy does not enable: each one fails the check. */
  notEnabled: {protocol: string; cipher: string}[]
  /** Ciphers this client cannot offer with any enabled protocol (RC4, 3DES, EXPORT...). */
  notProbed: string[]
  /** Handshakes that got no answer at all. */
  unreachable: {protocol: string; cipher: string; reason?: string}[]
  serverOrder?: ServerOrderProbe
  /** Every accepted cipher has ECDHE or DHE key exchange; the ones without. */
  forwardSecrecy: {all: boolean; without: string[]}
  keyExchangeGroups?: {protocol: string; accepted: string[]; refused: string[]; dhBits?: number[]}
}

export interface ServerOrderProbe {
  /** The policy enables Server-Defined-Cipher-Order. */
  expected: boolean
  protocol: string
  /** The two ciphers, in the first handshake's order. */
  offered: [string, string]
  /** The cipher chosen when offered as [a, b], then as [b, a] (undefined: that handshake failed). */
  chosen: [string | undefined, string | undefined]
  /** The same cipher won both times. */
  serverOrder: boolean
}

const upper = (names: readonly string[]) => names.map((n) => n.toUpperCase())

/**
 * Offers every probed cipher alone, for each protocol the policy enables and this client can
 * speak, then (with two accepted ciphers) both orders, and each key exchange group with the
 * accepted ECDHE ciphers. Nothing throws but Ctrl-C: every handshake's outcome is data.
 */
export async function enumerateCiphers(
  ctx: ProbeContext,
  endpoint: Endpoint,
  policy: ListenerSslPolicy,
  protocols: ClientTlsProtocol[],
): Promise<CipherEnforcement> {
  const timeoutMs = Math.min(ctx.timeoutMs, ENUMERATION_TIMEOUT_MS)
  const enabled = new Set(upper(policy.ciphers))
  // Names the policy enables that elbx's list lacks are offered too: they may be accepted.
  const candidates = [...new Set([...PROBED_CIPHERS, ...upper(policy.ciphers)])]
  const offerable = candidates.filter((c) => ctx.network.canOfferCipher(c))
  const jobs = protocols.flatMap((protocol) =>
    offerable.filter((c) => protocol === 'TLSv1.2' || !isTls12Only(c)).map((cipher) => ({protocol, cipher})),
  )
  const outcomes = await mapBounded(jobs, PROBE_CONCURRENCY, (job) =>
    tryHandshake(ctx, endpoint, {onlyProtocol: job.protocol, ciphers: [job.cipher]}, timeoutMs),
  )
  const probes: CipherProbe[] = jobs.map((job, i) => {
    const outcome = outcomes[i]!
    const kx = outcome.session?.keyExchange
    return {...job, result: outcome.result, ...(kx ? {keyExchange: kx} : {})}
  })

  const accepted: Record<string, string[]> = {}
  for (const protocol of protocols)
    accepted[protocol] = probes
      .filter((p) => p.protocol === protocol && p.result === 'accepted')
      .map((p) => p.cipher)
  const notEnabled = probes
    .filter((p) => p.result === 'accepted' && !enabled.has(p.cipher))
    .map(({protocol, cipher}) => ({protocol, cipher}))
  const tried = new Set(probes.filter((p) => p.result !== 'not-offerable').map((p) => p.cipher))
  const notProbed = candidates.filter((c) => !tried.has(c) && !enabled.has(c))
  const unreachable = probes
    .map((p, i) => ({...p, reason: outcomes[i]!.reason}))
    .filter((p) => p.result === 'unreachable')
    .map(({protocol, cipher, reason}) => ({protocol, cipher, ...(reason ? {reason} : {})}))
  const everyAccepted = [...new Set(probes.filter((p) => p.result === 'accepted').map((p) => p.cipher))]
  const without = everyAccepted.filter((c) => !hasForwardSecrecy(c))

  // The newest protocol with accepted ciphers carries the order and group probes.
  const top = protocols.find((p) => accepted[p]!.length > 0)
  const [serverOrder, keyExchangeGroups] = top
    ? await Promise.all([
        probeServerOrder(ctx, endpoint, policy, top, accepted[top]!, enabled, timeoutMs),
        probeGroups(ctx, endpoint, top, probes, timeoutMs),
      ])
    : [undefined, undefined]
  return {
    probes,
    accepted,
    notEnabled,
    notProbed,
    unreachable,
    ...(serverOrder ? {serverOrder} : {}),
    forwardSecrecy: {all: without.length === 0, without},
    ...(keyExchangeGroups ? {keyExchangeGroups} : {}),
  }
}

/**
 * Offers two accepted, enabled ciphers as [first, last] and as [last, first] (first and last in
 * the policy's order, so a server that follows the policy's order picks `first` both times).
 */
async function probeServerOrder(
  ctx: ProbeContext,
  endpoint: Endpoint,
  policy: ListenerSslPolicy,
  protocol: ClientTlsProtocol,
  acceptedCiphers: string[],
  enabled: Set<string>,
  timeoutMs: number,
): Promise<ServerOrderProbe | undefined> {
  const order = upper(policy.ciphers)
  const allowed = acceptedCiphers
    .filter((c) => enabled.has(c))
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
  if (allowed.length < 2) return undefined
  const offered: [string, string] = [allowed[0]!, allowed.at(-1)!]
  const [forward, backward] = await Promise.all(
    [offered, [offered[1], offered[0]]].map((ciphers) =>
      tryHandshake(ctx, endpoint, {onlyProtocol: protocol, ciphers}, timeoutMs),
    ),
  )
  const chosen: [string | undefined, string | undefined] = [
    forward!.session?.cipher,
    backward!.session?.cipher,
  ]
  return {
    expected: policy.serverOrder,
    protocol,
    offered,
    chosen,
    serverOrder: chosen[0] !== undefined && chosen[0] === chosen[1],
  }
}

/** Offers each key exchange group alone, with the ECDHE ciphers the listener accepted. */
async function probeGroups(
  ctx: ProbeContext,
  endpoint: Endpoint,
  protocol: ClientTlsProtocol,
  probes: CipherProbe[],
  timeoutMs: number,
): Promise<CipherEnforcement['keyExchangeGroups']> {
  const acceptedHere = probes.filter((p) => p.protocol === protocol && p.result === 'accepted')
  const ecdhe = acceptedHere.filter((p) => p.cipher.startsWith('ECDHE-')).map((p) => p.cipher)
  const dhBits = [
    ...new Set(acceptedHere.filter((p) => p.keyExchange?.type === 'DH').map((p) => p.keyExchange!.size)),
  ]
  if (ecdhe.length === 0) return dhBits.length ? {protocol, accepted: [], refused: [], dhBits} : undefined
  const results = await mapBounded(PROBED_GROUPS, PROBE_CONCURRENCY, (g) =>
    tryHandshake(ctx, endpoint, {onlyProtocol: protocol, ciphers: ecdhe, group: g.group}, timeoutMs),
  )
  const accepted = PROBED_GROUPS.filter((_, i) => results[i]!.result === 'accepted').map((g) => g.label)
  const refused = PROBED_GROUPS.filter((_, i) => results[i]!.result === 'refused').map((g) => g.label)
  return {protocol, accepted, refused, ...(dhBits.length ? {dhBits} : {})}
}

/** The lines a cipher enumeration adds to the policy check, by status. */
export function describeCipherEnforcement(
  result: CipherEnforcement,
  policyLabel: string,
): {fail: string[]; warn: string[]; pass: string[]} {
  const fail: string[] = []
  const warn: string[] = []
  const pass: string[] = []
  for (const protocol of Object.keys(result.accepted)) {
    const bad = result.notEnabled.filter((n) => n.protocol === protocol).map((n) => n.cipher)
    if (bad.length)
      fail.push(
        `${protocol} accepted ${bad.length} cipher${bad.length === 1 ? '' : 's'} the policy ${policyLabel} does not enable: ${bad.join(', ')}`,
      )
    const offered = result.probes.filter((p) => p.protocol === protocol && p.result !== 'not-offerable')
    const refused = offered.filter((p) => p.result === 'refused').length
    const accepted = result.accepted[protocol]!
    pass.push(
      `${protocol} ciphers, offered one at a time: ${accepted.length} accepted${accepted.length ? ` (${accepted.join(', ')})` : ''}, ${refused} refused`,
    )
  }
  if (result.unreachable.length) {
    const first = result.unreachable[0]!
    warn.push(
      `${result.unreachable.length} cipher probe${result.unreachable.length === 1 ? '' : 's'} got no answer (first: ${first.protocol} ${first.cipher}: ${first.reason ?? 'no answer'}), so those ciphers were not judged`,
    )
  }
  const order = result.serverOrder
  if (order) {
    const [a, b] = order.offered
    const [x, y] = order.chosen
    const seen = `offered ${a}, ${b}: ${x ?? 'no cipher'}; offered ${b}, ${a}: ${y ?? 'no cipher'}`
    if (order.expected && !order.serverOrder) {
      fail.push(
        `the server follows the client's cipher order (${seen}), but the policy ${policyLabel} enables Server-Defined-Cipher-Order`,
      )
    } else {
      pass.push(
        order.serverOrder
          ? `server cipher order: ${x} wins in both orders (${seen})`
          : `client cipher order, as the policy leaves it (${seen})`,
      )
    }
  }
  const fs = result.forwardSecrecy
  pass.push(
    fs.all
      ? 'forward secrecy: every accepted cipher has it (ECDHE or DHE key exchange)'
      : `forward secrecy: not with ${fs.without.join(', ')} (RSA key exchange: a stolen key decrypts recorded traffic)`,
  )
  const groups = result.keyExchangeGroups
  if (groups) {
    const parts = [
      ...(groups.accepted.length || groups.refused.length
        ? [
            `${groups.accepted.length ? groups.accepted.join(', ') : 'none'} accepted${groups.refused.length ? ` (${groups.refused.join(', ')} refused)` : ''}`,
          ]
        : []),
      ...(groups.dhBits?.length ? [`finite-field DH ${groups.dhBits.join(', ')} bits`] : []),
    ]
    pass.push(`key exchange groups on ${groups.protocol}: ${parts.join('; ')}`)
  }
  if (result.notProbed.length) {
    pass.push(
      `${result.notProbed.length} cipher${result.notProbed.length === 1 ? '' : 's'} not probed (this client's OpenSSL cannot offer them): ${result.notProbed.join(', ')}`,
    )
  }
  return {fail, warn, pass}
}

/** The enumeration as --json data: lists, not every handshake. */
export function cipherEnforcementData(result: CipherEnforcement): Record<string, unknown> {
  return {
    accepted: result.accepted,
    notEnabledAccepted: result.notEnabled,
    notProbed: result.notProbed,
    probed: result.probes.filter((p) => p.result !== 'not-offerable').length,
    ...(result.unreachable.length ? {unreachable: result.unreachable} : {}),
    ...(result.serverOrder ? {serverOrder: result.serverOrder} : {}),
    forwardSecrecy: result.forwardSecrecy,
    ...(result.keyExchangeGroups ? {keyExchangeGroups: result.keyExchangeGroups} : {}),
  }
}
