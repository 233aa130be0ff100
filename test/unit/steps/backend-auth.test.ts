import {InvalidInputError} from '../../../src/errors.js'
import {
  backendAuthPolicyName,
  describeBackendAuthentication,
  ensureBackendAuthentication,
  publicKeyPolicyName,
} from '../../../src/steps/backend-auth.js'
import {AwsLikeElb, HTTP_80} from '../policy/aws-like-elb.js'

const HTTPS_TO_HTTPS = {
  protocol: 'HTTPS',
  loadBalancerPort: 443,
  instanceProtocol: 'HTTPS',
  instancePort: 443,
  sslCertificateId: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
} as const
const KEY_A = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaaaa'
const KEY_B = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEbbbb'

function loadBalancerWithProxyProtocol(): AwsLikeElb {
  const aws = new AwsLikeElb(AwsLikeElb.loadBalancer([HTTP_80, HTTPS_TO_HTTPS]))
  aws.addPolicy('proxy', 'ProxyProtocolPolicyType', [{name: 'ProxyProtocol', value: 'true'}])
  aws.lb.backendServers = [{instancePort: 443, policyNames: ['proxy']}]
  return aws
}

describe('ensureBackendAuthentication', () => {
  it('creates a public key policy per key and one authentication policy naming them, keeping ProxyProtocol', async () => {
    const aws = loadBalancerWithProxyProtocol()
    const result = await ensureBackendAuthentication(aws.gateway(), {
      loadBalancerName: 'web',
      instancePort: 443,
      publicKeys: [KEY_A, KEY_B, KEY_A],
    })
    const keys = [publicKeyPolicyName(KEY_A), publicKeyPolicyName(KEY_B)]
    expect(result).toEqual({
      policyName: backendAuthPolicyName(keys),
      publicKeyPolicies: keys,
      status: 'created',
      createdPolicies: [...keys, backendAuthPolicyName(keys)],
      replacedPolicies: [],
      deletedPolicies: [],
    })
    expect(aws.policies.get(keys[0]!)).toEqual({
      name: keys[0],
      typeName: 'PublicKeyPolicyType',
      attributes: [{name: 'PublicKey', value: KEY_A}],
    })
    expect(aws.policies.get(result.policyName)!.attributes).toEqual(
      keys.map((value) => ({name: 'PublicKeyPolicyName', value})),
    )
    expect(aws.lb.backendServers).toEqual([{instancePort: 443, policyNames: ['proxy', result.policyName]}])
  })

  it('changes nothing on a rerun with the same keys in another order', async () => {
    const aws = loadBalancerWithProxyProtocol()
    await ensureBackendAuthentication(aws.gateway(), {
      loadBalancerName: 'web',
      instancePort: 443,
      publicKeys: [KEY_A, KEY_B],
    })
    aws.calls.length = 0
    const again = await ensureBackendAuthentication(aws.gateway(), {
      loadBalancerName: 'web',
      instancePort: 443,
      publicKeys: [KEY_B, KEY_A],
    })
    expect(again.status).toBe('unchanged')
    expect(aws.calls).toEqual(['DescribeLoadBalancers', 'DescribeLoadBalancerPolicies web'])
  })

  it('on key rotation replaces the authentication policy and deletes the elbx policies nothing names any more', async () => {
    const aws = loadBalancerWithProxyProtocol()
    const gw = aws.gateway()
    const first = await ensureBackendAuthentication(gw, {
      loadBalancerName: 'web',
      instancePort: 443,
      publicKeys: [KEY_A, KEY_B],
    })
    const second = await ensureBackendAuthentication(gw, {
      loadBalancerName: 'web',
      instancePort: 443,
      publicKeys: [KEY_B],
    })
    expect(second.replacedPolicies).toEqual([first.policyName])
    expect(second.deletedPolicies).toEqual([first.policyName, publicKeyPolicyName(KEY_A)])
    expect([...aws.policies.keys()].sort()).toEqual(
      ['proxy', publicKeyPolicyName(KEY_B), second.policyName].sort(),
    )
    expect(aws.lb.backendServers).toEqual([{instancePort: 443, policyNames: ['proxy', second.policyName]}])
  })

  it('refuses an instance port reached over HTTP, or by no listener, explaining why', async () => {
    const aws = loadBalancerWithProxyProtocol()
    const plain = await ensureBackendAuthentication(aws.gateway(), {
      loadBalancerName: 'web',
      instancePort: 80,
      publicKeys: [KEY_A],
    }).catch((e: unknown) => e)
    expect(plain).toBeInstanceOf(InvalidInputError)
    expect((plain as InvalidInputError).message).toBe(
      'Instance port 80 of "web" is reached over HTTP (HTTP 80 -> HTTP 80): back-end authentication needs the instance protocol to be HTTPS or SSL, because the load balancer can only check an instance\'s public key on an encrypted connection.',
    )
    const none = await ensureBackendAuthentication(aws.gateway(), {
      loadBalancerName: 'web',
      instancePort: 8443,
      publicKeys: [KEY_A],
    }).catch((e: unknown) => e)
    expect((none as Error).message).toBe(
      'No listener of "web" sends traffic to instance port 8443. Its listeners: HTTP 80 -> HTTP 80; HTTPS 443 -> HTTPS 443.',
    )
    expect((none as InvalidInputError).hint).toContain('needs an encrypted back-end connection')
    expect(aws.writes).toEqual([])
  })

  it('refuses an empty key list before any request', async () => {
    const aws = loadBalancerWithProxyProtocol()
    await expect(
      ensureBackendAuthentication(aws.gateway(), {
        loadBalancerName: 'web',
        instancePort: 443,
        publicKeys: [],
      }),
    ).rejects.toThrow('at least one public key')
    expect(aws.calls).toEqual([])
  })
})

describe('describeBackendAuthentication', () => {
  it('returns the public keys in force and the other back-end policies', async () => {
    const aws = loadBalancerWithProxyProtocol()
    const set = await ensureBackendAuthentication(aws.gateway(), {
      loadBalancerName: 'web',
      instancePort: 443,
      publicKeys: [KEY_A],
    })
    expect(await describeBackendAuthentication(aws.gateway(), aws.lb, 443)).toEqual({
      instancePort: 443,
      policyName: set.policyName,
      publicKeyPolicies: [{policyName: publicKeyPolicyName(KEY_A), publicKey: KEY_A}],
      otherPolicies: ['proxy'],
    })
  })

  it('makes no request for a port without back-end policies', async () => {
    const aws = loadBalancerWithProxyProtocol()
    expect(await describeBackendAuthentication(aws.gateway(), aws.lb, 80)).toEqual({
      instancePort: 80,
      publicKeyPolicies: [],
      otherPolicies: [],
    })
    expect(aws.calls).toEqual([])
  })
})
