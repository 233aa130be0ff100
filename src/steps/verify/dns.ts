import {describeNetworkError, type ResolvedAddress, type VerifyNetwork} from './network.js'
import {type CheckOutcome, fail, pass, warn} from './types.js'

export interface DnsResult {
  outcome: CheckOutcome
  addresses: ResolvedAddress[]
}

/**
 * Check 3: the load balancer's DNS name resolves through the system resolver. When it does not
 * but --connect-to sends every listener's connection elsewhere, the probes do not need it (as
 * with curl --connect-to), so the failure is a warning: the load balancer can be checked before
 * DNS propagates, and the warning still says the name does not resolve.
 */
export async function checkDns(
  network: VerifyNetwork,
  dnsName: string,
  options: {timeoutMs: number; everyListenerRedirected: boolean},
): Promise<DnsResult> {
  try {
    const addresses = await network.lookup(dnsName, options.timeoutMs)
    if (addresses.length === 0)
      throw Object.assign(new Error(`${dnsName} has no addresses`), {code: 'ENOTFOUND', hostname: dnsName})
    return {
      outcome: pass(`${dnsName} resolves to ${addresses.map((a) => a.address).join(', ')}`, {
        dnsName,
        addresses,
      }),
      addresses,
    }
  } catch (error) {
    const described = describeNetworkError(error, dnsName)
    const reason = described.includes(dnsName) ? described : `${dnsName} did not resolve: ${described}`
    const data = {dnsName, error: reason}
    if (options.everyListenerRedirected) {
      return {
        outcome: warn(
          `${reason}; every listener is reached through --connect-to, so the probes ran without it`,
          data,
        ),
        addresses: [],
      }
    }
    return {outcome: fail(reason, data), addresses: []}
  }
}
