import {InvalidInputError, RuntimeError} from '../../../src/errors.js'
import type {Listener} from '../../../src/model.js'
import {checkCertificateFiles} from '../../../src/pem/certificate.js'
import {applyAttributes} from '../../../src/steps/attributes.js'
import {
  deleteServerCertificate,
  retryWhileCertificatePropagates,
  uploadCertificate,
} from '../../../src/steps/certificate.js'
import {createResult, createTasks, type CreateContext} from '../../../src/steps/create.js'
import {
  ensureLoadBalancer,
  loadBalancerDifferences,
  type LoadBalancerSpec,
} from '../../../src/steps/load-balancer.js'
import {checkSubnetPlacement, resolveNetwork} from '../../../src/steps/network.js'
import {Rollback, runWithRollback} from '../../../src/steps/rollback.js'
import {
  deleteSecurityGroupWhenFree,
  ensureSecurityGroup,
  formatPortRange,
  missingIngress,
  portRanges,
} from '../../../src/steps/security-group.js'
import {applyTags} from '../../../src/steps/tags.js'
import {Ui} from '../../../src/ui/output.js'
import {runTasks} from '../../../src/ui/tasks.js'
import {checkCreateFlags, completeCreateInput} from '../../../src/validate/create-input.js'
import {makeCertificate} from '../../helpers/certs.js'
import {AwsWorld} from './create-world.js'
import {FakeClock, fakeEc2, fakeElb, sdkError} from './fakes.js'

const silentUi = () => new Ui({json: true, color: false, interactive: false, verbose: false})
const ARN = 'arn:aws:iam::123456789012:server-certificate/site'
const seed: Listener[] = [
  {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
  {
    protocol: 'HTTPS',
    loadBalancerPort: 443,
    instanceProtocol: 'HTTP',
    instancePort: 80,
    sslCertificateId: ARN,
  },
]
const spec = (over: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec => ({
  name: 'web',
  listeners: seed,
  scheme: 'internet-facing',
  subnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'],
  availabilityZones: [],
  securityGroups: ['sg-00000001'],
  tags: [],
  ...over,
})

describe('CertificateNotFound right after an IAM upload', () => {
  it('is retried with growing delays until ELB sees the certificate', async () => {
    const clock = new FakeClock()
    let calls = 0
    const result = await retryWhileCertificatePropagates(
      async () => {
        if (++calls < 4) throw sdkError('CertificateNotFoundException')
        return 'ok'
      },
      {clock},
    )
    expect(result).toBe('ok')
    expect(clock.sleeps).toEqual([5000, 10000, 20000])
  })

  it('gives up after the bounded few minutes with the last error', async () => {
    const clock = new FakeClock()
    await expect(
      retryWhileCertificatePropagates(async () => Promise.reject(sdkError('CertificateNotFoundException')), {
        clock,
      }),
    ).rejects.toThrow('CertificateNotFoundException')
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(5 * 60_000)
  })

  it('is retried by ensureLoadBalancer only for a just-uploaded certificate', async () => {
    const world = new AwsWorld()
    world.failures.CreateLoadBalancer = [
      sdkError('CertificateNotFoundException'),
      sdkError('CertificateNotFoundException'),
    ]
    const clock = new FakeClock()
    const retries: number[] = []
    const {elb} = world.gateways()
    const out = await ensureLoadBalancer(elb, spec(), {
      certificateJustUploaded: true,
      clock,
      onRetry: (ms) => retries.push(ms),
    })
    expect(out.created).toBe(true)
    expect(retries).toEqual([5000, 10000])

    const other = new AwsWorld()
    other.failures.CreateLoadBalancer = [sdkError('CertificateNotFoundException')]
    await expect(ensureLoadBalancer(other.gateways().elb, spec(), {clock})).rejects.toThrow(
      'CertificateNotFound',
    )
    expect(other.calls.filter((c) => c === 'CreateLoadBalancer')).toHaveLength(1)
  })

  it('stops waiting on Ctrl-C', async () => {
    const abort = new AbortController()
    abort.abort()
    await expect(
      retryWhileCertificatePropagates(async () => Promise.reject(sdkError('CertificateNotFoundException')), {
        clock: new FakeClock(),
        signal: abort.signal,
      }),
    ).rejects.toThrow('Interrupted')
  })
})

describe('ensureLoadBalancer', () => {
  it('creates it, telling the rollback at once', async () => {
    const world = new AwsWorld()
    let recorded = false
    const out = await ensureLoadBalancer(world.gateways().elb, spec(), {onCreated: () => (recorded = true)})
    expect(out).toEqual({dnsName: 'web-123.us-east-1.elb.amazonaws.com', created: true})
    expect(recorded).toBe(true)
    expect(world.calls).toEqual(['DescribeLoadBalancers', 'CreateLoadBalancer'])
  })

  it('reports an identical existing load balancer as unchanged without creating', async () => {
    const world = new AwsWorld()
    await ensureLoadBalancer(world.gateways().elb, spec())
    world.calls = []
    const out = await ensureLoadBalancer(world.gateways().elb, spec())
    expect(out.created).toBe(false)
    expect(world.calls).toEqual(['DescribeLoadBalancers'])
  })

  it('accepts AWS answering an identical CreateLoadBalancer (a concurrent run made it) as success', async () => {
    // AWS: "If you repeat an operation, it succeeds": the describe missed it, the create returns its DNS name.
    let described = 0
    const elb = fakeElb({
      describeLoadBalancer: async () => (described++, undefined),
      createLoadBalancer: async () => ({dnsName: 'web-123.elb.amazonaws.com'}),
    })
    await expect(ensureLoadBalancer(elb, spec())).resolves.toEqual({
      dnsName: 'web-123.elb.amazonaws.com',
      created: true,
    })
    expect(described).toBe(1)
  })

  it('on DuplicateLoadBalancerName compares with the one that won the race', async () => {
    const world = new AwsWorld()
    const {elb} = world.gateways()
    await elb.createLoadBalancer({
      name: 'web',
      listeners: seed,
      subnets: spec().subnets,
      securityGroups: ['sg-00000001'],
    })
    let first = true
    const racing = fakeElb({
      describeLoadBalancer: async (name) =>
        first ? ((first = false), undefined) : elb.describeLoadBalancer(name),
      createLoadBalancer: async () => Promise.reject(sdkError('DuplicateAccessPointNameException')),
    })
    await expect(ensureLoadBalancer(racing, spec())).resolves.toMatchObject({created: false})
    first = true
    await expect(ensureLoadBalancer(racing, spec({scheme: 'internal'}))).rejects.toThrow(
      'already exists with a different configuration: scheme is internet-facing, not internal',
    )
  })

  it('names every difference of an existing load balancer (exit 1)', async () => {
    const world = new AwsWorld()
    await ensureLoadBalancer(world.gateways().elb, spec())
    const want = spec({
      listeners: [
        {
          protocol: 'HTTPS',
          loadBalancerPort: 443,
          instanceProtocol: 'HTTPS',
          instancePort: 443,
          sslCertificateId: ARN,
        },
        {protocol: 'TCP', loadBalancerPort: 22, instanceProtocol: 'TCP', instancePort: 22},
      ],
      subnets: ['subnet-cccccccc'],
      securityGroups: ['sg-00000009'],
    })
    const error = await ensureLoadBalancer(world.gateways().elb, want).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RuntimeError)
    expect((error as RuntimeError).exitCode).toBe(1)
    expect((error as RuntimeError).details?.differences).toEqual([
      'listener on port 443 is HTTPS 443 -> HTTP 80, not HTTPS 443 -> HTTPS 443',
      'no listener on port 22 (wanted TCP 22 -> TCP 22)',
      'it has another listener, HTTP 80 -> HTTP 80',
      'subnets are subnet-aaaaaaaa, subnet-bbbbbbbb, not subnet-cccccccc',
      'security groups are sg-00000001, not sg-00000009',
    ])
  })

  it('notices another certificate on the same listener', async () => {
    const world = new AwsWorld()
    await ensureLoadBalancer(world.gateways().elb, spec())
    const lb = world.loadBalancers.get('web')!
    const other = 'arn:aws:acm:us-east-1:123456789012:certificate/abc'
    const listeners = seed.map((l) => (l.sslCertificateId ? {...l, sslCertificateId: other} : l))
    expect(loadBalancerDifferences(lb, spec({listeners}))).toEqual([
      `listener on port 443 is HTTPS 443 -> HTTP 80 (certificate ${ARN}), not HTTPS 443 -> HTTP 80 (certificate ${other})`,
    ])
  })
})

describe('security group', () => {
  it('creates a tagged group open to each listener port, and on a rerun only adds missing rules', async () => {
    const world = new AwsWorld()
    const {ec2} = world.gateways()
    const created: string[] = []
    const first = await ensureSecurityGroup(
      ec2,
      {loadBalancerName: 'web', vpcId: 'vpc-1', ports: [443, 80, 80], cidrs: ['0.0.0.0/0', '2001:db8::/32']},
      (id) => created.push(id),
    )
    expect(first.created).toBe(true)
    expect(created).toEqual([first.groupId])
    const group = world.groups.get(first.groupId)!
    expect(group.groupName).toBe('elbx-web')
    expect(group.tags).toContainEqual({key: 'elbx:load-balancer', value: 'web'})
    expect(group.ingress.map((r) => `${formatPortRange(r)} ${r.cidr}`)).toEqual([
      '80 0.0.0.0/0',
      '443 0.0.0.0/0',
      '80 2001:db8::/32',
      '443 2001:db8::/32',
    ])
    const again = await ensureSecurityGroup(ec2, {
      loadBalancerName: 'web',
      vpcId: 'vpc-1',
      ports: [80, 443, 8443],
      cidrs: ['0.0.0.0/0'],
    })
    expect(again).toEqual({
      groupId: first.groupId,
      created: false,
      added: [{protocol: 'tcp', fromPort: 8443, toPort: 8443, cidr: '0.0.0.0/0'}],
    })
  })

  it('opens consecutive listener ports with one rule, and counts ports a wider rule already admits', async () => {
    expect(portRanges([8001, 80, 8000, 8002, 443, 80])).toEqual([
      [80, 80],
      [443, 443],
      [8000, 8002],
    ])
    const world = new AwsWorld()
    const {ec2} = world.gateways()
    const ports = Array.from({length: 100}, (_, i) => 2000 + i)
    const first = await ensureSecurityGroup(ec2, {
      loadBalancerName: 'web',
      vpcId: 'vpc-1',
      ports,
      cidrs: ['10.0.0.0/8'],
    })
    expect(first.added).toEqual([{protocol: 'tcp', fromPort: 2000, toPort: 2099, cidr: '10.0.0.0/8'}])

    // Someone admitted 2000-2049 by hand and 2100 is a new listener: only what is not admitted is added.
    const present = [{protocol: 'tcp' as const, fromPort: 1000, toPort: 2049, cidr: '10.0.0.0/8'}]
    expect(missingIngress([...ports, 2100], ['10.0.0.0/8', '0.0.0.0/0'], present)).toEqual([
      {protocol: 'tcp', fromPort: 2050, toPort: 2100, cidr: '10.0.0.0/8'},
      {protocol: 'tcp', fromPort: 2000, toPort: 2100, cidr: '0.0.0.0/0'},
    ])
  })

  it('retries DependencyViolation while the load balancer network interfaces go away, bounded', async () => {
    const clock = new FakeClock()
    let attempts = 0
    const ec2 = fakeEc2({
      deleteSecurityGroup: async () => {
        if (++attempts < 4) throw sdkError('DependencyViolation', 'resource sg-1 has a dependent object')
      },
    })
    await deleteSecurityGroupWhenFree(ec2, 'sg-1', {clock})
    expect(attempts).toBe(4)
    expect(clock.sleeps).toEqual([5000, 10000, 20000])

    const stuck = fakeEc2({deleteSecurityGroup: async () => Promise.reject(sdkError('DependencyViolation'))})
    const late = new FakeClock()
    await expect(deleteSecurityGroupWhenFree(stuck, 'sg-1', {clock: late})).rejects.toThrow(
      'DependencyViolation',
    )
    expect(late.sleeps.reduce((a, b) => a + b, 0)).toBe(10 * 60_000)

    const gone = fakeEc2({deleteSecurityGroup: async () => Promise.reject(sdkError('InvalidGroup.NotFound'))})
    await expect(deleteSecurityGroupWhenFree(gone, 'sg-1', {clock})).resolves.toBeUndefined()
  })
})

describe('certificate upload', () => {
  const pair = makeCertificate()
  const checked = checkCertificateFiles({certificateFile: pair.certFile, privateKeyFile: pair.keyFile})

  it('uploads tagged for the load balancer, and reuses the same certificate under the same name', async () => {
    const world = new AwsWorld()
    const {iam} = world.gateways()
    const first = await uploadCertificate(iam, {
      name: 'elbx-web-1',
      loadBalancerName: 'web',
      certificate: checked,
    })
    expect(first).toEqual({
      name: 'elbx-web-1',
      arn: 'arn:aws:iam::123456789012:server-certificate/elbx-web-1',
      created: true,
    })
    expect(world.certificates.get('elbx-web-1')!.tags).toEqual([{key: 'elbx:load-balancer', value: 'web'}])
    const again = await uploadCertificate(iam, {
      name: 'elbx-web-1',
      loadBalancerName: 'web',
      certificate: checked,
    })
    expect(again.created).toBe(false)
    expect(world.calls.filter((c) => c === 'UploadServerCertificate')).toHaveLength(1)
  })

  it('refuses a name that holds a different certificate', async () => {
    const world = new AwsWorld()
    const {iam} = world.gateways()
    const other = makeCertificate()
    await iam.uploadServerCertificate({name: 'taken', certificateBody: other.cert, privateKey: other.key})
    await expect(
      uploadCertificate(iam, {name: 'taken', loadBalancerName: 'web', certificate: checked}),
    ).rejects.toThrow('IAM already holds a different server certificate named "taken".')
  })

  it('deletes with DeleteConflict retried while ELB lets go of it; a missing one is fine', async () => {
    const world = new AwsWorld()
    const {iam} = world.gateways()
    await iam.uploadServerCertificate({name: 'c', certificateBody: pair.cert, privateKey: pair.key})
    world.failures.DeleteServerCertificate = [sdkError('DeleteConflictException')]
    const clock = new FakeClock()
    await deleteServerCertificate(iam, 'c', {clock})
    expect(clock.sleeps).toEqual([5000])
    await expect(deleteServerCertificate(iam, 'c', {clock})).resolves.toBeUndefined()
  })
})

describe('network', () => {
  const subnet = (id: string, az: string, vpc = 'vpc-1') => ({
    subnetId: id,
    vpcId: vpc,
    availabilityZone: az,
    defaultForAz: false,
  })

  it('refuses two subnets in one zone, or subnets of two VPCs', () => {
    expect(() =>
      checkSubnetPlacement([subnet('subnet-a', 'us-east-1a'), subnet('subnet-b', 'us-east-1a')]),
    ).toThrow(
      '--subnets subnet-a and subnet-b are both in us-east-1a; a load balancer takes at most one subnet per Availability Zone.',
    )
    expect(() =>
      checkSubnetPlacement([subnet('subnet-a', 'us-east-1a'), subnet('subnet-b', 'us-east-1b', 'vpc-2')]),
    ).toThrow(/are in different VPCs/)
  })

  it('names subnets that do not exist', async () => {
    const ec2 = fakeEc2({describeSubnets: async () => [subnet('subnet-a', 'us-east-1a')]})
    await expect(resolveNetwork(ec2, {subnets: ['subnet-a', 'subnet-b']})).rejects.toThrow(
      '--subnets: subnet-b not found in this region.',
    )
    const failing = fakeEc2({
      describeSubnets: async () =>
        Promise.reject(sdkError('InvalidSubnetID.NotFound', "The subnet ID 'subnet-b' does not exist")),
    })
    await expect(resolveNetwork(failing, {subnets: ['subnet-a', 'subnet-b']})).rejects.toThrow(
      InvalidInputError,
    )
  })

  it('uses the default VPC with one default subnet per zone', async () => {
    const ec2 = fakeEc2({
      describeVpcs: async () => [{vpcId: 'vpc-d', isDefault: true}],
      describeSubnets: async () => [
        {...subnet('subnet-b', 'us-east-1b', 'vpc-d'), defaultForAz: true},
        {...subnet('subnet-x', 'us-east-1a', 'vpc-d'), defaultForAz: false},
        {...subnet('subnet-a', 'us-east-1a', 'vpc-d'), defaultForAz: true},
      ],
    })
    await expect(resolveNetwork(ec2, {})).resolves.toEqual({
      vpcId: 'vpc-d',
      subnets: ['subnet-a', 'subnet-b'],
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      defaultVpc: true,
    })
    await expect(resolveNetwork(fakeEc2({describeVpcs: async () => []}), {})).rejects.toThrow(
      /has no default VPC/,
    )
  })

  it('checks Availability Zones against the region', async () => {
    const ec2 = fakeEc2({describeAvailabilityZones: async () => ['us-east-1a', 'us-east-1b']})
    await expect(resolveNetwork(ec2, {availabilityZones: ['us-east-1a']})).resolves.toMatchObject({
      availabilityZones: ['us-east-1a'],
    })
    await expect(resolveNetwork(ec2, {availabilityZones: ['us-east-1z']})).rejects.toThrow(
      /us-east-1z is not an available zone/,
    )
  })
})

describe('attributes and tags', () => {
  it('modifies only what differs, and nothing on a rerun', async () => {
    const world = new AwsWorld()
    const {elb} = world.gateways()
    await elb.createLoadBalancer({name: 'web', listeners: seed})
    const desired = {
      crossZoneLoadBalancing: true,
      connectionDraining: {enabled: true, timeout: 300},
      idleTimeout: 120,
    }
    expect((await applyAttributes(elb, 'web', desired)).changed).toEqual([
      'cross-zone on',
      'connection draining 300 s',
      'idle timeout 120 s',
    ])
    world.calls = []
    expect((await applyAttributes(elb, 'web', desired)).changed).toEqual([])
    expect(world.calls).toEqual(['DescribeLoadBalancerAttributes'])
  })

  it('sets every attribute of a load balancer it has just created in one request, without reading them', async () => {
    const world = new AwsWorld()
    const {elb} = world.gateways()
    await elb.createLoadBalancer({name: 'web', listeners: seed})
    world.calls = []
    const desired = {
      crossZoneLoadBalancing: false,
      connectionDraining: {enabled: false},
      idleTimeout: 60,
    }
    const applied = await applyAttributes(elb, 'web', desired, {justCreated: true})
    expect(applied.changed).toEqual(['cross-zone off', 'connection draining off', 'idle timeout 60 s'])
    expect(world.calls).toEqual(['ModifyLoadBalancerAttributes'])
    expect(await elb.describeAttributes('web')).toMatchObject(desired)
  })

  it('reads no tags of a load balancer it has just created with them', async () => {
    const world = new AwsWorld()
    const {elb} = world.gateways()
    const tags = [{key: 'team', value: 'a'}]
    await elb.createLoadBalancer({name: 'web', listeners: seed, tags})
    world.calls = []
    expect(await applyTags(elb, 'web', tags, {justCreated: true})).toEqual({tags, added: tags})
    expect(world.calls).toEqual([])
  })

  it('adds missing tags and overwrites changed values, keeping others', async () => {
    const world = new AwsWorld()
    const {elb} = world.gateways()
    await elb.createLoadBalancer({
      name: 'web',
      listeners: seed,
      tags: [
        {key: 'keep', value: '1'},
        {key: 'team', value: 'a'},
      ],
    })
    const out = await applyTags(elb, 'web', [{key: 'team', value: 'b'}])
    expect(out.added).toEqual([{key: 'team', value: 'b'}])
    expect(out.tags).toEqual([
      {key: 'keep', value: '1'},
      {key: 'team', value: 'b'},
    ])
  })
})

describe('rollback', () => {
  it('removes newest first, keeps going past failures and reports what remains with its command', async () => {
    const order: string[] = []
    const rollback = new Rollback()
    rollback.record({
      kind: 'server-certificate',
      id: 'c',
      remove: async () => void order.push('c'),
      removeCommand: 'aws iam delete-server-certificate --server-certificate-name c',
    })
    rollback.record({
      kind: 'security-group',
      id: 'sg-1',
      remove: async () => Promise.reject(sdkError('DependencyViolation')),
      removeCommand: 'aws ec2 delete-security-group --group-id sg-1',
    })
    rollback.record({
      kind: 'load-balancer',
      id: 'web',
      remove: async () => void order.push('web'),
      removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
    })
    const report = await rollback.undo()
    expect(order).toEqual(['web', 'c'])
    expect(report.removed.map((r) => r.id)).toEqual(['web', 'c'])
    expect(report.remaining.map((r) => r.removeCommand)).toEqual([
      'aws ec2 delete-security-group --group-id sg-1',
    ])
    expect(report.errors[0]!.message).toMatch(/DependencyViolation/)
  })

  it('runWithRollback rethrows with the exit code kept and the report in details', async () => {
    const rollback = new Rollback()
    const lines: string[] = []
    rollback.record({
      kind: 'load-balancer',
      id: 'web',
      remove: async () => {},
      removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
    })
    const error = await runWithRollback(
      rollback,
      async () => Promise.reject(sdkError('ThrottlingException', 'Rate exceeded')),
      {
        enabled: true,
        step: 'create',
        report: (l) => lines.push(...l),
      },
    ).catch((e: unknown) => e as {exitCode: number; message: string; details: Record<string, unknown>})
    expect(error.exitCode).toBe(1)
    expect(error.message).toBe('create failed: Throttling: Rate exceeded')
    expect(error.details.rollback).toEqual({
      performed: true,
      removed: [
        {
          kind: 'load-balancer',
          id: 'web',
          removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
        },
      ],
      remaining: [],
    })
    expect(lines).toEqual(['Rolled back: deleted load-balancer web.'])
  })

  it('with --no-rollback keeps everything and prints the commands', async () => {
    const rollback = new Rollback()
    let removed = false
    rollback.record({
      kind: 'load-balancer',
      id: 'web',
      remove: async () => void (removed = true),
      removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
    })
    const lines: string[] = []
    await expect(
      runWithRollback(rollback, async () => Promise.reject(new Error('boom')), {
        enabled: false,
        step: 'create',
        report: (l) => lines.push(...l),
      }),
    ).rejects.toThrow('create failed: boom')
    expect(removed).toBe(false)
    expect(lines).toEqual([
      'Kept (--no-rollback) what this run created; delete it with:',
      '  aws elb delete-load-balancer --load-balancer-name web',
    ])
  })
})

describe('create tasks over an AWS-like fake', () => {
  const pair = makeCertificate()
  const input = (extra: Record<string, unknown> = {}) =>
    completeCreateInput(
      checkCreateFlags({
        https: true,
        'certificate-file': pair.certFile,
        'private-key-file': pair.keyFile,
        tag: ['team=web'],
        ...extra,
      }),
      'web',
    )
  const context = (world: AwsWorld, extra: Record<string, unknown> = {}): CreateContext => ({
    input: input(extra),
    gateways: world.gateways(),
    rollback: new Rollback(),
    clock: new FakeClock(),
  })

  it('creates everything, then a rerun of `--https` (HTTPS 443 -> HTTP 80) changes nothing', async () => {
    const world = new AwsWorld()
    const ctx = context(world)
    await runTasks(silentUi(), createTasks(), ctx)
    const result = createResult(ctx)
    expect(result).toMatchObject({
      name: 'web',
      dnsName: 'web-123.us-east-1.elb.amazonaws.com',
      scheme: 'internet-facing',
      vpcId: 'vpc-11111111',
      subnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'],
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      securityGroups: ['sg-00000001'],
      attributes: {
        crossZoneLoadBalancing: true,
        connectionDraining: {enabled: true, timeout: 300},
        idleTimeout: 60,
      },
      tags: [{key: 'team', value: 'web'}],
    })
    expect(result.listeners[1]!.sslCertificateId).toMatch(
      /^arn:aws:iam::123456789012:server-certificate\/elbx-web-[0-9a-f]{16}$/,
    )
    expect(result.createdResources.map((r) => r.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])

    world.calls = []
    const again = context(world)
    const outcomes = await runTasks(silentUi(), createTasks(), again)
    expect(outcomes.map((o) => o.outcome)).toEqual([
      'default VPC vpc-11111111: subnet-aaaaaaaa (us-east-1a), subnet-bbbbbbbb (us-east-1b)',
      expect.stringMatching(/^unchanged \(elbx-web-[0-9a-f]+ already in IAM\)$/),
      'unchanged (sg-00000001)',
      'unchanged (web-123.us-east-1.elb.amazonaws.com)',
      'unchanged',
      'unchanged',
    ])
    expect(createResult(again).createdResources).toEqual([])
    expect(world.calls.filter((c) => /^(Create|Upload|Modify|Add|Authorize)/.test(c))).toEqual([])
  })

  it('a failure after CreateLoadBalancer deletes the load balancer, group and certificate, newest first', async () => {
    const world = new AwsWorld()
    world.failures.ModifyLoadBalancerAttributes = [sdkError('InvalidConfigurationRequestException', 'busy')]
    const ctx = context(world)
    const lines: string[] = []
    const error = await runWithRollback(ctx.rollback, () => runTasks(silentUi(), createTasks(), ctx), {
      enabled: true,
      step: 'create',
      report: (l) => lines.push(...l),
    }).then(
      () => undefined as never,
      (e: unknown) => e as Error & {exitCode: number},
    )
    expect(error.message).toBe(
      'Attributes (cross-zone, connection draining, idle timeout) failed: InvalidConfigurationRequest: busy',
    )
    expect(error.exitCode).toBe(1)
    expect(world.loadBalancers.size).toBe(0)
    expect(world.groups.size).toBe(0)
    expect(world.certificates.size).toBe(0)
    expect(world.calls.slice(-3)).toEqual([
      'DeleteLoadBalancer',
      'DeleteSecurityGroup',
      'DeleteServerCertificate',
    ])
    expect(lines[0]).toMatch(
      /^Rolled back: deleted load-balancer web, security-group sg-00000001, server-certificate elbx-web-/,
    )
  })

  it('a load balancer with another configuration stops the run before it changes it, undoing only this run', async () => {
    const world = new AwsWorld()
    await runTasks(silentUi(), createTasks(), context(world))
    world.calls = []
    const ctx = context(world, {'backend-https': true})
    const error = await runWithRollback(ctx.rollback, () => runTasks(silentUi(), createTasks(), ctx), {
      enabled: true,
      step: 'create',
      report: () => {},
    }).then(
      () => undefined as never,
      (e: unknown) => e as Error,
    )
    expect(error.message).toMatch(/listener on port 443 is HTTPS 443 -> HTTP 80, not HTTPS 443 -> HTTPS 443/)
    expect(world.loadBalancers.size).toBe(1)
    expect(world.groups.size).toBe(1)
    expect(world.calls).not.toContain('DeleteLoadBalancer')
  })
})
