import {InvalidInputError} from '../errors.js'
import type {HealthCheck, Protocol} from '../model.js'
import {parseIntInRange, parsePort} from './ranges.js'

/** A parsed health check target: what ELB pings on each registered instance. */
export interface HealthCheckTarget {
  protocol: Protocol
  port: number
  /** The ping path of an HTTP/HTTPS target, starting with "/". */
  path?: string
}

export const TARGET_RULE =
  'A health check target is TCP:port, SSL:port, HTTP:port/path or HTTPS:port/path (e.g. HTTP:80/ping): a path is required for HTTP and HTTPS and not allowed for TCP and SSL.'

/** AWS: "The total length of the HTTP ping target must be 1024 16-bit Unicode characters or less." */
export const TARGET_MAX_LENGTH = 1024

/** AWS's bounds for ConfigureHealthCheck (API reference, HealthCheck data type). */
export const HEALTH_CHECK_BOUNDS = {
  interval: {min: 5, max: 300},
  timeout: {min: 2, max: 60},
  threshold: {min: 2, max: 10},
} as const

/** ConfigureHealthCheck's documented defaults, what a new load balancer's health check starts from. */
export const AWS_DEFAULT_HEALTH_CHECK = {
  interval: 30,
  timeout: 5,
  unhealthyThreshold: 2,
  healthyThreshold: 10,
} as const

const INTERVAL_RULE = 'The interval is the number of seconds between health checks of an instance: 5 to 300.'
const TIMEOUT_RULE =
  'The timeout is how many seconds ELB waits for an answer: 2 to 60, and less than the interval.'
const THRESHOLD_RULE = 'Healthy and unhealthy thresholds count consecutive checks: 2 to 10.'

/** The number flags with AWS's bounds and the rule their message states, in the order they are checked. */
const NUMBER_FLAGS = [
  ['interval', HEALTH_CHECK_BOUNDS.interval, INTERVAL_RULE],
  ['timeout', HEALTH_CHECK_BOUNDS.timeout, TIMEOUT_RULE],
  ['healthyThreshold', HEALTH_CHECK_BOUNDS.threshold, THRESHOLD_RULE],
  ['unhealthyThreshold', HEALTH_CHECK_BOUNDS.threshold, THRESHOLD_RULE],
] as const

/** Parses and checks a target such as HTTP:80/ping; protocols are accepted in any case and returned upper-case. */
export function parseHealthCheckTarget(raw: string): HealthCheckTarget {
  const text = raw.trim()
  if (text.length > TARGET_MAX_LENGTH) {
    throw new InvalidInputError(
      `Health check target has ${text.length} characters; at most ${TARGET_MAX_LENGTH} are allowed.`,
      TARGET_RULE,
    )
  }
  const match = /^([A-Za-z]+):([^/]*)(\/.*)?$/s.exec(text)
  if (!match)
    throw new InvalidInputError(`Health check target "${raw}" is not PROTOCOL:PORT[/PATH].`, TARGET_RULE)
  const protocol = match[1]!.toUpperCase()
  if (!['TCP', 'SSL', 'HTTP', 'HTTPS'].includes(protocol)) {
    throw new InvalidInputError(
      `Health check target "${raw}" uses protocol "${match[1]}"; it must be TCP, SSL, HTTP or HTTPS.`,
      TARGET_RULE,
    )
  }
  const port = parsePort(`The port of health check target "${raw}"`, match[2]!)
  const path = match[3]
  if (protocol === 'TCP' || protocol === 'SSL') {
    if (path !== undefined) {
      throw new InvalidInputError(
        `Health check target "${raw}" has a path, but a ${protocol} health check only opens a connection; use ${protocol}:${port}, or HTTP:${port}${path}.`,
        TARGET_RULE,
      )
    }
    return {protocol: protocol as Protocol, port}
  }
  if (path === undefined) {
    throw new InvalidInputError(
      `Health check target "${raw}" has no ping path; an ${protocol} health check needs one, e.g. ${protocol}:${port}/ or ${protocol}:${port}/ping.`,
      TARGET_RULE,
    )
  }
  // The path goes into an HTTP request line as is: whitespace or control characters would break it.
  const bad = /[\s\p{Cc}]/u.exec(path)
  if (bad) {
    throw new InvalidInputError(
      `The ping path of health check target "${raw}" contains ${JSON.stringify(bad[0])}; spaces and control characters are not allowed (percent-encode them).`,
      TARGET_RULE,
    )
  }
  return {protocol: protocol as Protocol, port, path}
}

export function formatHealthCheckTarget(target: HealthCheckTarget): string {
  return `${target.protocol}:${target.port}${target.path ?? ''}`
}

/** What the user asked to change; anything left out keeps the load balancer's current value. */
export type HealthCheckChanges = Partial<HealthCheck>

/** The health check flags as typed (strings, so every message follows elbx's wording). */
export interface HealthCheckFlags {
  target?: string
  interval?: string
  timeout?: string
  healthyThreshold?: string
  unhealthyThreshold?: string
}

/** How messages name the health check flags. */
export interface HealthCheckFlagNames {
  interval: string
  timeout: string
  healthyThreshold: string
  unhealthyThreshold: string
}

/** The one spelling `create` and `health` share (src/flags/health-check.ts defines the flags). */
export const HEALTH_CHECK_FLAG_NAMES: HealthCheckFlagNames = {
  interval: '--health-interval',
  timeout: '--health-timeout',
  healthyThreshold: '--healthy-threshold',
  unhealthyThreshold: '--unhealthy-threshold',
}

/**
 * Checks each health check flag that was given, and timeout < interval when both are. Called
 * before any request. With `fillDefaults` (create, whose load balancer starts from AWS's
 * defaults) the one of the two not given is AWS's default, so the rule is checked here too;
 * otherwise the comparison against a current value the user did not give is made by
 * checkTimeoutBelowInterval once the load balancer's health check is known.
 */
export function parseHealthCheckFlags(
  flags: HealthCheckFlags,
  names: HealthCheckFlagNames = HEALTH_CHECK_FLAG_NAMES,
  options: {fillDefaults?: boolean} = {},
): HealthCheckChanges {
  const changes: HealthCheckChanges = {}
  if (flags.target !== undefined)
    changes.target = formatHealthCheckTarget(parseHealthCheckTarget(flags.target))
  for (const [key, bounds, rule] of NUMBER_FLAGS) {
    const raw = flags[key]
    if (raw !== undefined) changes[key] = parseIntInRange(names[key], raw, bounds.min, bounds.max, rule)
  }
  const given = {timeout: changes.timeout !== undefined, interval: changes.interval !== undefined}
  if (given.interval && given.timeout)
    checkTimeoutBelowInterval(changes.timeout!, changes.interval!, given, names)
  else if (options.fillDefaults && (given.interval || given.timeout))
    checkTimeoutBelowInterval(
      changes.timeout ?? AWS_DEFAULT_HEALTH_CHECK.timeout,
      changes.interval ?? AWS_DEFAULT_HEALTH_CHECK.interval,
      given,
      names,
      'default',
    )
  return changes
}

/**
 * AWS refuses a timeout that is not less than the interval; `given` says which of the two the user
 * typed, `other` whether the one not typed is the load balancer's current value or AWS's default.
 */
export function checkTimeoutBelowInterval(
  timeout: number,
  interval: number,
  given: {timeout: boolean; interval: boolean},
  names: HealthCheckFlagNames = HEALTH_CHECK_FLAG_NAMES,
  other: 'current' | 'default' = 'current',
): void {
  if (timeout < interval) return
  const t = given.timeout ? `${names.timeout} ${timeout}` : `the ${other} timeout (${timeout} s)`
  const i = given.interval ? `${names.interval} ${interval}` : `the ${other} interval (${interval} s)`
  const fix =
    given.timeout && given.interval
      ? ''
      : ` Give ${given.timeout ? `${names.interval} (more than ${timeout})` : `${names.timeout} (less than ${interval})`} too.`
  throw new InvalidInputError(
    `The health check timeout must be less than the interval: ${t} is not less than ${i}.`,
    `${TIMEOUT_RULE}${fix}`,
  )
}
