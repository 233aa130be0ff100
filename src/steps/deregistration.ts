import type {Ec2Gateway} from '../aws/gateways.js'
import {
  DEFAULT_CONNECTION_DRAINING_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  type Instance,
  type LoadBalancer,
  type LoadBalancerAttributes,
} from '../model.js'

/** Seconds of slack over the draining timeout before the wait for deregistration gives up. */
export const DRAINING_MARGIN_SECONDS = 60

export interface DeregistrationWait {
  /** The connection draining timeout in force, when draining is on. */
  drainingSeconds?: number
  timeoutMs: number
  /** Said when the timeout given is shorter than draining: the wait may end before the instances leave. */
  warning?: string
}

/**
 * How long to wait for deregistered instances to leave: with connection draining on, an instance
 * stays "InService: Instance deregistration currently in progress" for up to the draining timeout,
 * so without a timeout given the wait allows that plus a margin (never less than the usual wait).
 */
export function deregistrationWait(
  attributes: Pick<LoadBalancerAttributes, 'connectionDraining'>,
  givenTimeoutMs?: number,
): DeregistrationWait {
  const {connectionDraining} = attributes
  const drainingSeconds = connectionDraining.enabled
    ? (connectionDraining.timeout ?? DEFAULT_CONNECTION_DRAINING_SECONDS)
    : undefined
  const timeoutMs =
    givenTimeoutMs ??
    Math.max(DEFAULT_WAIT_TIMEOUT_SECONDS, (drainingSeconds ?? 0) + DRAINING_MARGIN_SECONDS) * 1000
  const warning =
    drainingSeconds !== undefined && timeoutMs < drainingSeconds * 1000
      ? `Connection draining lets in-flight requests run for up to ${drainingSeconds} s, longer than --wait-timeout ${timeoutMs / 1000}: the wait may end first.`
      : undefined
  return {
    ...(drainingSeconds !== undefined ? {drainingSeconds} : {}),
    timeoutMs,
    ...(warning ? {warning} : {}),
  }
}

/**
 * The registered instances, as EC2 describes them: the choices offered when --instances is missing.
 * Registered instances EC2 no longer reports still get a row (terminated), so they can be cleaned up.
 */
export async function deregistrableInstances(ec2: Ec2Gateway, lb: LoadBalancer): Promise<Instance[]> {
  if (lb.instanceIds.length === 0) return []
  const known = await ec2.describeInstances(lb.instanceIds)
  return lb.instanceIds.map(
    (id) => known.find((i) => i.instanceId === id) ?? {instanceId: id, state: 'terminated' as const},
  )
}
