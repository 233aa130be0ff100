import type {Gateways, IamGateway, AcmGateway} from '../../../../src/aws/gateways.js'
import {observe, observeForDestroy} from '../../../../src/steps/engine/observe.js'
import {fakeEc2, fakeElb} from '../fakes.js'
import {CERT_A, desired, existingLoadBalancer} from './fixtures.js'

const ACM_WEST = 'arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012'

/** Read-only gateways that log each request and count how many are in flight at once. */
function readers(options: {loadBalancer?: boolean} = {}) {
  const log: string[] = []
  const flight = {now: 0, max: 0}
  const read = async <T>(name: string, answer: T): Promise<T> => {
    log.push(name)
    flight.now++
    flight.max = Math.max(flight.max, flight.now)
    await new Promise((r) => setTimeout(r, 2))
    flight.now--
    return answer
  }
  const lb = options.loadBalancer ? existingLoadBalancer() : undefined
  const gateways: Gateways = {
    region: 'us-east-1',
    elb: fakeElb({
      describeLoadBalancer: () => read('DescribeLoadBalancers', lb),
      listLoadBalancers: () => read('DescribeLoadBalancers (all)', lb ? [lb] : []),
      describePolicies: () => read('DescribeLoadBalancerPolicies', []),
      describeAttributes: () =>
        read('DescribeLoadBalancerAttributes', {
          crossZoneLoadBalancing: true,
          connectionDraining: {enabled: true, timeout: 300},
          idleTimeout: 60,
        }),
      describeTags: () => read('DescribeTags', []),
    }),
    ec2: fakeEc2({
      describeSubnets: ({subnetIds}) =>
        read(
          'DescribeSubnets',
          (subnetIds ?? []).map((subnetId, i) => ({
            subnetId,
            vpcId: 'vpc-1',
            availabilityZone: `us-east-1${'ab'[i]}`,
            defaultForAz: false,
          })),
        ),
      describeSecurityGroups: () =>
        read('DescribeSecurityGroups', [
          {groupId: 'sg-0elbx', groupName: 'elbx-web', vpcId: 'vpc-1', tags: [], ingress: []},
        ]),
      describeInstances: (ids) =>
        read(
          'DescribeInstances',
          ids.map((instanceId) => ({instanceId, state: 'running' as const, vpcId: 'vpc-1'})),
        ),
    }),
    iam: {
      getServerCertificate: (name: string) => read(`GetServerCertificate ${name}`, undefined),
      listServerCertificates: () =>
        read('ListServerCertificates', [
          {
            name: 'elbx-web-0123',
            id: 'ASCA1',
            arn: 'arn:aws:iam::123456789012:server-certificate/elbx-web-0123',
          },
        ]),
    } as Partial<IamGateway> as IamGateway,
    acm: {
      describeCertificate: (arn: string) => read(`DescribeCertificate ${arn}`, undefined),
    } as Partial<AcmGateway> as AcmGateway,
  }
  return {gateways, log, flight}
}

describe('observe', () => {
  it('sends every read of a first run in one round, and no write', async () => {
    const r = readers()
    const observed = await observe(r.gateways, desired())
    expect(r.log.sort()).toEqual(
      [
        'DescribeInstances',
        'DescribeLoadBalancers',
        'DescribeSecurityGroups',
        'DescribeSubnets',
        'GetServerCertificate elbx-web-0123456789abcdef',
      ].sort(),
    )
    expect(r.flight.max).toBe(5)
    expect(observed.loadBalancer).toBeUndefined()
    expect(observed.elbxSecurityGroup?.groupId).toBe('sg-0elbx')
    expect(observed.network).toMatchObject({vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b']})
  })

  it("reads an existing load balancer's policies, attributes and tags in a second round", async () => {
    const r = readers({loadBalancer: true})
    const observed = await observe(r.gateways, desired({certificate: {kind: 'arn', arn: CERT_A}}))
    expect(r.log.slice(-3).sort()).toEqual([
      'DescribeLoadBalancerAttributes',
      'DescribeLoadBalancerPolicies',
      'DescribeTags',
    ])
    expect(r.log).toContain('GetServerCertificate cert-a')
    expect(observed.attributes?.crossZoneLoadBalancing).toBe(true)
  })

  it('loads the clients its reads need before the first of them leaves, so none waits for a client to load', async () => {
    const r = readers()
    const gateways: Gateways = {
      ...r.gateways,
      prepare: async (services) => {
        r.log.push(`prepare ${services.join(' ')}`)
      },
    }
    await observe(gateways, desired())
    expect(r.log[0]).toBe('prepare ec2 iam')
    r.log.length = 0
    await observe(
      gateways,
      desired({certificate: {kind: 'arn', arn: ACM_WEST.replace('us-west-2', 'us-east-1')}}),
    )
    expect(r.log[0]).toBe('prepare ec2 acm')
    r.log.length = 0
    await observeForDestroy(gateways, 'web', {keepSecurityGroup: true, deleteCertificate: false})
    expect(r.log[0]).toBe('prepare iam')
  })

  it('keeps within its concurrency bound', async () => {
    const r = readers()
    await observe(r.gateways, desired(), {concurrency: 2})
    expect(r.flight.max).toBeLessThanOrEqual(2 + 1) // resolveNetwork runs beside the bounded reads
  })

  it('does not ask this Region about an ACM certificate of another', async () => {
    const r = readers()
    const observed = await observe(r.gateways, desired({certificate: {kind: 'arn', arn: ACM_WEST}}))
    expect(r.log.some((l) => l.startsWith('DescribeCertificate'))).toBe(false)
    expect(observed.certificates).toEqual([{kind: 'acm', arn: ACM_WEST}])
  })
})

describe('observeForDestroy', () => {
  it('with --delete-certificate: one round, and certificates of elbx’s name known from the list', async () => {
    const r = readers({loadBalancer: true})
    const lb = existingLoadBalancer()
    lb.listeners[1]!.listener.sslCertificateId = 'arn:aws:iam::123456789012:server-certificate/elbx-web-0123'
    r.gateways.elb.listLoadBalancers = async () => {
      r.log.push('DescribeLoadBalancers (all)')
      return [lb]
    }
    const observed = await observeForDestroy(r.gateways, 'web', {
      keepSecurityGroup: false,
      deleteCertificate: true,
    })
    expect(r.log.sort()).toEqual([
      'DescribeLoadBalancers (all)',
      'DescribeSecurityGroups',
      'ListServerCertificates',
    ])
    expect(observed.certificates.map((c) => c.name)).toEqual(['elbx-web-0123'])
    expect(observed.securityGroups.map((g) => g.groupId)).toEqual(['sg-0elbx'])
  })
})
