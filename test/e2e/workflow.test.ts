/**
 * `elbx create` as the seed's whole workflow, run as a user would (the built binary, no TTY) against
 * moto, and checked with the raw SDK: listeners, the SSL negotiation policy on 443, back-end
 * authentication on instance port 443, the health check, instances, tags and attributes. Then a
 * rerun that changes nothing, rollback, and --dry-run against the seed's own CLI commands.
 */
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing'
import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2'
import {ListServerCertificatesCommand, UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import {readFileSync} from 'node:fs'

import type {RequestRecord} from '../../src/aws/request-log.js'
import {type CliResult, parseJson, runCli} from '../helpers/cli.js'
import {CREATE_JSON_KEYS, WORKFLOW_WRITES} from '../helpers/create-result.js'
import {makeCertificate, opensslPublicKeyAttribute} from '../helpers/certs.js'
import {startFaultProxy} from '../helpers/fault-proxy.js'
import {motoEndpoint, sdkClients, seedNetwork, type SeededNetwork} from '../helpers/moto.js'

const TLS12 = 'ELBSecurityPolicy-TLS-1-2-2017-01'
const pair = makeCertificate()

const READ = /^(Describe|List|Get)/
const writesOf = (requests: RequestRecord[]) =>
  requests.map((r) => r.operation).filter((op) => !READ.test(op))

/** The seed's workflow in one command (CLI steps 1 to 6 and the console's tag and attribute steps). */
const workflowArgs = (name: string, net: SeededNetwork, instances = net.instanceIds) => [
  'create',
  '--name',
  name,
  '--https',
  // HTTPS to the instances: back-end authentication (--backend-auth-cert) needs a secure instance protocol.
  '--backend-https',
  '--certificate-file',
  pair.certFile,
  '--private-key-file',
  pair.keyFile,
  '--ssl-policy',
  TLS12,
  '--backend-auth-cert',
  pair.certFile,
  '--health-check',
  'HTTP:80/ping',
  '--health-interval',
  '10',
  '--health-timeout',
  '3',
  '--instances',
  instances.join(','),
  '--subnets',
  net.subnets.map((s) => s.subnetId).join(','),
  '--tag',
  'team=web',
  '--wait',
  'any',
]

async function describe1(name: string): Promise<LoadBalancerDescription | undefined> {
  const {elb} = sdkClients()
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
    return out.LoadBalancerDescriptions?.[0]
  } catch (error) {
    if ((error as Error).name === 'AccessPointNotFoundException') return undefined
    throw error
  } finally {
    elb.destroy()
  }
}

/** What a run could leave behind in moto for a load balancer name. */
async function leftovers(name: string) {
  const {ec2, iam} = sdkClients()
  try {
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({Filters: [{Name: 'tag:elbx:load-balancer', Values: [name]}]}),
    )
    const certificates = (await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList
    return {
      loadBalancer: (await describe1(name)) !== undefined,
      securityGroups: (groups.SecurityGroups ?? []).map((g) => g.GroupId),
      certificates: (certificates ?? [])
        .map((c) => c.ServerCertificateName!)
        .filter((n) => n.startsWith(`elbx-${name}-`)),
    }
  } finally {
    ec2.destroy()
    iam.destroy()
  }
}

const NOTHING = {loadBalancer: false, securityGroups: [], certificates: []}

describe('elbx create: the seed workflow in one command against moto', () => {
  const name = 'wf-seed'
  let net: SeededNetwork
  let first: CliResult

  beforeAll(async () => {
    net = await seedNetwork({instances: 2})
  })

  it('runs every step, and describe requests show each one in place', async () => {
    first = await runCli([...workflowArgs(name, net), '--json'])
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    const result = parseJson(first)

    // The --json document: create's result plus what the later steps did.
    expect(Object.keys(result).sort()).toEqual(CREATE_JSON_KEYS)
    const certificateName = (result.createdResources as {kind: string; id: string}[]).find(
      (r) => r.kind === 'server-certificate',
    )!.id
    const certificateArn = `arn:aws:iam::123456789012:server-certificate/${certificateName}`
    expect(result).toMatchObject({
      name,
      vpcId: net.vpcId,
      subnets: net.subnets.map((s) => s.subnetId),
      listeners: [
        {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
        {
          protocol: 'HTTPS',
          loadBalancerPort: 443,
          instanceProtocol: 'HTTPS',
          instancePort: 443,
          sslCertificateId: certificateArn,
        },
      ],
      sslPolicies: [
        {
          loadBalancerPort: 443,
          policyName: expect.any(String),
          status: 'created',
          reference: TLS12,
          default: false,
        },
      ],
      backendAuthentication: [
        {
          instancePort: 443,
          policyName: expect.any(String),
          publicKeyPolicies: [expect.any(String)],
          status: 'created',
        },
      ],
      healthCheck: {target: 'HTTP:80/ping', interval: 10, timeout: 3},
      registered: net.instanceIds,
      instances: net.instanceIds.map((instanceId) => ({instanceId, state: 'InService'})),
      tags: [{key: 'team', value: 'web'}],
      attributes: {crossZoneLoadBalancing: true, connectionDraining: {enabled: true, timeout: 300}},
      warnings: [],
    })
    expect((result.createdResources as {kind: string}[]).map((r) => r.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])
    const [ssl] = result.sslPolicies as {policyName: string}[]
    const [auth] = result.backendAuthentication as {policyName: string; publicKeyPolicies: string[]}[]

    // The seed's writes, each once; independent ones overlap, so only dependencies fix the order.
    const writes = writesOf(first.requests)
    expect([...writes].sort()).toEqual([...WORKFLOW_WRITES].sort())
    const before = (a: string, b: string) => expect(writes.indexOf(a)).toBeLessThan(writes.lastIndexOf(b))
    before('UploadServerCertificate', 'CreateLoadBalancer')
    before('CreateSecurityGroup', 'CreateLoadBalancer')
    before('CreateLoadBalancer', 'SetLoadBalancerPoliciesOfListener')
    before('CreateLoadBalancerPolicy', 'SetLoadBalancerPoliciesForBackendServer')
    // Tags go with CreateLoadBalancer; each step reuses what the previous ones learnt, so no read
    // is made twice (the InService wait polls DescribeInstanceHealth by design).
    const reads = first.requests
      .map((r) => r.operation)
      .filter((op) => READ.test(op) && op !== 'DescribeInstanceHealth')
    expect(reads.filter((op, i) => reads.indexOf(op) !== i)).toEqual([])

    const {elb} = sdkClients()
    try {
      const lb = (await describe1(name))!
      const listeners = lb.ListenerDescriptions!.map((d) => d.Listener!)
      expect(listeners).toEqual(
        expect.arrayContaining([
          expect.objectContaining({Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}),
          expect.objectContaining({
            Protocol: 'HTTPS',
            LoadBalancerPort: 443,
            InstanceProtocol: 'HTTPS',
            InstancePort: 443,
            SSLCertificateId: certificateArn,
          }),
        ]),
      )
      expect(listeners).toHaveLength(2)

      // SSL negotiation policy on listener 443, referencing the predefined policy.
      const on443 = lb.ListenerDescriptions!.find((d) => d.Listener!.LoadBalancerPort === 443)!
      expect(on443.PolicyNames).toEqual([ssl!.policyName])
      const policies = async (names: string[]) =>
        (
          await elb.send(
            new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: name, PolicyNames: names}),
          )
        ).PolicyDescriptions!
      const [sslPolicy] = await policies([ssl!.policyName])
      expect(sslPolicy!.PolicyTypeName).toBe('SSLNegotiationPolicyType')
      expect(sslPolicy!.PolicyAttributeDescriptions).toContainEqual({
        AttributeName: 'Reference-Security-Policy',
        AttributeValue: TLS12,
      })

      // Back-end authentication on instance port 443 with the certificate's public key.
      expect(lb.BackendServerDescriptions).toEqual([{InstancePort: 443, PolicyNames: [auth!.policyName]}])
      const [authPolicy] = await policies([auth!.policyName])
      expect(authPolicy!.PolicyTypeName).toBe('BackendServerAuthenticationPolicyType')
      expect(authPolicy!.PolicyAttributeDescriptions).toEqual([
        {AttributeName: 'PublicKeyPolicyName', AttributeValue: auth!.publicKeyPolicies[0]},
      ])
      const [keyPolicy] = await policies(auth!.publicKeyPolicies)
      expect(keyPolicy!.PolicyTypeName).toBe('PublicKeyPolicyType')
      expect(keyPolicy!.PolicyAttributeDescriptions).toEqual([
        {AttributeName: 'PublicKey', AttributeValue: opensslPublicKeyAttribute(pair.certFile)},
      ])

      expect(lb.HealthCheck).toMatchObject({Target: 'HTTP:80/ping', Interval: 10, Timeout: 3})
      expect(lb.Instances!.map((i) => i.InstanceId).sort()).toEqual([...net.instanceIds].sort())
      expect(lb.Subnets!.sort()).toEqual(net.subnets.map((s) => s.subnetId).sort())
      expect(lb.SecurityGroups).toEqual(result.securityGroups)

      const tags = (await elb.send(new DescribeTagsCommand({LoadBalancerNames: [name]}))).TagDescriptions![0]!
      expect(tags.Tags).toContainEqual({Key: 'team', Value: 'web'})
      const attributes = (await elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: name})))
        .LoadBalancerAttributes!
      expect(attributes.CrossZoneLoadBalancing?.Enabled).toBe(true)
      expect(attributes.ConnectionDraining).toMatchObject({Enabled: true, Timeout: 300})
    } finally {
      elb.destroy()
    }
  })

  it('a rerun of the same command changes nothing and reports every step unchanged', async () => {
    expect(first?.exitCode).toBe(0)
    const rerun = await runCli(workflowArgs(name, net))
    expect(rerun.exitCode).toBe(0)
    // Not one write: no Create*, Set*, Register, Upload, Authorize, Modify, Add, Configure, Delete.
    expect(writesOf(rerun.requests)).toEqual([])
    expect(rerun.stdout).toMatch(/already in place, nothing changed/)
    const done = rerun.stderr.split('\n').filter((l) => /^✔ /.test(l))
    const outcome = (title: string) => done.find((l) => l.startsWith(`✔ ${title}:`))
    expect(outcome('Upload certificate to IAM')).toMatch(/unchanged/)
    expect(outcome('Security group')).toMatch(/unchanged/)
    expect(outcome('Create load balancer and listeners')).toMatch(/unchanged/)
    expect(outcome('SSL negotiation policy')).toMatch(/443: elbx-[\w-]+ unchanged/)
    expect(outcome('Back-end instance authentication')).toMatch(/port 443: elbx-[\w-]+ unchanged/)
    expect(outcome('Health check')).toMatch(/^✔ Health check: unchanged/)
    expect(outcome('Attributes (cross-zone, connection draining, idle timeout)')).toMatch(/unchanged/)
    expect(outcome('Tags')).toMatch(/unchanged/)
    expect(outcome('Register instances')).toMatch(/unchanged \(already registered\)/)
    expect(outcome('Wait for InService')).toMatch(/2 of 2 InService/)
  })
})

describe('elbx create: a failure after CreateLoadBalancer rolls back what the run created', () => {
  let net: SeededNetwork
  let elsewhere: string

  beforeAll(async () => {
    net = await seedNetwork({instances: 1})
    // An instance in another VPC: the register step's check refuses it, after the load balancer exists.
    elsewhere = (await seedNetwork({instances: 1})).instanceIds[0]!
  })

  it('an instance in another VPC is refused before the first write: nothing uploaded, created or opened', async () => {
    const name = 'wf-rollback'
    const result = await runCli(workflowArgs(name, net, [net.instanceIds[0]!, elsewhere]))
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/✖ Resolve network \[FAILED: Cannot register an instance with wf-rollback/)
    expect(result.stderr).toMatch(new RegExp(`${elsewhere} is in vpc-\\w+, not in the load balancer's VPC`))
    expect(writesOf(result.requests)).toEqual([])
    expect(await leftovers(name)).toEqual(NOTHING)
  })

  it('an instance that is not in the account is refused before the first write (no upload, no group)', async () => {
    const name = 'wf-no-instance'
    const result = await runCli([...workflowArgs(name, net, ['i-0123456789abcdef0']), '--json'])
    expect(result.exitCode).toBe(1)
    expect(parseJson<{error: {message: string}}>(result).error.message).toMatch(
      /i-0123456789abcdef0 does not exist in us-east-1/,
    )
    expect(writesOf(result.requests)).toEqual([])
    expect(await leftovers(name)).toEqual(NOTHING)
  })

  it('a failed AWS request on a later step (RegisterInstancesWithLoadBalancer) rolls back too', async () => {
    const name = 'wf-fault'
    const proxy = await startFaultProxy(motoEndpoint())
    try {
      proxy.inject({operation: 'RegisterInstancesWithLoadBalancer', fault: 'error-503'})
      const result = await runCli([...workflowArgs(name, net, [net.instanceIds[0]!]), '--json'], {
        env: {AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '1'},
      })
      expect(result.exitCode).toBe(1)
      const {error} = parseJson<{
        error: {step: string; message: string; details: {rollback: {removed: {kind: string}[]}}}
      }>(result)
      expect(error.step).toBe('Register instances')
      expect(error.message).toMatch(/^Register instances failed: ServiceUnavailable/)
      expect(error.details.rollback.removed.map((r) => r.kind)).toEqual([
        'load-balancer',
        'security-group',
        'server-certificate',
      ])
    } finally {
      await proxy.close()
    }
    expect(await leftovers(name)).toEqual(NOTHING)
  })

  it('with --no-rollback keeps it all and prints the aws commands that remove it, in an order that works', async () => {
    const name = 'wf-keep'
    const proxy = await startFaultProxy(motoEndpoint())
    proxy.inject({operation: 'RegisterInstancesWithLoadBalancer', fault: 'error-503'})
    const result = await runCli([...workflowArgs(name, net, [net.instanceIds[0]!]), '--no-rollback'], {
      env: {AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '1'},
    }).finally(() => proxy.close())
    expect(result.exitCode).toBe(1)
    const kept = await leftovers(name)
    expect(kept.loadBalancer).toBe(true)
    expect(kept.securityGroups).toHaveLength(1)
    expect(kept.certificates).toHaveLength(1)
    const commands = result.stderr.split('\n').filter((l) => /^ {2}aws /.test(l))
    expect(result.stderr).toMatch(/Kept \(--no-rollback\) what this run created; delete it with:/)
    // The load balancer first: the group and the certificate cannot go while it uses them.
    expect(commands).toEqual([
      `  aws elb delete-load-balancer --load-balancer-name ${name} --region us-east-1`,
      `  aws ec2 delete-security-group --group-id ${kept.securityGroups[0]} --region us-east-1`,
      `  aws iam delete-server-certificate --server-certificate-name ${kept.certificates[0]} --region us-east-1`,
    ])
    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'])
    expect(destroyed.exitCode).toBe(0)
    expect(await leftovers(name)).toEqual(NOTHING)
  })
})

describe('elbx create: bad workflow input is exit 2 with no AWS request', () => {
  const files = ['--certificate-file', pair.certFile, '--private-key-file', pair.keyFile]
  it.each([
    [['--listener', 'http:80:http:80', '--ssl-policy', TLS12], /needs an HTTPS or SSL listener/],
    [['--https', ...files, '--backend-auth-cert', pair.certFile], /--backend-auth-cert needs a listener/],
    [['--https', ...files, '--wait', 'any'], /--wait any needs instances to wait for/],
    [['--https', ...files, '--connect-to', 'a.example.com:443:127.0.0.1:8443'], /apply to --verify/],
    [['--https', ...files, '--health-interval', '301'], /--health-interval must be from 5 to 300, got 301/],
    [
      ['--https', ...files, '--health-interval', '5', '--health-timeout', '5'],
      /--health-timeout 5 is not less than --health-interval 5/,
    ],
  ])('%j', async (args, message) => {
    const result = await runCli(['create', '-n', 'wf-bad', ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.requests).toHaveLength(0)
  })
})

/**
 * The seed's CLI steps 1 to 5, as the guide prints them (line breaks joined; the guide's unbalanced
 * quote after SSLCertificateId= closed). Placeholders are replaced below with this run's values.
 */
const SEED_COMMANDS = [
  'aws elb create-load-balancer --load-balancer-name my-load-balancer --listeners "Protocol=http,LoadBalancerPort=80,InstanceProtocol=http,InstancePort=80" "Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80,SSLCertificateId=ARN" --availability-zones us-west-2a',
  'aws elb create-load-balancer-policy --load-balancer-name my-loadbalancer --policy-name my-SSLNegotiation-policy --policy-type-name SSLNegotiationPolicyType --policy-attributes AttributeName=Reference-Security-Policy,AttributeValue=predefined-policy',
  'aws elb set-load-balancer-policies-of-listener --load-balancer-name my-loadbalancer --load-balancer-port 443 --policy-names my-SSLNegotiation-policy',
  'aws elb create-load-balancer-policy --load-balancer-name my-loadbalancer --policy-name my-PublicKey-policy --policy-type-name PublicKeyPolicyType --policy-attributes AttributeName=PublicKey,AttributeValue=MIICiTCCAfICCQD6m7oRw0uXOjANBgkqhkiG9w0BAQUFADCBiDELMAkGA1UEBhMCVVMxCzAJBgNVBAgTAldBMRAwDgYDVQQHEwdTZ',
  'aws elb create-load-balancer-policy --load-balancer-name my-loadbalancer --policy-name my-authentication-policy --policy-type-name BackendServerAuthenticationPolicyType --policy-attributes AttributeName=PublicKeyPolicyName,AttributeValue=my-PublicKey-policy',
  'aws elb set-load-balancer-policies-for-backend-server --load-balancer-name my-loadbalancer --instance-port 443 --policy-names my-authentication-policy',
  'aws elb configure-health-check --load-balancer-name my-loadbalancer --health-check Target=HTTP:80/ping,Interval=30,UnhealthyThreshold=2,HealthyThreshold=2,Timeout=3',
  'aws elb register-instances-with-load-balancer --load-balancer-name my-loadbalancer --instances i-4f8cf126 i-0bb7ca62',
]

/** Splits a command line as a POSIX shell does for plain words, '...' and "..." (enough for aws commands). */
function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1)
      if (end === -1) throw new Error(`unbalanced ${c} in ${line}`)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else word = (word ?? '') + c
  }
  if (word !== undefined) words.push(word)
  return words
}

interface AwsCommand {
  command: string
  options: Record<string, string[]>
}

/** `aws elb OP --opt v1 v2 ...` -> {command: 'elb OP', options}; shorthand members sorted so order does not matter. */
function parseAwsCommand(line: string): AwsCommand {
  const [aws, service, operation, ...rest] = shellWords(line)
  expect(aws).toBe('aws')
  const options: Record<string, string[]> = {}
  let current: string[] | undefined
  for (const word of rest) {
    if (word.startsWith('--')) options[word.slice(2)] = current = []
    else current!.push(/^\w+=/.test(word) ? word.split(',').sort().join(',') : word)
  }
  return {command: `${service} ${operation}`, options}
}

describe('elbx create --dry-run: the plan is the seed CLI steps, and nothing changes', () => {
  let net: SeededNetwork
  beforeAll(async () => {
    net = await seedNetwork({instances: 2})
    // The guide's certificate, in IAM already: the dry run checks what --certificate names.
    const {iam} = sdkClients()
    await iam
      .send(
        new UploadServerCertificateCommand({
          ServerCertificateName: 'my-server-certificate',
          CertificateBody: readFileSync(pair.certFile, 'utf8'),
          PrivateKey: readFileSync(pair.keyFile, 'utf8'),
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'EntityAlreadyExistsException') throw error
      })
  })

  const certificateArn = 'arn:aws:iam::123456789012:server-certificate/my-server-certificate'
  const seedExample = () => [
    'create',
    '--name',
    'my-loadbalancer',
    '--https',
    // The guide's CLI example sends 443 to HTTP 80 yet sets back-end authentication on 443; its
    // console steps say to use HTTPS 443 for that, which --backend-https does.
    '--backend-https',
    '--certificate',
    certificateArn,
    '--availability-zones',
    'us-east-1a',
    '--ssl-policy',
    'ELBSecurityPolicy-2016-08',
    '--backend-auth-cert',
    pair.certFile,
    '--health-check',
    'HTTP:80/ping',
    '--health-interval',
    '30',
    '--unhealthy-threshold',
    '2',
    '--healthy-threshold',
    '2',
    '--health-timeout',
    '3',
    '--instances',
    net.instanceIds.join(','),
    '--dry-run',
  ]

  it("prints the seed's commands in the seed's order with the same parameters", async () => {
    const result = await runCli(seedExample())
    expect(result.exitCode).toBe(0)
    // Only reads reached AWS, and nothing exists afterwards.
    expect(result.requests.length).toBeGreaterThan(0)
    expect(writesOf(result.requests)).toEqual([])
    expect(await describe1('my-loadbalancer')).toBeUndefined()

    const lines = result.stdout.split('\n').filter((l) => l.startsWith('aws '))
    // Each command runs as printed against the same region.
    for (const line of lines) expect(line).toMatch(/ --region us-east-1$/)
    const planned = lines.map(parseAwsCommand).map(({command, options}) => {
      const {region: _region, ...rest} = options
      return {command, options: rest}
    })

    // elbx names the policies after their content; map the guide's names to them by policy type.
    const ourPolicyName = (type: string) =>
      planned.find(
        (c) => c.command === 'elb create-load-balancer-policy' && c.options['policy-type-name']![0] === type,
      )?.options['policy-name']![0] ?? `(no ${type} policy planned)`
    const substitutions: [RegExp, string][] = [
      [/^my-load-balancer$/, 'my-loadbalancer'],
      [
        /InstanceProtocol=http,InstancePort=80(,SSLCertificateId=ARN)/,
        'InstanceProtocol=https,InstancePort=443$1',
      ],
      [/SSLCertificateId=ARN/, `SSLCertificateId=${certificateArn}`],
      [/^us-west-2a$/, 'us-east-1a'],
      [/AttributeValue=predefined-policy/, 'AttributeValue=ELBSecurityPolicy-2016-08'],
      [/AttributeValue=MIIC\w+/, `AttributeValue=${opensslPublicKeyAttribute(pair.certFile)}`],
      [/my-SSLNegotiation-policy/, ourPolicyName('SSLNegotiationPolicyType')],
      [/my-PublicKey-policy/, ourPolicyName('PublicKeyPolicyType')],
      [/my-authentication-policy/, ourPolicyName('BackendServerAuthenticationPolicyType')],
      [/^i-4f8cf126$/, net.instanceIds[0]!],
      [/^i-0bb7ca62$/, net.instanceIds[1]!],
    ]
    const substitute = (word: string) => substitutions.reduce((w, [from, to]) => w.replace(from, to), word)
    const expected = SEED_COMMANDS.map((line) => {
      // Substitute on the raw words, then parse again so shorthand sorting sees the final text.
      const [aws, service, operation, ...rest] = shellWords(line)
      return parseAwsCommand(
        [aws, service, operation, ...rest.map(substitute)].map((w) => `'${w}'`).join(' '),
      )
    })

    // The seed's commands, in order, with other commands (attributes) allowed between them.
    let from = 0
    for (const want of expected) {
      const at = planned.findIndex((c, i) => i >= from && c.command === want.command)
      expect({at, command: want.command}).toEqual({at: expect.any(Number), command: want.command})
      expect(at).toBeGreaterThanOrEqual(from)
      expect(planned[at]).toEqual(want)
      from = at + 1
    }
    expect(planned.map((c) => c.command).filter((c) => !expected.some((e) => e.command === c))).toEqual([
      'elb modify-load-balancer-attributes',
    ])
  })

  it('--json prints the plan as {service, operation, parameters}, file:// for the key, no key anywhere', async () => {
    const files = ['--certificate-file', pair.certFile, '--private-key-file', pair.keyFile]
    const args = seedExample().filter((a) => a !== '--certificate' && a !== certificateArn)
    const result = await runCli([...args, ...files, '--json'])
    expect(result.exitCode).toBe(0)
    expect(writesOf(result.requests)).toEqual([])
    const doc = parseJson<{
      dryRun: boolean
      plan: {service: string; operation: string; parameters: object}[]
    }>(result)
    expect(Object.keys(doc).sort()).toEqual(['dryRun', 'plan'])
    expect(doc.dryRun).toBe(true)
    // Each request with the plan's action it carries out: what, on what, and why.
    for (const step of doc.plan)
      expect(Object.keys(step).sort()).toEqual([
        'action',
        'operation',
        'parameters',
        'service',
        'target',
        'why',
      ])
    expect(doc.plan.map((p) => `${p.service} ${p.operation}`)).toEqual([
      'iam UploadServerCertificate',
      'elb CreateLoadBalancer',
      'elb CreateLoadBalancerPolicy',
      'elb SetLoadBalancerPoliciesOfListener',
      'elb CreateLoadBalancerPolicy',
      'elb CreateLoadBalancerPolicy',
      'elb SetLoadBalancerPoliciesForBackendServer',
      'elb ConfigureHealthCheck',
      'elb ModifyLoadBalancerAttributes',
      'elb RegisterInstancesWithLoadBalancer',
    ])
    expect(doc.plan[0]!.parameters).toMatchObject({
      CertificateBody: `file://${pair.certFile}`,
      PrivateKey: `file://${pair.keyFile}`,
    })
    const everything = result.stdout + result.stderr
    for (const line of pair.key.split('\n').filter((l) => l && !l.startsWith('-----')))
      expect(everything).not.toContain(line)
    expect(everything).not.toMatch(/PRIVATE KEY-----/)
    const {iam} = sdkClients()
    try {
      // Earlier tests in this file leave their own certificates; none of this plan's may exist.
      const certificates = (await iam.send(new ListServerCertificatesCommand({})))
        .ServerCertificateMetadataList
      const planned = (certificates ?? []).filter((c) =>
        c.ServerCertificateName!.startsWith('elbx-my-loadbalancer-'),
      )
      expect(planned).toEqual([])
    } finally {
      iam.destroy()
    }
  })
})
