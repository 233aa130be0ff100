import {ExitCode, InterruptedError, WaitTimeoutError} from '../../../src/errors.js'
import type {InstanceHealth} from '../../../src/model.js'
import {
  STILL_REGISTERING,
  hintForInstanceHealth,
  waitForInService,
  waitForOutOfService,
} from '../../../src/steps/wait-for-in-service.js'
import {FakeClock, fakeElb, sdkError} from './fakes.js'

const A = 'i-0aaaaaaaaaaaaaaa1'
const B = 'i-0bbbbbbbbbbbbbbb2'

const registering = (id: string): InstanceHealth => ({
  instanceId: id,
  state: 'OutOfService',
  reasonCode: 'Instance',
  description: 'Instance registration is still in progress.',
})
const inService = (id: string): InstanceHealth => ({
  instanceId: id,
  state: 'InService',
  reasonCode: 'N/A',
  description: 'N/A',
})
const unhealthy = (id: string): InstanceHealth => ({
  instanceId: id,
  state: 'OutOfService',
  reasonCode: 'Instance',
  description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
})

/** A gateway answering DescribeInstanceHealth from a script: one entry per poll (the last repeats). */
function scripted(answers: (InstanceHealth[] | Error)[]) {
  const calls: (string[] | undefined)[] = []
  const elb = fakeElb({
    async describeInstanceHealth(_name: string, ids?: string[]) {
      calls.push(ids)
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!
      if (answer instanceof Error) throw answer
      return ids?.length ? answer.filter((s) => ids.includes(s.instanceId)) : answer
    },
  })
  return {elb, calls}
}

describe('waitForInService', () => {
  it('follows OutOfService -> InService, polling at once and then after short, growing delays', async () => {
    const {elb, calls} = scripted([
      [registering(A)],
      [registering(A)],
      [registering(A)],
      [
        {
          ...registering(A),
          description:
            'Instance has not passed the configured HealthyThreshold number of health checks consecutively.',
        },
      ],
      [inService(A)],
    ])
    const clock = new FakeClock()
    const changes: InstanceHealth[][] = []
    const result = await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      mode: 'all',
      timeoutMs: 600_000,
      clock,
      onChange: (states) => changes.push(states),
    })
    expect(result.states).toEqual([inService(A)])
    expect(result.polls).toBe(5)
    expect(calls).toEqual([[A], [A], [A], [A], [A]])
    // 1 s, then capped at 2 s: InService is seen within 2 s of happening.
    expect(clock.sleeps).toEqual([1000, 2000, 2000, 2000])
    expect(result.elapsedMs).toBe(7_000)
    // onChange fires on the first answer and each change, not on every poll.
    expect(changes.map((c) => c[0]!.description)).toEqual([
      'Instance registration is still in progress.',
      'Instance has not passed the configured HealthyThreshold number of health checks consecutively.',
      'N/A',
    ])
  })

  it('caps the delay at a short health check interval', async () => {
    const {elb} = scripted([
      [registering(A)],
      [registering(A)],
      [registering(A)],
      [registering(A)],
      [inService(A)],
    ])
    const clock = new FakeClock()
    await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      mode: 'any',
      timeoutMs: 60_000,
      healthCheckIntervalSec: 1,
      clock,
    })
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000])
  })

  it('is satisfied by one InService instance in "any" mode and needs all in "all" mode', async () => {
    const answers = [
      [inService(A), registering(B)],
      [inService(A), inService(B)],
    ]
    const any = await waitForInService(scripted(answers).elb, {
      loadBalancerName: 'web',
      instanceIds: [A, B],
      mode: 'any',
      timeoutMs: 60_000,
      clock: new FakeClock(),
    })
    expect(any.polls).toBe(1)
    const all = await waitForInService(scripted(answers).elb, {
      loadBalancerName: 'web',
      instanceIds: [A, B],
      mode: 'all',
      timeoutMs: 60_000,
      clock: new FakeClock(),
    })
    expect(all.polls).toBe(2)
  })

  it('treats InvalidInstance right after registration as "still registering" and keeps polling', async () => {
    const invalid = sdkError('InvalidEndPointException', `Could not find EC2 instance ${A}.`)
    const {elb} = scripted([invalid, invalid, [inService(A)]])
    const changes: InstanceHealth[][] = []
    const result = await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      mode: 'all',
      timeoutMs: 60_000,
      clock: new FakeClock(),
      onChange: (s) => changes.push(s),
    })
    expect(result.polls).toBe(3)
    expect(changes[0]).toEqual([
      {instanceId: A, state: 'OutOfService', reasonCode: 'ELB', description: STILL_REGISTERING},
    ])
    expect(changes.at(-1)).toEqual([inService(A)])
  })

  it('backs off on Throttling instead of failing', async () => {
    const throttled = sdkError('Throttling', 'Rate exceeded')
    const {elb} = scripted([[registering(A)], throttled, throttled, throttled, [inService(A)]])
    const clock = new FakeClock()
    const result = await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      mode: 'all',
      timeoutMs: 600_000,
      clock,
      onChange: () => undefined,
    })
    expect(result.polls).toBe(5)
    // After the normal 1 s, each throttled answer doubles the delay.
    expect(clock.sleeps).toEqual([1000, 4000, 8000, 16000])
  })

  it('fails at once on an error that waiting cannot fix', async () => {
    const {elb} = scripted([
      sdkError('AccessPointNotFoundException', "There is no ACTIVE Load Balancer named 'web'"),
    ])
    const error = await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      mode: 'all',
      timeoutMs: 60_000,
      clock: new FakeClock(),
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      exitCode: ExitCode.Failure,
      details: {step: 'Wait for InService', code: 'LoadBalancerNotFound'},
    })
  })

  it("times out with exit 3 and each instance's last state, reason, description and a hint", async () => {
    const {elb, calls} = scripted([[inService(A), unhealthy(B)]])
    const clock = new FakeClock()
    const error = (await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A, B],
      mode: 'all',
      timeoutMs: 20_000,
      clock,
    }).catch((e: unknown) => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.exitCode).toBe(ExitCode.TimedOut)
    expect(error.message).toContain(
      'Timed out after 20 s waiting for all instances of web to be InService: 1 of 2 InService.',
    )
    expect(error.message).toContain(
      `${B}  OutOfService (Instance): Instance has failed at least the UnhealthyThreshold`,
    )
    expect(error.message).toMatch(
      /-> Check that the instance's security group admits the load balancer .* answers 200/,
    )
    expect(error.hint).toContain('--wait-timeout')
    // The last poll is at the deadline, never after it.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000)
    expect(calls.length).toBe(error.details!.polls)
    expect(error.details).toMatchObject({
      step: 'Wait for InService',
      loadBalancerName: 'web',
      elapsedMs: 20_000,
      instances: [
        {instanceId: A, state: 'InService'},
        {
          instanceId: B,
          state: 'OutOfService',
          reasonCode: 'Instance',
          description: unhealthy(B).description,
          hint: expect.stringContaining('security group'),
        },
      ],
    })
  })

  it('stops on Ctrl-C with exit 130 and the same summary', async () => {
    const controller = new AbortController()
    let polls = 0
    const elb = fakeElb({
      async describeInstanceHealth() {
        if (++polls === 2) controller.abort()
        return [registering(A)]
      },
    })
    const error = (await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      mode: 'any',
      timeoutMs: 60_000,
      signal: controller.signal,
      clock: new FakeClock(),
    }).catch((e: unknown) => e)) as InterruptedError
    expect(error).toBeInstanceOf(InterruptedError)
    expect(error.exitCode).toBe(ExitCode.Interrupted)
    expect(error.message).toContain(
      'Interrupted while waiting for any instance of web to be InService: 0 of 1 InService.',
    )
    expect(error.message).toContain('wait longer with --wait-timeout')
    expect(error.details).toMatchObject({polls: 2, instances: [{instanceId: A, state: 'OutOfService'}]})
  })

  it('watches every registered instance when none are named, and refuses to wait when none are registered', async () => {
    const {elb, calls} = scripted([[registering(A), inService(B)]])
    const result = await waitForInService(elb, {
      loadBalancerName: 'web',
      instanceIds: [],
      mode: 'any',
      timeoutMs: 60_000,
      clock: new FakeClock(),
    })
    expect(calls).toEqual([[]])
    expect(result.states).toHaveLength(2)

    const empty = await waitForInService(scripted([[]]).elb, {
      loadBalancerName: 'web',
      instanceIds: [],
      mode: 'any',
      timeoutMs: 60_000,
      clock: new FakeClock(),
    }).catch((e: unknown) => e)
    expect(empty).toMatchObject({
      exitCode: ExitCode.Failure,
      message: expect.stringContaining('No instances are registered with web'),
    })
  })
})

describe('waitForOutOfService', () => {
  it('waits while connection draining keeps an instance InService', async () => {
    const draining: InstanceHealth = {
      instanceId: A,
      state: 'InService',
      reasonCode: 'N/A',
      description: 'Instance deregistration currently in progress.',
    }
    const gone: InstanceHealth = {
      instanceId: A,
      state: 'OutOfService',
      reasonCode: 'Instance',
      description: 'Instance is not currently registered with the LoadBalancer.',
    }
    const {elb} = scripted([[draining], [draining], [gone]])
    const result = await waitForOutOfService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      timeoutMs: 600_000,
      clock: new FakeClock(),
    })
    expect(result.polls).toBe(3)
    expect(result.states).toEqual([gone])
  })

  it('counts an instance ELB no longer knows (InvalidInstance) as out of service', async () => {
    let call = 0
    const elb = fakeElb({
      async describeInstanceHealth(_name: string, ids?: string[]) {
        call++
        if (ids?.length) throw sdkError('InvalidEndPointException', 'Could not find EC2 instance')
        return call === 2 ? [inService(B)] : []
      },
    })
    const result = await waitForOutOfService(elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      timeoutMs: 60_000,
      clock: new FakeClock(),
    })
    expect(result.states).toEqual([expect.objectContaining({instanceId: A, state: 'OutOfService'})])
  })

  it('times out with a draining hint', async () => {
    const draining: InstanceHealth = {
      instanceId: A,
      state: 'InService',
      description: 'Instance deregistration currently in progress.',
    }
    const error = await waitForOutOfService(scripted([[draining]]).elb, {
      loadBalancerName: 'web',
      instanceIds: [A],
      timeoutMs: 10_000,
      clock: new FakeClock(),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as Error).message).toContain('0 of 1 out of service')
    expect((error as Error).message).toContain('Connection draining is still running')
  })
})

describe('hintForInstanceHealth', () => {
  it.each([
    [
      'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
      /security group admits the load balancer/,
    ],
    [
      'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
      /Enable the instance's zone/,
    ],
    ['Instance registration is still in progress.', /--wait-timeout/],
    ['Instance is in stopped state.', /Start the instance/],
    ['Instance is in pending state.', /still starting/],
    [
      'Instance is not currently registered with the LoadBalancer.',
      /elbx register --name web --instances i-0aaaaaaaaaaaaaaa1/,
    ],
    ['A transient error occurred. Please try again later.', /try again/],
    ['N/A', /ELB gave no reason.*elbx health --name web/],
  ])('%s', (description, hint) => {
    expect(hintForInstanceHealth({instanceId: A, state: 'OutOfService', description}, 'web')).toMatch(hint)
  })

  it('has nothing to say about an instance in service', () => {
    expect(hintForInstanceHealth(inService(A), 'web')).toBeUndefined()
  })
})
