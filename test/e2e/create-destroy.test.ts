import {
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2'
import {ListServerCertificatesCommand} from '@aws-sdk/client-iam'

import {parseJson, runCli} from '../helpers/cli.js'
import {CREATE_JSON_KEYS} from '../helpers/create-result.js'
import {makeCertificate} from '../helpers/certs.js'
import {TEST_CREDENTIALS, sdkClients, seedNetwork} from '../helpers/moto.js'
import {PtySession, plain} from '../helpers/pty.js'

const pair = makeCertificate()
const expired = makeCertificate({days: -1})
const other = makeCertificate()
const files = ['--certificate-file', pair.certFile, '--private-key-file', pair.keyFile]

describe('elbx create: bad input is exit 2 with one message and no AWS request', () => {
  it.each([
    [['--https', ...files], /Missing --name/],
    [['-n', '-bad', '--https', ...files], /Load balancer name "-bad" begins with a hyphen/],
    [['-n', 'a'.repeat(33), '--https', ...files], /has 33 characters; at most 32/],
    [['-n', 'web', ...files], /Missing --https \(or --listener\): no listener was given/],
    [['-n', 'web', '--https'], /Missing --certificate .*: listener HTTPS 443 -> HTTP 80 needs a certificate/],
    [['-n', 'web', '--listener', 'ftp:21:tcp:21'], /protocol "ftp" is not a protocol/],
    [
      ['-n', 'web', '--listener', 'http:80:tcp:80'],
      /a HTTP front end needs an HTTP or HTTPS instance protocol, not TCP/,
    ],
    [
      ['-n', 'web', '--listener', 'tcp:80:http:80'],
      /a TCP front end needs a TCP or SSL instance protocol, not HTTP/,
    ],
    [
      ['-n', 'web', '--listener', 'http:70000:http:80'],
      /load balancer port must be from 1 to 65535, got 70000/,
    ],
    [['-n', 'web', '--listener', 'http:80:http:0'], /instance port must be from 1 to 65535, got 0/],
    [['-n', 'web', '-l', 'http:80:http:80', '-l', 'tcp:80:tcp:81'], /Load balancer port 80 is used twice/],
    [
      ['-n', 'web', '-l', 'http:8080:http:443', '-l', 'https:443:https:443', ...files],
      /share instance port 443/,
    ],
    [
      [
        '-n',
        'web',
        '-l',
        'Protocol=HTTPS,LoadBalancerPort=443,InstancePort=80,SSLCertificateId=ASCACKCEVSQ6C2EXAMPLE',
      ],
      /is an IAM certificate ID, not an ARN/,
    ],
    [
      ['-n', 'web', '--https', '--certificate', 'ASCACKCEVSQ6C2EXAMPLE'],
      /"ASCACKCEVSQ6C2EXAMPLE" is an IAM certificate ID, not an ARN/,
    ],
    [['-n', 'web', '--https', '--certificate', 'my-cert'], /"my-cert" is not an ACM or IAM certificate ARN/],
    [
      ['-n', 'web', '--https', '--certificate-file', expired.certFile, '--private-key-file', expired.keyFile],
      /expired on/,
    ],
    [
      ['-n', 'web', '--https', '--certificate-file', pair.certFile, '--private-key-file', other.keyFile],
      /does not belong to the certificate/,
    ],
    [
      ['-n', 'web', '--https', '--certificate-file', pair.keyFile, '--private-key-file', pair.keyFile],
      /holds a private key, not a certificate/,
    ],
    [
      ['-n', 'web', '--https', '--certificate-file', '/nonexistent.pem', '--private-key-file', pair.keyFile],
      /no such file/,
    ],
    [['-n', 'web', '--https', '--certificate-file', pair.certFile], /--private-key-file/],
    [
      ['-n', 'web', '--https', ...files, '--chain-file', other.certFile],
      /did not issue the server certificate/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--certificate-name', 'bad name'],
      /"bad name" is not an IAM server certificate name/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--certificate', 'arn:aws:iam::123456789012:server-certificate/x'],
      /--certificate/,
    ],
    [['-n', 'web', '--listener', 'http:80:http:80', ...files], /no HTTPS or SSL listener uses it/],
    [['-n', 'web', '--https', ...files, '--subnets', 'subnet-nope'], /"subnet-nope" is not a subnet ID/],
    [
      [
        '-n',
        'web',
        '--https',
        ...files,
        '--subnets',
        'subnet-0123abcd',
        '--availability-zones',
        'us-east-1a',
      ],
      /--availability-zones/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--availability-zones', 'east'],
      /"east" is not an Availability Zone name/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--scheme', 'public'],
      /Expected --scheme=public to be one of: internet-facing, internal/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--scheme', 'internal', '--availability-zones', 'us-east-1a'],
      /--scheme internal needs the load balancer in a VPC/,
    ],
    [['-n', 'web', '--https', ...files, '--security-groups', 'sg-zz'], /"sg-zz" is not a security group ID/],
    [
      ['-n', 'web', '--https', ...files, '--ingress-cidr', '10.0.0.0/40'],
      /"10.0.0.0\/40" is not a CIDR block/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--ingress-cidr', '10.0.0.0/8', '--security-groups', 'sg-0123abcd'],
      /with --security-groups, elbx creates none/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--connection-draining', '0'],
      /--connection-draining must be from 1 to 3600, got 0/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--connection-draining', 'later'],
      /--connection-draining must be SECONDS or off/,
    ],
    [
      ['-n', 'web', '--https', ...files, '--idle-timeout', '3601'],
      /--idle-timeout must be from 1 to 3600, got 3601/,
    ],
    [['-n', 'web', '--https', ...files, '--tag', 'aws:owner=me'], /starts with "aws:", which AWS reserves/],
    [['-n', 'web', '--https', ...files, '--tag', 'a=1', '--tag', 'a=2'], /--tag key "a" is given twice/],
    [['-n', 'web', '--https', ...files, '--tag', `${'k'.repeat(128)}=v`], /at most 127 are allowed/],
    [['-n', 'web', '--https', ...files, '--tag', 'novalue'], /"novalue" is not key=value/],
    [['-n', 'web', '--backend-https', ...files], /--https/],
  ])('%j', async (args, message) => {
    const result = await runCli(['create', ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.requests).toHaveLength(0)
  })

  it('never echoes the private key, even when it is in the wrong place', async () => {
    const result = await runCli([
      'create',
      '-n',
      'web',
      '--https',
      '--certificate-file',
      pair.keyFile,
      '--private-key-file',
      pair.keyFile,
    ])
    const body = pair.key.split('\n')[3]!
    expect(result.stderr + result.stdout).not.toContain(body)
  })

  it('under --json prints one error document', async () => {
    const result = await runCli(['create', '-n', 'web', '--listener', 'ftp:21:tcp:21', '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson(result)).toEqual({
      error: expect.objectContaining({
        exitCode: 2,
        message: expect.stringMatching(/"ftp" is not a protocol/),
      }),
    })
  })
})

describe('elbx destroy in a terminal', () => {
  it('asks first; "no" is exit 5 (declined, not 130), says nothing was deleted, and deletes nothing', async () => {
    const net = await seedNetwork({instances: 0})
    const created = await runCli([
      'create',
      '-n',
      'ask-first',
      '--listener',
      'http:80:http:80',
      '--subnets',
      net.subnets.map((s) => s.subnetId).join(','),
      '--yes',
    ])
    expect(created.exitCode).toBe(0)
    const session = new PtySession(['destroy', '-n', 'ask-first'])
    try {
      await session.expect('Delete ask-first?')
      session.line('n')
      expect(await session.exitCode()).toBe(5)
      expect(plain(session.output)).toMatch(/Not confirmed: nothing was deleted\./)
    } finally {
      session.close()
    }
    const {elb} = sdkClients()
    try {
      const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['ask-first']}))
      expect(out.LoadBalancerDescriptions).toHaveLength(1)
    } finally {
      elb.destroy()
    }
    expect((await runCli(['destroy', '-n', 'ask-first', '--yes'])).exitCode).toBe(0)
  })
})

describe('elbx destroy refuses without a way to confirm', () => {
  it('exits 2 without a terminal and without --yes, before any request', async () => {
    const result = await runCli(['destroy', '-n', 'web'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/Refusing to delete web without confirmation/)
    expect(result.stderr).toMatch(/--yes/)
    expect(result.requests).toHaveLength(0)
  })

  it('exits 2 on a bad or missing name', async () => {
    for (const [args, message] of [
      [['destroy', '--yes'], /Missing --name/],
      [['destroy', '-n', 'bad_name', '--yes'], /contains "_"/],
    ] as const) {
      const result = await runCli([...args])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.requests).toHaveLength(0)
    }
  })

  it('is exit 0 with a note for a name that does not exist', async () => {
    const result = await runCli(['destroy', '-n', 'never-made', '--yes', '--json'])
    expect(result.exitCode).toBe(0)
    expect(parseJson(result)).toMatchObject({name: 'never-made', loadBalancer: 'not-found'})
    const plain = await runCli(['destroy', '-n', 'never-made', '--yes'])
    expect(plain.exitCode).toBe(0)
    expect(plain.stderr).toMatch(/Load balancer never-made does not exist in us-east-1; nothing to delete/)
  })
})

describe('elbx create and destroy against moto', () => {
  it('creates with uploaded certificate files, converges on a rerun, changes a listener in place only with --yes, and destroys', async () => {
    const net = await seedNetwork({instances: 0})
    const subnets = net.subnets.map((s) => s.subnetId).join(',')
    // The guide's listeners: HTTPS 443 -> HTTP 80 (the patched moto keeps the instance protocol, as AWS does).
    const args = ['create', '-n', 'e2e-web', '--https', ...files, '--subnets', subnets, '--tag', 'team=web']
    const first = await runCli([...args, '--json'])
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    const result = parseJson(first)
    expect(Object.keys(result).sort()).toEqual(CREATE_JSON_KEYS)
    expect(result).toMatchObject({
      name: 'e2e-web',
      scheme: 'internet-facing',
      vpcId: net.vpcId,
      subnets: net.subnets.map((s) => s.subnetId),
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      tags: [{key: 'team', value: 'web'}],
      attributes: {
        crossZoneLoadBalancing: true,
        connectionDraining: {enabled: true, timeout: 300},
        idleTimeout: 60,
      },
    })
    expect((result.createdResources as {kind: string}[]).map((r) => r.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])
    const writes = first.requests
      .filter((r) => /^(Create|Upload|Modify|Authorize|Add)/.test(r.operation))
      .map((r) => r.operation)
    // Independent requests overlap, so compare as a set; dependencies fix what must come first.
    expect([...writes].sort()).toEqual(
      [
        'UploadServerCertificate',
        'CreateSecurityGroup',
        'AuthorizeSecurityGroupIngress',
        'CreateLoadBalancer',
        // Secure by default: the latest predefined SSL policy, attached explicitly.
        'CreateLoadBalancerPolicy',
        'ModifyLoadBalancerAttributes',
      ].sort(),
    )
    expect(writes.indexOf('CreateLoadBalancer')).toBeGreaterThan(writes.indexOf('UploadServerCertificate'))
    expect(writes.indexOf('CreateLoadBalancerPolicy')).toBeGreaterThan(writes.indexOf('CreateLoadBalancer'))
    const output = first.stdout + first.stderr
    expect(output).not.toContain(pair.key.split('\n')[2]!)
    expect(output).not.toContain(TEST_CREDENTIALS.secretAccessKey)

    const {elb, ec2, iam} = sdkClients()
    try {
      const lb = (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['e2e-web']})))
        .LoadBalancerDescriptions![0]!
      expect(lb.SecurityGroups).toEqual(result.securityGroups)
      const attrs = (await elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: 'e2e-web'})))
        .LoadBalancerAttributes!
      expect(attrs.CrossZoneLoadBalancing?.Enabled).toBe(true)
      expect(attrs.ConnectionDraining).toMatchObject({Enabled: true, Timeout: 300})

      const rerun = await runCli(args)
      expect(rerun.exitCode).toBe(0)
      expect(rerun.stdout).toMatch(/already in place, nothing changed/)
      expect(rerun.stderr).toMatch(/Create load balancer and listeners: unchanged/)
      expect(rerun.requests.filter((r) => /^(Create|Upload|Modify|Authorize|Add)/.test(r.operation))).toEqual(
        [],
      )

      // Another listener 443: a change in place that interrupts its traffic, so it needs --yes.
      const differentArgs = [...args, '--backend-https']
      const refused = await runCli([...differentArgs, '--json'])
      expect(refused.exitCode).toBe(2)
      const {error} = parseJson<{
        error: {message: string; details: {plan: {action: string; interruptsTraffic?: boolean}[]}}
      }>(refused)
      expect(error.message).toMatch(
        /Refusing to change the existing load balancer e2e-web without confirmation/,
      )
      expect(error.details.plan).toEqual(
        expect.arrayContaining([
          expect.objectContaining({action: 'DeleteLoadBalancerListeners', interruptsTraffic: true}),
        ]),
      )
      expect(refused.requests.filter((r) => !/^(Describe|List|Get)/.test(r.operation))).toEqual([])
      const changed = await runCli([...differentArgs, '--yes'])
      expect(changed.exitCode).toBe(0)
      expect(changed.stderr).toMatch(/DeleteLoadBalancerListeners listener 443: .*\(INTERRUPTS TRAFFIC\)/)
      const after = (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['e2e-web']})))
        .LoadBalancerDescriptions![0]!
      expect(
        after.ListenerDescriptions!.find((d) => d.Listener!.LoadBalancerPort === 443)!.Listener,
      ).toMatchObject({InstancePort: 443, InstanceProtocol: 'HTTPS'})

      const destroyed = await runCli(['destroy', '-n', 'e2e-web', '--yes', '--delete-certificate', '--json'])
      expect(destroyed.exitCode).toBe(0)
      expect(parseJson(destroyed)).toMatchObject({
        loadBalancer: 'deleted',
        securityGroups: [{id: (result.securityGroups as string[])[0], status: 'deleted'}],
        certificates: [{status: 'deleted'}],
      })
      expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([])
      const groups = await ec2.send(
        new DescribeSecurityGroupsCommand({Filters: [{Name: 'tag:elbx:load-balancer', Values: ['e2e-web']}]}),
      )
      expect(groups.SecurityGroups).toEqual([])
      expect((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList).toEqual(
        [],
      )

      const again = await runCli(['destroy', '-n', 'e2e-web', '--yes'])
      expect(again.exitCode).toBe(0)
      expect(again.stderr).toMatch(/does not exist/)
    } finally {
      elb.destroy()
      ec2.destroy()
      iam.destroy()
    }
  })

  it('uses the default VPC when no network is given, and says that instances keep running on destroy', async () => {
    const created = await runCli([
      'create',
      '-n',
      'e2e-default',
      '--listener',
      'tcp:5000:tcp:5000',
      '--idle-timeout',
      '120',
      '--no-cross-zone',
    ])
    expect(created.exitCode).toBe(0)
    expect(created.stdout).toMatch(/^e2e-default\..*elb\.amazonaws\.com$/m)
    expect(created.stdout).toMatch(/cross-zone off, connection draining 300 s, idle timeout 120 s/)
    expect(created.stderr).toMatch(/Resolve network: default VPC vpc-/)
    const net = await seedNetwork({instances: 1})
    const {elb} = sdkClients()
    try {
      const {RegisterInstancesWithLoadBalancerCommand} =
        await import('@aws-sdk/client-elastic-load-balancing')
      await elb.send(
        new RegisterInstancesWithLoadBalancerCommand({
          LoadBalancerName: 'e2e-default',
          Instances: [{InstanceId: net.instanceIds[0]!}],
        }),
      )
    } finally {
      elb.destroy()
    }
    const destroyed = await runCli(['destroy', '-n', 'e2e-default', '--yes', '--keep-security-group'])
    expect(destroyed.exitCode).toBe(0)
    expect(destroyed.stdout).toMatch(
      new RegExp(
        `registered instances \\(${net.instanceIds[0]}\\) are not deleted: they keep running and you keep paying`,
      ),
    )
    expect(destroyed.stderr).toMatch(
      /Delete security group: .*kept \(--keep-security-group\)|keeping the security group/,
    )
    // Said once before deleting (stderr) and once, with what to do, in the result (stdout).
    expect(destroyed.stderr).toContain(`(not the registered instances: ${net.instanceIds[0]} keep running)`)
    expect(destroyed.stderr).not.toContain('you keep paying')
  })

  it('destroy --yes without --delete-certificate names the certificate it kept and the command that deletes it', async () => {
    const created = await runCli(['create', '-n', 'e2e-keep', '--https', ...files])
    expect(created.exitCode).toBe(0)
    const destroyed = await runCli(['destroy', '-n', 'e2e-keep', '--yes', '--json'])
    expect(destroyed.exitCode).toBe(0)
    const {certificates} = parseJson<{
      certificates: {name: string; status: string; deleteCommand?: string}[]
    }>(destroyed)
    expect(certificates).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/^elbx-e2e-keep-/),
        status: 'kept',
        deleteCommand: `aws iam delete-server-certificate --server-certificate-name ${certificates[0]!.name}`,
      }),
    ])
    const {iam} = sdkClients()
    try {
      const names = async () =>
        ((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []).map(
          (c) => c.ServerCertificateName,
        )
      expect(await names()).toContain(certificates[0]!.name)

      // The plain result says the same on stdout, not only in the task list on stderr.
      const again = await runCli(['create', '-n', 'e2e-keep', '--https', ...files])
      expect(again.exitCode).toBe(0)
      const plain = await runCli(['destroy', '-n', 'e2e-keep', '--yes'])
      expect(plain.exitCode).toBe(0)
      expect(plain.stdout).toContain(`Kept server certificate ${certificates[0]!.name} (arn:aws:iam::`)
      expect(plain.stdout).toContain(`Delete it with \`${certificates[0]!.deleteCommand}\``)
      expect(await names()).toContain(certificates[0]!.name)
    } finally {
      iam.destroy()
    }
  })
})
