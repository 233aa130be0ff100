// How long after an instance turns InService the waiter reports it. On moto an instance's health
// follows its EC2 state (stopped: OutOfService, running: InService), so the bench registers a
// stopped instance, starts waiting, starts the instance at a known moment, and times the report.
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {runTimed, sleep} from './process.js'
import {createPlainLoadBalancer, runInstance, startInstance, stopInstance} from './seed.js'
import {median} from './stats.js'
import {REGION} from './environment.js'

const WAITER_MODULE = resolve('dist/steps/wait-for-in-service.js')
const CONNECT_MODULE = resolve('dist/aws/index.js')

/** The AWS CLI's `elb wait instance-in-service`: DescribeInstanceHealth every 15 s, 40 times. */
export const AWS_CLI_WAITER = {delaySec: 15, maxAttempts: 40}

/**
 * Flip moments, seconds after the wait began: spread over the waiter's poll schedule so that the
 * figures show the latency at different phases, not only right after a poll.
 */
export const FLIP_OFFSETS_SEC = [0.5, 2, 5, 9, 14]

/** A stopped instance registered with a fresh one-listener load balancer (outside any timing). */
async function arrange(clients, world, name) {
  const instanceId = await runInstance(clients, world.subnetIds[0])
  await stopInstance(clients, instanceId)
  await createPlainLoadBalancer(clients, name, world.subnetIds, [instanceId])
  return instanceId
}

/**
 * elbx's waiter, in process: the same waitForInService `register --wait` and `create --wait` run,
 * over elbx's own gateways and the real SDK on moto. (`elbx register` itself refuses a stopped
 * instance, by design, and moto has no pending state, so the binary cannot be driven this way.)
 */
export async function measureElbxWaiter({clients, world, endpoint, runs}) {
  if (!existsSync(WAITER_MODULE) || !existsSync(CONNECT_MODULE))
    return {available: false, reason: `${WAITER_MODULE} is not built yet`}
  const {waitForInService} = await import(pathToFileURL(WAITER_MODULE).href)
  const {connect, RequestLog} = await import(pathToFileURL(CONNECT_MODULE).href)
  if (typeof waitForInService !== 'function')
    return {available: false, reason: 'waitForInService is not exported'}

  const samples = []
  for (const [i, offsetSec] of FLIP_OFFSETS_SEC.slice(0, runs).entries()) {
    const name = `bench-wait-${i}`
    const instanceId = await arrange(clients, world, name)
    const requestLog = new RequestLog(undefined)
    const pollTimes = []
    requestLog.onRequest((r) => {
      if (r.operation === 'DescribeInstanceHealth') pollTimes.push(performance.now())
    })
    const aws = await connect({region: REGION, endpointUrl: endpoint, requestLog, userAgent: 'elbx-bench'})
    try {
      let reportedAt
      const started = performance.now()
      const waiting = waitForInService(aws.elb, {
        loadBalancerName: name,
        instanceIds: [instanceId],
        mode: 'any',
        timeoutMs: 60_000,
        onChange: (states) => {
          if (reportedAt === undefined && states.some((s) => s.state === 'InService'))
            reportedAt = performance.now()
        },
      })
      await sleep(offsetSec * 1000)
      await startInstance(clients, instanceId)
      // moto flips the state while handling StartInstances: its answer marks the moment.
      const flippedAt = performance.now()
      await waiting
      reportedAt ??= performance.now()
      samples.push({
        flipAfterMs: Math.round(flippedAt - started),
        latencyMs: Math.round(reportedAt - flippedAt),
        polls: pollTimes.length,
        pollsAtMs: pollTimes.map((t) => Math.round(t - started)),
      })
    } finally {
      aws.close()
    }
  }
  const latencies = samples.map((s) => s.latencyMs)
  // An instance turns InService at a moment nobody chooses: the longest gap between two polls is
  // how late the waiter can be, whatever moments the samples happened to hit.
  const gaps = samples.flatMap((s) => s.pollsAtMs.slice(1).map((t, i) => t - s.pollsAtMs[i]))
  return {
    available: true,
    method: 'in-process waitForInService (dist/steps/wait-for-in-service.js) over elbx gateways on moto',
    samples,
    medianLatencyMs: Math.round(median(latencies)),
    maxLatencyMs: Math.max(...latencies),
    worstCaseMs: gaps.length ? Math.max(...gaps) : undefined,
  }
}

/**
 * The AWS CLI waiter, once: `aws elb wait instance-in-service` on a stopped instance, which is
 * started `flipAfterPollMs` after the waiter's first poll. Its polls are timed from its --debug log
 * ("Making request for OperationModel(name=DescribeInstanceHealth)"). It can only notice the change
 * at its next poll, 15 s after the previous one.
 */
export async function measureAwsCliWaiter({clients, world, endpoint, env, flipAfterPollMs = 1000}) {
  const name = 'bench-wait-aws'
  const instanceId = await arrange(clients, world, name)
  const polls = []
  let pending = ''
  let firstPoll
  const firstPollSeen = new Promise((resolve) => (firstPoll = resolve))
  const started = performance.now()
  const waiter = runTimed(
    'aws',
    [
      '--debug',
      '--endpoint-url',
      endpoint,
      'elb',
      'wait',
      'instance-in-service',
      '--load-balancer-name',
      name,
      '--instances',
      instanceId,
    ],
    {
      env,
      timeoutMs: 60_000,
      onOutput: (text, at) => {
        const lines = (pending + text).split('\n')
        pending = lines.pop() ?? ''
        for (const line of lines)
          if (/Making request for OperationModel\(name=DescribeInstanceHealth\)/.test(line)) {
            polls.push(at - started)
            firstPoll()
          }
      },
    },
  )
  const outcome = await Promise.race([firstPollSeen.then(() => 'polled'), waiter.then(() => 'exited')])
  if (outcome === 'exited') {
    const result = await waiter
    return {available: false, reason: `aws elb wait exited ${result.exitCode} before its first poll`}
  }
  await sleep(flipAfterPollMs)
  await startInstance(clients, instanceId)
  const flippedAt = performance.now()
  const result = await waiter
  const exitedAt = started + result.ms
  if (result.exitCode !== 0)
    return {
      available: false,
      reason: `aws elb wait exited ${result.exitCode}: ${result.stderr.trim().slice(-300)}`,
    }
  return {
    available: true,
    flipAfterMs: Math.round(flippedAt - started),
    latencyMs: Math.round(exitedAt - flippedAt),
    pollsAtMs: polls.map(Math.round),
    // With the flip at a random moment, the wait until the next 15 s poll is uniform on (0, 15] s.
    expectedLatencyMs: (AWS_CLI_WAITER.delaySec * 1000) / 2,
    worstLatencyMs: AWS_CLI_WAITER.delaySec * 1000,
  }
}
