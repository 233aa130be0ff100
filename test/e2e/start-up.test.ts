/**
 * Start-up by design (issue: benchmarks): which modules a command loads, not how long it takes
 * (that is bench/'s job). Help and version load no AWS SDK; bad input is rejected before the SDK
 * loads; a command that talks only to ELB never loads the EC2, IAM or ACM clients; runs that ask
 * nothing never load the prompts. And the bundle holds only the SDK commands elbx sends.
 */
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type CliResult, runCli} from '../helpers/cli.js'

const TRACE_HOOK = resolve('test/helpers/module-trace.mjs')
const SDK = ['elb', 'ec2', 'iam', 'acm', 'credentials'] as const

interface Traced extends CliResult {
  /** Files under dist/ the run loaded, relative to dist/. */
  loaded: string[]
  sdk: Set<(typeof SDK)[number]>
  prompts: boolean
}

async function traced(args: string[]): Promise<Traced> {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-trace-'))
  const trace = join(dir, 'modules.txt')
  try {
    const result = await runCli(args, {
      env: {ELBX_MODULE_TRACE: trace},
      nodeOptions: ['--import', TRACE_HOOK],
    })
    const files = readFileSync(trace, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((url) => fileURLToPath(url))
    const dist = resolve('dist') + '/'
    const loaded = files.filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length))
    return {
      ...result,
      loaded,
      sdk: new Set(SDK.filter((client) => loaded.includes(`aws/sdk/${client}.js`))),
      // esbuild keeps each bundled file's path as a comment above its code.
      prompts: loaded.some((f) => readFileSync(join(dist, f), 'utf8').includes('// node_modules/@inquirer/')),
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

describe('what a command loads', () => {
  it('--version and --help load the runner from the bundle, and no SDK or prompts', async () => {
    for (const args of [['--version'], ['--help'], ['create', '--help']]) {
      const run = await traced(args)
      expect(run.exitCode).toBe(0)
      expect(run.loaded).toContain('main.js')
      expect(run.sdk).toEqual(new Set())
      expect(run.prompts).toBe(false)
    }
  })

  it('bad input is rejected before the SDK loads', async () => {
    const run = await traced(['health', '--name', 'web', '--health-check', 'HTTP:80', '--yes'])
    expect(run.exitCode).toBe(2)
    expect(run.loaded).toContain('commands/health.js')
    expect(run.sdk).toEqual(new Set())
  })

  it('a command that talks only to ELB loads the ELB client and the credential chain, nothing else', async () => {
    const run = await traced(['health', '--name', 'no-such-lb', '--health-check', 'TCP:80', '--yes'])
    expect(run.exitCode).toBe(1)
    expect(run.requests.map((r) => r.service)).toEqual(['ElasticLoadBalancing'])
    expect(run.sdk).toEqual(new Set(['elb', 'credentials']))
    expect(run.prompts).toBe(false)
  })

  it('destroy --yes loads neither the ACM client nor the prompts', async () => {
    const run = await traced(['destroy', '--name', 'no-such-lb', '--yes', '--json'])
    expect(run.exitCode).toBe(0)
    expect(run.sdk.has('acm')).toBe(false)
    expect(run.prompts).toBe(false)
  })
})

describe('the bundle (scripts/build.js)', () => {
  const bundled = readdirSync('dist', {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join('dist', f), 'utf8'))
    .join('\n')
  const kept = (shape: string) => bundled.includes(`"${shape}"`)

  it('keeps the SDK schemas of the commands elbx sends', () => {
    for (const shape of [
      'CreateLoadBalancerPolicyInput',
      'DescribeSubnetsRequest',
      'ListServerCertificatesRequest',
    ])
      expect([shape, kept(shape)]).toEqual([shape, true])
  })

  it('drops the schemas of commands elbx never sends (the EC2 client alone has hundreds)', () => {
    for (const shape of [
      'DetachLoadBalancerFromSubnetsInput',
      'AllocateAddressRequest',
      'RunInstancesRequest',
    ])
      expect([shape, kept(shape)]).toEqual([shape, false])
  })
})
