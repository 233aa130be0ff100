// Runs the built elbx binary as a script would, with its request log (ELBX_REQUEST_LOG), and tells
// a command or flag that does not exist yet from a real failure.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {runTimed} from './process.js'

/** The elbx under test: the working tree's build, or another one (ELBX_BENCH_BIN) to compare builds. */
export const ELBX_BIN = resolve(process.env.ELBX_BENCH_BIN ?? 'bin/run.js')

/**
 * @returns {Promise<import('./process.js').TimedResult & {requests: {service: string, operation: string, status: number, durationMs: number}[], unavailable?: string}>}
 */
export async function runElbx(args, env, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-bench-'))
  const logFile = join(dir, 'requests.jsonl')
  try {
    const result = await runTimed(process.execPath, [ELBX_BIN, ...args], {
      ...options,
      env: {...env, ELBX_REQUEST_LOG: logFile},
    })
    return {...result, requests: readRequestLog(logFile), unavailable: unavailableReason(result)}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

export function readRequestLog(file) {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  } catch {
    return []
  }
}

/**
 * Why elbx could not run this command at all, or undefined when it could: oclif answers an unknown
 * command with 127 and an unknown flag (or any usage error) with exit 2 before any AWS request.
 */
export function unavailableReason(result) {
  if (result.exitCode === 127) return `command not found: ${firstLine(result.stderr)}`
  if (result.exitCode !== 2) return undefined
  let message = firstLine(result.stderr)
  try {
    message = JSON.parse(result.stdout).error?.message ?? message
  } catch {
    // not --json, or nothing on stdout
  }
  return `rejected (exit 2): ${message}`
}

function firstLine(text) {
  return (
    text
      .split('\n')
      .map((l) => l.replace(/^\s*[›»]?\s*/, '').trim())
      .find(Boolean) ?? ''
  )
}

/** Human summary of a failed elbx run. */
export function failureOf(result) {
  if (result.timedOut) return 'timed out'
  let message
  try {
    message = JSON.parse(result.stdout).error?.message
  } catch {
    // not JSON
  }
  return `exit ${result.exitCode}: ${message ?? firstLine(result.stderr)}`
}
