/** The shapes `elbx verify` reports in, shared by its checks, the checklist renderer and --json. */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

/** One line of the checklist. */
export interface VerifyCheck {
  /** Stable for scripts: configuration, instances, dns, http:80, https:443, ssl:465, tcp:25, policy:443. */
  id: string
  title: string
  status: CheckStatus
  /** What was found, one fact per line; the reason when it failed, warned or was skipped. */
  detail: string
  /** The same facts as plain data, for --json. */
  data?: Record<string, unknown>
}

export interface VerifyReport {
  loadBalancerName: string
  /** The load balancer's DNS name, when it exists. */
  dnsName?: string
  /** The name sent as SNI and in the Host header (--host, or the DNS name). */
  host?: string
  /** given (--host), dns-name, or guessed (create --verify, from the configured certificate). */
  hostSource?: 'given' | 'dns-name' | 'guessed'
  checks: VerifyCheck[]
  /** True when no check failed (warnings and skips do not fail a verification). */
  passed: boolean
  counts: Record<CheckStatus, number>
}

/** A check's outcome before it is given its id and title. */
export type CheckOutcome = Omit<VerifyCheck, 'id' | 'title'>

export const pass = (detail: string, data?: Record<string, unknown>): CheckOutcome => ({
  status: 'pass',
  detail,
  ...(data ? {data} : {}),
})
export const fail = (detail: string, data?: Record<string, unknown>): CheckOutcome => ({
  status: 'fail',
  detail,
  ...(data ? {data} : {}),
})
export const warn = (detail: string, data?: Record<string, unknown>): CheckOutcome => ({
  status: 'warn',
  detail,
  ...(data ? {data} : {}),
})
export const skip = (detail: string, data?: Record<string, unknown>): CheckOutcome => ({
  status: 'skip',
  detail,
  ...(data ? {data} : {}),
})

/** The worst of several statuses: fail > warn > pass; skip only when nothing else happened. */
export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail'
  if (statuses.includes('warn')) return 'warn'
  if (statuses.includes('pass')) return 'pass'
  return 'skip'
}
