import type {Gateways} from '../../../../src/aws/gateways.js'
import {RULES} from '../../../../src/steps/audit/finding.js'
import {runAudit, type AuditOptions} from '../../../../src/steps/audit/index.js'
import {makeCertificate} from '../../../helpers/certs.js'
import {fakeEc2, fakeElb, sdkError} from '../fakes.js'
import {OPTIONS, facts, loadBalancer} from './fixtures.js'

const NOW = new Date()

/** One Region's gateways over the fixture's load balancer, its certificate `days` from expiry. */
function region(name: string, days: number, overrides: Partial<Gateways['elb']> = {}): Gateways {
  const f = facts({loadBalancer: loadBalancer({name})})
  const pem = makeCertificate({days}).cert
  return {
    region: 'us-east-1',
    elb: fakeElb({
      describeLoadBalancerPage: async () => ({loadBalancers: [f.loadBalancer]}),
      describeTagsOf: async (names) => new Map(names.map((n) => [n, [{key: 'owner', value: 'web-team'}]])),
      describePolicies: async () => f.policies,
      describeAttributes: async () => f.attributes!,
      describeInstanceHealth: async () => f.instanceHealth!,
      ...overrides,
    }),
    ec2: fakeEc2({describeSecurityGroups: async () => f.securityGroups}),
    iam: {
      getServerCertificate: async () => ({name: 'web', id: 'A', arn: 'x', certificateBody: pem, tags: []}),
    },
    acm: {},
  } as unknown as Gateways
}

const options: AuditOptions = {...OPTIONS, concurrency: 4, regionsAtOnce: 2, now: NOW}

describe('runAudit', () => {
  it('reads the expiry from the certificate body, and reports each Region and account with its load balancers', async () => {
    const {report} = await runAudit(
      [
        {profile: 'prod', region: 'us-east-1', gateways: region('web', 10)},
        // Another account: its IAM certificate of the same ARN is its own.
        {profile: 'staging', region: 'eu-west-1', gateways: region('api', 300)},
      ],
      options,
    )
    expect(report.regions).toEqual([
      {profile: 'prod', region: 'us-east-1', loadBalancers: 1, pages: 1},
      {profile: 'staging', region: 'eu-west-1', loadBalancers: 1, pages: 1},
    ])
    const rules = report.findings.map((f) => [f.region, f.loadBalancerName, f.rule])
    expect(rules).toContainEqual(['us-east-1', 'web', RULES.certificateExpiring])
    expect(rules).not.toContainEqual(['eu-west-1', 'api', RULES.certificateExpiring])
    // Grouped by account, Region and load balancer, most severe first.
    expect(report.findings.map((f) => [f.profile, f.severity])).toEqual([
      ['prod', 'warning'],
      ['prod', 'info'],
      ['prod', 'info'],
      ['staging', 'info'],
      ['staging', 'info'],
    ])
    expect(report.loadBalancers.find((l) => l.name === 'web')).toMatchObject({
      tags: [{key: 'owner', value: 'web-team'}],
      findings: report.findings.filter((f) => f.loadBalancerName === 'web').length,
    })
  })

  it('a Region that denies access is one finding; the others are audited', async () => {
    const denied = region('x', 300, {
      describeLoadBalancerPage: async () => {
        throw sdkError(
          'AccessDenied',
          'User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers',
        )
      },
    })
    const {report} = await runAudit(
      [
        {profile: 'default', region: 'us-east-1', gateways: region('web', 300)},
        {profile: 'default', region: 'ap-south-1', gateways: denied},
      ],
      options,
    )
    const failed = report.findings.filter((f) => f.rule === RULES.regionFailed)
    expect(failed).toEqual([
      expect.objectContaining({
        region: 'ap-south-1',
        severity: 'error',
        resource: 'Region ap-south-1',
        message: expect.stringContaining('AccessDenied'),
      }),
    ])
    expect(failed[0]!.loadBalancerName).toBeUndefined()
    expect(report.regions[1]).toMatchObject({
      region: 'ap-south-1',
      failed: expect.stringContaining('AccessDenied'),
    })
    expect(report.loadBalancers.map((l) => l.name)).toEqual(['web'])
  })

  it('fails as a whole when not one Region could be read', async () => {
    const down = region('x', 300, {
      describeLoadBalancerPage: async () => {
        throw sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.')
      },
    })
    await expect(
      runAudit([{profile: 'default', region: 'us-east-1', gateways: down}], options),
    ).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    })
  })

  it('a read that fails about one load balancer is a finding of its own', async () => {
    const g = region('web', 300, {
      describeAttributes: async () => {
        throw sdkError('AccessDenied', 'not authorized to DescribeLoadBalancerAttributes')
      },
    })
    const {report} = await runAudit([{profile: 'default', region: 'us-east-1', gateways: g}], options)
    expect(report.findings.filter((f) => f.rule === RULES.readFailed)).toEqual([
      expect.objectContaining({
        loadBalancerName: 'web',
        severity: 'warning',
        fix: expect.stringContaining('DescribeLoadBalancerAttributes'),
      }),
    ])
  })
})
