import {jest} from '@jest/globals'
import {Config, Flags} from '@oclif/core'

import {ElbxCommand, LOAD_BALANCER, prompted, required, type Needs} from '../../src/base-command.js'
import {loadBalancerNameFlag} from '../../src/flags.js'
import {healthCheckFlags} from '../../src/flags/health-check.js'

/** A command that declares each kind of need, run in-process (jest's stdin is not a terminal). */
class Probe extends ElbxCommand<typeof Probe> {
  static override needs: Needs = {
    flags: {
      name: {...LOAD_BALANCER, unless: ['list']},
      instances: prompted('which instances to register'),
      port: required('which port', {unless: ['list']}),
    },
    example: '--name my-lb --instances i-0123456789abcdef0 --port 80',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    instances: Flags.string(),
    port: Flags.string(),
    list: Flags.boolean(),
    ...healthCheckFlags({formerSpellings: true}),
  }

  static ran = 0

  public async run(): Promise<{name?: string; interval?: string}> {
    Probe.ran++
    const interval = this.flags['health-interval']
    return {
      ...(this.flags.list ? {} : {name: await this.loadBalancerName()}),
      ...(interval ? {interval} : {}),
    }
  }
}

let config: Config
beforeAll(async () => {
  config = await Config.load({root: process.cwd()})
})

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0)
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((c) => err.push(String(c)) > 0)
  // oclif prints the --json document with console.log, which jest captures before process.stdout.
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  const before = Probe.ran
  process.exitCode = undefined
  try {
    await Probe.run(args, config)
  } finally {
    stdout.mockRestore()
    log.mockRestore()
    stderr.mockRestore()
  }
  const exitCode = process.exitCode ?? 0
  process.exitCode = undefined
  return {exitCode, stdout: out.join(''), stderr: err.join(''), ran: Probe.ran > before}
}

describe('ElbxCommand needs: what a command cannot run without', () => {
  it('without a terminal, lists every missing flag with dashes in one message, exit 2, before run()', async () => {
    const result = await run([])
    expect(result.exitCode).toBe(2)
    expect(result.ran).toBe(false)
    expect(result.stderr).toContain(
      'Missing --name, --instances, --port: which load balancer; which instances to register; which port?',
    )
    expect(result.stderr.match(/Missing/g)).toHaveLength(1)
  })

  it('names one missing flag the same way, with the example in the hint', async () => {
    const result = await run(['--instances', 'i-1', '--port', '80'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Missing --name: which load balancer?')
    expect(result.stderr).toMatch(/--name my-lb --instances i-0123456789abcdef0 --port 80/)
  })

  it('puts the missing flags in the --json error document', async () => {
    const result = await run(['--port', '80', '--json'])
    expect(result.exitCode).toBe(2)
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: {exitCode: 2, message: expect.stringMatching(/^Missing --name, --instances:/)},
    })
  })

  it('drops a need when a flag in its `unless` is given', async () => {
    const result = await run(['--list', '--instances', 'i-1'])
    expect(result).toMatchObject({exitCode: 0, ran: true})
  })

  it('runs with everything given, checking --name against AWS rule in loadBalancerName()', async () => {
    expect(await run(['-n', 'web', '--instances', 'i-1', '--port', '80'])).toMatchObject({
      exitCode: 0,
      ran: true,
    })
    const bad = await run(['-n', '-web', '--instances', 'i-1', '--port', '80'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('Load balancer name "-web" begins with a hyphen.')
  })

  it('with --yes (no prompts) needs the prompted flags as a script does', async () => {
    const result = await run(['--port', '80', '--yes'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Missing --name, --instances:')
  })
})

describe('ElbxCommand flag spellings', () => {
  const ALL = ['-n', 'web', '--instances', 'i-1', '--port', '80']

  it('answers a misspelled flag with the closest ones, as a misspelled command is answered', async () => {
    const result = await run([...ALL, '--instancs', 'i-2'])
    expect(result.exitCode).toBe(2)
    expect(result.ran).toBe(false)
    expect(result.stderr).toContain('Nonexistent flag: --instancs')
    expect(result.stderr).toMatch(/Did you mean --instances\? See `elbx[^`]*--help`/)
  })

  it('suggests the one spelling for a mistyped old one', async () => {
    const result = await run([...ALL, '--intervall', '10'])
    expect(result.stderr).toContain('Did you mean --health-interval?')
  })

  it('says nothing it cannot back up for a flag nothing is close to', async () => {
    const result = await run([...ALL, '--completely-different'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).not.toContain('Did you mean')
  })

  it('still takes an old spelling, with a warning that it is deprecated', async () => {
    const result = await run([...ALL, '--interval', '10', '--json'])
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({name: 'web', interval: '10'})
    expect(result.stderr).toMatch(/--interval.*deprecated.*--health-interval/s)
  })

  it('marks the old spelling as deprecated in the flag description (help)', () => {
    expect(Probe.flags['health-interval'].description).toContain('--interval is a deprecated alias')
    expect(Probe.flags['healthy-threshold'].description).not.toContain('deprecated')
  })
})
