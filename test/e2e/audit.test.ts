import {
  ConfigureHealthCheckCommand,
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import {makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {seedNetwork, sdkClients} from '../helpers/moto.js'

const ACCOUNT = '123456789012'
const certArn = (name: string) => `arn:aws:iam::${ACCOUNT}:server-certificate/${name}`

interface Finding {
  region: string
  loadBalancerName?: string
  rule: string
  severity: string
  resource: string
  fix: string
}
interface Result {
  findings: Finding[]
  loadBalancers: {name: string; findings: number}[]
  fix?: {plan: unknown[]; outcomes?: {loadBalancerName: string; status: string}[]; commands?: string[]}
}

const rulesOf = (r: Result, name: string) =>
  r.findings.filter((f) => f.loadBalancerName === name).map((f) => f.rule)

beforeAll(async () => {
  const {elb, iam} = sdkClients()
  try {
    const {instanceIds} = await seedNetwork({instances: 1})
    for (const [name, days] of [
      ['valid', 365],
      ['expiring', 10],
    ] as const) {
      const pair = makeCertificate({days})
      await iam.send(
        new UploadServerCertificateCommand({
          ServerCertificateName: name,
          CertificateBody: pair.cert,
          PrivateKey: pair.key,
        }),
      )
    }
    // Nothing to find: TLS 1.2 with ECDHE-GCM only, HTTPS to the instances, checked where traffic goes, InService, console attributes, access logs.
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'clean',
        AvailabilityZones: ['us-east-1a'],
        Listeners: [
          {
            Protocol: 'HTTPS',
            LoadBalancerPort: 443,
            InstanceProtocol: 'HTTPS',
            InstancePort: 443,
            SSLCertificateId: certArn('valid'),
          },
        ],
      }),
    )
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: 'clean',
        PolicyName: 'modern',
        PolicyTypeName: 'SSLNegotiationPolicyType',
        PolicyAttributes: [
          {AttributeName: 'Protocol-TLSv1.2', AttributeValue: 'true'},
          {AttributeName: 'ECDHE-RSA-AES128-GCM-SHA256', AttributeValue: 'true'},
          {AttributeName: 'Server-Defined-Cipher-Order', AttributeValue: 'true'},
        ],
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: 'clean',
        LoadBalancerPort: 443,
        PolicyNames: ['modern'],
      }),
    )
    await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: 'clean',
        HealthCheck: {
          Target: 'TCP:443',
          Interval: 30,
          Timeout: 5,
          UnhealthyThreshold: 2,
          HealthyThreshold: 2,
        },
      }),
    )
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerName: 'clean',
        LoadBalancerAttributes: {
          CrossZoneLoadBalancing: {Enabled: true},
          ConnectionDraining: {Enabled: true, Timeout: 300},
          AccessLog: {Enabled: true, S3BucketName: 'logs', EmitInterval: 60},
        },
      }),
    )
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'clean',
        Instances: [{InstanceId: instanceIds[0]!}],
      }),
    )
    // AWS's default policy (none chosen) next to a stickiness policy, a certificate expiring in 10 days, no instances.
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'legacy',
        AvailabilityZones: ['us-east-1a'],
        Listeners: [
          {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80},
          {
            Protocol: 'HTTPS',
            LoadBalancerPort: 443,
            InstanceProtocol: 'HTTP',
            InstancePort: 80,
            SSLCertificateId: certArn('expiring'),
          },
        ],
      }),
    )
    await elb.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: 'legacy',
        PolicyName: 'sticky',
        CookieExpirationPeriod: 60,
      }),
    )
    const described = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['legacy']}))
    const onListener = described.LoadBalancerDescriptions![0]!.ListenerDescriptions!.find(
      (l) => l.Listener!.LoadBalancerPort === 443,
    )!.PolicyNames!
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: 'legacy',
        LoadBalancerPort: 443,
        PolicyNames: [...onListener, 'sticky'],
      }),
    )
    // HTTP only, checked on a port nothing listens on.
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'plain',
        AvailabilityZones: ['us-east-1a'],
        Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
      }),
    )
    await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: 'plain',
        HealthCheck: {
          Target: 'TCP:8080',
          Interval: 30,
          Timeout: 5,
          UnhealthyThreshold: 2,
          HealthyThreshold: 2,
        },
      }),
    )
  } finally {
    elb.destroy()
    iam.destroy()
  }
})

describe('elbx audit', () => {
  it('finds what each load balancer exhibits (and nothing on the clean one); exit 6 at --fail-on error', async () => {
    const run = await runCli(['audit', '--json'])
    expect(run.exitCode).toBe(6)
    const result = parseJson<Result & {error: {exitCode: number}}>(run)
    expect(result.error.exitCode).toBe(6)
    expect(rulesOf(result, 'clean')).toEqual([])
    expect(rulesOf(result, 'legacy')).toEqual(
      expect.arrayContaining([
        'tls-below-minimum',
        'aws-default-ssl-policy',
        'certificate-expiring',
        'no-instances',
        'connection-draining-disabled',
        'access-logs-disabled',
        'backend-plain-http',
      ]),
    )
    expect(rulesOf(result, 'plain')).toEqual(
      expect.arrayContaining(['http-only', 'health-check-port-unused']),
    )
    expect(result.loadBalancers.find((l) => l.name === 'clean')!.findings).toBe(0)
    // The report is read, never written: only Describe/Get requests.
    expect(run.requests.filter((r) => !/^(Describe|Get|List)/.test(r.operation))).toEqual([])
  })

  it('prints a table grouped by Region and load balancer, and CSV with one row per finding', async () => {
    const table = await runCli(['audit', '--fail-on', 'error', '--name-prefix', 'pla'])
    expect(table.exitCode).toBe(0)
    expect(table.stdout).toContain('us-east-1: 1 load balancer(s)')
    expect(table.stdout).toMatch(
      / {2}plain\n {4}WARNING connection-draining-disabled {2}load balancer plain\n/,
    )
    expect(table.stdout).toMatch(/\n {4}WARNING http-only {2}listeners 80\n/)
    expect(table.stdout).toMatch(/fix: elbx health --name plain --health-check HTTP:80\//)
    expect(table.stdout).toMatch(
      /Audited 1 load balancer\(s\) in 1 Region: 0 error\(s\), 4 warning\(s\), 1 information\./,
    )

    const csv = await runCli(['audit', '--format', 'csv', '--fail-on', 'warning', '--name-prefix', 'plain'])
    expect(csv.exitCode).toBe(6)
    const lines = csv.stdout.trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'profile,region,loadBalancerName,severity,rule,resource,loadBalancerPort,message,fix',
    )
    expect(lines.slice(1).every((l) => l.startsWith('default,us-east-1,plain,'))).toBe(true)
    expect(csv.stderr).toContain('finding(s) at or above warning')
  })

  it('--fix tls --dry-run prints the aws CLI commands and changes nothing', async () => {
    const run = await runCli(['audit', '--fix', 'tls', '--dry-run', '--name-prefix', 'legacy'])
    expect(run.stdout).toContain(
      'aws elb create-load-balancer-policy --load-balancer-name legacy --policy-name elbx-ssl-TLS-1-2-2017-01 --policy-type-name SSLNegotiationPolicyType --policy-attributes AttributeName=Reference-Security-Policy,AttributeValue=ELBSecurityPolicy-TLS-1-2-2017-01 --region us-east-1',
    )
    expect(run.stdout).toMatch(
      /aws elb set-load-balancer-policies-of-listener --load-balancer-name legacy --load-balancer-port 443 --policy-names sticky elbx-ssl-TLS-1-2-2017-01 --region us-east-1/,
    )
    expect(run.requests.filter((r) => !/^(Describe|Get|List)/.test(r.operation))).toEqual([])
  })

  it('--fix tls without --yes in a script changes nothing (exit 2)', async () => {
    const run = await runCli(['audit', '--fix', 'tls', '--name-prefix', 'legacy'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(
      'us-east-1 legacy: 2 change(s):\n  CreateLoadBalancerPolicy policy elbx-ssl-TLS-1-2-2017-01',
    )
    expect(run.stderr).toContain('  SetLoadBalancerPoliciesOfListener listener 443 of legacy: ')
    expect(run.requests.filter((r) => !/^(Describe|Get|List)/.test(r.operation))).toEqual([])
  })

  it('--fix tls --yes keeps the other listener policies, and a rerun finds nothing to change', async () => {
    const fixed = await runCli(['audit', '--fix', 'tls', '--yes', '--json', '--name-prefix', 'legacy'])
    const result = parseJson<Result>(fixed)
    expect(result.fix!.outcomes).toEqual([
      expect.objectContaining({loadBalancerName: 'legacy', status: 'changed'}),
    ])
    const {elb} = sdkClients()
    try {
      const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['legacy']}))
      expect(
        out.LoadBalancerDescriptions![0]!.ListenerDescriptions!.find(
          (l) => l.Listener!.LoadBalancerPort === 443,
        )!.PolicyNames,
      ).toEqual(['sticky', 'elbx-ssl-TLS-1-2-2017-01'])
    } finally {
      elb.destroy()
    }
    const again = await runCli(['audit', '--fix', 'tls', '--yes', '--json', '--name-prefix', 'legacy'])
    const second = parseJson<Result>(again)
    expect(rulesOf(second, 'legacy')).not.toContain('tls-below-minimum')
    expect(rulesOf(second, 'legacy')).not.toContain('aws-default-ssl-policy')
    expect(second.fix).toMatchObject({plan: []})
    expect(again.requests.filter((r) => !/^(Describe|Get|List)/.test(r.operation))).toEqual([])
  })

  it('refuses bad input before any request (exit 2)', async () => {
    for (const args of [
      ['--regions', 'moon-1'],
      ['--expiring-within', 'soon'],
      ['--fix', 'tls', '--to', 'ELBSecurityPolicy-2016-08'],
    ]) {
      const run = await runCli(['audit', ...args])
      expect({args, exitCode: run.exitCode, requests: run.requests.length}).toEqual({
        args,
        exitCode: 2,
        requests: 0,
      })
    }
  })
})
