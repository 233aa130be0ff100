import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import type {RequestRecord} from '../../src/aws/request-log.js'
import {motoEnv} from './moto.js'
import {scanForSecrets} from './secrets.js'

export const BIN = resolve('bin/run.js')

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** Every AWS request the run sent (ELBX_REQUEST_LOG). */
  requests: RequestRecord[]
}

export interface CliOptions {
  env?: Record<string, string>
  /** Use this environment as is instead of moto's (e.g. to test a missing region). */
  bareEnv?: boolean
  input?: string
  timeoutMs?: number
  /** Called once the process started, e.g. to send it SIGINT later. */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
  cwd?: string
  /** Node.js options before the script, e.g. ['--import', hook]. */
  nodeOptions?: string[]
}

/**
 * Runs the built elbx binary as a user would from a script: no TTY on stdin, stdout or stderr,
 * pointed at this worker's moto. Returns what it printed, its exit code and its AWS requests.
 */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-cli-'))
  const logFile = join(dir, 'requests.jsonl')
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...(options.bareEnv ? {} : motoEnv()),
  }
  const env = {...baseEnv, ...options.env, ELBX_REQUEST_LOG: logFile}
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      let requests: RequestRecord[] = []
      try {
        requests = readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as RequestRecord)
      } catch {
        // no request was sent
      }
      rmSync(dir, {recursive: true, force: true})
      try {
        // Every run any test makes is checked: no secret may ever be printed.
        scanForSecrets(stdout, `stdout of elbx ${args.join(' ')}`)
        scanForSecrets(stderr, `stderr of elbx ${args.join(' ')}`)
      } catch (error) {
        reject(error)
        return
      }
      resolvePromise({stdout, stderr, exitCode, signal, requests})
    })
    options.onSpawn?.(child)
    if (options.input !== undefined) child.stdin.end(options.input)
    else child.stdin.end()
  })
}

/** Parses stdout as exactly one JSON document (fails the test otherwise). */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}
