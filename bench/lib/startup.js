// Start-up time: how long elbx takes to answer before it does any AWS work, beside `aws --version`.
import {ELBX_BIN, unavailableReason} from './elbx.js'
import {runTimed} from './process.js'
import {summarize} from './stats.js'

export const STARTUP_COMMANDS = [
  {label: 'elbx --version', command: process.execPath, args: [ELBX_BIN, '--version']},
  {label: 'elbx --help', command: process.execPath, args: [ELBX_BIN, '--help']},
  {label: 'elbx create --help', command: process.execPath, args: [ELBX_BIN, 'create', '--help']},
  {label: 'aws --version', command: 'aws', args: ['--version'], aws: true},
]

/**
 * Runs each command `runs` times, interleaved (one of each per round) so that a slow moment of the
 * machine hits them all alike, after one unmeasured warm-up round (file cache).
 */
export async function measureStartup({runs, env, withAws}) {
  const commands = STARTUP_COMMANDS.filter((c) => withAws || !c.aws)
  const samples = new Map(commands.map((c) => [c.label, []]))
  const unavailable = new Map()
  for (let round = -1; round < runs; round++) {
    for (const c of commands) {
      if (unavailable.has(c.label)) continue
      const result = await runTimed(c.command, c.args, {env, timeoutMs: 30_000})
      const missing = c.command === 'aws' ? undefined : unavailableReason(result)
      if (missing || (result.exitCode !== 0 && !missing)) {
        unavailable.set(c.label, missing ?? `exit ${result.exitCode}: ${result.stderr.trim().split('\n')[0]}`)
        continue
      }
      if (round >= 0) samples.get(c.label).push(result.ms)
    }
  }
  return commands.map((c) =>
    unavailable.has(c.label)
      ? {command: c.label, available: false, reason: unavailable.get(c.label)}
      : {command: c.label, available: true, ...summarize(samples.get(c.label))},
  )
}
