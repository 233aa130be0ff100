import {InterruptedError} from '../../errors.js'
import type {Listener} from '../../model.js'
import {SSL_PROTOCOLS} from '../../policy/ssl-attributes.js'
import type {ListenerSslPolicy} from '../ssl-policy.js'
import {formatEndpoint} from './connect-to.js'
import {type ClientTlsProtocol, CLIENT_TLS_PROTOCOLS, describeNetworkError, isUnreachable} from './network.js'
import {type ProbeContext, listenerRoute} from './probes.js'
import {type CheckOutcome, fail, pass, skip, warn} from './types.js'

export interface ProtocolProbe {
  protocol: string
  /** accepted: the handshake succeeded; refused: the server ended it; unreachable/not-probed: no verdict. */
  result: 'accepted' | 'refused' | 'unreachable' | 'not-probed'
  detail: string
}

function canOffer(protocol: string): protocol is ClientTlsProtocol {
  return (CLIENT_TLS_PROTOCOLS as readonly string[]).includes(protocol)
}

/** OpenSSL's reason for ending a handshake ("tlsv1 alert protocol version"), when it gave one. */
function tlsAlert(error: unknown): string | undefined {
  const reason = (error as {reason?: unknown})?.reason
  return typeof reason === 'string' && reason ? reason : undefined
}

/** The policy protocols this listener's policy leaves disabled. */
export function disabledProtocols(policy: ListenerSslPolicy): string[] {
  // Oldest first, so the report reads SSLv3, TLSv1, TLSv1.1.
  return [...SSL_PROTOCOLS].reverse().filter((p) => !policy.protocols.includes(p))
}

/**
 * Check 6: for each protocol the policy disables, a handshake offering only that protocol (with
 * the client's OpenSSL security level lowered for the probe) must be refused. An accepted one
 * fails: the listener is not enforcing its policy (or the policy is not the one in force).
 */
export async function checkPolicyEnforcement(
  ctx: ProbeContext,
  listener: Listener,
  policy: ListenerSslPolicy | undefined,
  reachable: {reached: boolean; skipped: boolean},
): Promise<CheckOutcome> {
  if (!policy) return skip("not probed: the listener's SSL policy is unknown (see the configuration check)")
  if (reachable.skipped) return skip(`not probed: the ${listener.protocol} check was skipped`)
  if (!reachable.reached)
    return skip(`not probed: the ${listener.protocol} check could not reach the listener`)
  const disabled = disabledProtocols(policy)
  if (disabled.length === 0)
    return skip(`the policy enables ${policy.protocols.join(', ')}: no protocol to probe`)

  const route = listenerRoute(ctx, listener)
  const probes: ProtocolProbe[] = []
  for (const protocol of disabled) {
    if (!canOffer(protocol)) {
      probes.push({
        protocol,
        result: 'not-probed',
        detail: `${protocol} not probed: this client's OpenSSL cannot offer it`,
      })
      continue
    }
    try {
      const session = await ctx.network.tls({
        endpoint: route.endpoint,
        servername: ctx.host,
        onlyProtocol: protocol,
        timeoutMs: ctx.timeoutMs,
        ...(ctx.signal ? {signal: ctx.signal} : {}),
      })
      probes.push({
        protocol,
        result: 'accepted',
        detail: `${protocol} accepted (${session.protocol}, ${session.cipher}) although the policy disables it`,
      })
    } catch (error) {
      if (error instanceof InterruptedError || ctx.signal?.aborted) throw error
      const reason = describeNetworkError(error, route.endpoint.host)
      probes.push(
        isUnreachable(error)
          ? {protocol, result: 'unreachable', detail: `${protocol} not judged: ${reason}`}
          : {
              protocol,
              result: 'refused',
              detail: `${protocol} refused: ${tlsAlert(error) ?? reason}`,
            },
      )
    }
  }

  const data = {
    policy: policy.policyName ?? policy.referencePolicy,
    enabled: policy.protocols,
    disabled,
    connectedTo: formatEndpoint(route.endpoint),
    probes,
  }
  const accepted = probes.filter((p) => p.result === 'accepted')
  const refused = probes.filter((p) => p.result === 'refused')
  const unreachable = probes.filter((p) => p.result === 'unreachable')
  const lines = [
    ...accepted,
    ...unreachable,
    ...refused,
    ...probes.filter((p) => p.result === 'not-probed'),
  ].map((p) => p.detail)
  const detail = lines.join('\n')
  if (accepted.length) return fail(detail, data)
  if (unreachable.length) return warn(detail, data)
  if (refused.length) return pass(detail, data)
  return skip(detail, data)
}
