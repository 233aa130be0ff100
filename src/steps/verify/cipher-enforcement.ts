/**
 * Which ciphers and key exchange groups a secure listener accepts, and whose cipher order wins.
 * For each protocol the policy enables: one handshake per cipher the policy enables (only that
 * cipher offered), and one handshake offering every other cipher at once, which a listener that
 * keeps to its policy refuses (only when it accepts one are those offered one at a time, to name
 * each). A bounded number at a time, each with a short timeout; then two handshakes that offer the
 * same two allowed ciphers in both orders, and one per key exchange group not yet seen.
 */
import {InterruptedError} from '../../errors.js'
import type {ListenerSslPolicy} from '../ssl-policy.js'
import {
  PROBED_CIPHERS,
  PROBED_GROUPS,
  cipherKeyType,
  groupLabel,
  hasForwardSecrecy,
  isTls12Only,
} from './cipher-suites.js'
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
  /** Judged by the handshake that offered every cipher the policy does not enable at once. */
  together?: boolean
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
  /** Ciphers that need another kind of certificate key than the listener serves (ECDSA ciphers with an RSA key). */
  notApplicable?: {keyType: string; ciphers: string[]}
  /** TLS handshakes the enumeration made (cipher, order and group probes). */
  handshakes: number
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
  /** The served certificate's key type (rsa, ec...): ciphers that need another key are not offered. */
  keyType?: string,
): Promise<CipherEnforcement> {
  const timeoutMs = Math.min(ctx.timeoutMs, ENUMERATION_TIMEOUT_MS)
  let handshakes = 0
  const handshake = (request: Pick<TlsRequest, 'onlyProtocol' | 'ciphers' | 'group'>) => {
    handshakes++
    return tryHandshake(ctx, endpoint, request, timeoutMs)
  }
  const enabled = new Set(upper(policy.ciphers))
  // Names the policy enables that elbx's list lacks are offered too: they may be accepted.
  const candidates = [...new Set([...PROBED_CIPHERS, ...upper(policy.ciphers)])]
  // A cipher for another kind of key cannot be negotiated with this certificate, whatever the policy.
  const applies = (c: string) => {
    const needs = cipherKeyType(c)
    return !keyType || !needs || needs === keyType
  }
  const notApplicable = candidates.filter((c) => !applies(c))
  const offerable = candidates.filter((c) => applies(c) && ctx.network.canOfferCipher(c))
  const jobs = protocols.flatMap((protocol) =>
    offerable.filter((c) => protocol === 'TLSv1.2' || !isTls12Only(c)).map((cipher) => ({protocol, cipher})),
  )
  const alone = jobs.filter((j) => enabled.has(j.cipher))
  const others = protocols
    .map((protocol) => ({
      protocol,
      ciphers: jobs.filter((j) => j.protocol === protocol && !enabled.has(j.cipher)),
    }))
    .filter((group) => group.ciphers.length > 0)
  const [aloneOutcomes, togetherOutcomes] = await Promise.all([
    mapBounded(alone, PROBE_CONCURRENCY, (job) =>
      handshake({onlyProtocol: job.protocol, ciphers: [job.cipher]}),
    ),
    mapBounded(others, PROBE_CONCURRENCY, (group) =>
      handshake({onlyProtocol: group.protocol, ciphers: group.ciphers.map((j) => j.cipher)}),
    ),
  ])
  const outcome = new Map<string, Handshake & {together?: boolean}>()
  const key = (job: {protocol: string; cipher: string}) => `${job.protocol} ${job.cipher}`
  alone.forEach((job, i) => outcome.set(key(job), aloneOutcomes[i]!))
  // A refused (or unanswered) offer of them all judges each; one accepted is offered one at a time.
  const again = others.flatMap((group, i) => {
    const together = togetherOutcomes[i]!
    if (together.result === 'accepted' || together.result === 'not-offerable') return group.ciphers
    for (const job of group.ciphers) outcome.set(key(job), {...together, together: true})
    return []
  })
  const againOutcomes = await mapBounded(again, PROBE_CONCURRENCY, (job) =>
    handshake({onlyProtocol: job.protocol, ciphers: [job.cipher]}),
  )
  again.forEach((job, i) => outcome.set(key(job), againOutcomes[i]!))
  const outcomes = jobs.map((job) => outcome.get(key(job))!)
  const probes: CipherProbe[] = jobs.map((job, i) => {
    const o = outcomes[i]!
    const kx = o.session?.keyExchange
    return {
      ...job,
      result: o.result,
      ...(o.together ? {together: true} : {}),
      ...(kx ? {keyExchange: kx} : {}),
    }
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
  const notProbed = candidates.filter((c) => applies(c) && !tried.has(c) && !enabled.has(c))
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
        probeServerOrder(policy, top, accepted[top]!, enabled, handshake),
        probeGroups(top, probes, handshake),
      ])
    : [undefined, undefined]
  return {
    probes,
    accepted,
    notEnabled,
    notProbed,
    ...(keyType && notApplicable.length ? {notApplicable: {keyType, ciphers: notApplicable}} : {}),
    handshakes,
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
type Handshaker = (request: Pick<TlsRequest, 'onlyProtocol' | 'ciphers' | 'group'>) => Promise<Handshake>

async function probeServerOrder(
  policy: ListenerSslPolicy,
  protocol: ClientTlsProtocol,
  acceptedCiphers: string[],
  enabled: Set<string>,
  handshake: Handshaker,
): Promise<ServerOrderProbe | undefined> {
  const order = upper(policy.ciphers)
  const allowed = acceptedCiphers
    .filter((c) => enabled.has(c))
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
  if (allowed.length < 2) return undefined
  const offered: [string, string] = [allowed[0]!, allowed.at(-1)!]
  const [forward, backward] = await Promise.all(
    [offered, [offered[1], offered[0]]].map((ciphers) => handshake({onlyProtocol: protocol, ciphers})),
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

/**
 * Offers each key exchange group alone, with the ECDHE ciphers the listener accepted; a group the
 * cipher handshakes already negotiated is known to be accepted without another.
 */
async function probeGroups(
  protocol: ClientTlsProtocol,
  probes: CipherProbe[],
  handshake: Handshaker,
): Promise<CipherEnforcement['keyExchangeGroups']> {
  const acceptedHere = probes.filter((p) => p.protocol === protocol && p.result === 'accepted')
  const ecdhe = acceptedHere.filter((p) => p.cipher.startsWith('ECDHE-')).map((p) => p.cipher)
  const dhBits = [
    ...new Set(acceptedHere.filter((p) => p.keyExchange?.type === 'DH').map((p) => p.keyExchange!.size)),
  ]
  if (ecdhe.length === 0) return dhBits.length ? {protocol, accepted: [], refused: [], dhBits} : undefined
  const seen = new Set(
    acceptedHere.flatMap((p) => (p.keyExchange?.name ? [groupLabel(p.keyExchange.name)] : [])),
  )
  const results = await mapBounded(PROBED_GROUPS, PROBE_CONCURRENCY, (g) =>
    seen.has(g.label)
      ? Promise.resolve<Handshake>({result: 'accepted'})
      : handshake({onlyProtocol: protocol, ciphers: ecdhe, group: g.group}),
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
    const refused = offered.filter((p) => p.result === 'refused')
    const together = refused.filter((p) => p.together).length
    const accepted = result.accepted[protocol]!
    pass.push(
      `${protocol} ciphers: ${accepted.length} accepted${accepted.length ? ` (${accepted.join(', ')})` : ''}, ${refused.length} refused${together ? ` (${together} the policy does not enable, offered together in one handshake)` : ''}`,
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
  if (result.notApplicable?.ciphers.length) {
    const n = result.notApplicable.ciphers.length
    pass.push(
      `${n} cipher${n === 1 ? '' : 's'} not applicable to this key type (the certificate's key is ${result.notApplicable.keyType.toUpperCase()}), so not offered: ${result.notApplicable.ciphers.join(', ')}`,
    )
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
    ...(result.notApplicable ? {notApplicable: result.notApplicable} : {}),
    probed: result.probes.filter((p) => p.result !== 'not-offerable').length,
    handshakes: result.handshakes,
    ...(result.unreachable.length ? {unreachable: result.unreachable} : {}),
    ...(result.serverOrder ? {serverOrder: result.serverOrder} : {}),
    forwardSecrecy: result.forwardSecrecy,
    ...(result.keyExchangeGroups ? {keyExchangeGroups: result.keyExchangeGroups} : {}),
  }
}
