import type {ElbGateway} from '../aws/gateways.js'
import type {HealthCheck, ListenerDescription, LoadBalancer} from '../model.js'
import {
  AWS_DEFAULT_HEALTH_CHECK,
  type HealthCheckChanges,
  type HealthCheckFlagNames,
  type HealthCheckTarget,
  checkTimeoutBelowInterval,
  parseHealthCheckTarget,
} from '../validate/health-check.js'

/** ConfigureHealthCheck's documented defaults, used only if a load balancer reports no health check at all. */
export function apiDefaultHealthCheck(lb: Pick<LoadBalancer, 'listeners'>): HealthCheck {
  const port = lb.listeners[0]?.listener.instancePort ?? 80
  return {target: `TCP:${port}`, ...AWS_DEFAULT_HEALTH_CHECK}
}

export interface ConfigureHealthCheckResult {
  /** The health check in force after this step. */
  healthCheck: HealthCheck
  /** The one it replaced (equal to healthCheck when unchanged). */
  previous: HealthCheck
  changed: boolean
  warnings: string[]
}

/** The target as AWS compares it: protocol in upper case, the rest as is. */
const normalizeTarget = (target: string) => target.replace(/^[^:]*/, (p) => p.toUpperCase())

export const sameHealthCheck = (a: HealthCheck, b: HealthCheck) =>
  normalizeTarget(a.target) === normalizeTarget(b.target) &&
  a.interval === b.interval &&
  a.timeout === b.timeout &&
  a.healthyThreshold === b.healthyThreshold &&
  a.unhealthyThreshold === b.unhealthyThreshold

/**
 * Seed step 4: sets the health check, keeping the load balancer's current value for everything the
 * user did not give. A timeout that would not be less than the (possibly current) interval is
 * refused before ConfigureHealthCheck, and a health check already in force is left alone.
 */
export async function configureHealthCheck(
  elb: ElbGateway,
  lb: LoadBalancer,
  changes: HealthCheckChanges,
  flagNames?: HealthCheckFlagNames,
): Promise<ConfigureHealthCheckResult> {
  const previous = lb.healthCheck ?? apiDefaultHealthCheck(lb)
  const wanted: HealthCheck = {...previous, ...changes}
  checkTimeoutBelowInterval(
    wanted.timeout,
    wanted.interval,
    {timeout: changes.timeout !== undefined, interval: changes.interval !== undefined},
    flagNames,
  )
  const warnings = healthCheckWarnings(wanted.target, lb.listeners)
  if (lb.healthCheck && sameHealthCheck(previous, wanted)) {
    return {healthCheck: previous, previous, changed: false, warnings}
  }
  const healthCheck = await elb.configureHealthCheck(lb.name, wanted)
  return {healthCheck, previous, changed: true, warnings}
}

function tryParseTarget(target: string): HealthCheckTarget | undefined {
  try {
    return parseHealthCheckTarget(target)
  } catch {
    // A target AWS accepted but elbx cannot read: nothing to compare with the listeners.
    return undefined
  }
}

/**
 * Health checks that cannot tell whether the listeners' instance ports work: the target pings a
 * port no listener sends traffic to, or speaks another protocol than the listener does there.
 */
export function healthCheckWarnings(target: string, listeners: ListenerDescription[]): string[] {
  const parsed = tryParseTarget(target)
  if (!parsed || listeners.length === 0) return []
  const onPort = listeners.map((l) => l.listener).filter((l) => l.instancePort === parsed.port)
  if (onPort.length === 0) {
    const ports = [...new Set(listeners.map((l) => l.listener.instancePort))].sort((a, b) => a - b)
    return [
      `Health check target ${target} pings instance port ${parsed.port}, but no listener sends traffic there ` +
        `(instance port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}): instances can pass the health check ` +
        `while the port that serves traffic is down. Use e.g. --health-check ${parsed.protocol}:${ports[0]}${parsed.path ?? ''}.`,
    ]
  }
  if (onPort.some((l) => l.instanceProtocol === parsed.protocol)) return []
  const listener = onPort[0]!
  return [
    `Health check target ${target} pings instance port ${parsed.port} with ${parsed.protocol}, but the listener on ` +
      `load balancer port ${listener.loadBalancerPort} sends ${listener.instanceProtocol} to that port: the health ` +
      `check does not test what the listener uses. Use e.g. --health-check ${listener.instanceProtocol}:${parsed.port}` +
      `${listener.instanceProtocol === 'HTTP' || listener.instanceProtocol === 'HTTPS' ? (parsed.path ?? '/') : ''}.`,
  ]
}
