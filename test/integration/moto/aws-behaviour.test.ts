/**
 * moto as patched (scripts/moto/elbx_patches.py) behaves as AWS documents: one describe per
 * patch, over real HTTP with the SDK, each naming the divergence it guards.
 */
import {
  AddTagsCommand,
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  CreateLoadBalancerPolicyCommand,
  DeleteLoadBalancerListenersCommand,
  DeleteLoadBalancerPolicyCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancerPolicyTypesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
  type ElasticLoadBalancingClient,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing'
import {ACMClient, ImportCertificateCommand} from '@aws-sdk/client-acm'
import {ListServerCertificatesCommand, UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import {awsErrorCode} from '../../../src/aws/errors.js'
import {
  AWS_DEFAULT_SSL_POLICY,
  PREDEFINED_SSL_POLICIES,
  RECOMMENDED_SSL_POLICY,
} from '../../../src/policy/predefined-ssl-policies.js'
import {
  REFERENCE_SECURITY_POLICY,
  SSL_NEGOTIATION_ATTRIBUTES,
  SSL_NEGOTIATION_POLICY_TYPE,
  readSslNegotiation,
} from '../../../src/policy/ssl-attributes.js'
import {makeCertificate} from '../../helpers/certs.js'
import {
  TEST_CREDENTIALS,
  TEST_REGION,
  motoEndpoint,
  motoOptions,
  sdkClients,
  seedNetwork,
} from '../../helpers/moto.js'

const pair = makeCertificate()
const clients = sdkClients()
const elb: ElasticLoadBalancingClient = clients.elb
afterAll(() => {
  for (const c of Object.values(clients)) c.destroy()
})

let uploads = 0
/** A server certificate uploaded to moto's IAM; its ARN. */
async function iamCertificate(): Promise<string> {
  const out = await clients.iam.send(
    new UploadServerCertificateCommand({
      ServerCertificateName: `aws-behaviour-${++uploads}`,
      CertificateBody: pair.cert,
      PrivateKey: pair.key,
    }),
  )
  return out.ServerCertificateMetadata!.Arn!
}

/** The AWS error code a request fails with (undefined when it succeeds). */
async function failure(request: Promise<unknown>): Promise<string | undefined> {
  try {
    await request
    return undefined
  } catch (error) {
    return awsErrorCode(error) ?? String(error)
  }
}

const HTTP_80: Listener = {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}
const https443 = (SSLCertificateId: string): Listener => ({
  Protocol: 'HTTPS',
  LoadBalancerPort: 443,
  InstanceProtocol: 'HTTP',
  InstancePort: 80,
  SSLCertificateId,
})

/** Adds SSL 8443 -> TCP 80 with CreateLoadBalancerListeners. */
const addSsl8443 = (name: string, SSLCertificateId: string) =>
  elb.send(
    new CreateLoadBalancerListenersCommand({
      LoadBalancerName: name,
      Listeners: [
        {
          Protocol: 'SSL',
          LoadBalancerPort: 8443,
          InstanceProtocol: 'TCP',
          InstancePort: 80,
          SSLCertificateId,
        },
      ],
    }),
  )

const create = (name: string, Listeners: Listener[], extra: Record<string, unknown> = {}) =>
  elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: name,
      AvailabilityZones: ['us-east-1a'],
      Listeners,
      ...extra,
    }),
  )

const describe1 = async (name: string) =>
  (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]})))
    .LoadBalancerDescriptions![0]!

describe('listener-instance-protocol: a listener keeps the InstanceProtocol it was created with (API_Listener)', () => {
  it('reads back HTTPS 443 -> HTTP 80 and SSL 8443 -> TCP 80, from CreateLoadBalancer and CreateLoadBalancerListeners', async () => {
    const arn = await iamCertificate()
    await create('ip-web', [https443(arn)])
    await addSsl8443('ip-web', arn)
    const listeners = (await describe1('ip-web')).ListenerDescriptions!.map((d) => d.Listener!)
    expect(
      listeners.map((l) => `${l.Protocol} ${l.LoadBalancerPort} -> ${l.InstanceProtocol} ${l.InstancePort}`),
    ).toEqual(['HTTPS 443 -> HTTP 80', 'SSL 8443 -> TCP 80'])
  })

  it('refuses the same port again with another instance protocol (DuplicateListener)', async () => {
    const arn = await iamCertificate()
    await create('ip-dup', [https443(arn)])
    const again = (InstanceProtocol: string) =>
      failure(
        elb.send(
          new CreateLoadBalancerListenersCommand({
            LoadBalancerName: 'ip-dup',
            Listeners: [{...https443(arn), InstanceProtocol}],
          }),
        ),
      )
    expect(await again('HTTP')).toBeUndefined()
    expect(await again('HTTPS')).toBe('DuplicateListener')
  })
})

describe('default-ssl-policy: a new HTTPS/SSL listener without policies gets ELBSecurityPolicy-2016-08 (ssl-config-update)', () => {
  it('lists it on the listener and as a load balancer policy that references the predefined one', async () => {
    const arn = await iamCertificate()
    await create('dp-web', [HTTP_80, https443(arn)])
    await addSsl8443('dp-web', arn)
    const lb = await describe1('dp-web')
    expect(lb.ListenerDescriptions!.map((d) => [d.Listener!.LoadBalancerPort, d.PolicyNames])).toEqual([
      [80, []],
      [443, [AWS_DEFAULT_SSL_POLICY]],
      [8443, [AWS_DEFAULT_SSL_POLICY]],
    ])
    expect(lb.Policies!.OtherPolicies).toEqual([AWS_DEFAULT_SSL_POLICY])
    const [policy] = (
      await elb.send(
        new DescribeLoadBalancerPoliciesCommand({
          LoadBalancerName: 'dp-web',
          PolicyNames: [AWS_DEFAULT_SSL_POLICY],
        }),
      )
    ).PolicyDescriptions!
    expect(policy!.PolicyTypeName).toBe(SSL_NEGOTIATION_POLICY_TYPE)
    const read = readSslNegotiation(
      policy!.PolicyAttributeDescriptions!.map((a) => ({name: a.AttributeName!, value: a.AttributeValue!})),
    )
    const table = PREDEFINED_SSL_POLICIES.find((p) => p.name === AWS_DEFAULT_SSL_POLICY)!
    expect(read).toEqual({
      referencePolicy: AWS_DEFAULT_SSL_POLICY,
      protocols: table.protocols,
      ciphers: table.ciphers,
      serverOrder: true,
      expanded: true,
    })
  })
})

describe('predefined-policies: the predefined policies and SSLNegotiationPolicyType, from the table in src/policy', () => {
  it('DescribeLoadBalancerPolicies without a load balancer name lists the documented predefined policies, expanded', async () => {
    const policies = (await elb.send(new DescribeLoadBalancerPoliciesCommand({}))).PolicyDescriptions!
    const documented = PREDEFINED_SSL_POLICIES.filter((p) => p.protocols)
    expect(policies.map((p) => p.PolicyName)).toEqual(documented.map((p) => p.name))
    for (const p of policies) {
      const entry = documented.find((d) => d.name === p.PolicyName)!
      expect(p.PolicyAttributeDescriptions).toHaveLength(SSL_NEGOTIATION_ATTRIBUTES.length - 1)
      const read = readSslNegotiation(
        p.PolicyAttributeDescriptions!.map((a) => ({name: a.AttributeName!, value: a.AttributeValue!})),
      )
      expect([read.protocols, read.ciphers]).toEqual([entry.protocols, entry.ciphers])
    }
    const named = await elb.send(
      new DescribeLoadBalancerPoliciesCommand({PolicyNames: [RECOMMENDED_SSL_POLICY]}),
    )
    expect(named.PolicyDescriptions!.map((p) => p.PolicyName)).toEqual([RECOMMENDED_SSL_POLICY])
    expect(
      await failure(
        elb.send(new DescribeLoadBalancerPoliciesCommand({PolicyNames: ['ELBSecurityPolicy-1999']})),
      ),
    ).toBe('PolicyNotFound')
  })

  it("DescribeLoadBalancerPolicyTypes answers SSLNegotiationPolicyType's attributes; an unknown type is PolicyTypeNotFound", async () => {
    const [type] = (
      await elb.send(
        new DescribeLoadBalancerPolicyTypesCommand({PolicyTypeNames: [SSL_NEGOTIATION_POLICY_TYPE]}),
      )
    ).PolicyTypeDescriptions!
    expect(type!.PolicyTypeName).toBe(SSL_NEGOTIATION_POLICY_TYPE)
    expect(type!.PolicyAttributeTypeDescriptions!.map((a) => a.AttributeName)).toEqual([
      ...SSL_NEGOTIATION_ATTRIBUTES,
    ])
    expect(
      type!.PolicyAttributeTypeDescriptions!.find((a) => a.AttributeName === REFERENCE_SECURITY_POLICY),
    ).toMatchObject({AttributeType: 'String', Cardinality: 'ZERO_OR_ONE'})
    expect(
      await failure(
        elb.send(new DescribeLoadBalancerPolicyTypesCommand({PolicyTypeNames: ['NoSuchPolicyType']})),
      ),
    ).toBe('PolicyTypeNotFound')
  })
})

describe('certificate-not-found: an unknown certificate ARN is CertificateNotFound', () => {
  const unknownIam = 'arn:aws:iam::123456789012:server-certificate/never-uploaded'
  const unknownAcm = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000'

  it('on CreateLoadBalancer, for IAM and ACM ARNs and a bare certificate ID', async () => {
    expect(await failure(create('cnf-iam', [https443(unknownIam)]))).toBe('CertificateNotFound')
    expect(await failure(create('cnf-acm', [https443(unknownAcm)]))).toBe('CertificateNotFound')
    expect(await failure(create('cnf-id', [https443('ASCAEXAMPLEID')]))).toBe('CertificateNotFound')
    const names = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions!.map(
      (d) => d.LoadBalancerName,
    )
    expect(names.filter((n) => n!.startsWith('cnf-'))).toEqual([])
  })

  it('accepts an uploaded IAM certificate and an imported ACM certificate', async () => {
    const acm = new ACMClient({region: TEST_REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS})
    try {
      const imported = await acm.send(
        new ImportCertificateCommand({
          Certificate: Buffer.from(pair.cert),
          PrivateKey: Buffer.from(pair.key),
        }),
      )
      await create('cnf-ok', [https443(await iamCertificate())])
      await elb.send(
        new CreateLoadBalancerListenersCommand({
          LoadBalancerName: 'cnf-ok',
          Listeners: [{...https443(imported.CertificateArn!), LoadBalancerPort: 8443}],
        }),
      )
    } finally {
      acm.destroy()
    }
  })

  it('on CreateLoadBalancerListeners and SetLoadBalancerListenerSSLCertificate', async () => {
    await create('cnf-later', [HTTP_80, https443(await iamCertificate())])
    expect(
      await failure(
        elb.send(
          new CreateLoadBalancerListenersCommand({
            LoadBalancerName: 'cnf-later',
            Listeners: [{...https443(unknownAcm), LoadBalancerPort: 8443}],
          }),
        ),
      ),
    ).toBe('CertificateNotFound')
    expect(
      await failure(
        elb.send(
          new SetLoadBalancerListenerSSLCertificateCommand({
            LoadBalancerName: 'cnf-later',
            LoadBalancerPort: 443,
            SSLCertificateId: unknownIam,
          }),
        ),
      ),
    ).toBe('CertificateNotFound')
  })

  it('a just-uploaded IAM certificate, while certificatePropagationMs says it is still propagating', async () => {
    await motoOptions({certificatePropagationMs: 1500})
    try {
      const arn = await iamCertificate()
      expect(await failure(create('cnf-fresh', [https443(arn)]))).toBe('CertificateNotFound')
      await new Promise((r) => setTimeout(r, 1600))
      expect(await failure(create('cnf-fresh', [https443(arn)]))).toBeUndefined()
    } finally {
      await motoOptions({certificatePropagationMs: 0})
    }
  })
})

describe('set-listener-certificate: SetLoadBalancerListenerSSLCertificate checks the listener', () => {
  it('ListenerNotFound on a port without a listener, InvalidConfigurationRequest on an HTTP listener, and sets it on HTTPS', async () => {
    await create('slc-web', [HTTP_80, https443(await iamCertificate())])
    const next = await iamCertificate()
    const set = (LoadBalancerPort: number) =>
      failure(
        elb.send(
          new SetLoadBalancerListenerSSLCertificateCommand({
            LoadBalancerName: 'slc-web',
            LoadBalancerPort,
            SSLCertificateId: next,
          }),
        ),
      )
    expect(await set(8443)).toBe('ListenerNotFound')
    expect(await set(80)).toBe('InvalidConfigurationRequest')
    expect(await set(443)).toBeUndefined()
    const https = (await describe1('slc-web')).ListenerDescriptions!.find(
      (d) => d.Listener!.LoadBalancerPort === 443,
    )!
    expect(https.Listener!.SSLCertificateId).toBe(next)
  })
})

describe('register-unknown-instance: RegisterInstancesWithLoadBalancer refuses an instance EC2 does not know', () => {
  it('InvalidInstance, and nothing is registered', async () => {
    const net = await seedNetwork({instances: 1})
    await create('ri-web', [HTTP_80])
    expect(
      await failure(
        elb.send(
          new RegisterInstancesWithLoadBalancerCommand({
            LoadBalancerName: 'ri-web',
            Instances: [{InstanceId: net.instanceIds[0]}, {InstanceId: 'i-0123456789abcdef0'}],
          }),
        ),
      ),
    ).toBe('InvalidInstance')
    expect((await describe1('ri-web')).Instances).toEqual([])
  })
})

describe('listener-policy-not-found: SetLoadBalancerPoliciesOfListener with a policy the load balancer lacks', () => {
  it('PolicyNotFound for a predefined name set directly, ListenerNotFound for a missing port, and an own policy is accepted', async () => {
    await create('lp-web', [HTTP_80, https443(await iamCertificate())])
    const set = (LoadBalancerPort: number, PolicyNames: string[]) =>
      failure(
        elb.send(
          new SetLoadBalancerPoliciesOfListenerCommand({
            LoadBalancerName: 'lp-web',
            LoadBalancerPort,
            PolicyNames,
          }),
        ),
      )
    expect(await set(443, [RECOMMENDED_SSL_POLICY])).toBe('PolicyNotFound')
    expect(await set(8443, [])).toBe('ListenerNotFound')
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: 'lp-web',
        PolicyName: 'tls12',
        PolicyTypeName: SSL_NEGOTIATION_POLICY_TYPE,
        PolicyAttributes: [
          {AttributeName: REFERENCE_SECURITY_POLICY, AttributeValue: RECOMMENDED_SSL_POLICY},
        ],
      }),
    )
    expect(await set(443, ['tls12'])).toBeUndefined()
  })
})

describe('policies-immutable: a policy name is taken once, and a policy in use stays', () => {
  it('DuplicatePolicyName for a second CreateLoadBalancerPolicy; InvalidConfigurationRequest deleting a policy a listener uses', async () => {
    await create('pi-web', [HTTP_80, https443(await iamCertificate())])
    const policy = (value: string) =>
      elb.send(
        new CreateLoadBalancerPolicyCommand({
          LoadBalancerName: 'pi-web',
          PolicyName: 'tls',
          PolicyTypeName: SSL_NEGOTIATION_POLICY_TYPE,
          PolicyAttributes: [{AttributeName: REFERENCE_SECURITY_POLICY, AttributeValue: value}],
        }),
      )
    await policy(RECOMMENDED_SSL_POLICY)
    expect(await failure(policy(AWS_DEFAULT_SSL_POLICY))).toBe('DuplicatePolicyName')
    const remove = (PolicyName: string) =>
      failure(elb.send(new DeleteLoadBalancerPolicyCommand({LoadBalancerName: 'pi-web', PolicyName})))
    // AWS's default is on the 443 listener.
    expect(await remove(AWS_DEFAULT_SSL_POLICY)).toBe('InvalidConfigurationRequest')
    expect(await remove('tls')).toBeUndefined()
    const left = (await elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: 'pi-web'})))
      .PolicyDescriptions!
    expect(left.map((p) => p.PolicyName)).toEqual([AWS_DEFAULT_SSL_POLICY])
  })
})

describe('iam-certificate-name-taken: UploadServerCertificate of a name IAM holds', () => {
  it('EntityAlreadyExists, and IAM lists the name once', async () => {
    const upload = () =>
      clients.iam.send(
        new UploadServerCertificateCommand({
          ServerCertificateName: 'taken',
          CertificateBody: pair.cert,
          PrivateKey: pair.key,
        }),
      )
    await upload()
    expect(await failure(upload())).toBe('EntityAlreadyExists')
    const names = (await clients.iam.send(new ListServerCertificatesCommand({})))
      .ServerCertificateMetadataList!
    expect(names.filter((c) => c.ServerCertificateName === 'taken')).toHaveLength(1)
  })
})

describe('idempotent-create: CreateLoadBalancer repeated', () => {
  it('with the same configuration succeeds with the same DNS name and changes nothing; another is DuplicateLoadBalancerName', async () => {
    const arn = await iamCertificate()
    const first = await create('ic-web', [HTTP_80, https443(arn)], {Tags: [{Key: 'team', Value: 'web'}]})
    // Listeners in another order, and other tags: the same load balancer.
    const again = await create('ic-web', [https443(arn), HTTP_80], {Tags: [{Key: 'run', Value: 'other'}]})
    expect(again.DNSName).toBe(first.DNSName)
    expect(await failure(create('ic-web', [HTTP_80]))).toBe('DuplicateLoadBalancerName')
    expect(await failure(create('ic-web', [HTTP_80, https443(arn)], {Scheme: 'internal'}))).toBe(
      'DuplicateLoadBalancerName',
    )
    const all = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions!
    expect(all.filter((d) => d.LoadBalancerName === 'ic-web')).toHaveLength(1)
    const tags = (await elb.send(new DescribeTagsCommand({LoadBalancerNames: ['ic-web']})))
      .TagDescriptions![0]!
    expect(tags.Tags).toEqual([{Key: 'team', Value: 'web'}])
  })
})

describe('tag-limit: 50 tags per load balancer (add-remove-tags)', () => {
  it('takes 50 and refuses the 51st with TooManyTags', async () => {
    const tags = Array.from({length: 50}, (_, i) => ({Key: `k${i}`, Value: String(i)}))
    await create('tl-web', [HTTP_80], {Tags: tags.slice(0, 30)})
    await elb.send(new AddTagsCommand({LoadBalancerNames: ['tl-web'], Tags: tags.slice(30)}))
    expect(
      await failure(
        elb.send(new AddTagsCommand({LoadBalancerNames: ['tl-web'], Tags: [{Key: 'one-more', Value: 'x'}]})),
      ),
    ).toBe('TooManyTags')
  })
})

describe('delete-listeners: DeleteLoadBalancerListeners removes exactly the ports given', () => {
  it('deletes two of four listeners', async () => {
    const listeners = [80, 81, 82, 83].map((p) => ({...HTTP_80, LoadBalancerPort: p}))
    await create('dl-web', listeners)
    await elb.send(
      new DeleteLoadBalancerListenersCommand({LoadBalancerName: 'dl-web', LoadBalancerPorts: [81, 83]}),
    )
    expect(
      (await describe1('dl-web')).ListenerDescriptions!.map((d) => d.Listener!.LoadBalancerPort),
    ).toEqual([80, 82])
  })
})

describe('registration-in-progress: with registrationDelayFactor, a new instance is OutOfService until HealthyThreshold x Interval', () => {
  afterEach(() => motoOptions({registrationDelayFactor: 0}))

  const health = async (name: string) =>
    (await elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: name}))).InstanceStates![0]!

  it('says "Instance registration is still in progress", then InService', async () => {
    const net = await seedNetwork({instances: 1})
    await create('rp-web', [HTTP_80])
    await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: 'rp-web',
        HealthCheck: {
          Target: 'HTTP:80/',
          Interval: 10,
          Timeout: 5,
          HealthyThreshold: 2,
          UnhealthyThreshold: 2,
        },
      }),
    )
    // 2 x 10 s x 0.05 = 1 s.
    await motoOptions({registrationDelayFactor: 0.05})
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'rp-web',
        Instances: [{InstanceId: net.instanceIds[0]}],
      }),
    )
    expect(await health('rp-web')).toMatchObject({
      State: 'OutOfService',
      ReasonCode: 'Instance',
      Description: 'Instance registration is still in progress',
    })
    await new Promise((r) => setTimeout(r, 1100))
    expect(await health('rp-web')).toMatchObject({State: 'InService', ReasonCode: 'N/A', Description: 'N/A'})
  })

  it('is off unless a test switches it on: InService at once', async () => {
    const net = await seedNetwork({instances: 1})
    await create('rp-off', [HTTP_80])
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'rp-off',
        Instances: [{InstanceId: net.instanceIds[0]}],
      }),
    )
    expect((await health('rp-off')).State).toBe('InService')
  })
})
