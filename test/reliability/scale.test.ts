/**
 * Scale at AWS's default quotas: 1,000 registered instances per load balancer and 100 listeners.
 * The figures printed with [figures] go into docs/reliability.md.
 */
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  DescribeSecurityGroupsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'

import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {sdkClients, seedNetwork, type SeededNetwork} from '../helpers/moto.js'
import {motoState, NOTHING} from './moto-state.js'
import {reportFigures} from './support.js'

let net: SeededNetwork

beforeAll(async () => {
  net = await seedNetwork({instances: 0})
})

const count = (result: CliResult, operation: string) =>
  result.requests.filter((r) => r.operation === operation).length

/**
 * 1,000 running instances in two RunInstances calls, 500 in a /22 subnet in each of the load
 * balancer's two zones (a /24 holds only 251).
 */
async function runThousandInstances(): Promise<string[]> {
  const {ec2} = sdkClients()
  try {
    const ids: string[] = []
    for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
      const subnet = await ec2.send(
        new CreateSubnetCommand({
          VpcId: net.vpcId,
          CidrBlock: `10.20.${4 + i * 4}.0/22`,
          AvailabilityZone: zone,
        }),
      )
      const out = await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          InstanceType: 't3.micro',
          MinCount: 500,
          MaxCount: 500,
          SubnetId: subnet.Subnet!.SubnetId!,
        }),
      )
      ids.push(...out.Instances!.map((i) => i.InstanceId!))
    }
    return ids
  } finally {
    ec2.destroy()
  }
}

describe('1,000 instances (the default registered-instances quota)', () => {
  it('are checked, registered in one request and waited for until all are InService', async () => {
    const ids = await runThousandInstances()
    expect(ids).toHaveLength(1000)
    const name = 'scale-instances'
    const subnets = net.subnets.map((s) => s.subnetId).join(',')
    const created = await runCli([
      'create',
      '-n',
      name,
      '--listener',
      'http:80:http:80',
      '--subnets',
      subnets,
    ])
    expect(created.exitCode).toBe(0)

    const started = Date.now()
    const result = await runCli(
      ['register', '-n', name, '--instances', ids.join(','), '--wait', 'all', '--json'],
      {timeoutMs: 170_000},
    )
    const elapsedMs = Date.now() - started
    expect(result.exitCode).toBe(0)
    const out = parseJson<{registered: string[]; instances: {state: string}[]; wait: {polls: number}}>(result)
    expect(out.registered).toHaveLength(1000)
    expect(out.instances.filter((s) => s.state === 'InService')).toHaveLength(1000)
    // RegisterInstancesWithLoadBalancer takes the whole list: one request for 1,000 instances.
    expect(count(result, 'RegisterInstancesWithLoadBalancer')).toBe(1)
    // The instance check filters DescribeInstances by instance-id, at most 200 values per filter.
    expect(count(result, 'DescribeInstances')).toBe(5)
    // One DescribeInstanceHealth per poll, for all 1,000 at once.
    expect(count(result, 'DescribeInstanceHealth')).toBe(out.wait.polls)
    reportFigures(
      `1000 instances: ${result.requests.length} requests (${count(result, 'RegisterInstancesWithLoadBalancer')} RegisterInstancesWithLoadBalancer, ${count(result, 'DescribeInstances')} DescribeInstances, ${count(result, 'DescribeInstanceHealth')} DescribeInstanceHealth), ${elapsedMs} ms`,
    )

    // A rerun registers nothing and sends no RegisterInstances at all.
    const rerun = await runCli([
      'register',
      '-n',
      name,
      '--instances',
      ids.join(','),
      '--wait',
      'none',
      '--json',
    ])
    expect(rerun.exitCode).toBe(0)
    expect(parseJson<{alreadyRegistered: string[]}>(rerun).alreadyRegistered).toHaveLength(1000)
    expect(count(rerun, 'RegisterInstancesWithLoadBalancer')).toBe(0)

    const destroyed = await runCli(['destroy', '-n', name, '--yes'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  }, 240_000)
})

describe('100 listeners (the default listeners-per-load-balancer quota)', () => {
  const listeners = Array.from({length: 100}, (_, i) => [
    '--listener',
    `tcp:${2000 + i}:tcp:${2000 + i}`,
  ]).flat()
  const subnets = () => net.subnets.map((s) => s.subnetId).join(',')

  it('are checked and created in one CreateLoadBalancer with the given security group; a rerun changes nothing', async () => {
    const name = 'scale-listeners'
    const {ec2, elb} = sdkClients()
    let groupId: string
    try {
      groupId = (
        await ec2.send(
          new CreateSecurityGroupCommand({GroupName: 'wide', Description: 'all ports', VpcId: net.vpcId}),
        )
      ).GroupId!
    } finally {
      ec2.destroy()
    }
    const args = ['create', '-n', name, ...listeners, '--subnets', subnets(), '--security-groups', groupId]
    const started = Date.now()
    const created = await runCli([...args, '--json'])
    const elapsedMs = Date.now() - started
    expect({exitCode: created.exitCode, stdout: created.stdout}).toMatchObject({exitCode: 0})
    expect(parseJson<{listeners: unknown[]}>(created).listeners).toHaveLength(100)
    expect(count(created, 'CreateLoadBalancer')).toBe(1)
    expect(count(created, 'CreateLoadBalancerListeners')).toBe(0)
    try {
      const lb = (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]})))
        .LoadBalancerDescriptions![0]!
      expect(lb.ListenerDescriptions).toHaveLength(100)
    } finally {
      elb.destroy()
    }
    reportFigures(`100 listeners: ${created.requests.length} requests, ${elapsedMs} ms`)

    const rerun = await runCli(args)
    expect(rerun.exitCode).toBe(0)
    expect(rerun.requests.filter((r) => /^(Create|Authorize|Modify|Add|Set)/.test(r.operation))).toEqual([])

    const destroyed = await runCli(['destroy', '-n', name, '--yes'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  }, 120_000)

  it('without --security-groups: 100 consecutive ports are one inbound rule of the group elbx makes', async () => {
    const name = 'scale-listeners-sg'
    const created = await runCli(['create', '-n', name, ...listeners, '--subnets', subnets(), '--json'])
    expect({exitCode: created.exitCode, stderr: created.stderr}).toMatchObject({exitCode: 0})
    const [groupId] = parseJson<{securityGroups: string[]}>(created).securityGroups
    const {ec2} = sdkClients()
    try {
      const group = (await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId!]})))
        .SecurityGroups![0]!
      expect(group.IpPermissions).toEqual([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 2000,
          ToPort: 2099,
          IpRanges: [expect.objectContaining({CidrIp: '0.0.0.0/0'})],
        }),
      ])
    } finally {
      ec2.destroy()
    }
    const destroyed = await runCli(['destroy', '-n', name, '--yes'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })

  it('without --security-groups: 100 scattered ports need 100 rules (60 allowed), exit 1 with a hint, nothing left', async () => {
    const name = 'scale-listeners-scattered'
    const scattered = Array.from({length: 100}, (_, i) => ['--listener', `tcp:${2000 + 2 * i}:tcp:80`]).flat()
    const result = await runCli(['create', '-n', name, ...scattered, '--subnets', subnets()])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/^Error: Security group failed: RulesPerSecurityGroupLimitExceeded/m)
    expect(result.stderr).toMatch(/Hint: .*Pass --security-groups/)
    expect(await motoState(name)).toEqual(NOTHING)
  })

  it('a 101st is refused before any request (exit 2)', async () => {
    const result = await runCli([
      'create',
      '-n',
      'scale-101',
      ...listeners,
      '--listener',
      'tcp:3000:tcp:3000',
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/101 listeners given; a load balancer takes at most 100/)
    expect(result.requests).toHaveLength(0)
  })
})
