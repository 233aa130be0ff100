/**
 * `npm run moto` (scripts/moto/cli.js over scripts/lib/moto.js): the endpoint first on stdout,
 * patched by default, a clear refusal on a moto release the patches were not tested with, and a
 * clearly labelled unpatched run.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {
  DescribeLoadBalancerPoliciesCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing'

import {freePort} from '../../../scripts/lib/moto.js'
import {awsErrorCode} from '../../../src/aws/errors.js'
import {TEST_CREDENTIALS, TEST_REGION} from '../../helpers/moto.js'

const CLI = resolve('scripts/moto/cli.js')
const PATCHES = readFileSync(resolve('scripts/moto/elbx_patches.py'), 'utf8')
const patchNames = [...PATCHES.matchAll(/^@patch\(\s*"([\w-]+)"/gm)].map((m) => m[1]!)

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

function runMotoCli(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {...process.env, ELBX_MOTO_UNPATCHED: '', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (c) => (stdout += c))
  child.stderr!.on('data', (c) => (stderr += c))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return {child, stdout: () => stdout, stderr: () => stderr, exit}
}

/** Waits until the run has printed a first line on stdout (or exited). */
async function firstLine(run: Run): Promise<string> {
  for (let i = 0; i < 600 && !run.stdout().includes('\n') && run.child.exitCode === null; i++)
    await new Promise((r) => setTimeout(r, 100))
  return run.stdout().split('\n')[0]!
}

const elbAt = (endpoint: string) =>
  new ElasticLoadBalancingClient({region: TEST_REGION, endpoint, credentials: TEST_CREDENTIALS})

async function predefinedPolicies(endpoint: string): Promise<number | string> {
  const elb = elbAt(endpoint)
  try {
    return (await elb.send(new DescribeLoadBalancerPoliciesCommand({}))).PolicyDescriptions!.length
  } catch (error) {
    return awsErrorCode(error) ?? String(error)
  } finally {
    elb.destroy()
  }
}

describe('npm run moto', () => {
  it('prints the endpoint URL as the first stdout line, on the --port given, patched, and stops on SIGINT', async () => {
    const port = await freePort()
    const run = runMotoCli(['--port', String(port)])
    try {
      const endpoint = await firstLine(run)
      expect(endpoint).toBe(`http://127.0.0.1:${port}`)
      expect(run.stderr()).toContain('AWS_ENDPOINT_URL=http://127.0.0.1:')
      // Patched: AWS's predefined policies are there.
      expect(await predefinedPolicies(endpoint)).toBeGreaterThan(0)
    } finally {
      run.child.kill('SIGINT')
    }
    expect(await run.exit).toBe(0)
  })

  it('refuses a moto release the patches were not tested with, saying how to go on', async () => {
    // A stand-in moto package of another release, ahead of the real one on the import path.
    const dir = mkdtempSync(join(tmpdir(), 'elbx-fake-moto-'))
    mkdirSync(join(dir, 'moto'))
    writeFileSync(join(dir, 'moto', '__init__.py'), '__version__ = "9.9.9"\n')
    const run = runMotoCli([], {PYTHONPATH: dir})
    expect(await run.exit).toBe(1)
    expect(run.stdout()).toBe('')
    expect(run.stderr()).toMatch(/tested with moto 5\.2\.1, and this is moto 9\.9\.9/)
    expect(run.stderr()).toMatch(/--unpatched/)
    expect(run.stderr()).toMatch(/ELBX_MOTO_UNPATCHED=1/)
  })

  it('runs unpatched when told to, listing each behaviour that then differs from AWS', async () => {
    const run = runMotoCli(['--unpatched'])
    try {
      const endpoint = await firstLine(run)
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(run.stderr()).toMatch(/moto 5\.2\.1 runs UNPATCHED/)
      const listed = run
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('  - '))
      expect(listed).toHaveLength(patchNames.length)
      // Unpatched indeed: moto's own answer.
      expect(await predefinedPolicies(endpoint)).toBe('LoadBalancerNotFound')
    } finally {
      run.child.kill('SIGINT')
    }
    await run.exit
  })

  it('refuses a port that is not one', async () => {
    const run = runMotoCli(['--port', 'http'])
    expect(await run.exit).toBe(2)
    expect(run.stderr()).toMatch(/--port must be a TCP port from 1 to 65535, not "http"/)
  })
})

describe('the patches', () => {
  it('each has its own check in aws-behaviour.test.ts, and names the AWS page it follows', () => {
    const checks = readFileSync(resolve('test/integration/moto/aws-behaviour.test.ts'), 'utf8')
    expect(patchNames.length).toBeGreaterThanOrEqual(10)
    for (const name of patchNames) expect(checks).toContain(`describe('${name}: `)
    const follows = [...PATCHES.matchAll(/^@patch\(\s*"[\w-]+",\s*f?"([^"]+)"/gm)].map((m) => m[1]!)
    expect(follows).toHaveLength(patchNames.length)
    for (const page of follows)
      expect(page).toMatch(/^(\{API\}|\{GUIDE\}|https:\/\/docs\.aws\.amazon\.com)\/\w/)
  })
})
