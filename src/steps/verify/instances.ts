import {toStepError} from '../../aws/errors.js'
import type {ElbGateway} from '../../aws/gateways.js'
import {InterruptedError, WaitTimeoutError} from '../../errors.js'
import type {InstanceHealth, LoadBalancer} from '../../model.js'
import type {waitForInService} from '../wait-for-in-service.js'
import {type CheckOutcome, fail, pass, warn} from './types.js'

export interface InstancesDeps {
  elb: ElbGateway
  waitForInService: typeof waitForInService
}

export interface InstancesOptions {
  /** Every registered instance must be InService, not just one. */
  all: boolean
  waitTimeoutMs: number
  signal?: AbortSignal
  onChange?: Parameters<typeof waitForInService>[1]['onChange']
}

function describeState(s: InstanceHealth): string {
  const why = s.description && s.description !== 'N/A' ? `: ${s.description}` : ''
  return `${s.instanceId} ${s.state}${why}`
}

/** The waiter's summary of each instance (with a hint drawn from ELB's description) on timeout. */
function statesOf(error: WaitTimeoutError): (InstanceHealth & {hint?: string})[] {
  const instances = error.details?.instances
  return Array.isArray(instances) ? (instances as (InstanceHealth & {hint?: string})[]) : []
}

/**
 * Check 2: at least one registered instance InService (every one with --all), waiting up to the
 * timeout with the shared waiter. Without --all, instances still out of service are a warning.
 */
export async function checkInstances(
  deps: InstancesDeps,
  lb: LoadBalancer,
  options: InstancesOptions,
): Promise<CheckOutcome> {
  if (lb.instanceIds.length === 0) {
    return fail(
      'no instances are registered with the load balancer (`elbx register --instances ...` registers them)',
    )
  }
  const mode = options.all ? 'all' : 'any'
  try {
    const result = await deps.waitForInService(deps.elb, {
      loadBalancerName: lb.name,
      instanceIds: [],
      mode,
      timeoutMs: options.waitTimeoutMs,
      ...(options.signal ? {signal: options.signal} : {}),
      ...(options.onChange ? {onChange: options.onChange} : {}),
    })
    const states = result.states
    const inService = states.filter((s) => s.state === 'InService')
    const others = states.filter((s) => s.state !== 'InService')
    const data = {mode, states, elapsedMs: result.elapsedMs}
    const headline = `${inService.length} of ${states.length} instance${states.length === 1 ? '' : 's'} InService`
    const lines = [headline, ...states.map(describeState)]
    if (inService.length === 0) return fail(lines.join('\n'), data)
    if (others.length > 0) {
      // The load balancer is usable, but some instances get no traffic: worth a look, not a failure.
      return warn(lines.join('\n'), data)
    }
    return pass(lines.join('\n'), data)
  } catch (error) {
    if (error instanceof InterruptedError || options.signal?.aborted) throw error
    if (error instanceof WaitTimeoutError) {
      const states = statesOf(error)
      const seconds = Math.round(options.waitTimeoutMs / 1000)
      return fail(
        [
          `${options.all ? 'not every instance' : 'no instance'} InService after ${seconds} s`,
          ...states.flatMap((s) => [describeState(s), ...(s.hint ? [`  -> ${s.hint}`] : [])]),
        ].join('\n'),
        {mode, states, timedOut: true},
      )
    }
    return fail(
      `instance health could not be read: ${toStepError('Describe instance health', error).message}`,
    )
  }
}
