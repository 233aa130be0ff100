/**
 * What every command shares (src/base-command.ts, src/help.ts): global flags in the help, exit
 * codes, the --json error document, region and endpoint errors, and colours that really go plain
 * with NO_COLOR or --no-color in a terminal (chalk and listr2 both).
 */
import {parseJson, runCli} from '../helpers/cli.js'
import {PtySession} from '../helpers/pty.js'
import {seedNetwork, sdkClients} from '../helpers/moto.js'
import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'

// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]*m/

describe('elbx --help', () => {
  it('lists the commands, the global flags and the exit codes', async () => {
    const result = await runCli(['--help'])
    expect(result.exitCode).toBe(0)
    for (const command of ['create', 'destroy', 'health', 'register', 'deregister', 'verify', 'policy']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'))
    }
    expect(result.stdout).toContain('GLOBAL FLAGS')
    for (const flag of [
      '--region',
      '--profile',
      '--endpoint-url',
      '--json',
      '--yes',
      '--verbose',
      '--[no-]color',
    ]) {
      expect(result.stdout).toContain(flag)
    }
    expect(result.stdout).toMatch(/EXIT CODES[\s\S]*130\s+interrupted/)
    expect(result.requests).toHaveLength(0)
  })

  it("shows the global flags in every command's help", async () => {
    const result = await runCli(['policy', 'ssl', '--help'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/GLOBAL FLAGS[\s\S]*--endpoint-url/)
  })
})

describe('usage and configuration errors', () => {
  it('an unknown flag is exit 2 with a hint, and no request', async () => {
    const result = await runCli(['health', '--name', 'web', '--nope'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Nonexistent flag: --nope')
    expect(result.stderr).toContain('See `elbx health --help`.')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.requests).toHaveLength(0)
  })

  it('an unknown command is exit 2 with the closest command, without prompting', async () => {
    const result = await runCli(['destory', '--name', 'web'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('"destory" is not an elbx command.')
    expect(result.stderr).toContain('Did you mean `elbx destroy`? `elbx --help` lists the commands.')
    expect(result.stdout).toBe('')
    expect(result.requests).toHaveLength(0)
  })

  it("an unknown command under a topic suggests the topic's commands; --json gets the error document", async () => {
    const result = await runCli(['policy', 'sll', '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson(result)).toEqual({
      error: {
        message: '"policy sll" is not an elbx command.',
        exitCode: 2,
        hint: 'Did you mean `elbx policy ssl`? `elbx --help` lists the commands.',
      },
    })
  })

  it("a word after a command is that command's unexpected argument (exit 2), not an unknown command", async () => {
    const result = await runCli(['create', 'web', '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson(result)).toEqual({
      error: {message: 'Unexpected argument: web', exitCode: 2, hint: 'See `elbx create --help`.'},
    })
    expect(result.stderr).toContain('Error: Unexpected argument: web')
    expect(result.requests).toHaveLength(0)

    const topic = await runCli(['policy', 'ssl', 'web', 'extra'])
    expect(topic.exitCode).toBe(2)
    expect(topic.stderr).toContain('Unexpected arguments: web, extra')
    expect(topic.stderr).toContain('See `elbx policy ssl --help`.')
  })

  it('no region is exit 2 before any request, saying how to set one', async () => {
    const result = await runCli(['health', '--name', 'web'], {
      bareEnv: true,
      env: {
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('No AWS region is set.')
    expect(result.stderr).toContain('--region')
    expect(result.requests).toHaveLength(0)
  })

  it('AWS_DEFAULT_REGION counts as the region, as for the aws CLI', async () => {
    const result = await runCli(['health', '--name', 'no-such-lb'], {
      env: {AWS_REGION: '', AWS_DEFAULT_REGION: 'us-east-1'},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('LoadBalancerNotFound')
  })

  it('an unreachable endpoint is exit 1 naming the step, without a stack trace', async () => {
    const result = await runCli(['health', '--name', 'web', '--endpoint-url', 'http://127.0.0.1:9'], {
      env: {AWS_MAX_ATTEMPTS: '1'},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/could not reach AWS: ECONNREFUSED/)
    expect(result.stderr).toContain('--endpoint-url')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('--json errors are one JSON document on stdout with the exit code and the AWS code', async () => {
    const result = await runCli(['health', '--name', 'no-such-lb', '--json'])
    expect(result.exitCode).toBe(1)
    const doc = parseJson<{error: {exitCode: number; code: string; message: string; hint: string}}>(result)
    expect(doc.error).toMatchObject({exitCode: 1, code: 'LoadBalancerNotFound'})
    expect(doc.error.hint).toBeTruthy()
  })

  it('--verbose logs one line per request with status and duration, and stack traces', async () => {
    const result = await runCli(['health', '--name', 'no-such-lb', '--verbose'])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(
      /\[aws\] ElasticLoadBalancing DescribeLoadBalancers 400 \d+ms request-id=\S+/,
    )
    // The stack trace names elbx's sources, not the bundle's chunks.
    expect(result.stderr).toMatch(/^ +at .*src\/steps\/find-load-balancer\.ts:\d+:\d+\)$/m)
  })
})

describe('colours in a terminal', () => {
  let name: string
  beforeAll(async () => {
    const net = await seedNetwork({instances: 0})
    name = 'colour-lb'
    const {elb} = sdkClients()
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: name,
        Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
        Subnets: net.subnets.map((s) => s.subnetId),
      }),
    )
    elb.destroy()
  })

  // `register --wait none` runs a listr2 task list, warns through chalk and ends with a result.
  const run = async (env: Record<string, string>, extra: string[] = []) => {
    const pty = new PtySession(['health', '--name', name, '--health-check', 'HTTP:8080/ping', ...extra], env)
    const code = await pty.exitCode()
    return {code, output: pty.output}
  }

  it('are on by default', async () => {
    const {code, output} = await run({})
    expect(code).toBe(0)
    expect(output).toMatch(ANSI_COLOUR)
  })

  it("NO_COLOR turns every colour off, chalk's and listr2's", async () => {
    const {code, output} = await run({NO_COLOR: '1'})
    expect(code).toBe(0)
    expect(output).not.toMatch(ANSI_COLOUR)
    expect(output).toContain('Warning:')
  })

  it('--no-color does the same', async () => {
    const {code, output} = await run({}, ['--no-color'])
    expect(code).toBe(0)
    expect(output).not.toMatch(ANSI_COLOUR)
  })
})
