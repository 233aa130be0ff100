import {setTimeout as sleepFor} from 'node:timers/promises'

import {isAwsError, isThrottling, toStepError} from '../aws/errors.js'
import type {ElbGateway} from '../aws/gateways.js'
import {InterruptedError, RuntimeError, WaitTimeoutError} from '../errors.js'
import type {InstanceHealth} from '../model.js'

/** Time as the waiter sees it; tests pass a clock whose sleep returns at once. */
export interface Clock {
  now(): number
  /** Resolves after ms, or early when the signal is aborted (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await sleepFor(ms, undefined, signal ? {signal} : {})
    } catch {
      // aborted: the waiter checks the signal itself
    }
  },
}

export interface WaitOptions {
  loadBalancerName: string
  /** The instances to watch; empty means every instance registered with the load balancer. */
  instanceIds: string[]
  /** 'any': one InService is enough (the seed: the load balancer is usable); 'all': every one. */
  mode: 'any' | 'all'
  timeoutMs: number
  /** The health check interval: polling more often than ELB checks learns nothing new. */
  healthCheckIntervalSec?: number
  /** Ctrl-C: the wait stops and throws InterruptedError carrying the same summary as a timeout. */
  signal?: AbortSignal
  clock?: Clock
  /** Called with every instance's state whenever one's state, reason code or description changes. */
  onChange?: (states: InstanceHealth[]) => void
}

export interface WaitResult {
  states: InstanceHealth[]
  elapsedMs: number
  polls: number
}

/** The first poll is at once; then 1 s, then every 2 s, so a quick InService is seen quickly. */
const FIRST_DELAY_MS = 1000
/**
 * Never more than this between polls (unless throttled): InService is reported within 2 s of
 * happening. A poll costs one DescribeInstanceHealth, well inside ELB's describe rate limit.
 */
const MAX_DELAY_MS = 2000
/** Throttled polls back off further, up to this. */
const MAX_THROTTLED_DELAY_MS = 30_000

/** What ELB says for an instance it does not know yet (InvalidInstance right after RegisterInstances). */
export const STILL_REGISTERING =
  'Not known to the load balancer yet (InvalidInstance): registration is still in progress.'

const REGISTERING_PATTERN = /registration is still in progress|InvalidInstance/i
const DEREGISTERING_PATTERN = /deregistration currently in progress/i

/** The step name errors carry, so a failure says which part of the run it came from. */
const IN_SERVICE_STEP = 'Wait for InService'
const OUT_OF_SERVICE_STEP = 'Wait for OutOfService'

interface Goal {
  step: string
  /** "any instance ... InService", used in messages. */
  describe(loadBalancerName: string): string
  reached(states: InstanceHealth[]): boolean
  /** Counted in "n of m ...". */
  counts(state: InstanceHealth): boolean
  countLabel: string
  /** An empty list of registered instances when every registered instance is watched. */
  whenNoneRegistered: 'done' | 'fail'
}

const isInService = (s: InstanceHealth) => s.state === 'InService'
const isOutOfService = (s: InstanceHealth) =>
  s.state !== 'InService' && !DEREGISTERING_PATTERN.test(s.description ?? '')

function inServiceGoal(mode: 'any' | 'all', watchingAll: boolean): Goal {
  return {
    step: IN_SERVICE_STEP,
    describe: (name) =>
      `${mode === 'any' ? 'any instance' : watchingAll ? 'every instance' : 'all instances'} of ${name} to be InService`,
    reached: (states) =>
      states.length > 0 && (mode === 'any' ? states.some(isInService) : states.every(isInService)),
    counts: isInService,
    countLabel: 'InService',
    whenNoneRegistered: 'fail',
  }
}

const outOfServiceGoal: Goal = {
  step: OUT_OF_SERVICE_STEP,
  describe: (name) => `the instances to leave ${name}`,
  reached: (states) => states.every(isOutOfService),
  counts: isOutOfService,
  countLabel: 'out of service',
  whenNoneRegistered: 'done',
}

/**
 * Polls DescribeInstanceHealth until any or all of the instances are InService. Unlike the AWS
 * CLI's waiter (a poll every 15 s, 40 times), the first poll is immediate and the delay grows from
 * 1 s to at most 2 s (or the health check interval, if shorter), so InService is seen within 2 s.
 * InvalidInstance right after registration means "still registering" and Throttling means "slow
 * down"; neither ends the wait. On timeout it throws WaitTimeoutError (exit 3) with each instance's
 * last state and a hint drawn from ELB's description.
 */
export async function waitForInService(elb: ElbGateway, options: WaitOptions): Promise<WaitResult> {
  return poll(elb, options, inServiceGoal(options.mode, options.instanceIds.length === 0))
}

/**
 * `deregister --wait`: polls until none of the instances is InService. With connection draining an
 * instance stays "InService: Instance deregistration currently in progress" for up to the draining
 * timeout, so the caller's timeout must allow for it.
 */
export async function waitForOutOfService(
  elb: ElbGateway,
  options: Omit<WaitOptions, 'mode'>,
): Promise<WaitResult> {
  return poll(elb, options, outOfServiceGoal)
}

const sameHealth = (a: InstanceHealth | undefined, b: InstanceHealth) =>
  a !== undefined && a.state === b.state && a.reasonCode === b.reasonCode && a.description === b.description

async function poll(elb: ElbGateway, options: Omit<WaitOptions, 'mode'>, goal: Goal): Promise<WaitResult> {
  const clock = options.clock ?? systemClock
  const started = clock.now()
  const deadline = started + options.timeoutMs
  const cap = Math.max(
    FIRST_DELAY_MS,
    Math.min(MAX_DELAY_MS, (options.healthCheckIntervalSec ?? Number.POSITIVE_INFINITY) * 1000),
  )
  const watched = options.instanceIds
  let states = new Map<string, InstanceHealth>()
  let delay = FIRST_DELAY_MS
  let throttledDelay = FIRST_DELAY_MS
  let polls = 0
  let answered = false

  const list = () => [...states.values()]
  const fail = (kind: 'timeout' | 'interrupt'): never => {
    const elapsedMs = clock.now() - started
    const summary = summarize(list(), goal, options.loadBalancerName, watched)
    const details = {
      step: goal.step,
      loadBalancerName: options.loadBalancerName,
      timeoutMs: options.timeoutMs,
      elapsedMs,
      polls,
      instances: list().map((s) => ({...s, ...withHint(s, options.loadBalancerName)})),
    }
    if (kind === 'interrupt') {
      throw new InterruptedError(
        `Interrupted while waiting for ${goal.describe(options.loadBalancerName)}: ${summary}`,
        undefined,
        details,
      )
    }
    throw new WaitTimeoutError(
      `Timed out after ${formatSeconds(elapsedMs)} waiting for ${goal.describe(options.loadBalancerName)}: ${summary}`,
      `Wait longer with --wait-timeout SECONDS, or fix what the lines above say; \`elbx health --name ${options.loadBalancerName}\` shows the states again.`,
      details,
    )
  }

  for (;;) {
    if (options.signal?.aborted) fail('interrupt')
    polls++
    let throttled = false
    let next: Map<string, InstanceHealth>
    try {
      next = await describe(elb, options.loadBalancerName, watched, goal, states)
    } catch (error) {
      if (isThrottling(error)) {
        throttled = true
        next = states
      } else {
        throw toStepError(goal.step, error)
      }
    }
    const changed =
      next.size !== states.size || [...next.values()].some((s) => !sameHealth(states.get(s.instanceId), s))
    states = next
    if (changed) options.onChange?.(list())
    if (options.signal?.aborted) fail('interrupt')
    if (!throttled && !answered && watched.length === 0 && states.size === 0) {
      if (goal.whenNoneRegistered === 'done') return {states: [], elapsedMs: clock.now() - started, polls}
      throw new RuntimeError(
        `No instances are registered with ${options.loadBalancerName}, so none can become InService.`,
        `Register instances first: \`elbx register --name ${options.loadBalancerName} --instances i-...\`.`,
        {step: goal.step},
      )
    }
    if (!throttled) answered = true
    if (!throttled && goal.reached(list())) return {states: list(), elapsedMs: clock.now() - started, polls}
    const now = clock.now()
    if (now >= deadline) fail('timeout')
    let wait: number
    if (throttled) {
      throttledDelay = Math.min(Math.max(throttledDelay, delay) * 2, MAX_THROTTLED_DELAY_MS)
      wait = throttledDelay
    } else {
      wait = delay
      delay = Math.min(delay * 2, cap)
      throttledDelay = delay
    }
    // The last poll happens at the deadline, so a late InService still counts.
    await clock.sleep(Math.min(wait, deadline - now), options.signal)
  }
}

/** One DescribeInstanceHealth, folding InvalidInstance into the states as ELB would explain it. */
async function describe(
  elb: ElbGateway,
  loadBalancerName: string,
  watched: string[],
  goal: Goal,
  previous: Map<string, InstanceHealth>,
): Promise<Map<string, InstanceHealth>> {
  const next = new Map<string, InstanceHealth>()
  try {
    const health = await elb.describeInstanceHealth(loadBalancerName, watched)
    for (const s of health) next.set(s.instanceId, s)
    // AWS leaves terminated instances out of the answer: gone, so no longer in service.
    for (const id of watched)
      if (!next.has(id))
        next.set(id, {
          instanceId: id,
          state: 'OutOfService',
          description: 'Instance is not known to EC2 any more.',
        })
    return next
  } catch (error) {
    if (!isAwsError(error, 'InvalidInstance')) throw error
  }
  if (goal.step === OUT_OF_SERVICE_STEP) {
    // An instance ELB cannot find is certainly out of service; ask about the registered ones.
    const registered = new Set(
      (await elb.describeInstanceHealth(loadBalancerName)).map((s) => {
        next.set(s.instanceId, s)
        return s.instanceId
      }),
    )
    for (const id of watched) {
      if (!registered.has(id))
        next.set(id, {
          instanceId: id,
          state: 'OutOfService',
          description: 'Instance is not registered with the load balancer.',
        })
    }
    for (const id of [...next.keys()]) if (watched.length && !watched.includes(id)) next.delete(id)
    return next
  }
  // Right after RegisterInstances ELB may not know an instance yet (aws-cli#2714): keep what is
  // known and mark the rest as still registering.
  for (const id of watched) {
    const known = previous.get(id)
    next.set(
      id,
      known && !REGISTERING_PATTERN.test(known.description ?? '')
        ? known
        : {instanceId: id, state: 'OutOfService', reasonCode: 'ELB', description: STILL_REGISTERING},
    )
  }
  return next
}

/** What to do about an instance that is not where the wait wanted it, from ELB's description. */
export function hintForInstanceHealth(health: InstanceHealth, loadBalancerName = 'LB'): string | undefined {
  if (health.state === 'InService' && !DEREGISTERING_PATTERN.test(health.description ?? '')) return undefined
  const description = health.description ?? ''
  const rules: [RegExp, string][] = [
    [
      /UnhealthyThreshold/i,
      "Check that the instance's security group admits the load balancer (its security group) on the health check port, and that the health check target answers 200 (TCP/SSL: accepts connections).",
    ],
    [
      /HealthyThreshold/i,
      'ELB has not yet seen enough passing health checks in a row; if this persists, check that the security group admits the load balancer and that the ping path answers 200.',
    ],
    [
      /Availability Zone/i,
      "Enable the instance's zone on the load balancer (attach a subnet in that zone), or register an instance in a zone it serves.",
    ],
    [
      REGISTERING_PATTERN,
      'Registration takes up to about 30 s before health checks start: wait longer with --wait-timeout.',
    ],
    [/pending state/i, 'The instance is still starting: wait longer with --wait-timeout.'],
    [
      /(stopped|stopping|terminated|shutting-down) state|not known to EC2/i,
      'Start the instance, or register a running one.',
    ],
    [
      /not (currently )?registered/i,
      `Register it: \`elbx register --name ${loadBalancerName} --instances ${health.instanceId}\`.`,
    ],
    [
      DEREGISTERING_PATTERN,
      "Connection draining is still running; it ends within the load balancer's draining timeout.",
    ],
    [/transient error/i, 'ELB reported a transient error: try again.'],
  ]
  for (const [pattern, hint] of rules) if (pattern.test(description)) return hint
  if (health.state === 'InService') return undefined
  return `ELB gave no reason: check that the instance is running and answers the health check (\`elbx health --name ${loadBalancerName}\` shows it).`
}

function withHint(s: InstanceHealth, loadBalancerName: string): {hint?: string} {
  const hint = hintForInstanceHealth(s, loadBalancerName)
  return hint ? {hint} : {}
}

/** "InService" or "OutOfService (Instance): Instance has failed ...". */
export function formatInstanceHealth(s: InstanceHealth): string {
  const reason = s.reasonCode && s.reasonCode !== 'N/A' ? ` (${s.reasonCode})` : ''
  const description = s.description && s.description !== 'N/A' ? `: ${s.description}` : ''
  return `${s.state}${reason}${description}`
}

/** "1 of 2 InService." and a line per instance with its state and, when it is not there yet, a hint. */
function summarize(
  states: InstanceHealth[],
  goal: Goal,
  loadBalancerName: string,
  watched: string[],
): string {
  if (states.length === 0) {
    return watched.length
      ? `no answer from ELB yet for ${watched.join(', ')}.`
      : `no instances are registered with ${loadBalancerName}.`
  }
  const lines = [`${states.filter(goal.counts).length} of ${states.length} ${goal.countLabel}.`]
  for (const s of states) {
    lines.push(`  ${s.instanceId}  ${formatInstanceHealth(s)}`)
    const hint = goal.counts(s) ? undefined : hintForInstanceHealth(s, loadBalancerName)
    if (hint) lines.push(`    -> ${hint}`)
  }
  return lines.join('\n')
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}
