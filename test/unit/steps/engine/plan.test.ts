import {AWS_DEFAULT_SSL_POLICY} from '../../../../src/policy/predefined-ssl-policies.js'
import {InvalidInputError} from '../../../../src/errors.js'
import {planCreate, pending, waves, type Action} from '../../../../src/steps/engine/plan.js'
import {backendAuthPolicyName, publicKeyPolicyName} from '../../../../src/steps/backend-auth.js'
import {
  CERT_A,
  CERT_B,
  ELBX_TLS12,
  TLS12,
  desired,
  desiredInPlace,
  existingLoadBalancer,
  http80,
  https443,
  observedInPlace,
  observedNothing,
  sslPolicy,
} from './fixtures.js'

const ops = (actions: Action[]) => actions.map((a) => a.call.operation)
const byId = (actions: Action[], id: string) => {
  const found = actions.find((a) => a.id === id)
  if (!found) throw new Error(`no action ${id} in ${actions.map((a) => a.id).join(', ')}`)
  return found
}

describe('planCreate on an account without the load balancer', () => {
  const plan = planCreate(desired(), observedNothing())

  it("carries the certificate file's weaknesses among its warnings (so --json names them)", () => {
    const weak = desired()
    if (weak.certificate?.kind !== 'upload') throw new Error('fixture uploads a certificate')
    weak.certificate.checked.warnings = ['--certificate-file c.pem (CN=web): its RSA key has 1024 bits']
    expect(planCreate(weak, observedNothing()).outcome.warnings).toEqual([
      '--certificate-file c.pem (CN=web): its RSA key has 1024 bits',
    ])
    expect(plan.outcome.warnings).toEqual([])
  })

  it("holds the AWS guide's requests in its order, the security group after the certificate", () => {
    expect(ops(plan.actions)).toEqual([
      'UploadServerCertificate',
      'CreateSecurityGroup',
      'AuthorizeSecurityGroupIngress',
      'CreateLoadBalancer',
      'CreateLoadBalancerPolicy',
      'SetLoadBalancerPoliciesOfListener',
      'CreateLoadBalancerPolicy',
      'CreateLoadBalancerPolicy',
      'SetLoadBalancerPoliciesForBackendServer',
      'ConfigureHealthCheck',
      'ModifyLoadBalancerAttributes',
      'RegisterInstancesWithLoadBalancer',
    ])
  })

  it('runs in 5 waves: certificate and group together, then everything that needs only the load balancer at once', () => {
    const ids = waves(plan.actions).map((w) => w.map((a) => a.id).sort())
    expect(ids).toEqual([
      ['create-security-group', 'upload-certificate'],
      ['authorize-ingress', 'create-load-balancer'],
      [
        'configure-health-check',
        `create-policy:${ELBX_TLS12}`,
        `create-policy:${publicKeyPolicyName('PUBLICKEY')}`,
        'modify-attributes',
        'register-instances',
      ].sort(),
      [
        `create-policy:${backendAuthPolicyName([publicKeyPolicyName('PUBLICKEY')])}`,
        'set-listener-policies:443',
      ],
      ['set-backend-policies:443'],
    ])
  })

  it('creates the load balancer with the pending certificate and group, tags included, and records both for rollback', () => {
    const create = byId(plan.actions, 'create-load-balancer')
    expect(create.call).toMatchObject({
      operation: 'CreateLoadBalancer',
      input: {
        name: 'web',
        listeners: [http80, {...https443, sslCertificateId: pending('upload-certificate')}],
        subnets: ['subnet-0a', 'subnet-0b'],
        securityGroups: [pending('create-security-group')],
        tags: [{key: 'team', value: 'web'}],
      },
    })
    expect(create.dependsOn.sort()).toEqual(['create-security-group', 'upload-certificate'])
    expect(plan.actions.filter((a) => a.creates).map((a) => a.creates!.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])
    // Nothing on a new load balancer needs restoring, and nothing interrupts traffic.
    expect(plan.actions.some((a) => a.restore || a.interruptsTraffic)).toBe(false)
  })

  it("sets the SSL policy on the new listener without keeping AWS's default policy (the set replaces the list)", () => {
    // AWS attaches ELBSecurityPolicy-2016-08 to every new HTTPS listener; moto does not.
    expect(byId(plan.actions, 'set-listener-policies:443').call).toEqual({
      operation: 'SetLoadBalancerPoliciesOfListener',
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      policyNames: [ELBX_TLS12],
    })
    expect(plan.outcome.sslPolicies).toMatchObject([{loadBalancerPort: 443, status: 'created'}])
  })

  it('sets every attribute on a new load balancer and opens each listener port', () => {
    expect(byId(plan.actions, 'modify-attributes').call).toMatchObject({
      attributes: {
        crossZoneLoadBalancing: true,
        connectionDraining: {enabled: true, timeout: 300},
        idleTimeout: 60,
      },
    })
    expect(byId(plan.actions, 'authorize-ingress').call).toMatchObject({
      groupId: pending('create-security-group'),
      rules: [
        {fromPort: 80, toPort: 80, cidr: '0.0.0.0/0'},
        {fromPort: 443, toPort: 443, cidr: '0.0.0.0/0'},
      ],
    })
  })

  it("fills the health check from AWS's documented defaults", () => {
    expect(byId(plan.actions, 'configure-health-check').call).toMatchObject({
      healthCheck: {
        target: 'HTTP:80/ping',
        interval: 30,
        timeout: 5,
        unhealthyThreshold: 2,
        healthyThreshold: 10,
      },
    })
  })

  it('makes no security group with --security-groups, nor without a VPC', () => {
    const given = planCreate(desired({securityGroups: ['sg-0given']}), observedNothing())
    expect(ops(given.actions)).not.toContain('CreateSecurityGroup')
    expect(byId(given.actions, 'create-load-balancer').call).toMatchObject({
      input: {securityGroups: ['sg-0given']},
    })
    const zonesOnly = planCreate(
      desired({network: {availabilityZones: ['us-east-1a']}}),
      observedNothing({network: {subnets: [], availabilityZones: ['us-east-1a'], defaultVpc: false}}),
    )
    expect(ops(zonesOnly.actions)).not.toContain('CreateSecurityGroup')
    expect(byId(zonesOnly.actions, 'create-load-balancer').call).toMatchObject({
      input: {availabilityZones: ['us-east-1a']},
    })
  })
})

describe('planCreate on a load balancer that is already as desired', () => {
  it('is empty: a rerun sends no write', () => {
    const plan = planCreate(desiredInPlace(), observedInPlace())
    expect(plan.actions).toEqual([])
    expect(plan.outcome).toMatchObject({existing: true, registered: [], addedTags: [], attributeChanges: []})
    expect(plan.outcome.sslPolicies).toMatchObject([{status: 'unchanged'}])
  })

  it('is empty with back-end authentication in place too', () => {
    const key = publicKeyPolicyName('PUBLICKEY')
    const auth = backendAuthPolicyName([key])
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({backendServers: [{instancePort: 443, policyNames: [auth]}]}),
      policies: [
        sslPolicy(ELBX_TLS12, TLS12),
        {name: key, typeName: 'PublicKeyPolicyType', attributes: [{name: 'PublicKey', value: 'PUBLICKEY'}]},
        {
          name: auth,
          typeName: 'BackendServerAuthenticationPolicyType',
          attributes: [{name: 'PublicKeyPolicyName', value: key}],
        },
      ],
    })
    const plan = planCreate(
      desiredInPlace({backendAuthentication: [{instancePort: 443, publicKeys: ['PUBLICKEY']}]}),
      observed,
    )
    expect(plan.actions).toEqual([])
    expect(plan.outcome.backendAuthentication).toMatchObject([{status: 'unchanged', policyName: auth}])
  })

  it('after a lost CreateLoadBalancer answer, the rerun goes on from the load balancer AWS made', () => {
    // AWS accepts an identical second CreateLoadBalancer (moto says DuplicateLoadBalancerName), so
    // the load balancer a lost answer left is found as created, with AWS's default SSL policy.
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({
        listeners: [
          {listener: http80, policyNames: []},
          {listener: {...https443, sslCertificateId: CERT_A}, policyNames: [AWS_DEFAULT_SSL_POLICY]},
        ],
        instanceIds: [],
      }),
      policies: [sslPolicy(AWS_DEFAULT_SSL_POLICY, AWS_DEFAULT_SSL_POLICY)],
    })
    const plan = planCreate(desiredInPlace(), observed)
    expect(ops(plan.actions)).toEqual([
      'CreateLoadBalancerPolicy',
      'SetLoadBalancerPoliciesOfListener',
      'RegisterInstancesWithLoadBalancer',
    ])
    expect(plan.actions.every((a) => !a.creates)).toBe(true)
  })
})

describe('planCreate changes an existing load balancer in place', () => {
  it("replaces AWS's default SSL policy on an HTTPS listener, keeping the listener's other policies", () => {
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({
        listeners: [
          {listener: http80, policyNames: []},
          {
            listener: {...https443, sslCertificateId: CERT_A},
            policyNames: [AWS_DEFAULT_SSL_POLICY, 'sticky'],
          },
        ],
      }),
      // AWS lists the default it attached among the load balancer's policies.
      policies: [
        sslPolicy(AWS_DEFAULT_SSL_POLICY, AWS_DEFAULT_SSL_POLICY),
        {name: 'sticky', typeName: 'LBCookieStickinessPolicyType', attributes: []},
      ],
    })
    const plan = planCreate(desiredInPlace(), observed)
    expect(ops(plan.actions)).toEqual(['CreateLoadBalancerPolicy', 'SetLoadBalancerPoliciesOfListener'])
    const set = byId(plan.actions, 'set-listener-policies:443')
    expect(set.call).toMatchObject({policyNames: ['sticky', ELBX_TLS12]})
    expect(set.restore).toEqual([
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        policyNames: [AWS_DEFAULT_SSL_POLICY, 'sticky'],
      },
    ])
    // The create does not delete the policy it replaced: create removes nothing it was not told to.
    expect(ops(plan.actions)).not.toContain('DeleteLoadBalancerPolicy')
    expect(plan.outcome.sslPolicies).toMatchObject([{status: 'created'}])
  })

  it('recognises the default policy by its reserved name when the load balancer does not list it', () => {
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({
        listeners: [
          {listener: http80, policyNames: []},
          {listener: {...https443, sslCertificateId: CERT_A}, policyNames: [AWS_DEFAULT_SSL_POLICY]},
        ],
      }),
      policies: [sslPolicy(ELBX_TLS12, TLS12)],
    })
    const plan = planCreate(desiredInPlace(), observed)
    expect(ops(plan.actions)).toEqual(['SetLoadBalancerPoliciesOfListener'])
    expect(plan.outcome.sslPolicies).toMatchObject([{status: 'reused'}])
  })

  it('swaps a certificate with SetLoadBalancerListenerSSLCertificate, which restores the old one', () => {
    const plan = planCreate(desiredInPlace({certificate: {kind: 'arn', arn: CERT_B}}), observedInPlace())
    expect(plan.actions).toHaveLength(1)
    const [swap] = plan.actions
    expect(swap!.call).toEqual({
      operation: 'SetLoadBalancerListenerSSLCertificate',
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      certificateArn: CERT_B,
    })
    expect(swap!.interruptsTraffic).toBeUndefined()
    expect(swap!.restore).toEqual([{...swap!.call, certificateArn: CERT_A}])
  })

  it('a rerun with a new certificate file uploads it, then swaps it in; the old certificate stays', () => {
    const plan = planCreate(desired({backendAuthentication: []}), observedInPlace())
    expect(ops(plan.actions)).toEqual(['UploadServerCertificate', 'SetLoadBalancerListenerSSLCertificate'])
    expect(byId(plan.actions, 'set-certificate:443').dependsOn).toEqual(['upload-certificate'])
    expect(ops(plan.actions)).not.toContain('DeleteServerCertificate')
  })

  it('adds a listener on a new port, opens the port, and leaves the listeners it was not told about', () => {
    const tcp: typeof http80 = {
      protocol: 'TCP',
      loadBalancerPort: 5000,
      instanceProtocol: 'TCP',
      instancePort: 5000,
    }
    const plan = planCreate(desiredInPlace({listeners: [tcp], sslPolicies: []}), observedInPlace())
    expect(ops(plan.actions)).toEqual(['AuthorizeSecurityGroupIngress', 'CreateLoadBalancerListeners'])
    expect(byId(plan.actions, 'create-listeners').call).toMatchObject({listeners: [tcp]})
    expect(byId(plan.actions, 'create-listeners').restore).toEqual([
      {operation: 'DeleteLoadBalancerListeners', loadBalancerName: 'web', loadBalancerPorts: [5000]},
    ])
    expect(ops(plan.actions)).not.toContain('DeleteLoadBalancerListeners')
  })

  it('replaces a listener whose instance protocol changes, names it as interrupting traffic, and puts its policies back', () => {
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({
        listeners: [
          {listener: http80, policyNames: []},
          {
            listener: {...https443, instanceProtocol: 'HTTP', instancePort: 80, sslCertificateId: CERT_A},
            policyNames: [ELBX_TLS12, 'sticky'],
          },
        ],
      }),
      policies: [
        sslPolicy(ELBX_TLS12, TLS12),
        {name: 'sticky', typeName: 'LBCookieStickinessPolicyType', attributes: []},
      ],
    })
    const plan = planCreate(desiredInPlace(), observed)
    expect(ops(plan.actions)).toEqual([
      'DeleteLoadBalancerListeners',
      'CreateLoadBalancerListeners',
      'SetLoadBalancerPoliciesOfListener',
    ])
    const [del, create, set] = plan.actions
    expect(del!.interruptsTraffic).toBe(true)
    expect(create!.interruptsTraffic).toBe(true)
    expect(create!.dependsOn).toEqual(['delete-listeners'])
    expect(set!.dependsOn).toEqual(['create-listeners'])
    // The new listener comes with AWS's default; the old one's other policies are set again.
    expect(set!.call).toMatchObject({policyNames: ['sticky', ELBX_TLS12]})
    expect(del!.restore?.map((c) => c.operation)).toEqual([
      'DeleteLoadBalancerListeners',
      'CreateLoadBalancerListeners',
    ])
  })

  it('changes only the attributes and tags that differ, with the values that restore them', () => {
    const observed = observedInPlace({
      attributes: {
        crossZoneLoadBalancing: false,
        connectionDraining: {enabled: true, timeout: 300},
        idleTimeout: 60,
      },
      tags: [
        {key: 'team', value: 'ops'},
        {key: 'cost', value: '1'},
      ],
    })
    const plan = planCreate(desiredInPlace(), observed)
    expect(ops(plan.actions)).toEqual(['ModifyLoadBalancerAttributes', 'AddTags'])
    expect(byId(plan.actions, 'modify-attributes').call).toMatchObject({
      attributes: {crossZoneLoadBalancing: true},
    })
    expect(byId(plan.actions, 'modify-attributes').restore).toMatchObject([
      {attributes: {crossZoneLoadBalancing: false}},
    ])
    expect(byId(plan.actions, 'add-tags').restore).toMatchObject([{tags: [{key: 'team', value: 'ops'}]}])
    expect(plan.outcome.tags).toEqual([
      {key: 'cost', value: '1'},
      {key: 'team', value: 'web'},
    ])
  })

  it('registers only the instances not registered yet, and needs no load balancer action first', () => {
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({instanceIds: ['i-0aaaaaaaaaaaaaaaa']}),
    })
    const plan = planCreate(desiredInPlace(), observed)
    expect(plan.actions.map((a) => [a.call.operation, a.dependsOn])).toEqual([
      ['RegisterInstancesWithLoadBalancer', []],
    ])
    expect(plan.outcome.registered).toEqual(['i-0bbbbbbbbbbbbbbbb'])
  })

  it('refuses a policy name taken by other settings (AWS policies cannot change)', () => {
    const observed = observedInPlace({policies: [sslPolicy(ELBX_TLS12, 'ELBSecurityPolicy-2016-08')]})
    expect(() => planCreate(desiredInPlace(), observed)).toThrow(InvalidInputError)
  })
})

describe('waves', () => {
  it('refuses a cycle instead of hanging', () => {
    const a = (id: string, dependsOn: string[]): Action => ({
      id,
      step: 'Tags',
      call: {operation: 'AddTags', loadBalancerName: 'x', tags: []},
      target: '',
      why: '',
      dependsOn,
    })
    expect(() => waves([a('x', ['y']), a('y', ['x'])])).toThrow(/cycle/)
  })
})
