import {
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerPolicyCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'

import {publicKeyFromFile} from '../../../src/pem/public-key.js'
import {describeBackendAuthentication, ensureBackendAuthentication} from '../../../src/steps/backend-auth.js'
import {
  DEFAULT_SSL_POLICY,
  describeListenerSslPolicy,
  ensureListenerSslPolicy,
} from '../../../src/steps/ssl-policy.js'
import {makeCertificate, opensslPublicKeyAttribute} from '../../helpers/certs.js'
import {createHttpAndHttpsLoadBalancer, motoGateways, sdkClients} from '../../helpers/moto.js'

const CERT_ARN = 'arn:aws:iam::123456789012:server-certificate/web'

/** A load balancer with HTTP 80 -> HTTP 80 and HTTPS 443 -> HTTPS 443, made with the raw SDK. */
async function arrange(name: string) {
  const {elb} = sdkClients()
  await createHttpAndHttpsLoadBalancer(elb, name, CERT_ARN)
  return elb
}

const listenerPolicies = async (elb: ReturnType<typeof sdkClients>['elb'], name: string, port: number) => {
  const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
  return out.LoadBalancerDescriptions![0]!.ListenerDescriptions!.find(
    (l) => l.Listener!.LoadBalancerPort === port,
  )!.PolicyNames
}

const creates = (log: {records: {operation: string}[]}) =>
  log.records.filter((r) => r.operation === 'CreateLoadBalancerPolicy').length

describe('SSL negotiation policy against moto', () => {
  it('keeps a cookie stickiness policy on the listener, and a rerun creates no policy', async () => {
    const elb = await arrange('ssl-sticky')
    await elb.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: 'ssl-sticky',
        PolicyName: 'sticky-60',
        CookieExpirationPeriod: 60,
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: 'ssl-sticky',
        LoadBalancerPort: 443,
        PolicyNames: ['sticky-60'],
      }),
    )
    const aws = await motoGateways()
    try {
      const first = await ensureListenerSslPolicy(aws.elb, {
        loadBalancerName: 'ssl-sticky',
        loadBalancerPort: 443,
        spec: {kind: 'predefined', name: DEFAULT_SSL_POLICY},
      })
      expect(first).toMatchObject({
        policyName: 'elbx-ssl-TLS-1-2-2017-01',
        status: 'created',
        keptPolicies: ['sticky-60'],
      })
      expect(await listenerPolicies(elb, 'ssl-sticky', 443)).toEqual([
        'sticky-60',
        'elbx-ssl-TLS-1-2-2017-01',
      ])
      const stored = await elb.send(
        new DescribeLoadBalancerPoliciesCommand({
          LoadBalancerName: 'ssl-sticky',
          PolicyNames: ['elbx-ssl-TLS-1-2-2017-01'],
        }),
      )
      expect(stored.PolicyDescriptions![0]).toMatchObject({
        PolicyTypeName: 'SSLNegotiationPolicyType',
        PolicyAttributeDescriptions: [
          {AttributeName: 'Reference-Security-Policy', AttributeValue: DEFAULT_SSL_POLICY},
        ],
      })
      expect(creates(aws.requestLog)).toBe(1)

      aws.requestLog.records.length = 0
      const again = await ensureListenerSslPolicy(aws.elb, {
        loadBalancerName: 'ssl-sticky',
        loadBalancerPort: 443,
        spec: {kind: 'predefined', name: DEFAULT_SSL_POLICY},
      })
      expect(again.status).toBe('unchanged')
      expect(creates(aws.requestLog)).toBe(0)
      expect(aws.requestLog.records.map((r) => r.operation)).toEqual([
        'DescribeLoadBalancers',
        'DescribeLoadBalancerPolicies',
      ])
      expect(await listenerPolicies(elb, 'ssl-sticky', 443)).toEqual([
        'sticky-60',
        'elbx-ssl-TLS-1-2-2017-01',
      ])
    } finally {
      aws.close()
      elb.destroy()
    }
  })

  it("replaces the default AWS attaches to a new HTTPS listener, and leaves AWS's policy on the load balancer", async () => {
    const elb = await arrange('ssl-default')
    const aws = await motoGateways()
    try {
      expect(await listenerPolicies(elb, 'ssl-default', 443)).toEqual(['ELBSecurityPolicy-2016-08'])
      const result = await ensureListenerSslPolicy(aws.elb, {
        loadBalancerName: 'ssl-default',
        loadBalancerPort: 443,
        spec: {kind: 'predefined', name: DEFAULT_SSL_POLICY},
      })
      expect(result).toMatchObject({
        status: 'created',
        replacedPolicies: ['ELBSecurityPolicy-2016-08'],
        deletedPolicies: [],
        keptPolicies: [],
      })
      expect(await listenerPolicies(elb, 'ssl-default', 443)).toEqual(['elbx-ssl-TLS-1-2-2017-01'])
    } finally {
      aws.close()
      elb.destroy()
    }
  })

  it('swaps a custom policy in for a predefined one, deletes the one elbx made, and reads it back', async () => {
    const elb = await arrange('ssl-custom')
    const aws = await motoGateways()
    try {
      await ensureListenerSslPolicy(aws.elb, {
        loadBalancerName: 'ssl-custom',
        loadBalancerPort: 443,
        spec: {kind: 'predefined', name: 'ELBSecurityPolicy-TLS-1-1-2017-01'},
      })
      const custom = await ensureListenerSslPolicy(aws.elb, {
        loadBalancerName: 'ssl-custom',
        loadBalancerPort: 443,
        spec: {
          kind: 'custom',
          protocols: ['TLSv1.2'],
          ciphers: ['ECDHE-RSA-AES128-GCM-SHA256'],
          serverOrder: true,
        },
      })
      expect(custom).toMatchObject({
        status: 'created',
        replacedPolicies: ['elbx-ssl-TLS-1-1-2017-01'],
        deletedPolicies: ['elbx-ssl-TLS-1-1-2017-01'],
      })
      const remaining = await elb.send(
        new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: 'ssl-custom'}),
      )
      // AWS's default policy, replaced on the listener, stays a policy of the load balancer: not elbx's to delete.
      expect(remaining.PolicyDescriptions!.map((p) => p.PolicyName)).toEqual([
        'ELBSecurityPolicy-2016-08',
        custom.policyName,
      ])

      const lb = (await aws.elb.describeLoadBalancer('ssl-custom'))!
      expect(await describeListenerSslPolicy(aws.elb, lb, 443)).toEqual({
        policyName: custom.policyName,
        protocols: ['TLSv1.2'],
        ciphers: ['ECDHE-RSA-AES128-GCM-SHA256'],
        serverOrder: true,
        source: `the attributes of the load balancer's policy ${custom.policyName}`,
      })
    } finally {
      aws.close()
      elb.destroy()
    }
  })

  it("resolves a reference policy through AWS's description of the predefined policy", async () => {
    const elb = await arrange('ssl-show')
    const aws = await motoGateways()
    try {
      await ensureListenerSslPolicy(aws.elb, {
        loadBalancerName: 'ssl-show',
        loadBalancerPort: 443,
        spec: {kind: 'predefined', name: 'ELBSecurityPolicy-2016-08'},
      })
      const lb = (await aws.elb.describeLoadBalancer('ssl-show'))!
      const described = await describeListenerSslPolicy(aws.elb, lb, 443)
      expect(described).toMatchObject({
        policyName: 'elbx-ssl-2016-08',
        referencePolicy: 'ELBSecurityPolicy-2016-08',
        protocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
      })
      expect(described.source).toBe("AWS's predefined policy ELBSecurityPolicy-2016-08")
    } finally {
      aws.close()
      elb.destroy()
    }
  })
})

describe('back-end authentication against moto', () => {
  it('sends the openssl-derived PublicKey for an RSA and an EC certificate, keeps ProxyProtocol, and reruns create nothing', async () => {
    const rsa = makeCertificate({keyType: 'rsa'})
    const ec = makeCertificate({keyType: 'ec'})
    const elb = await arrange('backend-auth')
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: 'backend-auth',
        PolicyName: 'proxy',
        PolicyTypeName: 'ProxyProtocolPolicyType',
        PolicyAttributes: [{AttributeName: 'ProxyProtocol', AttributeValue: 'true'}],
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesForBackendServerCommand({
        LoadBalancerName: 'backend-auth',
        InstancePort: 443,
        PolicyNames: ['proxy'],
      }),
    )
    const aws = await motoGateways()
    try {
      const keys = [rsa, ec].map((c) => publicKeyFromFile('--cert', c.certFile).publicKey)
      const result = await ensureBackendAuthentication(aws.elb, {
        loadBalancerName: 'backend-auth',
        instancePort: 443,
        publicKeys: keys,
      })
      expect(result.status).toBe('created')
      expect(creates(aws.requestLog)).toBe(3)

      const stored = await elb.send(
        new DescribeLoadBalancerPoliciesCommand({
          LoadBalancerName: 'backend-auth',
          PolicyNames: result.publicKeyPolicies,
        }),
      )
      const byName = new Map(stored.PolicyDescriptions!.map((p) => [p.PolicyName, p]))
      expect(byName.get(result.publicKeyPolicies[0])!.PolicyAttributeDescriptions).toEqual([
        {AttributeName: 'PublicKey', AttributeValue: opensslPublicKeyAttribute(rsa.certFile)},
      ])
      expect(byName.get(result.publicKeyPolicies[1])!.PolicyAttributeDescriptions).toEqual([
        {AttributeName: 'PublicKey', AttributeValue: opensslPublicKeyAttribute(ec.certFile)},
      ])
      const lb = (await aws.elb.describeLoadBalancer('backend-auth'))!
      expect(lb.backendServers).toEqual([{instancePort: 443, policyNames: ['proxy', result.policyName]}])
      expect(await describeBackendAuthentication(aws.elb, lb, 443)).toEqual({
        instancePort: 443,
        policyName: result.policyName,
        publicKeyPolicies: [
          {policyName: result.publicKeyPolicies[0], publicKey: opensslPublicKeyAttribute(rsa.certFile)},
          {policyName: result.publicKeyPolicies[1], publicKey: opensslPublicKeyAttribute(ec.certFile)},
        ],
        otherPolicies: ['proxy'],
      })

      aws.requestLog.records.length = 0
      const again = await ensureBackendAuthentication(aws.elb, {
        loadBalancerName: 'backend-auth',
        instancePort: 443,
        publicKeys: keys,
      })
      expect(again.status).toBe('unchanged')
      expect(creates(aws.requestLog)).toBe(0)
      expect(aws.requestLog.records.map((r) => r.operation)).toEqual([
        'DescribeLoadBalancers',
        'DescribeLoadBalancerPolicies',
      ])
    } finally {
      aws.close()
      elb.destroy()
    }
  })
})
