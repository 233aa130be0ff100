import type {Instance, LoadBalancer} from '../../../src/model.js'
import {checkInstances, deregisterInstances, registerInstances} from '../../../src/steps/instances.js'
import {fakeEc2, fakeElb} from './fakes.js'

const lb: LoadBalancer = {
  name: 'web',
  dnsName: 'web.example',
  scheme: 'internet-facing',
  vpcId: 'vpc-1',
  subnets: ['subnet-a'],
  availabilityZones: ['us-east-1a'],
  securityGroups: [],
  listeners: [],
  backendServers: [],
  instanceIds: ['i-0000000a'],
  policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
}

const instance = (id: string, extra: Partial<Instance> = {}): Instance => ({
  instanceId: id,
  state: 'running',
  vpcId: 'vpc-1',
  availabilityZone: 'us-east-1a',
  ...extra,
})

const ec2With = (instances: Instance[]) =>
  fakeEc2({describeInstances: async (ids: string[]) => instances.filter((i) => ids.includes(i.instanceId))})

describe('checkInstances', () => {
  it('accepts pending and running instances in the VPC, with no warnings in served zones', async () => {
    const ec2 = ec2With([instance('i-0000000b'), instance('i-0000000c', {state: 'pending'})])
    const result = await checkInstances(ec2, lb, ['i-0000000b', 'i-0000000c'])
    expect(result.instances.map((i) => i.instanceId)).toEqual(['i-0000000b', 'i-0000000c'])
    expect(result.warnings).toEqual([])
  })

  it('reports every problem at once: missing, stopped, another VPC', async () => {
    const ec2 = ec2With([
      instance('i-0000000b', {state: 'stopped'}),
      instance('i-0000000c', {vpcId: 'vpc-2'}),
    ])
    await expect(
      checkInstances(ec2, lb, ['i-0000000b', 'i-0000000c', 'i-0000000d'], 'eu-west-1'),
    ).rejects.toMatchObject({
      exitCode: 1,
      message:
        "Cannot register 3 instances with web: i-0000000b is stopped (only pending or running instances can be registered); i-0000000c is in vpc-2, not in the load balancer's VPC vpc-1; i-0000000d does not exist in eu-west-1.",
      details: {code: 'InvalidInstance', instanceIds: ['i-0000000b', 'i-0000000c', 'i-0000000d']},
    })
  })

  it('warns about a zone the load balancer does not serve, naming the fix', async () => {
    const ec2 = ec2With([instance('i-0000000b', {availabilityZone: 'us-east-1c'})])
    const {warnings} = await checkInstances(ec2, lb, ['i-0000000b'])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(
      'Instance i-0000000b is in us-east-1c, which web does not serve (us-east-1a)',
    )
    expect(warnings[0]).toContain('with or without cross-zone load balancing')
    expect(warnings[0]).toContain('attach-load-balancer-to-subnets --load-balancer-name web')
  })

  it("reads the zones from the load balancer's subnets when its description has none", async () => {
    const ec2 = fakeEc2({
      describeInstances: async () => [instance('i-0000000b', {availabilityZone: 'us-east-1b'})],
      describeSubnets: async () => [
        {subnetId: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'us-east-1a', defaultForAz: false},
      ],
    })
    const {warnings} = await checkInstances(ec2, {...lb, availabilityZones: []}, ['i-0000000b'])
    expect(warnings[0]).toContain('is in us-east-1b, which web does not serve (us-east-1a)')
  })
})

describe('registerInstances and deregisterInstances', () => {
  it('registers only what is not registered yet; already registered is unchanged', async () => {
    const calls: string[][] = []
    const elb = fakeElb({registerInstances: async (_n: string, ids: string[]) => (calls.push(ids), ids)})
    expect(await registerInstances(elb, lb, ['i-0000000a', 'i-0000000b'])).toEqual({
      registered: ['i-0000000b'],
      alreadyRegistered: ['i-0000000a'],
    })
    expect(await registerInstances(elb, lb, ['i-0000000a'])).toEqual({
      registered: [],
      alreadyRegistered: ['i-0000000a'],
    })
    expect(calls).toEqual([['i-0000000b']])
  })

  it('deregisters only registered instances', async () => {
    const calls: string[][] = []
    const elb = fakeElb({deregisterInstances: async (_n: string, ids: string[]) => (calls.push(ids), [])})
    expect(await deregisterInstances(elb, lb, ['i-0000000a', 'i-0000000b'])).toEqual({
      deregistered: ['i-0000000a'],
      notRegistered: ['i-0000000b'],
    })
    expect(await deregisterInstances(elb, lb, ['i-0000000b'])).toEqual({
      deregistered: [],
      notRegistered: ['i-0000000b'],
    })
    expect(calls).toEqual([['i-0000000a']])
  })
})
