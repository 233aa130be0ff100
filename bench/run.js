// `npm run bench`: elbx against the AWS CLI doing the seed's workflow, start-up time, requests per
// command and InService latency, all against a moto_server of its own on 127.0.0.1.
// Writes .bench-results/bench-<time>.json and docs/performance.md, and prints a table.
import '../scripts/lib/quiet-sdk.js'

import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {resetMoto, startMoto} from '../scripts/lib/moto.js'
import {awsCliAvailable, awsEnv, loadAverage, machine} from './lib/environment.js'
import {formatted} from './lib/markdown.js'
import {evaluateTargets, renderMarkdown, renderTable} from './lib/report.js'
import {operationCounts, requestSummary} from './lib/requests.js'
import {cleanUp, makeCertificate, sdkClients, seedNetwork} from './lib/seed.js'
import {boto3Available, measureLatency} from './lib/latency.js'
import {measureSdkLoad} from './lib/sdk-load.js'
import {measureStartup} from './lib/startup.js'
import {median, ratio, summarize} from './lib/stats.js'
import {measureAwsCliWaiter, measureElbxWaiter} from './lib/wait-latency.js'
import {SEED_SEQUENCE, runAwsWorkflow} from './lib/workflow-aws.js'
import {oneShotCommands, runElbxCommands, stepCommands} from './lib/workflow-elbx.js'

const SECTIONS = ['workflow', 'latency', 'startup', 'requests', 'wait']

const USAGE = `Usage: node bench/run.js [options]   (npm run bench builds first)

  --runs N           alternating runs of each workflow variant (default 5, or BENCH_RUNS)
  --startup-runs N   runs of each start-up command (default 10)
  --wait-runs N      InService flips measured for elbx's waiter, 1-5 (default 5)
  --latency-runs N   alternating runs of elbx and boto3 with a delay on every request (default 3)
  --delay-ms N       the delay the latency proxy adds to every request (default 100)
  --only LIST        comma-separated sections: ${SECTIONS.join(',')} (default all)
  --no-aws           skip everything that runs the aws CLI
  --no-docs          do not rewrite docs/performance.md
  --report FILE      only print the table and rewrite the docs from a results file of an earlier run
  -h, --help         this text`

function options() {
  const {values} = parseArgs({
    options: {
      runs: {type: 'string'},
      'startup-runs': {type: 'string'},
      'wait-runs': {type: 'string'},
      'latency-runs': {type: 'string'},
      'delay-ms': {type: 'string'},
      only: {type: 'string'},
      report: {type: 'string'},
      'no-aws': {type: 'boolean', default: false},
      'no-docs': {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const count = (flag, value, fallback, max = 100) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1 || n > max) {
      console.error(`--${flag} must be a whole number from 1 to ${max}, got "${value}".\n\n${USAGE}`)
      process.exit(2)
    }
    return n
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : SECTIONS
  const unknown = only.filter((s) => !SECTIONS.includes(s))
  if (unknown.length) {
    console.error(`--only: unknown section ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}.`)
    process.exit(2)
  }
  const withAws = !values['no-aws'] && awsCliAvailable()
  return {
    runs: count('runs', values.runs ?? process.env.BENCH_RUNS, 5),
    startupRuns: count('startup-runs', values['startup-runs'], 10),
    waitRuns: count('wait-runs', values['wait-runs'], 5, 5),
    latencyRuns: count('latency-runs', values['latency-runs'], 3),
    delayMs: count('delay-ms', values['delay-ms'], 100, 5000),
    sections: new Set(only),
    withAws,
    awsSkipReason: values['no-aws'] ? '--no-aws' : withAws ? undefined : 'aws is not on PATH',
    writeDocs: !values['no-docs'],
    report: values.report,
  }
}

const progress = (text) => process.stderr.write(`bench: ${text}\n`)

/** Collects each step's time across runs, for per-step medians. */
function addSteps(state, steps) {
  state.stepSamples ??= new Map()
  for (const {step, ms} of steps) state.stepSamples.set(step, [...(state.stepSamples.get(step) ?? []), ms])
}

/**
 * Runs each variant `runs` times, alternating their order run by run so that drift (a warming
 * cache, a busy neighbour) does not favour one of them.
 */
async function benchWorkflow(opts, world) {
  const variants = [
    {key: 'aws', skip: opts.withAws ? undefined : opts.awsSkipReason},
    {key: 'elbxOneShot'},
    {key: 'elbxSteps'},
  ]
  const out = Object.fromEntries(
    variants.map((v) => [v.key, {available: !v.skip, reason: v.skip, samples: []}]),
  )
  const requestRuns = {elbxOneShot: [], elbxSteps: []}
  for (let run = 0; run < opts.runs; run++) {
    const order = run % 2 === 0 ? variants : [...variants].reverse()
    for (const {key} of order) {
      const state = out[key]
      if (!state.available || state.failed) continue
      const name = `bench-${key.toLowerCase()}-${run}`
      const at = {...world, name}
      progress(`workflow run ${run + 1}/${opts.runs}: ${key}`)
      try {
        if (key === 'aws') {
          const result = await runAwsWorkflow(at)
          state.samples.push(result.ms)
          addSteps(state, result.steps)
        } else {
          const commands =
            key === 'elbxOneShot'
              ? oneShotCommands(at).map(([label, argv]) => ({label, argv, required: true}))
              : stepCommands(at)
          const result = await runElbxCommands(commands, world)
          requestRuns[key].push(result.runs)
          if (!result.available) {
            state.available = false
            state.reason = `elbx workflow not available yet: ${result.reason}`
          } else if (result.failed) {
            state.failed = result.failed
          } else {
            state.samples.push(result.ms)
            addSteps(state, result.steps)
            if (result.skipped.length) state.skipped = result.skipped
          }
        }
      } catch (error) {
        state.failed = error.message.split('\n')[0]
      } finally {
        await cleanUp(world.clients, name)
      }
    }
  }
  for (const state of Object.values(out)) {
    if (state.samples.length) state.summary = summarize(state.samples)
    else if (state.available && state.failed) state.available = false
    if (state.stepSamples)
      state.steps = [...state.stepSamples].map(([step, samples]) => ({
        step,
        medianMs: Math.round(median(samples)),
      }))
    delete state.samples
    delete state.stepSamples
  }
  const speedup = (key) =>
    out.aws.summary && out[key].summary
      ? ratio(out.aws.summary.medianMs, out[key].summary.medianMs)
      : undefined
  return {
    workflow: {...out, speedup: {oneShot: speedup('elbxOneShot'), steps: speedup('elbxSteps')}},
    requestRuns,
  }
}

/** Requests of each elbx command in the first run of each variant; repeats checked in every run. */
function benchRequests(requestRuns) {
  const elbx = []
  for (const [variant, runs] of Object.entries(requestRuns)) {
    if (!runs.length) continue
    for (const {label, requests} of runs[0]) {
      if (!requests.length) continue
      const summary = requestSummary(`${variant === 'elbxOneShot' ? '' : '(steps) '}elbx ${label}`, requests)
      const repeatsElsewhere = runs
        .slice(1)
        .flatMap((r) =>
          r.filter((c) => c.label === label).flatMap((c) => requestSummary(label, c.requests).repeatedReads),
        )
      if (!summary.repeatedReads.length && repeatsElsewhere.length) summary.repeatedReads = repeatsElsewhere
      elbx.push(summary)
    }
  }
  return {
    seed: {
      commands: SEED_SEQUENCE.length,
      total: SEED_SEQUENCE.reduce((n, s) => n + s.requests, 0),
      operations: operationCounts(SEED_SEQUENCE.filter((s) => s.requests)),
      sequence: SEED_SEQUENCE,
    },
    elbx,
  }
}

/** Prints the table and (unless --no-docs) writes docs/performance.md. */
async function publish(results, opts) {
  console.log(renderTable(results))
  if (opts.writeDocs) {
    const docs = join('docs', 'performance.md')
    // bench/verify.js owns its section (between its markers): keep it.
    const verifySection = /<!-- bench\/verify\.js: start -->[\s\S]*<!-- bench\/verify\.js: end -->/.exec(
      readFileSync(docs, 'utf8'),
    )?.[0]
    const markdown = renderMarkdown(results) + (verifySection ? `\n${verifySection}\n` : '')
    writeFileSync(docs, await formatted(docs, markdown))
    console.log('Wrote docs/performance.md')
  }
}

async function main() {
  const opts = options()
  if (opts.report) return publish(JSON.parse(readFileSync(opts.report, 'utf8')), opts)
  const started = Date.now()
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    options: {
      runs: opts.runs,
      startupRuns: opts.startupRuns,
      waitRuns: opts.waitRuns,
      latencyRuns: opts.latencyRuns,
      delayMs: opts.delayMs,
      sections: [...opts.sections],
    },
    notes: [],
  }
  if (opts.awsSkipReason) results.notes.push(`aws CLI parts skipped: ${opts.awsSkipReason}.`)

  progress('starting moto_server')
  const moto = await startMoto()
  const env = awsEnv(moto.endpoint)
  // elbx's in-process waiter resolves credentials from the environment, like the binary does.
  for (const [key, value] of Object.entries(env)) if (key.startsWith('AWS_')) process.env[key] = value
  const clients = sdkClients(moto.endpoint)
  const cert = makeCertificate()
  try {
    await resetMoto(moto.endpoint)
    const network = await seedNetwork(clients)
    const world = {...network, cert, env, endpoint: moto.endpoint, clients}
    progress(`seeded ${network.vpcId}, instances ${network.instanceIds.join(', ')}`)

    if (opts.sections.has('startup')) {
      progress('start-up times')
      results.startup = await measureStartup({runs: opts.startupRuns, env, withAws: opts.withAws})
      results.sdkLoad = await measureSdkLoad({runs: Math.min(opts.startupRuns, 3), env})
    }
    if (opts.sections.has('workflow') || opts.sections.has('requests')) {
      // The request counts come from the workflow runs: one run is enough when only they are wanted.
      const runs = opts.sections.has('workflow') ? opts.runs : 1
      const {workflow, requestRuns} = await benchWorkflow(
        {...opts, runs, withAws: opts.withAws && opts.sections.has('workflow')},
        world,
      )
      if (opts.sections.has('workflow')) results.workflow = workflow
      if (opts.sections.has('requests')) results.requests = benchRequests(requestRuns)
    }
    if (opts.sections.has('latency')) {
      progress(`workflow with ${opts.delayMs} ms per request: elbx and boto3`)
      results.latency = await measureLatency({
        world,
        runs: opts.latencyRuns,
        delayMs: opts.delayMs,
        withBoto3: await boto3Available(),
      })
    }
    if (opts.sections.has('wait')) {
      progress('InService latency (elbx waiter)')
      results.wait = {
        elbx: await measureElbxWaiter({clients, world, endpoint: moto.endpoint, runs: opts.waitRuns}),
      }
      if (opts.withAws) {
        progress('InService latency (aws elb wait, about 15 s)')
        results.wait.awsCli = await measureAwsCliWaiter({clients, world, endpoint: moto.endpoint, env})
      } else results.wait.awsCli = {available: false, reason: opts.awsSkipReason}
    }
  } finally {
    clients.destroy()
    await moto.stop()
  }

  results.machine.loadAverageAtEnd = loadAverage()
  const busiest = Math.max(results.machine.loadAverageAtStart, results.machine.loadAverageAtEnd)
  if (busiest > results.machine.nproc)
    results.notes.push(
      `The machine was busy with other work (1-minute load average up to ${busiest} on ${results.machine.nproc} CPUs), which slows both tools and spreads the samples; compare medians, and re-run on an idle machine for cleaner figures.`,
    )
  for (const [key, part] of Object.entries(results.workflow ?? {}))
    if (part?.skipped?.length) results.notes.push(`${key}: skipped ${part.skipped.join('; ')}.`)
  results.targets = evaluateTargets(results)
  results.durationSec = Math.round((Date.now() - started) / 1000)
  mkdirSync('.bench-results', {recursive: true})
  const file = join('.bench-results', `bench-${results.date.replaceAll(':', '-')}.json`)
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n')
  writeFileSync(join('.bench-results', 'latest.json'), JSON.stringify(results, null, 2) + '\n')
  await publish(results, opts)
  console.log(`Results: ${file} (${results.durationSec} s)`)
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`)
  process.exitCode = 1
})
