import {InvalidInputError} from '../../../src/errors.js'
import {
  DEFAULT_SSL_POLICY,
  defaultSslPolicyName,
  describeListenerSslPolicy,
  describeLoadBalancerSslPolicies,
  ensureListenerSslPolicy,
  listPredefinedSslPolicies,
  type SslPolicySpec,
} from '../../../src/steps/ssl-policy.js'
import {AwsLikeElb, HTTPS_443, HTTP_80, expand} from '../policy/aws-like-elb.js'

const TLS12 = {kind: 'predefined', name: 'ELBSecurityPolicy-TLS-1-2-2017-01'} as const

/** A load balancer as AWS leaves it: the default policy on the HTTPS listener, plus cookie stickiness. */
function awsDefaultLoadBalancer(): AwsLikeElb {
  const aws = new AwsLikeElb(
    AwsLikeElb.loadBalancer([HTTP_80, HTTPS_443], {443: ['ELBSecurityPolicy-2016-08', 'sticky']}),
  )
  aws.addPolicy('ELBSecurityPolicy-2016-08', 'SSLNegotiationPolicyType', [
    {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2016-08'},
  ])
  aws.addPolicy('sticky', 'LBCookieStickinessPolicyType', [{name: 'CookieExpirationPeriod', value: '60'}])
  return aws
}

describe('ensureListenerSslPolicy (AWS behaviour)', () => {
  it('replaces only AWS’s default SSL policy, keeps stickiness, and never deletes a predefined-named policy', async () => {
    const aws = awsDefaultLoadBalancer()
    const result = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
    })
    expect(result).toEqual({
      policyName: 'elbx-ssl-TLS-1-2-2017-01',
      status: 'created',
      replacedPolicies: ['ELBSecurityPolicy-2016-08'],
      deletedPolicies: [],
      keptPolicies: ['sticky'],
    })
    expect(aws.calls).toEqual([
      'DescribeLoadBalancers',
      'DescribeLoadBalancerPolicies web',
      'CreateLoadBalancerPolicy elbx-ssl-TLS-1-2-2017-01',
      'SetLoadBalancerPoliciesOfListener 443 sticky,elbx-ssl-TLS-1-2-2017-01',
    ])
    expect(aws.policies.get('elbx-ssl-TLS-1-2-2017-01')!.attributes).toEqual([
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
    ])
    expect(aws.policies.has('ELBSecurityPolicy-2016-08')).toBe(true)
  })

  it('uses the policy another run created between its read and its write (DuplicatePolicyName)', async () => {
    const aws = awsDefaultLoadBalancer()
    // The other run's policy, made after this run read the policies.
    const stale = [...aws.policies.values()]
    aws.addPolicy('elbx-ssl-TLS-1-2-2017-01', 'SSLNegotiationPolicyType', [
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
    ])
    const result = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
      policies: stale,
    })
    expect(result).toMatchObject({policyName: 'elbx-ssl-TLS-1-2-2017-01', status: 'reused'})
    expect(aws.writes).toEqual([
      'CreateLoadBalancerPolicy elbx-ssl-TLS-1-2-2017-01',
      'SetLoadBalancerPoliciesOfListener 443 sticky,elbx-ssl-TLS-1-2-2017-01',
    ])
    // A policy of that name with other content is not ours to use: the error stands.
    const other = awsDefaultLoadBalancer()
    other.addPolicy('elbx-ssl-TLS-1-2-2017-01', 'SSLNegotiationPolicyType', [
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2016-08'},
    ])
    await expect(
      ensureListenerSslPolicy(other.gateway(), {
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        spec: TLS12,
        policies: [...other.policies.values()].filter((p) => p.name !== 'elbx-ssl-TLS-1-2-2017-01'),
      }),
    ).rejects.toMatchObject({name: 'DuplicatePolicyNameException'})
  })

  it('converges: a rerun describes and writes nothing, even though AWS expands the policy to ~100 attributes', async () => {
    const aws = awsDefaultLoadBalancer()
    await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
    })
    aws.calls.length = 0
    const again = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
    })
    expect(again.status).toBe('unchanged')
    expect(aws.writes).toEqual([])
    expect(aws.calls).toHaveLength(2)
  })

  it('uses the given load balancer description instead of describing it again', async () => {
    const aws = awsDefaultLoadBalancer()
    await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
      loadBalancer: aws.lb,
    })
    expect(aws.calls).not.toContain('DescribeLoadBalancers')
  })

  it('deletes the elbx policy it replaced once no listener uses it, and keeps one another listener still uses', async () => {
    const aws = awsDefaultLoadBalancer()
    const gw = aws.gateway()
    await ensureListenerSslPolicy(gw, {loadBalancerName: 'web', loadBalancerPort: 443, spec: TLS12})
    const switched = await ensureListenerSslPolicy(gw, {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: {kind: 'predefined', name: 'ELBSecurityPolicy-TLS-1-1-2017-01'},
    })
    expect(switched).toMatchObject({
      replacedPolicies: ['elbx-ssl-TLS-1-2-2017-01'],
      deletedPolicies: ['elbx-ssl-TLS-1-2-2017-01'],
    })
    expect(aws.policies.has('elbx-ssl-TLS-1-2-2017-01')).toBe(false)
    expect(aws.lb.listeners[1]!.policyNames).toEqual(['sticky', 'elbx-ssl-TLS-1-1-2017-01'])

    // A second secure listener sharing the policy keeps it alive.
    aws.lb.listeners.push({
      listener: {...HTTPS_443, loadBalancerPort: 8443},
      policyNames: ['elbx-ssl-TLS-1-1-2017-01'],
    })
    const third = await ensureListenerSslPolicy(gw, {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
    })
    expect(third).toMatchObject({replacedPolicies: ['elbx-ssl-TLS-1-1-2017-01'], deletedPolicies: []})
    expect(aws.policies.has('elbx-ssl-TLS-1-1-2017-01')).toBe(true)
  })

  it('reports a replaced policy AWS refuses to delete instead of failing the step', async () => {
    const aws = awsDefaultLoadBalancer()
    await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
    })
    // The backend list naming it makes the fake refuse the delete, as AWS does for a policy in use.
    aws.lb.backendServers = [{instancePort: 80, policyNames: ['elbx-ssl-TLS-1-2-2017-01']}]
    const result = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: {kind: 'predefined', name: 'ELBSecurityPolicy-2016-08'},
    })
    expect(result.deletedPolicies).toEqual([])
    expect(result.notDeleted).toEqual([
      {policyName: 'elbx-ssl-TLS-1-2-2017-01', reason: 'InvalidConfigurationRequest: policy is enabled'},
    ])
  })

  it('creates a custom policy with only the enabled attributes and finds it again by content', async () => {
    const aws = awsDefaultLoadBalancer()
    const spec: SslPolicySpec = {
      kind: 'custom',
      protocols: ['TLSv1.2'],
      ciphers: ['AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
      serverOrder: false,
    }
    const first = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec,
    })
    expect(first.policyName).toBe(defaultSslPolicyName({...spec, ciphers: [...spec.ciphers].reverse()}))
    expect(first.policyName).toMatch(/^elbx-ssl-custom-[0-9a-f]{12}$/)
    expect(aws.policies.get(first.policyName)!.attributes).toEqual([
      {name: 'Protocol-TLSv1.2', value: 'true'},
      {name: 'ECDHE-RSA-AES128-GCM-SHA256', value: 'true'},
      {name: 'AES128-GCM-SHA256', value: 'true'},
      {name: 'Server-Defined-Cipher-Order', value: 'false'},
    ])
    aws.calls.length = 0
    expect(
      (await ensureListenerSslPolicy(aws.gateway(), {loadBalancerName: 'web', loadBalancerPort: 443, spec}))
        .status,
    ).toBe('unchanged')
    expect(aws.writes).toEqual([])
  })

  it('reuses an existing policy of the same name and content, and refuses one with other content', async () => {
    const aws = awsDefaultLoadBalancer()
    aws.addPolicy('mine', 'SSLNegotiationPolicyType', [
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
    ])
    const reused = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
      policyName: 'mine',
    })
    expect(reused.status).toBe('reused')
    expect(aws.writes).toEqual(['SetLoadBalancerPoliciesOfListener 443 sticky,mine'])

    aws.calls.length = 0
    const error = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: {kind: 'predefined', name: 'ELBSecurityPolicy-2016-08'},
      policyName: 'mine',
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as Error).message).toContain(
      'already has a policy named "mine" (SSLNegotiationPolicyType) with other settings',
    )
    expect(aws.writes).toEqual([])
  })

  it('refuses a port that is not an HTTPS/SSL listener, listing the listeners, before touching policies', async () => {
    const aws = awsDefaultLoadBalancer()
    for (const [port, message] of [
      [
        80,
        'The listener on port 80 of "web" is HTTP 80 -> HTTP 80: an SSL negotiation policy needs an HTTPS or SSL listener. Its listeners: HTTP 80 -> HTTP 80; HTTPS 443 -> HTTP 80.',
      ],
      [
        8443,
        'Load balancer "web" has no listener on port 8443. Its listeners: HTTP 80 -> HTTP 80; HTTPS 443 -> HTTP 80.',
      ],
    ] as const) {
      const error = await ensureListenerSslPolicy(aws.gateway(), {
        loadBalancerName: 'web',
        loadBalancerPort: port,
        spec: TLS12,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidInputError)
      expect((error as Error).message).toBe(message)
    }
    expect(aws.calls).toEqual(['DescribeLoadBalancers', 'DescribeLoadBalancers'])
  })

  it('names the missing load balancer as AWS does (LoadBalancerNotFound, exit 1)', async () => {
    const aws = awsDefaultLoadBalancer()
    const error = await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'nope',
      loadBalancerPort: 443,
      spec: TLS12,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'LoadBalancerNotFound', exitCode: 1})
  })
})

describe('describeListenerSslPolicy', () => {
  it('reads what AWS’s expanded attributes enable, with the reference policy', async () => {
    const aws = awsDefaultLoadBalancer()
    await ensureListenerSslPolicy(aws.gateway(), {
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      spec: TLS12,
    })
    const described = await describeListenerSslPolicy(aws.gateway(), aws.lb, 443)
    expect(described).toMatchObject({
      policyName: 'elbx-ssl-TLS-1-2-2017-01',
      referencePolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
      protocols: ['TLSv1.2'],
      serverOrder: true,
      source: "the attributes of the load balancer's policy elbx-ssl-TLS-1-2-2017-01",
    })
    expect(described.ciphers).toHaveLength(12)
  })

  it('says AWS applies ELBSecurityPolicy-2016-08 when the listener has no SSL policy, from AWS or the table', async () => {
    const aws = new AwsLikeElb(AwsLikeElb.loadBalancer([HTTPS_443], {443: ['sticky']}))
    aws.addPolicy('sticky', 'LBCookieStickinessPolicyType', [])
    const fromAws = await describeListenerSslPolicy(aws.gateway(), aws.lb, 443)
    expect(fromAws).toMatchObject({
      referencePolicy: 'ELBSecurityPolicy-2016-08',
      protocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
    })
    expect(fromAws.source).toBe(
      "no SSL negotiation policy on the listener, so AWS applies its documented default ELBSecurityPolicy-2016-08; details from AWS's predefined policy ELBSecurityPolicy-2016-08",
    )
    aws.refusePredefined = true
    const fromTable = await describeListenerSslPolicy(aws.gateway(), aws.lb, 443)
    expect(fromTable.protocols).toEqual(['TLSv1.2', 'TLSv1.1', 'TLSv1'])
    expect(fromTable.source).toContain("elbx's built-in table of AWS's documented ELBSecurityPolicy-2016-08")
  })

  it('marks an older predefined policy unresolved when neither AWS nor the table can say what it enables', async () => {
    const aws = new AwsLikeElb(AwsLikeElb.loadBalancer([HTTPS_443], {443: ['old']}))
    aws.refusePredefined = true
    aws.policies.set('old', {name: 'old', typeName: 'SSLNegotiationPolicyType', attributes: []})
    // Not expanded by the fake: store a bare reference the way moto does.
    const gw = aws.gateway()
    const original = gw.describePolicies.bind(gw)
    gw.describePolicies = async (lb, names) =>
      lb
        ? [
            {
              name: 'old',
              typeName: 'SSLNegotiationPolicyType',
              attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2011-08'}],
            },
          ]
        : original(lb, names)
    const described = await describeListenerSslPolicy(gw, aws.lb, 443)
    expect(described).toMatchObject({
      policyName: 'old',
      referencePolicy: 'ELBSecurityPolicy-2011-08',
      unresolved: true,
    })
    expect(described.source).toContain('details from AWS at runtime')
  })

  it('describes every secure listener with one DescribeLoadBalancerPolicies', async () => {
    const aws = awsDefaultLoadBalancer()
    aws.lb.listeners.push({listener: {...HTTPS_443, loadBalancerPort: 8443}, policyNames: []})
    const all = await describeLoadBalancerSslPolicies(aws.gateway(), aws.lb)
    expect(all.map((l) => [l.loadBalancerPort, l.sslPolicy.referencePolicy])).toEqual([
      [443, 'ELBSecurityPolicy-2016-08'],
      [8443, 'ELBSecurityPolicy-2016-08'],
    ])
    expect(aws.calls.filter((c) => c === 'DescribeLoadBalancerPolicies web')).toHaveLength(1)
  })
})

describe('listPredefinedSslPolicies', () => {
  it('lists AWS’s answer, recommended first, and marks AWS’s default', async () => {
    const aws = awsDefaultLoadBalancer()
    const list = await listPredefinedSslPolicies(aws.gateway())
    expect(list.source).toBe('aws')
    expect(list.policies[0]).toMatchObject({
      name: DEFAULT_SSL_POLICY,
      recommended: true,
      protocols: ['TLSv1.2'],
    })
    expect(list.policies.find((p) => p.name === 'ELBSecurityPolicy-2016-08')).toMatchObject({
      awsDefault: true,
    })
  })

  it('falls back to the built-in table when the endpoint refuses, and says so', async () => {
    const aws = awsDefaultLoadBalancer()
    aws.refusePredefined = true
    const list = await listPredefinedSslPolicies(aws.gateway())
    expect(list.source).toBe('built-in table')
    expect(list.sourceDescription).toContain(
      'the endpoint refused DescribeLoadBalancerPolicies without a load balancer name: LoadBalancerNotFound',
    )
    expect(list.policies.find((p) => p.name === 'ELBSecurityPolicy-2014-10')).toMatchObject({
      protocols: [],
      details: expect.stringContaining('details from AWS at runtime'),
    })
  })
})

describe('expand (test helper)', () => {
  it('produces about a hundred attributes as AWS does', () => {
    expect(expand('x', ['TLSv1.2'], [], true).length).toBeGreaterThan(90)
  })
})
