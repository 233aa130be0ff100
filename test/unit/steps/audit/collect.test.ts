import {
  DESCRIBE_TAGS_MAX_NAMES,
  type Gateways,
  type IamGateway,
  type AcmGateway,
} from '../../../../src/aws/gateways.js'
import type {LoadBalancer, Policy} from '../../../../src/model.js'
import {collectRegion, type CollectOptions} from '../../../../src/steps/audit/collect.js'
import type {ObservedListenerCertificate} from '../../../../src/steps/engine/observe.js'
import {fakeEc2, fakeElb, sdkError} from '../fakes.js'
import {CERT, loadBalancer} from './fixtures.js'

const ACM_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc'

/** n load balancers named lb-000..., every one serving CERT on 443; every third one the ACM certificate too. */
function estate(n: number): LoadBalancer[] {
  return Array.from({length: n}, (_, i) => {
    const name = `lb-${String(i).padStart(3, '0')}`
    const base = loadBalancer({name, securityGroups: [`sg-${i % 3}`]})
    const extra =
      i % 3 === 0
        ? [
            {
              listener: {...base.listeners[1]!.listener, loadBalancerPort: 8443, sslCertificateId: ACM_CERT},
              policyNames: [],
            },
          ]
        : []
    return {...base, listeners: [...base.listeners, ...extra]}
  })
}

interface Calls {
  pages: {marker?: string; pageSize?: number}[]
  tags: string[][]
  policies: {name: string; names: string[]}[]
  groups: string[][]
  certificates: string[]
}

function gateways(
  all: LoadBalancer[],
  pageSize: number,
  overrides: {policies?: (name: string, names: string[]) => Policy[]} = {},
) {
  const calls: Calls = {pages: [], tags: [], policies: [], groups: [], certificates: []}
  const elb = fakeElb({
    async describeLoadBalancerPage(options) {
      calls.pages.push(options)
      const start = options.marker ? all.findIndex((lb) => lb.name === options.marker) + 1 : 0
      const page = all.slice(start, start + pageSize)
      return {
        loadBalancers: page,
        ...(start + pageSize < all.length ? {nextMarker: page.at(-1)!.name} : {}),
      }
    },
    async describeTagsOf(names) {
      calls.tags.push(names)
      if (names.length > DESCRIBE_TAGS_MAX_NAMES) throw new Error('more than 20 names')
      return new Map(names.map((n) => [n, [{key: 'team', value: n}]]))
    },
    async describePolicies(lbName, names = []) {
      const name = lbName ?? ''
      calls.policies.push({name, names})
      return overrides.policies
        ? overrides.policies(name, names)
        : names.map((n) => ({name: n, typeName: 'SSLNegotiationPolicyType', attributes: []}))
    },
    async describeAttributes() {
      return {crossZoneLoadBalancing: true, connectionDraining: {enabled: true}, idleTimeout: 60}
    },
    async describeInstanceHealth() {
      return [{instanceId: 'i-1', state: 'InService'}]
    },
  })
  const ec2 = fakeEc2({
    async describeSecurityGroups({groupIds = []}) {
      calls.groups.push(groupIds)
      return groupIds.map((groupId) => ({groupId, groupName: groupId, tags: [], ingress: []}))
    },
  })
  const iam: Partial<IamGateway> = {
    async getServerCertificate(name) {
      calls.certificates.push(name)
      return {name, id: 'ASCA1', arn: CERT, certificateBody: 'IAM-PEM', tags: []}
    },
  }
  const acm: Partial<AcmGateway> = {
    async describeCertificate(arn) {
      return {arn, inUseBy: []}
    },
    async getCertificateBody(arn) {
      calls.certificates.push(arn)
      return 'ACM-PEM'
    },
  }
  return {calls, gateways: {elb, ec2, iam, acm, region: 'us-east-1'} as unknown as Gateways}
}

const options = (overrides: Partial<CollectOptions> = {}): CollectOptions => ({
  profile: 'default',
  concurrency: 4,
  certificates: new Map(),
  certificateFacts: (b: ObservedListenerCertificate) => ({
    arn: b.arn,
    ...(b.problem ? {problem: b.problem} : {problem: `body ${b.certificateBody}`}),
  }),
  ...overrides,
})

describe('collectRegion', () => {
  it('follows Marker through every page, asks DescribeTags 20 names at a time, and batches the security groups', async () => {
    const all = estate(45)
    const {calls, gateways: g} = gateways(all, 10)
    const progress: {found: number; read: number}[] = []
    const facts = await collectRegion(g, options({pageSize: 10, onProgress: (e) => progress.push(e)}))
    expect(facts.pages).toBe(5)
    expect(calls.pages).toEqual([
      {pageSize: 10},
      {marker: 'lb-009', pageSize: 10},
      {marker: 'lb-019', pageSize: 10},
      {marker: 'lb-029', pageSize: 10},
      {marker: 'lb-039', pageSize: 10},
    ])
    expect(facts.loadBalancers.map((f) => f.loadBalancer.name)).toEqual(all.map((lb) => lb.name))
    expect(calls.tags.map((names) => names.length)).toEqual([20, 20, 5])
    expect(facts.loadBalancers[44]!.tags).toEqual([{key: 'team', value: 'lb-044'}])
    expect(calls.groups).toEqual([['sg-0', 'sg-1', 'sg-2']])
    expect(facts.loadBalancers[4]!.securityGroups.map((s) => s.groupId)).toEqual(['sg-1'])
    expect(progress.at(-1)).toEqual({found: 45, read: 45})
  })

  it('describes the policies in force by name, and reads each certificate ARN once for the whole run', async () => {
    const all = estate(6)
    const {calls, gateways: g} = gateways(all, 400)
    const certificates = new Map()
    const facts = await collectRegion(g, options({certificates}))
    expect(calls.policies[0]).toEqual({name: 'lb-000', names: ['elbx-ssl-TLS-1-2-2017-01']})
    expect(calls.certificates.sort()).toEqual([ACM_CERT, 'web'])
    expect(facts.loadBalancers[0]!.certificates).toEqual([
      {arn: CERT, problem: 'body IAM-PEM'},
      {arn: ACM_CERT, problem: 'body ACM-PEM'},
    ])
    // Another Region of the same account: IAM's certificate is not read again.
    await collectRegion(g, options({certificates}))
    expect(calls.certificates).toHaveLength(2)
    // Another account reads its own.
    await collectRegion(g, options({certificates, profile: 'other'}))
    expect(calls.certificates).toHaveLength(4)
  })

  it('keeps only the names with --name-prefix', async () => {
    const {gateways: g} = gateways(estate(12), 400)
    const facts = await collectRegion(g, options({namePrefix: 'lb-01'}))
    expect(facts.loadBalancers.map((f) => f.loadBalancer.name)).toEqual(['lb-010', 'lb-011'])
  })

  it("asks for each policy alone when one named on a listener is not the load balancer's own", async () => {
    const lb = loadBalancer({
      listeners: [
        {
          listener: loadBalancer().listeners[1]!.listener,
          policyNames: ['ELBSecurityPolicy-2016-08', 'sticky'],
        },
      ],
      policies: {appCookieStickiness: [], lbCookieStickiness: ['sticky'], other: []},
    })
    const {calls, gateways: g} = gateways([lb], 400, {
      policies: (_name, names) => {
        if (names.includes('ELBSecurityPolicy-2016-08')) throw sdkError('PolicyNotFoundException')
        return names.map((n) => ({name: n, typeName: 'LBCookieStickinessPolicyType', attributes: []}))
      },
    })
    const facts = await collectRegion(g, options())
    expect(calls.policies.map((c) => c.names)).toEqual([
      ['sticky', 'ELBSecurityPolicy-2016-08'],
      ['sticky'],
      ['ELBSecurityPolicy-2016-08'],
    ])
    expect(facts.loadBalancers[0]!.policies.map((p) => p.name)).toEqual(['sticky'])
    expect(facts.loadBalancers[0]!.readErrors).toEqual([])
  })

  it('records a failed read with the load balancer and goes on; a failed DescribeLoadBalancers fails the Region', async () => {
    const {gateways: g} = gateways(estate(2), 400)
    const failing = {
      ...g,
      elb: Object.assign(Object.create(g.elb) as Gateways['elb'], {
        describeAttributes: async () => {
          throw sdkError(
            'AccessDenied',
            'User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancerAttributes',
          )
        },
      }),
    } as Gateways
    const facts = await collectRegion(failing, options())
    expect(facts.loadBalancers).toHaveLength(2)
    expect(facts.loadBalancers[0]!.attributes).toBeUndefined()
    expect(facts.loadBalancers[0]!.readErrors).toEqual([
      {operation: 'DescribeLoadBalancerAttributes', message: expect.stringContaining('AccessDenied')},
    ])
    const denied = {
      ...g,
      elb: fakeElb({
        describeLoadBalancerPage: async () => {
          throw sdkError('AccessDenied', 'not authorized')
        },
      }),
    } as Gateways
    await expect(collectRegion(denied, options())).rejects.toMatchObject({name: 'AccessDenied'})
  })

  it('never has more requests in flight than the bound', async () => {
    const all = estate(30)
    const {gateways: g} = gateways(all, 400)
    let inFlight = 0
    let most = 0
    const slow =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, 2))
        try {
          return await f(...a)
        } finally {
          inFlight--
        }
      }
    const elb = g.elb
    const bounded = {
      ...g,
      elb: fakeElb({
        describeLoadBalancerPage: slow(elb.describeLoadBalancerPage.bind(elb)),
        describeTagsOf: slow(elb.describeTagsOf.bind(elb)),
        describePolicies: slow(elb.describePolicies.bind(elb)),
        describeAttributes: slow(elb.describeAttributes.bind(elb)),
        describeInstanceHealth: slow(elb.describeInstanceHealth.bind(elb)),
      }),
    } as Gateways
    await collectRegion(bounded, options({concurrency: 3}))
    expect(most).toBe(3)
  })
})
