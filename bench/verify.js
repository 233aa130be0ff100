// `npm run bench:verify`: how long `elbx verify` takes with its cipher, server-order and key
// exchange probes, against a load balancer in the bench's own moto whose HTTPS listener is a local
// Node TLS server (reached with --connect-to), on loopback and behind a proxy that adds latency as a
// real network does. Writes .bench-results/verify-<time>.json and the verify section of
// docs/performance.md (between its markers; the rest of the file is bench/run.js's).
import '../scripts/lib/quiet-sdk.js'

import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {startMoto} from '../scripts/lib/moto.js'
import {runElbx} from './lib/elbx.js'
import {formatted} from './lib/markdown.js'
import {awsEnv, loadAverage, machine} from './lib/environment.js'
import {makeCertificate, sdkClients, seedNetwork} from './lib/seed.js'
import {formatMs, summarize} from './lib/stats.js'

const USAGE = `Usage: node bench/verify.js [options]   (npm run bench:verify builds first)

  --runs N     runs of each scenario (default 5)
  --rtt MS     round-trip time the latency proxy adds (default 50)
  --no-docs    do not rewrite the verify section of docs/performance.md
  --report F   only print and write the section from a results file of an earlier run
  -h, --help   this text`

const START = '<!-- bench/verify.js: start -->'
const END = '<!-- bench/verify.js: end -->'
const HOST = 'www.example.com'

/** The oldest protocol each benchmarked policy enables. */
const MIN_PROTOCOL = {'ELBSecurityPolicy-TLS-1-2-2017-01': 'TLSv1.2', 'ELBSecurityPolicy-2016-08': 'TLSv1'}

function options() {
  const {values} = parseArgs({
    options: {
      runs: {type: 'string'},
      rtt: {type: 'string'},
      'no-docs': {type: 'boolean', default: false},
      report: {type: 'string'},
      help: {type: 'boolean', short: 'h', default: false},
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const number = (flag, value, fallback, max) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0 || n > max) {
      console.error(`--${flag} must be a whole number from 0 to ${max}, got "${value}".\n\n${USAGE}`)
      process.exit(2)
    }
    return n
  }
  return {
    runs: number('runs', values.runs, 5, 50) || 1,
    rttMs: number('rtt', values.rtt, 50, 1000),
    writeDocs: !values['no-docs'],
    report: values.report,
  }
}

const progress = (text) => process.stderr.write(`bench:verify: ${text}\n`)

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))
}

/** A Node TLS server standing in for the listener: the policy's protocols and ciphers, server order. */
async function startListener(certificate, policy, ciphers) {
  const server = https.createServer(
    {
      cert: readFileSync(certificate.certFile),
      key: readFileSync(certificate.keyFile),
      minVersion: MIN_PROTOCOL[policy],
      maxVersion: 'TLSv1.2',
      ciphers: `${ciphers.join(':')}@SECLEVEL=0`,
      honorCipherOrder: true,
    },
    (request, response) => response.end('ok\n'),
  )
  const counts = {connections: 0}
  server.on('connection', () => counts.connections++)
  const port = await listen(server)
  return {port, counts, close: () => new Promise((r) => (server.closeAllConnections(), server.close(r)))}
}

/** A TCP proxy that holds every chunk for half the round-trip time each way, as a network would. */
async function startLatencyProxy(targetPort, rttMs) {
  const sockets = new Set()
  const delayed = (to) => (chunk) => setTimeout(() => to.destroyed || to.write(chunk), rttMs / 2)
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => sockets.delete(s))
    }
    client.on('data', delayed(upstream))
    upstream.on('data', delayed(client))
    // Let the last delayed chunks through before closing the other side.
    client.on('end', () => setTimeout(() => upstream.end(), rttMs / 2))
    upstream.on('end', () => setTimeout(() => client.end(), rttMs / 2))
  })
  const port = await listen(server)
  return {port, close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(r)))}
}

/** What elbx must do or the bench cannot go on: its JSON answer. */
async function elbxJson(args, env) {
  const result = await runElbx([...args, '--json'], env, {timeoutMs: 120_000})
  if (result.exitCode !== 0)
    throw new Error(`elbx ${args.join(' ')} exited ${result.exitCode}:\n${result.stderr}`)
  return JSON.parse(result.stdout)
}

/**
 * A load balancer made by \`elbx create --https\` (HTTP 80 and HTTPS 443, the certificate uploaded to
 * IAM, the SSL policy), two instances registered. Returns its DNS name.
 */
async function createLoadBalancer(clients, env, name, policy, certificate) {
  const network = await seedNetwork(clients)
  const created = await elbxJson(
    [
      'create',
      '--https',
      '--name',
      name,
      '--subnets',
      network.subnetIds.join(','),
      '--certificate-file',
      certificate.certFile,
      '--private-key-file',
      certificate.keyFile,
      '--ssl-policy',
      policy,
      '--instances',
      network.instanceIds.join(','),
      '--wait',
      'none',
      '--yes',
    ],
    env,
  )
  return created.dnsName ?? created.loadBalancer?.dnsName
}

async function measure(scenario, env, opts) {
  const samples = []
  const probeSamples = []
  let handshakes
  let report
  for (let i = 0; i < opts.runs; i++) {
    const before = scenario.listener.counts.connections
    const result = await runElbx(
      [
        'verify',
        '--name',
        scenario.name,
        '--host',
        HOST,
        '--wait-timeout',
        '5',
        '--insecure',
        '--json',
        '--connect-to',
        `${scenario.dnsName}:80:127.0.0.1:${scenario.webPort}`,
        '--connect-to',
        `${scenario.dnsName}:443:127.0.0.1:${scenario.tlsPort}`,
      ],
      env,
      {timeoutMs: 120_000},
    )
    if (result.exitCode !== 0)
      throw new Error(`verify exited ${result.exitCode}:\n${result.stderr}\n${result.stdout}`)
    samples.push(result.ms)
    handshakes = scenario.listener.counts.connections - before
    report = JSON.parse(result.stdout)
    probeSamples.push(report.checks.find((c) => c.id === 'policy:443').data.elapsedMs)
  }
  const policy = report.checks.find((c) => c.id === 'policy:443')
  return {
    scenario: scenario.label,
    rttMs: scenario.rttMs,
    handshakes,
    ciphersProbed: policy.data.ciphers.probed,
    counts: report.counts,
    ...summarize(samples),
    probes: summarize(probeSamples),
  }
}

function renderSection(results) {
  const rows = results.rows.map((r) => [
    r.scenario,
    r.rttMs ? `${r.rttMs} ms` : 'loopback',
    String(r.handshakes),
    `${formatMs(r.probes.medianMs)} (${formatMs(r.probes.minMs)} to ${formatMs(r.probes.maxMs)})`,
    `${formatMs(r.medianMs)} (${formatMs(r.minMs)} to ${formatMs(r.maxMs)})`,
  ])
  const header = [
    'listener (policy, what it accepts)',
    'added round trip',
    'TLS connections per verify',
    'policy probes: median (range)',
    'whole verify process: median (range)',
  ]
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
  const m = results.machine
  const busy = Math.max(m.loadAverageAtStart, results.loadAverageAtEnd) > m.nproc
  return `${START}
## \`elbx verify\` with its cipher probes

From \`npm run bench:verify\` (bench/verify.js): a load balancer made by \`elbx create --https\` in the
bench's moto (HTTP 80 and HTTPS 443, its certificate uploaded to IAM, the predefined SSL policy), its
HTTPS listener a local Node TLS server that enforces that policy, reached with \`--connect-to\`.
Each run is a whole \`elbx verify --json\` process (start-up, AWS requests, every check): per HTTPS
listener, a probe per protocol the policy disables; for each protocol it enables, one handshake per
cipher it enables and one offering every other cipher the certificate's key can use at once; two
for the server order and one per key exchange group the cipher handshakes did not show; at most 16
at a time, each waiting at most 3 s. The "added round trip" rows put a proxy in front of the TLS server that holds
every chunk for half that time each way, as a network to AWS would. "policy probes" is the
\`policy:443\` check alone (its \`data.elapsedMs\`): what the probes add to a verify.

Measured ${results.date.replace('T', ' ').slice(0, 16)} UTC on ${m.nproc} CPU(s) (${m.cpuModel}), Node.js ${m.node};
1-minute load average ${m.loadAverageAtStart} at the start, ${results.loadAverageAtEnd} at the end; ${results.options.runs} runs each.
${busy ? `The machine was busy (load average above its ${m.nproc} CPUs): the local TLS server answers every probe on the same CPUs as elbx, so these figures are bound by CPU, not by the network, and an idle machine measures less.\n` : ''}
${table}

For scale, from issue #20's comparison on the same kind of endpoint: before these probes
\`elbx verify\` took 0.2 s; sslscan 0.6 s, nmap's ssl-enum-ciphers 1.6 s, testssl.sh 45 s.
${END}
`
}

async function writeDocs(section) {
  const file = join('docs', 'performance.md')
  const text = readFileSync(file, 'utf8')
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + section.trimEnd() + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n${section}`
  writeFileSync(file, await formatted(file, next))
}

/** Prints the section and (unless --no-docs) writes it into docs/performance.md. */
async function publish(results, opts) {
  console.log(renderSection(results))
  if (opts.writeDocs) {
    await writeDocs(renderSection(results))
    console.log('Wrote the verify section of docs/performance.md')
  }
}

async function main() {
  const opts = options()
  if (opts.report) return publish(JSON.parse(readFileSync(opts.report, 'utf8')), opts)
  const results = {date: new Date().toISOString(), machine: machine(), options: opts, rows: []}
  progress('starting moto_server')
  const moto = await startMoto()
  const clients = sdkClients(moto.endpoint)
  const closers = []
  try {
    const env = awsEnv(moto.endpoint)
    const certificate = makeCertificate()
    const web = http.createServer((q, s) => s.end('ok\n'))
    const webPort = await listen(web)
    closers.push(() => new Promise((r) => (web.closeAllConnections(), web.close(r))))
    // The ciphers as elbx's table (AWS's documented matrix) has them: what the local listeners enforce.
    const table = await elbxJson(['policy', 'ssl', '--list'], env)
    for (const policy of Object.keys(MIN_PROTOCOL)) {
      const name = `bench-verify-${policy.endsWith('2016-08') ? '2016' : 'tls12'}`
      const dnsName = await createLoadBalancer(clients, env, name, policy, certificate)
      const ciphers = table.policies.find((p) => p.name === policy).ciphers
      const listener = await startListener(certificate, policy, ciphers)
      closers.push(listener.close)
      for (const rttMs of [0, opts.rttMs]) {
        const proxy = rttMs ? await startLatencyProxy(listener.port, rttMs) : undefined
        if (proxy) closers.push(proxy.close)
        const label = `${policy} (${policy.endsWith('2016-08') ? 'TLS 1.0 to 1.2' : 'TLS 1.2'}, ${ciphers.length} ciphers)`
        progress(`${label}, ${rttMs ? `${rttMs} ms round trip` : 'loopback'}: ${opts.runs} runs`)
        const row = await measure(
          {name, label, dnsName, webPort, tlsPort: proxy?.port ?? listener.port, listener, rttMs},
          env,
          opts,
        )
        results.rows.push(row)
        progress(`  median ${formatMs(row.medianMs)}, ${row.handshakes} TLS connections`)
      }
    }
  } finally {
    for (const close of closers.reverse()) await close()
    clients.destroy()
    await moto.stop()
  }
  results.loadAverageAtEnd = loadAverage()
  mkdirSync('.bench-results', {recursive: true})
  const file = join('.bench-results', `verify-${results.date.replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n')
  await publish(results, opts)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
