import type {AcmGateway, Gateways, IamGateway} from '../../../../src/aws/gateways.js'
import type {LoadBalancer, Tag} from '../../../../src/model.js'
import {observeLoadBalancer, observeRegion} from '../../../../src/steps/engine/observe.js'
import {fakeEc2, fakeElb, sdkError} from '../fakes.js'
import {CERT_A, CERT_B, http80, https443} from './fixtures.js'

const ACM_EAST = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-1111-1111-111111111111'
const ACM_WEST = 'arn:aws:acm:us-west-2:123456789012:certificate/22222222-2222-2222-2222-222222222222'

function lbNamed(name: string, certificates: string[] = [CERT_A]): LoadBalancer {
  return {
    name,
    dnsName: `${name}.elb.amazonaws.com`,
    scheme: 'internet-facing',
    vpcId: 'vpc-1',
    subnets: ['subnet-0a'],
    availabilityZones: ['us-east-1a'],
    securityGroups: ['sg-1'],
    listeners: [
      {listener: http80, policyNames: ['sticky']},
      ...certificates.map((arn, i) => ({
        listener: {...https443, loadBalancerPort: 443 + i, sslCertificateId: arn},
        policyNames: ['ssl'],
      })),
    ],
    backendServers: [],
    instanceIds: ['i-1'],
    policies: {appCookieStickiness: [], lbCookieStickiness: ['sticky'], other: ['ssl']},
  }
}

/** Read-only gateways that log each request and the most in flight at once. */
function readers(loadBalancers: LoadBalancer[], options: {refuseBatch?: boolean} = {}) {
  const log: string[] = []
  const flight = {now: 0, max: 0}
  const read = async <T>(what: string, answer: T | (() => T)): Promise<T> => {
    log.push(what)
    flight.now++
    flight.max = Math.max(flight.max, flight.now)
    await new Promise((r) => setTimeout(r, 2))
    flight.now--
    return typeof answer === 'function' ? (answer as () => T)() : answer
  }
  const gateways: Gateways = {
    region: 'us-east-1',
    elb: fakeElb({
      describeLoadBalancer: (name) =>
        read(
          'DescribeLoadBalancers',
          loadBalancers.find((l) => l.name === name),
        ),
      listLoadBalancers: () => read('DescribeLoadBalancers (all)', loadBalancers),
      describePolicies: (_lb, names = []) =>
        read(`DescribeLoadBalancerPolicies ${names.join(',')}`, () => {
          if (options.refuseBatch && names.length > 1) throw sdkError('PolicyNotFoundException')
          if (names.includes('ELBSecurityPolicy-2016-08')) throw sdkError('PolicyNotFoundException')
          return names.map((name) => ({name, typeName: 'LBCookieStickinessPolicyType', attributes: []}))
        }),
      describeAttributes: () =>
        read('DescribeLoadBalancerAttributes', {
          crossZoneLoadBalancing: true,
          connectionDraining: {enabled: true, timeout: 300},
          idleTimeout: 60,
        }),
      describeTags: () => read('DescribeTags', [{key: 'team', value: 'web'}]),
      describeTagsOf: (names) =>
        read(
          `DescribeTags x${names.length}`,
          new Map(names.map((n): [string, Tag[]] => [n, [{key: 'lb', value: n}]])),
        ),
      describeInstanceHealth: (name) =>
        read(`DescribeInstanceHealth ${name}`, [{instanceId: 'i-1', state: 'InService' as const}]),
    }),
    ec2: fakeEc2({
      describeSecurityGroups: () => read('DescribeSecurityGroups', []),
      describeSubnets: () => read('DescribeSubnets', []),
    }),
    iam: {
      getServerCertificate: (name: string) =>
        read(`GetServerCertificate ${name}`, {
          name,
          id: 'ASCA1',
          arn: `arn:${name}`,
          certificateBody: 'PEM',
          tags: [],
        }),
    } as Partial<IamGateway> as IamGateway,
    acm: {
      describeCertificate: (arn: string) =>
        read(`DescribeCertificate ${arn}`, {arn, notAfter: '2027-01-01T00:00:00.000Z', inUseBy: []}),
      getCertificateBody: (arn: string) => read(`GetCertificate ${arn}`, 'PEM'),
    } as Partial<AcmGateway> as AcmGateway,
  }
  return {gateways, log, flight}
}

describe('observeLoadBalancer', () => {
  it('reads the load balancer, then everything around it in one bounded round, each certificate once', async () => {
    const lb = lbNamed('web', [CERT_A, CERT_A, ACM_EAST, ACM_WEST])
    const r = readers([lb])
    const prepared: string[][] = []
    r.gateways.prepare = async (services) => {
      prepared.push([...services])
    }
    const observed = (await observeLoadBalancer(r.gateways, 'web', {concurrency: 3}))!
    // Clients load before the round that needs them, so its requests leave together.
    expect(prepared).toEqual([['ec2'], ['iam', 'acm']])
    expect(r.log[0]).toBe('DescribeLoadBalancers')
    expect(r.log.slice(1).sort()).toEqual(
      [
        'DescribeLoadBalancerPolicies sticky,ssl',
        'DescribeLoadBalancerAttributes',
        'DescribeTags',
        'DescribeInstanceHealth web',
        'DescribeSecurityGroups',
        'DescribeSubnets',
        'GetServerCertificate cert-a',
        `DescribeCertificate ${ACM_EAST}`,
        `GetCertificate ${ACM_EAST}`,
      ].sort(),
    )
    expect(r.flight.max).toBe(3)
    expect(observed.certificates).toEqual([
      {
        arn: CERT_A,
        source: 'iam',
        iam: {name: 'cert-a', id: 'ASCA1', arn: 'arn:cert-a'},
        certificateBody: 'PEM',
      },
      {arn: ACM_EAST, source: 'acm', acm: expect.objectContaining({arn: ACM_EAST}), certificateBody: 'PEM'},
      {arn: ACM_WEST, source: 'acm', problem: 'an ACM certificate of us-west-2, not us-east-1'},
    ])
    expect(observed.tags).toEqual([{key: 'team', value: 'web'}])
  })

  it('answers undefined, after one read, when there is no such load balancer', async () => {
    const r = readers([])
    expect(await observeLoadBalancer(r.gateways, 'gone')).toBeUndefined()
    expect(r.log).toEqual(['DescribeLoadBalancers'])
  })

  it('asks policy by policy when AWS refuses the names together, leaving out the one that is not its own', async () => {
    const lb = lbNamed('web')
    lb.listeners[1]!.policyNames = ['ELBSecurityPolicy-2016-08']
    const r = readers([lb], {refuseBatch: true})
    const observed = (await observeLoadBalancer(r.gateways, 'web'))!
    expect(observed.policies.map((p) => p.name).sort()).toEqual(['sticky', 'ssl'].sort())
    expect(r.log.filter((l) => l.startsWith('DescribeLoadBalancerPolicies')).sort()).toEqual([
      'DescribeLoadBalancerPolicies ELBSecurityPolicy-2016-08',
      'DescribeLoadBalancerPolicies ssl',
      'DescribeLoadBalancerPolicies sticky',
      'DescribeLoadBalancerPolicies sticky,ssl,ELBSecurityPolicy-2016-08',
    ])
  })

  it('records a certificate AWS refuses to describe as its problem instead of failing', async () => {
    const r = readers([lbNamed('web')])
    r.gateways.iam.getServerCertificate = async () => {
      throw sdkError('AccessDenied', 'not allowed')
    }
    const observed = (await observeLoadBalancer(r.gateways, 'web'))!
    expect(observed.certificates).toEqual([
      {arn: CERT_A, source: 'iam', problem: 'AccessDenied: not allowed'},
    ])
  })

  it('keeps what DescribeCertificate said when ACM has no body to give yet', async () => {
    const r = readers([lbNamed('web', [ACM_EAST])])
    r.gateways.acm.getCertificateBody = async () => {
      throw sdkError('RequestInProgressException', 'not issued yet')
    }
    const observed = (await observeLoadBalancer(r.gateways, 'web'))!
    expect(observed.certificates).toEqual([
      {arn: ACM_EAST, source: 'acm', acm: {arn: ACM_EAST, notAfter: '2027-01-01T00:00:00.000Z', inUseBy: []}},
    ])
  })
})

describe('observeRegion', () => {
  it('lists once, tags 20 names a call, health per load balancer, each certificate once and without ACM bodies', async () => {
    const many = Array.from({length: 45}, (_, i) =>
      lbNamed(`lb-${String(i).padStart(2, '0')}`, i % 2 ? [CERT_A] : [CERT_B, ACM_EAST]),
    )
    const r = readers(many)
    const observed = await observeRegion(r.gateways, {concurrency: 4})
    expect(r.log.filter((l) => l.startsWith('DescribeLoadBalancers'))).toEqual([
      'DescribeLoadBalancers (all)',
    ])
    expect(r.log.filter((l) => l.startsWith('DescribeTags'))).toEqual([
      'DescribeTags x20',
      'DescribeTags x20',
      'DescribeTags x5',
    ])
    expect(r.log.filter((l) => l.startsWith('DescribeInstanceHealth'))).toHaveLength(45)
    expect(r.log.filter((l) => /Certificate/.test(l)).sort()).toEqual(
      [
        'GetServerCertificate cert-a',
        'GetServerCertificate cert-b',
        `DescribeCertificate ${ACM_EAST}`,
      ].sort(),
    )
    expect(r.flight.max).toBe(4)
    expect(observed.loadBalancers[44]).toMatchObject({
      loadBalancer: {name: 'lb-44'},
      tags: [{key: 'lb', value: 'lb-44'}],
      instanceHealth: [{instanceId: 'i-1', state: 'InService'}],
    })
  })

  it('lists a load balancer deleted between the list and its health read with no health', async () => {
    const r = readers([lbNamed('web')])
    r.gateways.elb.describeInstanceHealth = async () => {
      throw sdkError('AccessPointNotFoundException')
    }
    const observed = await observeRegion(r.gateways)
    expect(observed.loadBalancers[0]!.instanceHealth).toEqual([])
  })
})
