// The benchmark's outputs: a table on stdout, the JSON document in .bench-results/, and
// docs/performance.md.
import {formatMs} from './stats.js'

export const TARGETS = {
  workflowSpeedup: 8,
  boto3Share: 0.6,
  createRoundTrips: 7,
  destroyRoundTrips: 3,
  versionShare: 0.4,
  inServiceSeenMs: 3000,
}

/** Each target with the measured value and whether it is met (null: could not be measured). */
export function evaluateTargets(results) {
  const {workflow, startup, requests, wait, latency} = results
  const roundTrips = (label) => latency?.elbx?.commands?.find((c) => c.label === label)?.roundTrips
  const awsVersion = startup?.find((s) => s.command === 'aws --version')
  const elbxVersion = startup?.find((s) => s.command === 'elbx --version')
  const versionShare =
    awsVersion?.available && elbxVersion?.available ? elbxVersion.medianMs / awsVersion.medianMs : undefined
  const speedup = workflow?.speedup?.oneShot
  const repeated = requests?.elbx?.flatMap((c) =>
    c.repeatedReads.map((r) => `${c.command}: ${r.operation} x${r.count}`),
  )
  // Judged on the worst case: an instance turns InService whenever it does, not when a sample chose.
  const waitWorst = wait?.elbx?.available ? (wait.elbx.worstCaseMs ?? wait.elbx.maxLatencyMs) : undefined
  return [
    {
      target: `whole workflow >= ${TARGETS.workflowSpeedup}x faster than the aws CLI sequence`,
      measured: speedup === undefined ? 'not measured' : `${speedup}x (one command)`,
      met: speedup === undefined ? null : speedup >= TARGETS.workflowSpeedup,
      why: speedup === undefined ? (workflow?.elbxOneShot?.reason ?? workflow?.aws?.reason) : undefined,
    },
    ...[
      ['boto3Same', 'making the requests elbx makes'],
      ['boto3', "making the AWS guide's calls"],
    ].map(([who, what]) => {
      const peer = latency?.[who]
      return {
        target: `with ${latency?.delayMs ?? 100} ms per request, elbx create + destroy <= ${TARGETS.boto3Share}x one boto3 process ${what}`,
        measured:
          peer?.share === undefined
            ? 'not measured'
            : `${peer.share}x (${formatMs(latency.elbx.summary.medianMs)} against ${formatMs(peer.summary.medianMs)})`,
        met: peer?.share === undefined ? null : peer.share <= TARGETS.boto3Share,
        why: peer?.share === undefined ? (peer?.reason ?? 'latency section not run') : undefined,
      }
    }),
    ...[
      ['create', TARGETS.createRoundTrips],
      ['destroy', TARGETS.destroyRoundTrips],
    ].map(([label, most]) => ({
      target: `${label}'s critical path <= ${most} sequential round trips`,
      measured: roundTrips(label) === undefined ? 'not measured' : `${roundTrips(label)}`,
      met: roundTrips(label) === undefined ? null : roundTrips(label) <= most,
      why: roundTrips(label) === undefined ? 'latency section not run' : undefined,
    })),
    {
      target: `elbx --version < ${TARGETS.versionShare * 100}% of aws --version`,
      measured: versionShare === undefined ? 'not measured' : `${Math.round(versionShare * 100)}%`,
      met: versionShare === undefined ? null : versionShare < TARGETS.versionShare,
      why:
        versionShare === undefined
          ? (awsVersion?.reason ?? elbxVersion?.reason ?? 'aws CLI not run')
          : undefined,
    },
    {
      target: 'no redundant requests (no read repeated within one command, polls excepted)',
      measured:
        repeated === undefined || requests.elbx.length === 0
          ? 'not measured'
          : repeated.length === 0
            ? 'none repeated'
            : `${repeated.length} repeated: ${repeated.join('; ')}`,
      met: repeated === undefined || requests.elbx.length === 0 ? null : repeated.length === 0,
      why: requests?.elbx?.length === 0 ? 'no elbx workflow command ran yet' : undefined,
    },
    {
      target: `InService seen within ${TARGETS.inServiceSeenMs / 1000} s`,
      measured:
        waitWorst === undefined
          ? 'not measured'
          : `median ${formatMs(wait.elbx.medianLatencyMs)}, max ${formatMs(wait.elbx.maxLatencyMs)} over ${wait.elbx.samples.length} flips; worst case ${formatMs(waitWorst)} (longest gap between polls)`,
      met: waitWorst === undefined ? null : waitWorst <= TARGETS.inServiceSeenMs,
      why:
        waitWorst === undefined
          ? wait?.elbx?.reason
          : waitWorst > TARGETS.inServiceSeenMs
            ? `the waiter lets up to ${formatMs(waitWorst)} pass between polls; the target needs that cap at ${TARGETS.inServiceSeenMs / 1000} s or less`
            : undefined,
    },
  ]
}

/** Cells longer than this are cut in the terminal (the JSON and the Markdown keep them whole). */
const CELL_WIDTH = 72

function table(rows, header) {
  const cut = (c) => (c.length > CELL_WIDTH ? `${c.slice(0, CELL_WIDTH - 1)}…` : c)
  const all = [header, ...rows].map((r) => r.map((c) => cut(String(c ?? ''))))
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)))
  const line = (r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n')
}

function mdTable(rows, header) {
  const esc = (c) => String(c ?? '').replaceAll('|', '\\|')
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n')
}

const verdict = (met) => (met === null ? 'n/a' : met ? 'met' : 'NOT met')

function workflowRows(workflow) {
  if (!workflow) return []
  const row = (label, part, ratioOf) =>
    part?.available && part.summary
      ? [
          label,
          formatMs(part.summary.medianMs),
          formatMs(part.summary.minMs),
          formatMs(part.summary.maxMs),
          part.summary.runs,
          [ratioOf, part.skipped?.length ? `skipped: ${part.skipped.join('; ')}` : undefined]
            .filter(Boolean)
            .join(', '),
        ]
      : [label, 'not available', '', '', '', part?.reason ?? part?.failed ?? '']
  return [
    row('aws CLI, the guide one command at a time', workflow.aws),
    row(
      'elbx create --https ... + destroy',
      workflow.elbxOneShot,
      workflow.speedup?.oneShot && `${workflow.speedup.oneShot}x`,
    ),
    row('elbx step by step', workflow.elbxSteps, workflow.speedup?.steps && `${workflow.speedup.steps}x`),
  ]
}

function stepRows(workflow) {
  if (!workflow) return []
  const label = {aws: 'aws CLI', elbxOneShot: 'elbx, one command', elbxSteps: 'elbx, step by step'}
  return Object.entries(label).flatMap(([key, name]) =>
    (workflow[key]?.steps ?? []).map((s) => [name, s.step, formatMs(s.medianMs)]),
  )
}

function startupRows(startup) {
  return (startup ?? []).map((s) =>
    s.available
      ? [s.command, formatMs(s.medianMs), formatMs(s.minMs), formatMs(s.maxMs), s.runs]
      : [s.command, 'not available', '', '', s.reason],
  )
}

function requestRows(requests) {
  if (!requests) return []
  const operations = (list) =>
    list.map((o) => (o.count > 1 ? `${o.operation} x${o.count}` : o.operation)).join(', ')
  return [
    ["aws CLI, the guide's sequence", requests.seed.total, operations(requests.seed.operations), ''],
    ...requests.elbx.map((c) => [
      c.command,
      c.requests,
      operations(c.operations),
      c.repeatedReads.length ? c.repeatedReads.map((r) => `${r.operation} x${r.count}`).join(', ') : 'none',
    ]),
  ]
}

const pollTimes = (times) => `${times.map((t) => (t / 1000).toFixed(1)).join(', ')} s`

function waitRows(wait) {
  if (!wait) return []
  const rows = []
  if (wait.elbx?.available)
    for (const s of wait.elbx.samples)
      rows.push([
        'elbx waitForInService',
        `${formatMs(s.flipAfterMs)} after start`,
        formatMs(s.latencyMs),
        pollTimes(s.pollsAtMs),
      ])
  else rows.push(['elbx waitForInService', 'not available', wait.elbx?.reason ?? '', ''])
  if (wait.awsCli?.available)
    rows.push([
      'aws elb wait instance-in-service',
      `${formatMs(wait.awsCli.flipAfterMs)} after start`,
      `${formatMs(wait.awsCli.latencyMs)} (expected ${formatMs(wait.awsCli.expectedLatencyMs)}, worst ${formatMs(wait.awsCli.worstLatencyMs)})`,
      pollTimes(wait.awsCli.pollsAtMs),
    ])
  else rows.push(['aws elb wait instance-in-service', 'not measured', wait.awsCli?.reason ?? '', ''])
  return rows
}

const HEADERS = {
  workflow: ['workflow', 'median', 'min', 'max', 'runs', 'speed-up / note'],
  startup: ['command', 'median', 'min', 'max', 'runs / note'],
  requests: ['command', 'requests', 'operations', 'repeated reads'],
  wait: ['waiter', 'instance started', 'InService reported after', 'polls at'],
  steps: ['variant', 'step', 'median'],
  targets: ['target', 'measured', 'verdict'],
  sdkLoad: ['SDK module', 'from the package', 'as elbx loads it'],
  latency: ['workflow', 'median wall time', 'requests', 'sequential round trips', 'most in flight / share'],
}

function latencyRows(latency) {
  if (!latency) return []
  const rows = []
  for (const [who, label] of [
    ['boto3', "boto3, one process (the AWS guide's calls)"],
    ['boto3Same', 'boto3, one process (the requests elbx makes)'],
  ])
    if (latency[who]?.available)
      rows.push([
        label,
        formatMs(latency[who].summary.medianMs),
        `${latency[who].requests}`,
        `${latency[who].roundTrips}`,
        '1',
      ])
  if (latency.elbx?.summary)
    rows.push([
      'elbx create + destroy',
      formatMs(latency.elbx.summary.medianMs),
      '',
      '',
      [latency.boto3?.share, latency.boto3Same?.share]
        .filter((x) => x !== undefined)
        .map((x) => `${x}x`)
        .join(' / '),
    ])
  for (const c of latency.elbx?.commands ?? [])
    rows.push([
      `  elbx ${c.label}`,
      formatMs(c.medianMs),
      `${c.requests}`,
      `${c.roundTrips}`,
      `${c.maxInFlight}`,
    ])
  return rows
}

function sdkLoadRows(sdkLoad) {
  return (sdkLoad ?? []).map((r) => [r.what, formatMs(r.packageMs), formatMs(r.elbxMs)])
}

/** The plain-text report printed at the end of a run. */
export function renderTable(results) {
  const parts = [
    ['Workflow (create + destroy, wall time)', workflowRows(results.workflow), HEADERS.workflow],
    ['With a round trip on every request', latencyRows(results.latency), HEADERS.latency],
    ['Start-up', startupRows(results.startup), HEADERS.startup],
    ['Loading the AWS SDK', sdkLoadRows(results.sdkLoad), HEADERS.sdkLoad],
    ['Requests per command', requestRows(results.requests), HEADERS.requests],
    ['InService latency', waitRows(results.wait), HEADERS.wait],
    ['Targets', results.targets.map((t) => [t.target, t.measured, verdict(t.met)]), HEADERS.targets],
  ]
  return parts
    .filter(([, rows]) => rows.length)
    .map(([title, rows, header]) => `${title}\n${table(rows, header)}`)
    .join('\n\n')
}

/** What the figures say that the tables do not spell out. */
export function findings(results) {
  const out = []
  const sdk = results.sdkLoad ?? []
  const all = sdk.at(-1)
  const ec2 = sdk.find((r) => r.what === 'EC2 client')
  if (all && ec2)
    out.push(
      `Imported from their packages, the SDK modules elbx uses take ${formatMs(all.packageMs)} to load (the EC2 client alone ${formatMs(ec2.packageMs)}: its index loads every EC2 command). elbx's build bundles only the commands it sends, so they take ${formatMs(all.elbxMs)}, and each client still loads only when a step first calls it.`,
    )
  const workflow = results.targets.find((t) => /8x/.test(t.target ?? ''))
  if (workflow && workflow.met === false)
    out.push(
      'The one-command workflow is short of 8x on this run. With moto answering in milliseconds, each elbx process spends most of its time starting Node.js and loading modules, not on requests; a loaded machine stretches both sides unevenly. Against AWS, every request adds a round trip, which favours the tool that starts fewer processes and sends fewer requests.',
    )
  return out
}

/** docs/performance.md from one run's results. */
export function renderMarkdown(results) {
  const m = results.machine
  const notes = [...results.notes, ...findings(results)]
  const notMeasured = results.targets.filter((t) => t.met === null)
  const section = (title, rows, header, intro) =>
    rows.length
      ? `## ${title}\n\n${intro}\n\n${mdTable(rows, header)}\n`
      : `## ${title}\n\n${intro}\n\nNot run.\n`
  return `# Performance

Figures from \`npm run bench\` (bench/run.js), which starts its own moto_server on 127.0.0.1, seeds a
VPC with two running instances, makes a self-signed certificate with openssl, and compares elbx with
the AWS CLI doing the AWS guide's workflow. moto answers in milliseconds, so these figures measure the
tools (start-up, request count, waiting), not AWS: against AWS every request adds its round trip,
which favours the tool that sends fewer processes and requests.

Measured ${results.date.replace('T', ' ').slice(0, 16)} UTC on ${m.nproc} CPU(s) (${m.cpuModel}), ${m.memoryGiB} GiB memory,
Node.js ${m.node}, ${m.platform}; ${m.awsCli ?? 'aws CLI not installed'}; moto ${m.moto ?? 'unknown'};
1-minute load average ${m.loadAverageAtStart} at the start, ${m.loadAverageAtEnd} at the end.
${results.options.runs} alternating runs per workflow, ${results.options.startupRuns} per start-up command.
Re-run with \`npm run bench\` (\`node bench/run.js --help\` for options); the raw figures land in
\`.bench-results/\`.

## Targets

${mdTable(
  results.targets.map((t) => [t.target, t.measured, verdict(t.met) + (t.why ? `: ${t.why}` : '')]),
  ['target', 'measured', 'verdict'],
)}
${notMeasured.length ? `\nTargets marked n/a could not be measured in this run; the reason is beside each.\n` : ''}
${section(
  'Workflow',
  workflowRows(results.workflow),
  HEADERS.workflow,
  `The AWS guide's CLI workflow: upload the certificate to IAM, create the load balancer with HTTP 80 and
HTTPS 443 (back-end HTTPS 443) listeners, create and set an SSL negotiation policy referencing
ELBSecurityPolicy-TLS-1-2-2017-01, extract the public key with openssl and set back-end
authentication (PublicKeyPolicyType + BackendServerAuthenticationPolicyType), configure the
health check HTTP:80/ping, register two instances, \`aws elb wait instance-in-service\`, then delete
the load balancer and the certificate: ${results.requests?.seed?.commands ?? 13} processes. elbx does it with
\`elbx create --https ... --wait any\` and \`elbx destroy --delete-certificate\`, and step by step with
\`create\`, \`policy ssl\`, \`policy backend-auth\`, \`health\`, \`register --wait any\` and \`destroy\`.
The variants alternate run by run; the speed-up is the aws median over the elbx median.`,
)}
${section(
  'With a round trip on every request',
  latencyRows(results.latency),
  HEADERS.latency,
  `The same workflow through a loopback proxy (bench/lib/latency-proxy.js) that holds every AWS
request ${results.latency?.delayMs ?? 100} ms before forwarding it to moto, as a Region's round trip does; moto's own time
comes on top. The peers are one Python process with boto3 (bench/lib/workflow-boto3.py) sending
requests one after another, as a plain script would: once the AWS guide's calls, once
(\`--same-as-elbx\`) every request elbx sends, its reads and security group included. elbx is
\`create\` with every step's flags, then \`destroy --delete-certificate\`, each a process of its
own. Sequential round trips are counted from the proxy's record: the longest chain of requests each
of which started after the previous one had answered (requests sent together count once). The last
column is the most requests in flight at once (for the elbx total: its share of each boto3 peer's
wall time, the guide's calls first). ${results.options.latencyRuns ?? 3} alternating runs; medians.`,
)}
${section(
  'Where the time goes',
  stepRows(results.workflow),
  HEADERS.steps,
  'Median wall time of each process of the workflow.',
)}
${section(
  'Start-up',
  startupRows(results.startup),
  HEADERS.startup,
  `Wall time of a whole process, from spawn to exit, after one unmeasured warm-up round.
elbx finds its commands in the oclif manifest, loads each from a bundle (scripts/build.js), and
imports the AWS SDK only in commands that send requests.`,
)}
${section(
  'Loading the AWS SDK',
  sdkLoadRows(results.sdkLoad),
  HEADERS.sdkLoad,
  `Every command that sends a request pays for the SDK modules it imports. Each row is imported in a
fresh process (timed inside the child, so Node.js's own start-up is left out), once from the
package's index as an unbundled tool would, once as elbx's bundled module (dist/aws/sdk/, built by
scripts/build.js). A command loads the ELB client and the credential chain when it first needs AWS,
and the EC2, IAM and ACM clients only when a step first calls them.`,
)}
${section(
  'Requests',
  requestRows(results.requests),
  HEADERS.requests,
  `Every HTTP request each elbx command sent (ELBX_REQUEST_LOG, retries included), beside the AWS guide's
sequence (one request per aws command; the waiter's DescribeInstanceHealth polls once when the
instances are already InService, as on moto). A read (Describe*, Get*, List*) sent twice in one
command is flagged; DescribeInstanceHealth polls are not. The log holds no parameters, so two
reads of different resources with the same operation are flagged too.`,
)}
${section(
  'Waiting for InService',
  waitRows(results.wait),
  HEADERS.wait,
  `A stopped instance is registered (moto reports it OutOfService), the waiter starts, and the
instance is started at a known moment after that (moto then reports it InService at once); the
latency runs from StartInstances' answer to the waiter reporting InService (elbx's \`onChange\`;
the aws CLI's exit). elbx's waiter is measured in process (\`waitForInService\` from
dist/steps/wait-for-in-service.js over elbx's gateways), because \`elbx register\` rightly refuses a
stopped instance and moto has no pending state. The latency depends on where in the poll schedule
(the last column) the instance turns InService, so the target is judged on the worst case: the
longest gap between two polls. The AWS CLI's waiter polls every ${AWS_CLI_DELAY} s (40 times; its polls are
timed from its --debug log), so it notices up to ${AWS_CLI_DELAY} s late, ${AWS_CLI_DELAY / 2} s on average.`,
)}${notes.length ? `\n## Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`
}

const AWS_CLI_DELAY = 15
