import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2'
import {
  CreateLBCookieStickinessPolicyCommand,
  DescribeLoadBalancersCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'

import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {ensureServerCertificate, sdkClients, seedNetwork} from '../helpers/moto.js'

const CERT = 'arn:aws:iam::123456789012:server-certificate/listener-cert'
const writes = (r: CliResult) =>
  r.requests.map((q) => q.operation).filter((o) => !/^(Describe|List|Get)/.test(o))

let groupId: string

async function listeners(name: string) {
  const {elb} = sdkClients()
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
    return out
      .LoadBalancerDescriptions![0]!.ListenerDescriptions!.map((d) => ({
        port: d.Listener!.LoadBalancerPort!,
        protocol: d.Listener!.Protocol!,
        policies: [...(d.PolicyNames ?? [])].sort(),
      }))
      .sort((a, b) => a.port - b.port)
  } finally {
    elb.destroy()
  }
}

async function openPorts(): Promise<number[]> {
  const {ec2} = sdkClients()
  try {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}))
    return (out.SecurityGroups![0]!.IpPermissions ?? []).map((p) => p.FromPort!).sort((a, b) => a - b)
  } finally {
    ec2.destroy()
  }
}

// elbx's own create: HTTP 80 and HTTPS 443 in a VPC with the security group elbx makes; then
// stickiness on 443 beside its SSL policy, which no listener change may drop.
beforeAll(async () => {
  const net = await seedNetwork({instances: 0})
  await ensureServerCertificate(CERT)
  const created = await runCli([
    'create',
    '--name',
    'lw',
    '--https',
    '--certificate',
    CERT,
    '--subnets',
    net.subnets.map((s) => s.subnetId).join(','),
    '--json',
  ])
  expect(created.exitCode).toBe(0)
  groupId = parseJson<{securityGroups: string[]}>(created).securityGroups[0]!
  const {elb} = sdkClients()
  try {
    await elb.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: 'lw',
        PolicyName: 'sticky',
        CookieExpirationPeriod: 60,
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: 'lw',
        LoadBalancerPort: 443,
        PolicyNames: ['elbx-ssl-TLS-1-2-2017-01', 'sticky'],
      }),
    )
  } finally {
    elb.destroy()
  }
}, 120_000)

describe('elbx listener add / remove', () => {
  it('refuses bad input before any request (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['add', '--name', 'lw'], /Missing --listener/],
      [['add', '--name', 'lw', '--listener', 'https:8443:http'], /is not a listener/],
      [['add', '--name', 'lw', '--listener', 'https:8443:http:8080'], /needs a certificate/],
      [['add', '--name', 'lw', '--listener', 'tcp:5000:http:5000'], /needs a TCP or SSL instance protocol/],
      [
        ['add', '--name', 'lw', '--listener', 'tcp:5000:tcp:5000', '--certificate', CERT],
        /no HTTPS or SSL listener uses it/,
      ],
      [['remove', '--name', 'lw'], /Missing --port/],
      [['remove', '--name', 'lw', '--port', '0'], /--port/],
      [['remove', '--name', 'lw', '--port', '80', '--port', '80'], /given twice/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(['listener', ...args])
      expect({args, exit: r.exitCode}).toEqual({args, exit: 2})
      expect(r.stderr).toMatch(message)
      expect(r.requests).toEqual([])
    }
  })

  it('without --yes and no terminal: exit 2 with the plan, nothing written; --dry-run prints it as aws CLI commands', async () => {
    const args = [
      'listener',
      'add',
      '--name',
      'lw',
      '--listener',
      'https:8443:http:8080',
      '--certificate',
      CERT,
    ]
    const refused = await runCli(args)
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('Pass --yes to apply the changes')
    expect(writes(refused)).toEqual([])

    const dry = await runCli([...args, '--dry-run'])
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout).toContain(
      `aws elb create-load-balancer-listeners --load-balancer-name lw --listeners Protocol=https,LoadBalancerPort=8443,InstanceProtocol=http,InstancePort=8080,SSLCertificateId=${CERT}`,
    )
    expect(dry.stdout).toContain(
      'aws elb set-load-balancer-policies-of-listener --load-balancer-name lw --load-balancer-port 8443 --policy-names elbx-ssl-TLS-1-2-2017-01',
    )
    expect(dry.stdout).toContain(`aws ec2 authorize-security-group-ingress --group-id ${groupId}`)
    expect(writes(dry)).toEqual([])
  })

  it("adds an HTTPS listener with elbx's SSL policy, opens its port in elbx's group, leaves 443's policies alone; a rerun is unchanged", async () => {
    const r = await runCli([
      'listener',
      'add',
      '--name',
      'lw',
      '--listener',
      'https:8443:http:8080',
      '--certificate',
      CERT,
      '--yes',
      '--json',
    ])
    expect(r.exitCode).toBe(0)
    expect(parseJson(r)).toMatchObject({
      changed: true,
      changes: ['8443: added'],
      state: {securityGroup: {groupId, opened: [{fromPort: 8443, toPort: 8443}], closed: []}},
    })
    // The rule and the listener are independent (one round); the policy waits for the listener.
    const sent = writes(r)
    expect([...sent].sort()).toEqual([
      'AuthorizeSecurityGroupIngress',
      'CreateLoadBalancerListeners',
      'SetLoadBalancerPoliciesOfListener',
    ])
    expect(sent.indexOf('SetLoadBalancerPoliciesOfListener')).toBeGreaterThan(
      sent.indexOf('CreateLoadBalancerListeners'),
    )
    expect(await listeners('lw')).toEqual([
      {port: 80, protocol: 'HTTP', policies: []},
      {port: 443, protocol: 'HTTPS', policies: ['elbx-ssl-TLS-1-2-2017-01', 'sticky']},
      {port: 8443, protocol: 'HTTPS', policies: ['elbx-ssl-TLS-1-2-2017-01']},
    ])
    expect(await openPorts()).toEqual([80, 443, 8443])

    const again = await runCli([
      'listener',
      'add',
      '--name',
      'lw',
      '--listener',
      'https:8443:http:8080',
      '--certificate',
      CERT,
      '--json',
    ])
    expect(again.exitCode).toBe(0)
    expect(parseJson(again)).toMatchObject({changed: false, changes: [], actions: []})
    expect(writes(again)).toEqual([])
  })

  it('replaces a listener whose protocols change and says it interrupts traffic on that port', async () => {
    const r = await runCli([
      'listener',
      'add',
      '--name',
      'lw',
      '--listener',
      'ssl:8443:tcp:8080',
      '--certificate',
      CERT,
      '--yes',
      '--json',
    ])
    expect(r.exitCode).toBe(0)
    const doc = parseJson<{actions: {action: string; interruptsTraffic?: boolean}[]; changes: string[]}>(r)
    expect(doc.changes).toEqual(['8443: replaced (traffic interrupted)'])
    expect(doc.actions.filter((p) => p.interruptsTraffic).map((p) => p.action)).toEqual([
      'DeleteLoadBalancerListeners',
      'CreateLoadBalancerListeners',
    ])
    expect((await listeners('lw')).find((l) => l.port === 8443)).toEqual({
      port: 8443,
      protocol: 'SSL',
      policies: ['elbx-ssl-TLS-1-2-2017-01'],
    })
    expect((await listeners('lw')).find((l) => l.port === 443)!.policies).toEqual([
      'elbx-ssl-TLS-1-2-2017-01',
      'sticky',
    ])
  })

  it('removes a listener and closes its port; a rerun is unchanged; the last listener is refused', async () => {
    const r = await runCli(['listener', 'remove', '--name', 'lw', '--port', '8443', '--yes', '--json'])
    expect(r.exitCode).toBe(0)
    expect(parseJson(r)).toMatchObject({
      changes: ['8443: removed'],
      state: {securityGroup: {closed: [{fromPort: 8443}]}},
    })
    expect(writes(r)).toEqual(['DeleteLoadBalancerListeners', 'RevokeSecurityGroupIngress'])
    expect((await listeners('lw')).map((l) => l.port)).toEqual([80, 443])
    expect((await listeners('lw')).find((l) => l.port === 443)!.policies).toEqual([
      'elbx-ssl-TLS-1-2-2017-01',
      'sticky',
    ])
    expect(await openPorts()).toEqual([80, 443])

    const again = await runCli(['listener', 'remove', '--name', 'lw', '--port', '8443'])
    expect(again.exitCode).toBe(0)
    expect(writes(again)).toEqual([])

    const last = await runCli([
      'listener',
      'remove',
      '--name',
      'lw',
      '--port',
      '80',
      '--port',
      '443',
      '--yes',
    ])
    expect(last.exitCode).toBe(2)
    expect(last.stderr).toContain('Refusing to remove the last listener of "lw"')
    expect(writes(last)).toEqual([])
  })
})
