import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing'

import {parseJson, runCli} from '../helpers/cli.js'
import {type SeededNetwork, sdkClients, seedNetwork, stopInstances} from '../helpers/moto.js'
import {KEYS, PtySession, plain} from '../helpers/pty.js'

const HTTP_80: Listener = {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}

async function createLoadBalancer(name: string, subnets: string[]): Promise<void> {
  const {elb} = sdkClients()
  try {
    await elb.send(
      new CreateLoadBalancerCommand({LoadBalancerName: name, Listeners: [HTTP_80], Subnets: subnets}),
    )
  } finally {
    elb.destroy()
  }
}

async function registeredInstances(name: string): Promise<string[]> {
  const {elb} = sdkClients()
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
    return (out.LoadBalancerDescriptions?.[0]?.Instances ?? []).map((i) => i.InstanceId!).sort()
  } finally {
    elb.destroy()
  }
}

const operations = (r: {requests: {operation: string}[]}) => r.requests.map((q) => q.operation)

describe('elbx health, register and deregister against moto', () => {
  let net: SeededNetwork
  let a: string
  let b: string
  let c: string

  beforeAll(async () => {
    net = await seedNetwork({instances: 3})
    ;[a, b, c] = net.instanceIds as [string, string, string]
    await createLoadBalancer(
      'web',
      net.subnets.map((s) => s.subnetId),
    )
  })

  it('health shows the health check in force and says no instances are registered yet', async () => {
    const result = await runCli(['health', '--name', 'web'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Health check of web:')
    expect(result.stdout).toMatch(/Target\s+\S+/)
    expect(result.stdout).toContain('No instances are registered with web.')
  })

  it('health --health-check sets the health check, keeps values not given, and a rerun is unchanged', async () => {
    const first = await runCli([
      'health',
      '--name',
      'web',
      '--health-check',
      'http:80/ping',
      '--health-interval',
      '10',
      '--health-timeout',
      '3',
      '--healthy-threshold',
      '2',
      '--unhealthy-threshold',
      '2',
      '--json',
    ])
    expect(first.exitCode).toBe(0)
    expect(parseJson(first)).toMatchObject({
      loadBalancerName: 'web',
      changed: true,
      healthCheck: {
        target: 'HTTP:80/ping',
        interval: 10,
        timeout: 3,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      warnings: [],
    })
    expect(operations(first)).toEqual(['DescribeLoadBalancers', 'ConfigureHealthCheck'])

    const again = await runCli([
      'health',
      '--name',
      'web',
      '--health-check',
      'HTTP:80/ping',
      '--health-interval',
      '10',
    ])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('Health check of web unchanged (already in force):')
    expect(operations(again)).toEqual(['DescribeLoadBalancers'])

    const one = await runCli(['health', '--name', 'web', '--healthy-threshold', '3', '--json'])
    expect(parseJson(one)).toMatchObject({
      changed: true,
      healthCheck: {
        target: 'HTTP:80/ping',
        interval: 10,
        timeout: 3,
        healthyThreshold: 3,
        unhealthyThreshold: 2,
      },
      previous: {healthyThreshold: 2},
    })
  })

  it('health warns when the target pings a port no listener uses, or another protocol than the listener', async () => {
    const port = await runCli(['health', '--name', 'web', '--health-check', 'HTTP:8080/ping'])
    expect(port.exitCode).toBe(0)
    expect(port.stderr).toMatch(
      /Warning: Health check target HTTP:8080\/ping pings instance port 8080, but no listener/,
    )
    const protocol = await runCli(['health', '--name', 'web', '--health-check', 'TCP:80', '--json'])
    expect(parseJson<{warnings: string[]}>(protocol).warnings[0]).toMatch(
      /pings instance port 80 with TCP, but the listener on load balancer port 80 sends HTTP/,
    )
    await runCli(['health', '--name', 'web', '--health-check', 'HTTP:80/ping'])
  })

  it('the timeout must be less than the interval in force, checked before ConfigureHealthCheck (exit 2)', async () => {
    const result = await runCli(['health', '--name', 'web', '--health-timeout', '10'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(
      'The health check timeout must be less than the interval: --health-timeout 10 is not less than the current interval (10 s).',
    )
    expect(operations(result)).toEqual(['DescribeLoadBalancers'])
  })

  it('registers real instances and waits until all are InService', async () => {
    const result = await runCli([
      'register',
      '--name',
      'web',
      '--instances',
      `${a},${b}`,
      '--wait',
      'all',
      '--json',
    ])
    expect(result.exitCode).toBe(0)
    const out = parseJson(result)
    expect(out).toMatchObject({
      loadBalancerName: 'web',
      registered: [a, b],
      alreadyRegistered: [],
      wait: {mode: 'all', polls: 1},
      warnings: [],
    })
    expect(out.instances).toEqual([
      expect.objectContaining({instanceId: a, state: 'InService'}),
      expect.objectContaining({instanceId: b, state: 'InService'}),
    ])
    expect(await registeredInstances('web')).toEqual([a, b].sort())
    // (DescribeSubnets too, because moto leaves the zones out of the description; AWS does not.)
    expect(operations(result).filter((o) => o !== 'DescribeSubnets')).toEqual([
      'DescribeLoadBalancers',
      'DescribeInstances',
      'RegisterInstancesWithLoadBalancer',
      'DescribeInstanceHealth',
    ])
  })

  it('registering an instance that is registered already is not an error', async () => {
    const result = await runCli(['register', '--name', 'web', '-i', a, '-i', c])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Registered ${c} with web.`)
    expect(result.stdout).toContain(`Already registered (unchanged): ${a}.`)
    // Without a terminal each state change is one plain line on stderr.
    expect(result.stderr).toContain('Wait for any instance to be InService...')
    expect(result.stderr).toContain(`  ${a}  InService`)
    const again = await runCli(['register', '--name', 'web', '--instances', `${a},${c}`, '--wait', 'none'])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('Nothing to register: every instance was registered with web already.')
    expect(operations(again)).toEqual(['DescribeLoadBalancers'])
  })

  it('an instance stopped after registration drives the wait to its timeout: exit 3 with the summary', async () => {
    await stopInstances([b])
    const result = await runCli([
      'register',
      '--name',
      'web',
      '--instances',
      `${a},${b}`,
      '--wait',
      'all',
      '--wait-timeout',
      '2',
    ])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toMatch(
      /Error: Timed out after 2 s waiting for all instances of web to be InService: 1 of 2 InService\./,
    )
    expect(result.stderr).toContain(`  ${a}  InService`)
    expect(result.stderr).toContain(`  ${b}  OutOfService`)
    expect(result.stderr).toMatch(/-> ELB gave no reason: check that the instance is running/)
    expect(result.stderr).toContain('Hint: Wait longer with --wait-timeout SECONDS')
    expect(result.stdout).toBe('')
    // Polled at once, then after 1 s, then at the deadline: never a 15 s gap.
    expect(operations(result).filter((o) => o === 'DescribeInstanceHealth').length).toBeGreaterThanOrEqual(2)

    const json = await runCli([
      'register',
      '--name',
      'web',
      '--instances',
      b,
      '--wait',
      'any',
      '--wait-timeout',
      '1',
      '--json',
    ])
    expect(json.exitCode).toBe(3)
    expect(parseJson(json)).toMatchObject({
      error: {
        exitCode: 3,
        step: 'Wait for InService',
        details: {
          loadBalancerName: 'web',
          instances: [
            {instanceId: b, state: 'OutOfService', hint: expect.stringContaining('ELB gave no reason')},
          ],
        },
      },
    })
    expect(json.stderr).toContain(`  ${b}  OutOfService`)
  })

  it('Ctrl-C ends the wait with exit 130 and the same summary', async () => {
    const result = await runCli(['register', '--name', 'web', '--instances', `${a},${b}`, '--wait', 'all'], {
      onSpawn: (child) => {
        let seen = ''
        let interrupted = false
        child.stderr!.on('data', (chunk: Buffer) => {
          seen += chunk.toString()
          // Once: a second Ctrl-C means "exit at once, no summary".
          if (!interrupted && seen.includes(`${b}  OutOfService`)) interrupted = child.kill('SIGINT')
        })
      },
    })
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toContain(
      'Interrupted while waiting for all instances of web to be InService: 1 of 2 InService.',
    )
    expect(result.stderr).toContain(`  ${b}  OutOfService`)
  })

  it("health shows each instance's state, reason code, description and hint (and --json)", async () => {
    const text = await runCli(['health', '--name', 'web'])
    expect(text.exitCode).toBe(0)
    expect(text.stdout).toContain('Target              HTTP:80/ping')
    expect(text.stdout).toContain('Instances: 2 of 3 InService')
    expect(text.stdout).toContain(`  ${b}  OutOfService`)
    const json = parseJson<{
      instances: {instanceId: string; state: string; reasonCode?: string; description?: string}[]
    }>(await runCli(['health', '--name', 'web', '--json']))
    expect(json.instances).toHaveLength(3)
    expect(json.instances.find((i) => i.instanceId === b)).toMatchObject({
      state: 'OutOfService',
      reasonCode: 'N/A',
      description: 'N/A',
      hint: expect.any(String),
    })
  })

  it('deregister --wait waits until the instance is out of service; a rerun is unchanged', async () => {
    const result = await runCli(['deregister', '--name', 'web', '--instances', c, '--wait', '--json'])
    expect(result.exitCode).toBe(0)
    expect(parseJson(result)).toMatchObject({deregistered: [c], notRegistered: [], wait: {polls: 1}})
    expect(await registeredInstances('web')).toEqual([a, b].sort())
    const again = await runCli(['deregister', '--name', 'web', '--instances', c])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('Nothing to deregister')
    expect(operations(again)).toEqual(['DescribeLoadBalancers'])
  })

  it('refuses instances that do not exist, are stopped, or sit in another VPC (exit 1, nothing registered)', async () => {
    const missing = 'i-0123456789abcdef0'
    const result = await runCli(['register', '--name', 'web', '--instances', `${c},${missing}`])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      `Cannot register an instance with web: ${missing} does not exist in us-east-1.`,
    )
    expect(operations(result)).not.toContain('RegisterInstancesWithLoadBalancer')

    await runCli(['deregister', '--name', 'web', '--instances', b])
    const stopped = await runCli(['register', '--name', 'web', '--instances', b, '--json'])
    expect(stopped.exitCode).toBe(1)
    expect(parseJson(stopped)).toMatchObject({
      error: {
        code: 'InvalidInstance',
        message: expect.stringContaining(`${b} is stopped (only pending or running`),
      },
    })

    const other = await seedNetwork({instances: 1})
    const elsewhere = await runCli(['register', '--name', 'web', '--instances', other.instanceIds[0]!])
    expect(elsewhere.exitCode).toBe(1)
    expect(elsewhere.stderr).toContain(`is in ${other.vpcId}, not in the load balancer's VPC ${net.vpcId}`)
  })

  it('warns about an instance in a zone the load balancer does not serve, and says how to fix it', async () => {
    // seedNetwork puts its first instance in us-east-1a and its second in us-east-1b.
    const other = await seedNetwork({instances: 2})
    const [inA, inB] = other.instanceIds as [string, string]
    const zoneA = other.subnets.find((s) => s.availabilityZone === 'us-east-1a')!
    await createLoadBalancer('one-zone', [zoneA.subnetId])
    const result = await runCli([
      'register',
      '--name',
      'one-zone',
      '--instances',
      `${inA},${inB}`,
      '--wait',
      'none',
      '--json',
    ])
    expect(result.exitCode).toBe(0)
    const warnings = parseJson<{warnings: string[]}>(result).warnings
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(
      `Instance ${inB} is in us-east-1b, which one-zone does not serve (us-east-1a)`,
    )
    expect(warnings[0]).toContain(`attach a subnet of ${other.vpcId} in us-east-1b to the load balancer`)
    expect(result.stderr).toContain(`Warning: Instance ${inB} is in us-east-1b`)
  })

  it('for the load balancer that does not exist: exit 1 with LoadBalancerNotFound', async () => {
    const result = await runCli(['register', '--name', 'nope', '--instances', a, '--json'])
    expect(result.exitCode).toBe(1)
    expect(parseJson(result)).toMatchObject({error: {code: 'LoadBalancerNotFound'}})
  })

  it('in a terminal without --instances, offers a checklist of running instances and shows live progress', async () => {
    const session = new PtySession(['register', '--name', 'web'])
    await session.expect('Instances to register with web (running, in its VPC)')
    await session.expect(c)
    expect(plain(session.output)).toContain('elbx-test-web')
    expect(plain(session.output)).toContain('us-east-1')
    // The list is sorted by Name tag then ID; tick the first row.
    session.send(KEYS.space)
    session.send(KEYS.enter)
    await session.expect(/InService after \d+ s/)
    expect(await session.exitCode()).toBe(0)
  })
})

describe('bad input never reaches AWS (exit 2, the rule, zero requests)', () => {
  const I = 'i-0123456789abcdef0'
  it.each([
    [['health', '--name', 'web', '--health-check', 'HTTP80'], 'is not PROTOCOL:PORT[/PATH]'],
    [
      ['health', '--name', 'web', '--health-check', 'FTP:21'],
      'uses protocol "FTP"; it must be TCP, SSL, HTTP or HTTPS',
    ],
    [['health', '--name', 'web', '--health-check', 'HTTP:0/ping'], 'must be from 1 to 65535, got 0'],
    [['health', '--name', 'web', '--health-check', 'HTTP:70000/'], 'must be from 1 to 65535, got 70000'],
    [['health', '--name', 'web', '--health-check', 'HTTP:eighty/'], 'must be a whole number from 1 to 65535'],
    [
      ['health', '--name', 'web', '--health-check', 'HTTP:80'],
      'has no ping path; an HTTP health check needs one',
    ],
    [
      ['health', '--name', 'web', '--health-check', 'HTTPS:443'],
      'has no ping path; an HTTPS health check needs one',
    ],
    [
      ['health', '--name', 'web', '--health-check', 'TCP:80/ping'],
      'has a path, but a TCP health check only opens a connection',
    ],
    [['health', '--name', 'web', '--health-check', 'SSL:443/'], 'has a path, but a SSL health check'],
    [
      ['health', '--name', 'web', '--health-check', `HTTP:80/${'a'.repeat(1020)}`],
      'has 1028 characters; at most 1024',
    ],
    [
      ['health', '--name', 'web', '--health-check', 'HTTP:80/a b'],
      'contains " "; spaces and control characters are not allowed',
    ],
    [
      ['health', '--name', 'web', '--health-interval', '4'],
      '--health-interval must be from 5 to 300, got 4.',
    ],
    [
      ['health', '--name', 'web', '--health-interval', '301'],
      '--health-interval must be from 5 to 300, got 301.',
    ],
    [
      ['health', '--name', 'web', '--health-interval', '1m'],
      '--health-interval must be a whole number from 5 to 300',
    ],
    [['health', '--name', 'web', '--health-timeout', '1'], '--health-timeout must be from 2 to 60, got 1.'],
    [['health', '--name', 'web', '--health-timeout', '61'], '--health-timeout must be from 2 to 60, got 61.'],
    [
      ['health', '--name', 'web', '--health-interval', '10', '--health-timeout', '10'],
      '--health-timeout 10 is not less than --health-interval 10',
    ],
    [
      ['health', '--name', 'web', '--healthy-threshold', '1'],
      '--healthy-threshold must be from 2 to 10, got 1.',
    ],
    [
      ['health', '--name', 'web', '--healthy-threshold', '11'],
      '--healthy-threshold must be from 2 to 10, got 11.',
    ],
    [
      ['health', '--name', 'web', '--unhealthy-threshold', '1'],
      '--unhealthy-threshold must be from 2 to 10, got 1.',
    ],
    [
      ['health', '--name', 'web', '--unhealthy-threshold', '11'],
      '--unhealthy-threshold must be from 2 to 10, got 11.',
    ],
    [['health', '--name', '-web'], 'begins with a hyphen'],
    [['health'], 'Missing --name'],
    [
      ['register', '--name', 'web', '--instances', 'i-123'],
      'has 3 hexadecimal digits after "i-"; it must have 8 or 17',
    ],
    [['register', '--name', 'web', '--instances', 'i-0123456789ABCDEF0'], 'has upper-case letters'],
    [['register', '--name', 'web', '--instances', 'web-1'], '"web-1" is not an EC2 instance ID'],
    [['register', '--name', 'web', '--instances', `${I},${I}`], `Instance ${I} is listed twice`],
    [['register', '--name', 'web', '-i', I, '-i', I], `Instance ${I} is listed twice`],
    [['register', '--name', 'web', '--instances', ','], '--instances is empty'],
    [['register', '--name', 'web'], 'Missing --instances'],
    [['register', '--instances', I], 'Missing --name'],
    [
      ['register', '--name', 'web', '--instances', I, '--wait-timeout', '0'],
      '--wait-timeout must be from 1 to 86400, got 0',
    ],
    [
      ['register', '--name', 'web', '--instances', I, '--wait-timeout', 'soon'],
      '--wait-timeout must be a whole number',
    ],
    [
      ['register', '--name', 'web', '--instances', I, '--wait', 'some'],
      'Expected --wait=some to be one of: any, all, none',
    ],
    [['deregister', '--name', 'web', '--instances', 'i-xyz'], '"i-xyz" is not an EC2 instance ID'],
    [
      ['deregister', '--name', 'web', '--instances', I, '--wait', '--wait-timeout', '-5'],
      '--wait-timeout must be from 1 to 86400',
    ],
    [
      ['deregister', '--name', 'web', '--instances', I, '--wait-timeout', '60'],
      'All of the following must be provided when using --wait-timeout: --wait',
    ],
    [['deregister', '--name', 'web'], 'Missing --instances'],
  ])('%j', async (args, message) => {
    const result = await runCli(args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.requests).toHaveLength(0)
  })

  it.each([
    [['--target', 'HTTP:80'], 'target', 'health-check', 'has no ping path'],
    [['--interval', '4'], 'interval', 'health-interval', '--health-interval must be from 5 to 300, got 4.'],
    [['--timeout', '1'], 'timeout', 'health-timeout', '--health-timeout must be from 2 to 60, got 1.'],
  ])(
    'health takes the old spelling %j for one release, warning that it is deprecated',
    async (args, old, now, message) => {
      const result = await runCli(['health', '--name', 'web', ...args])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(
        `Warning: The "--${old}" flag has been deprecated. Use "--${now}" instead.`,
      )
      expect(result.stderr).toContain(message)
      expect(result.requests).toHaveLength(0)
    },
  )

  it.each([
    [['health', '--name', 'web', '--helth-check', 'TCP:80'], '--health-check'],
    [['register', '--name', 'web', '--instanses', 'i-0123456789abcdef0'], '--instances'],
  ])('answers the misspelled flag in %j with the closest one', async (args, closest) => {
    const result = await runCli(args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`Did you mean ${closest}?`)
  })
})
