import type {Listener} from '../../model.js'
import {SSL_PROTOCOLS} from '../../policy/ssl-attributes.js'
import type {ListenerSslPolicy} from '../ssl-policy.js'
import {
  type CipherEnforcement,
  PROBE_CONCURRENCY,
  cipherEnforcementData,
  describeCipherEnforcement,
  enumerateCiphers,
  tryHandshake,
} from './cipher-enforcement.js'
import {formatEndpoint} from './connect-to.js'
import {type ClientTlsProtocol, CLIENT_TLS_PROTOCOLS} from './network.js'
import {mapBounded} from './pool.js'
import {type ProbeContext, listenerRoute} from './probes.js'
import {type CheckOutcome, skip} from './types.js'

export interface ProtocolProbe {
  protocol: string
  /** accepted: the handshake succeeded; refused: the server ended it; unreachable/not-probed: no verdict. */
  result: 'accepted' | 'refused' | 'unreachable' | 'not-probed'
  detail: string
}

function canOffer(protocol: string): protocol is ClientTlsProtocol {
  return (CLIENT_TLS_PROTOCOLS as readonly string[]).includes(protocol)
}

/** The policy protocols this listener's policy leaves disabled. */
export function disabledProtocols(policy: ListenerSslPolicy): string[] {
  // Oldest first, so the report reads SSLv3, TLSv1, TLSv1.1.
  return [...SSL_PROTOCOLS].reverse().filter((p) => !policy.protocols.includes(p))
}

/** For each protocol the policy disables, one handshake offering only it; every one should be refused. */
async function probeDisabledProtocols(
  ctx: ProbeContext,
  listener: Listener,
  disabled: string[],
): Promise<ProtocolProbe[]> {
  const endpoint = listenerRoute(ctx, listener).endpoint
  return mapBounded(disabled, PROBE_CONCURRENCY, async (protocol): Promise<ProtocolProbe> => {
    if (!canOffer(protocol))
      return {
        protocol,
        result: 'not-probed',
        detail: `${protocol} not probed: this client's OpenSSL cannot offer it`,
      }
    const probe = await tryHandshake(ctx, endpoint, {onlyProtocol: protocol}, ctx.timeoutMs)
    const session = probe.session
    switch (probe.result) {
      case 'accepted':
        return {
          protocol,
          result: 'accepted',
          detail: `${protocol} accepted (${session!.protocol}, ${session!.cipher}) although the policy disables it`,
        }
      case 'unreachable':
        return {protocol, result: 'unreachable', detail: `${protocol} not judged: ${probe.reason}`}
      case 'not-offerable':
        return {protocol, result: 'not-probed', detail: `${protocol} not probed: ${probe.reason}`}
      default:
        return {protocol, result: 'refused', detail: `${protocol} refused: ${tlsAlertOf(probe.reason)}`}
    }
  })
}

/** "tlsv1 alert protocol version" out of "TLS handshake failed: tlsv1 alert protocol version (ERR_SSL_...)". */
function tlsAlertOf(reason: string | undefined): string {
  const match = /^TLS handshake failed: (.*) \([A-Z0-9_]+\)$/.exec(reason ?? '')
  return match ? match[1]! : (reason ?? 'the server ended the handshake')
}

/**
 * Check 6: the listener enforces its SSL negotiation policy. Each protocol the policy disables,
 * offered alone, must be refused; for each protocol it enables, each cipher it does not enable,
 * offered alone, must be refused; with Server-Defined-Cipher-Order, the server's choice between
 * two allowed ciphers must not depend on the client's order. Also reported: every accepted
 * cipher, forward secrecy, and the key exchange groups. Client security level is lowered for the
 * probes only, so old protocols and ciphers can be offered at all.
 */
export async function checkPolicyEnforcement(
  ctx: ProbeContext,
  listener: Listener,
  policy: ListenerSslPolicy | undefined,
  reachable: {reached: boolean; skipped: boolean},
  /** The key type of the certificate the listener served (rsa, ec...), when the TLS check saw one. */
  keyType?: string,
): Promise<CheckOutcome> {
  if (!policy) return skip("not probed: the listener's SSL policy is unknown (see the configuration check)")
  if (reachable.skipped) return skip(`not probed: the ${listener.protocol} check was skipped`)
  if (!reachable.reached)
    return skip(`not probed: the ${listener.protocol} check could not reach the listener`)

  const started = performance.now()
  const route = listenerRoute(ctx, listener)
  const disabled = disabledProtocols(policy)
  // Newest first: the order and group probes use the newest protocol that accepts a cipher.
  const enabled = [...CLIENT_TLS_PROTOCOLS].reverse().filter((p) => policy.protocols.includes(p))
  const [probes, ciphers] = await Promise.all([
    probeDisabledProtocols(ctx, listener, disabled),
    enabled.length ? enumerateCiphers(ctx, route.endpoint, policy, enabled, keyType) : undefined,
  ])

  const label = policy.policyName ?? policy.referencePolicy ?? 'in force'
  const cipherLines = ciphers ? describeCipherEnforcement(ciphers, label) : {fail: [], warn: [], pass: []}
  const lines = [
    ...probes.filter((p) => p.result === 'accepted').map((p) => p.detail),
    ...cipherLines.fail,
    ...probes.filter((p) => p.result === 'unreachable').map((p) => p.detail),
    ...cipherLines.warn,
    ...probes.filter((p) => p.result === 'refused').map((p) => p.detail),
    ...cipherLines.pass,
    ...probes.filter((p) => p.result === 'not-probed').map((p) => p.detail),
  ]
  const data = {
    policy: policy.policyName ?? policy.referencePolicy,
    enabled: policy.protocols,
    disabled,
    connectedTo: formatEndpoint(route.endpoint),
    probes,
    ...(ciphers ? {ciphers: cipherEnforcementData(ciphers)} : {}),
    // Start to finish, all probes: what they add to a verify.
    elapsedMs: Math.round(performance.now() - started),
  }
  const detail = lines.join('\n')
  const status = enforcementStatus(probes, ciphers)
  return {status, detail, data}
}

function enforcementStatus(
  probes: ProtocolProbe[],
  ciphers: CipherEnforcement | undefined,
): CheckOutcome['status'] {
  const order = ciphers?.serverOrder
  if (
    probes.some((p) => p.result === 'accepted') ||
    (ciphers?.notEnabled.length ?? 0) > 0 ||
    (order && order.expected && !order.serverOrder)
  )
    return 'fail'
  if (probes.some((p) => p.result === 'unreachable') || (ciphers?.unreachable.length ?? 0) > 0) return 'warn'
  const judged =
    probes.some((p) => p.result === 'refused') ||
    (ciphers?.probes.some((p) => p.result === 'accepted' || p.result === 'refused') ?? false)
  return judged ? 'pass' : 'skip'
}
