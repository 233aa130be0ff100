/**
 * After a certificate rotation: does the listener serve the new certificate? One TLS handshake
 * (SNI: --host or the DNS name; --connect-to honoured), its certificate compared by SHA-256
 * fingerprint with the one IAM or ACM holds. ELB takes a little while to hand a new certificate
 * to all its nodes, so a mismatch is retried within a budget before it counts.
 */
import {InterruptedError} from '../../errors.js'
import type {Listener} from '../../model.js'
import {retry, type Clock} from '../retry.js'
import {
  compareServedCertificate,
  readConfiguredCertificate,
  type ConfiguredCertificateDeps,
} from './configured-certificate.js'
import {type ConnectToRule, formatEndpoint, routeConnection} from './connect-to.js'
import {describeNetworkError, type VerifyNetwork} from './network.js'
import {nodeNetwork} from './node-network.js'
import {type CheckOutcome, fail} from './types.js'

export interface ServedCertificateDeps extends ConfiguredCertificateDeps {
  network?: VerifyNetwork
  clock?: Clock
}

export interface ServedCertificateRequest {
  dnsName: string
  /** SNI; the DNS name when absent. */
  host?: string
  listener: Listener
  /** The certificate the listener should serve now. */
  certificateArn: string
  connectTo: ConnectToRule[]
  /** Keep looking this long for the new certificate (ELB's nodes pick it up one by one). */
  budgetMs: number
  probeTimeoutMs: number
  signal?: AbortSignal
  onRetry?: (message: string) => void
}

class NotYet extends Error {
  constructor(readonly outcome: CheckOutcome) {
    super(outcome.detail)
  }
}

/** Pass when the listener serves the certificate; fail (naming both) when it still does not once the budget is spent. */
export async function checkListenerServes(
  deps: ServedCertificateDeps,
  request: ServedCertificateRequest,
): Promise<CheckOutcome> {
  const network = deps.network ?? nodeNetwork
  const host = request.host ?? request.dnsName
  const port = request.listener.loadBalancerPort
  const route = routeConnection(request.connectTo, [request.dnsName, host], port)
  const configured = await readConfiguredCertificate(deps, request.certificateArn)
  const via = `SNI ${host}; connected to ${formatEndpoint(route.endpoint)}${route.rule ? ` (--connect-to ${route.rule.text})` : ''}`
  const once = async (): Promise<CheckOutcome> => {
    let outcome: CheckOutcome
    try {
      const session = await network.tls({
        endpoint: route.endpoint,
        servername: host,
        timeoutMs: request.probeTimeoutMs,
        ...(request.signal ? {signal: request.signal} : {}),
      })
      outcome = compareServedCertificate(configured, session.certificate)
    } catch (error) {
      if (error instanceof InterruptedError || request.signal?.aborted) throw error
      outcome = fail(`TLS handshake failed: ${describeNetworkError(error, route.endpoint.host)}`)
    }
    const withRoute = {...outcome, detail: `${outcome.detail}\n${via}`}
    if (outcome.status === 'fail') throw new NotYet(withRoute)
    return withRoute
  }
  try {
    return await retry(once, {
      retryable: (error) => error instanceof NotYet,
      budgetMs: request.budgetMs,
      initialDelayMs: 2000,
      maxDelayMs: 10_000,
      ...(deps.clock ? {clock: deps.clock} : {}),
      ...(request.signal ? {signal: request.signal} : {}),
      onRetry: (_e, _n, ms) =>
        request.onRetry?.(
          `listener ${port} does not serve the new certificate yet; looking again in ${Math.round(ms / 1000)} s`,
        ),
    })
  } catch (error) {
    if (error instanceof NotYet) return error.outcome
    throw error
  }
}
