// The workflow with a round trip on every request: elbx (create with every step's flags, then
// destroy --delete-certificate) beside one boto3 process making the AWS guide's calls, and one making
// the very requests elbx makes (its reads and security group too), one after another; all through a
// loopback proxy that holds each request for `delayMs`. Also counts each command's sequential round
// trips from the proxy's record.
import {fileURLToPath} from 'node:url'

import {awsEnv} from './environment.js'
import {runElbx} from './elbx.js'
import {maxInFlight, sequentialRoundTrips, startLatencyProxy} from './latency-proxy.js'
import {runTimed} from './process.js'
import {cleanUp} from './seed.js'
import {median, ratio, summarize} from './stats.js'
import {oneShotCommands} from './workflow-elbx.js'

const BOTO3_SCRIPT = fileURLToPath(new URL('./workflow-boto3.py', import.meta.url))

/** True when python3 can import boto3 (the peer cannot run otherwise). */
export async function boto3Available() {
  try {
    const r = await runTimed('python3', ['-c', 'import boto3'], {timeoutMs: 30_000})
    return r.exitCode === 0
  } catch {
    return false
  }
}

async function runElbxWorkflow(at, endpoint, proxy) {
  let ms = 0
  const commands = []
  for (const [label, argv] of oneShotCommands(at)) {
    proxy.reset()
    const result = await runElbx([...argv, '--endpoint-url', endpoint], awsEnv(endpoint), {
      timeoutMs: 120_000,
    })
    if (result.exitCode !== 0)
      throw new Error(
        `elbx ${label} exit ${result.exitCode}: ${result.stderr.split('\n').slice(-3).join(' ')}`,
      )
    ms += result.ms
    commands.push({
      label,
      ms: Math.round(result.ms),
      requests: proxy.records.length,
      roundTrips: sequentialRoundTrips(proxy.records),
      maxInFlight: maxInFlight(proxy.records),
    })
  }
  return {ms, commands}
}

/** The two boto3 peers: the guide's calls, and the requests elbx sends. */
const PEERS = {boto3: [], boto3Same: ['--same-as-elbx']}

async function runBoto3Workflow({name, cert, subnetIds, instanceIds}, endpoint, proxy, mode) {
  proxy.reset()
  const result = await runTimed(
    'python3',
    [BOTO3_SCRIPT, ...mode, name, cert.certFile, cert.keyFile, subnetIds.join(','), instanceIds.join(',')],
    {env: awsEnv(endpoint), timeoutMs: 120_000},
  )
  if (result.exitCode !== 0)
    throw new Error(`boto3 workflow exit ${result.exitCode}: ${result.stderr.slice(-300)}`)
  return {ms: result.ms, requests: proxy.records.length, roundTrips: sequentialRoundTrips(proxy.records)}
}

/**
 * @param {{world: object, runs: number, delayMs: number, withBoto3: boolean}} options
 */
export async function measureLatency({world, runs, delayMs, withBoto3}) {
  const proxy = await startLatencyProxy(world.endpoint, {delayMs})
  const elbx = {samples: [], commands: new Map()}
  const peers = Object.fromEntries(
    Object.keys(PEERS).map((who) => [who, {samples: [], roundTrips: [], requests: []}]),
  )
  const tools = ['elbx', ...(withBoto3 ? Object.keys(PEERS) : [])]
  try {
    for (let run = 0; run < runs; run++) {
      // Each run starts with the next tool, so no tool always runs first (or after the same one).
      const order = tools.map((_, i) => tools[(i + run) % tools.length])
      for (const who of order) {
        const name = `lat-${who}-${run}`
        const at = {...world, name}
        try {
          if (who === 'elbx') {
            const result = await runElbxWorkflow(at, proxy.endpoint, proxy)
            elbx.samples.push(result.ms)
            for (const c of result.commands)
              elbx.commands.set(c.label, [...(elbx.commands.get(c.label) ?? []), c])
          } else {
            const result = await runBoto3Workflow(at, proxy.endpoint, proxy, PEERS[who])
            peers[who].samples.push(result.ms)
            peers[who].roundTrips.push(result.roundTrips)
            peers[who].requests.push(result.requests)
          }
        } finally {
          await cleanUp(world.clients, name)
        }
      }
    }
  } finally {
    await proxy.close()
  }
  const elbxSummary = elbx.samples.length ? summarize(elbx.samples) : undefined
  const peerResult = (who) => {
    const peer = peers[who]
    if (!peer.samples.length)
      return {available: false, reason: withBoto3 ? 'no run finished' : 'python3 cannot import boto3'}
    const summary = summarize(peer.samples)
    return {
      available: true,
      summary,
      requests: Math.max(...peer.requests),
      roundTrips: Math.max(...peer.roundTrips),
      // elbx's wall time as a share of this peer's (lower is better).
      ...(elbxSummary ? {share: ratio(elbxSummary.medianMs, summary.medianMs)} : {}),
    }
  }
  const boto3 = peerResult('boto3')
  return {
    delayMs,
    elbx: {
      ...(elbxSummary ? {summary: elbxSummary} : {}),
      commands: [...elbx.commands].map(([label, samples]) => ({
        label,
        medianMs: Math.round(median(samples.map((s) => s.ms))),
        requests: Math.max(...samples.map((s) => s.requests)),
        roundTrips: Math.max(...samples.map((s) => s.roundTrips)),
        maxInFlight: Math.max(...samples.map((s) => s.maxInFlight)),
      })),
    },
    boto3,
    boto3Same: peerResult('boto3Same'),
    share: boto3.share,
  }
}
