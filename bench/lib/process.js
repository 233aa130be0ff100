// Child processes with a wall-clock measurement and a hard time limit, so a hung command can never
// stall the benchmark.
import {spawn} from 'node:child_process'

/**
 * Runs a command to completion (no shell, no TTY).
 * @param {string} command
 * @param {string[]} args
 * @param {{env?: Record<string, string>, timeoutMs?: number, cwd?: string, onOutput?: (text: string, atMs: number) => void}} [options]
 * @returns {Promise<{command: string, args: string[], exitCode: number | null, signal: string | null, stdout: string, stderr: string, ms: number, timedOut: boolean}>}
 */
export function runTimed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const onData = (sink) => (chunk) => {
      const text = chunk.toString()
      if (sink === 'out') stdout += text
      else stderr += text
      options.onOutput?.(text, performance.now())
    }
    child.stdout.on('data', onData('out'))
    child.stderr.on('data', onData('err'))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 120_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      const ms = performance.now() - started
      resolve({command, args, exitCode, signal, stdout, stderr, ms, timedOut})
    })
  })
}

/** Throws with the command's output when it did not exit 0. */
export function assertOk(result, what = [result.command, ...result.args].join(' ')) {
  if (result.exitCode === 0) return result
  const why = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`
  throw new Error(`${what}: ${why}\n${(result.stderr || result.stdout).trim().slice(-2000)}`)
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
