import {InvalidInputError} from '../../../../../src/errors.js'
import type {Listener, SecurityGroup} from '../../../../../src/model.js'
import {ELBX_TAG_KEY} from '../../../../../src/steps/certificate.js'
import {
  checkListeners,
  planListeners,
  type DesiredListenerChange,
  type ObservedListeners,
} from '../../../../../src/steps/engine/changes/listeners.js'
import {
  CERT_A,
  CERT_B,
  ELBX_TLS12,
  TLS12,
  existingLoadBalancer,
  http80,
  https443,
  sslPolicy,
} from '../fixtures.js'

const https8443 = {
  protocol: 'HTTPS' as const,
  loadBalancerPort: 8443,
  instanceProtocol: 'HTTP' as const,
  instancePort: 8080,
}
const elbxGroup: SecurityGroup = {
  groupId: 'sg-0elbx',
  groupName: 'elbx-web',
  vpcId: 'vpc-1',
  tags: [{key: ELBX_TAG_KEY, value: 'web'}],
  ingress: [
    {protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '10.0.0.0/8'},
    {protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '10.0.0.0/8'},
  ],
}
/** web: HTTP 80, HTTPS 443 on A with elbx's TLS 1.2 policy and stickiness, elbx's own group. */
const web = existingLoadBalancer({
  listeners: [
    {listener: http80, policyNames: ['sticky-80']},
    {listener: {...https443, sslCertificateId: CERT_A}, policyNames: [ELBX_TLS12, 'sticky']},
  ],
})
const observed = (overrides: Partial<ObservedListeners> = {}): ObservedListeners => ({
  region: 'us-east-1',
  loadBalancer: web,
  policies: [
    sslPolicy(ELBX_TLS12, TLS12),
    {name: 'sticky', typeName: 'LBCookieStickinessPolicyType', attributes: []},
    {name: 'sticky-80', typeName: 'LBCookieStickinessPolicyType', attributes: []},
  ],
  securityGroups: [elbxGroup],
  certificates: [],
  ...overrides,
})
const add = (listeners: Listener[] = [https8443], arn = CERT_B): DesiredListenerChange => ({
  kind: 'add',
  loadBalancerName: 'web',
  listeners,
  certificate: {kind: 'arn', arn},
})
const ids = (p: {actions: {id: string}[]}) => p.actions.map((a) => a.id)

describe('planListeners: add', () => {
  it("creates the listener with elbx's default SSL policy and opens the port to the group's own sources; nothing else is touched", () => {
    const plan = planListeners(add(), observed())
    expect(ids(plan)).toEqual(['create-listeners', 'set-listener-policies:8443', 'authorize-ingress'])
    expect(plan.actions[0]!.call).toEqual({
      operation: 'CreateLoadBalancerListeners',
      loadBalancerName: 'web',
      listeners: [{...https8443, sslCertificateId: CERT_B}],
    })
    expect(plan.actions[1]!.call).toMatchObject({loadBalancerPort: 8443, policyNames: [ELBX_TLS12]})
    expect(plan.actions[2]!.call).toEqual({
      operation: 'AuthorizeSecurityGroupIngress',
      groupId: 'sg-0elbx',
      rules: [{protocol: 'tcp', fromPort: 8443, toPort: 8443, cidr: '10.0.0.0/8'}],
    })
    // The undo of a new listener deletes that one port only.
    expect(plan.actions[0]!.restore).toEqual([
      {operation: 'DeleteLoadBalancerListeners', loadBalancerName: 'web', loadBalancerPorts: [8443]},
    ])
    expect(plan.outcome.listeners.find((d) => d.listener.loadBalancerPort === 443)!.policyNames).toEqual([
      ELBX_TLS12,
      'sticky',
    ])
  })

  it('creates the default SSL policy first when the load balancer has none', () => {
    const plan = planListeners(add(), observed({policies: []}))
    expect(ids(plan)).toEqual([
      'create-listeners',
      `create-policy:${ELBX_TLS12}`,
      'set-listener-policies:8443',
      'authorize-ingress',
    ])
    expect(plan.actions[2]!.dependsOn).toEqual(['create-listeners', `create-policy:${ELBX_TLS12}`])
  })

  it('is empty on a rerun, and refuses another certificate on the same listener (cert rotate does that)', () => {
    const done = existingLoadBalancer({
      listeners: [
        ...web.listeners,
        {listener: {...https8443, sslCertificateId: CERT_B}, policyNames: [ELBX_TLS12]},
      ],
    })
    const group = {
      ...elbxGroup,
      ingress: [
        ...elbxGroup.ingress,
        {protocol: 'tcp' as const, fromPort: 8443, toPort: 8443, cidr: '10.0.0.0/8'},
      ],
    }
    const rerun = planListeners(add(), observed({loadBalancer: done, securityGroups: [group]}))
    expect(rerun.actions).toEqual([])
    expect(rerun.outcome.changes).toEqual(['8443: unchanged'])
    let refusal: InvalidInputError | undefined
    try {
      planListeners(add([https8443], CERT_A), observed({loadBalancer: done}))
    } catch (error) {
      refusal = error as InvalidInputError
    }
    expect(refusal).toBeInstanceOf(InvalidInputError)
    expect(refusal!.message).toMatch(/Listener 8443 of "web" exists with another certificate/)
    expect(refusal!.hint).toMatch(/elbx cert rotate --name web --port 8443/)
  })

  it('replaces a listener whose protocols change: delete then create, traffic interrupted, keeping the policies that still fit', () => {
    const toHttp = {
      protocol: 'HTTPS' as const,
      loadBalancerPort: 443,
      instanceProtocol: 'HTTPS' as const,
      instancePort: 8443,
    }
    const plan = planListeners(add([toHttp]), observed())
    expect(ids(plan)).toEqual(['delete-listener:443', 'create-listeners', 'set-listener-policies:443'])
    expect(plan.actions[0]).toMatchObject({
      call: {operation: 'DeleteLoadBalancerListeners', loadBalancerPorts: [443]},
      interruptsTraffic: true,
    })
    expect(plan.actions[2]!.call).toMatchObject({policyNames: ['sticky', ELBX_TLS12]})
    expect(plan.outcome.changes).toEqual(['443: replaced (traffic interrupted)'])
    // Undone newest first: the new listener goes, the old one comes back with its policies.
    expect(plan.actions[0]!.restore).toEqual([
      {
        operation: 'CreateLoadBalancerListeners',
        loadBalancerName: 'web',
        listeners: [{...https443, sslCertificateId: CERT_A}],
      },
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        policyNames: [ELBX_TLS12, 'sticky'],
      },
    ])

    const toTcp = {
      protocol: 'TCP' as const,
      loadBalancerPort: 443,
      instanceProtocol: 'TCP' as const,
      instancePort: 443,
    }
    const tcp = planListeners({kind: 'add', loadBalancerName: 'web', listeners: [toTcp]}, observed())
    expect(ids(tcp)).toEqual(['delete-listener:443', 'create-listeners'])
    expect(tcp.outcome.warnings.join('\n')).toMatch(
      /cannot carry elbx-ssl-TLS-1-2-2017-01, sticky: they are dropped/,
    )
  })

  it('never touches a security group elbx did not make, and says which port it does not admit', () => {
    const theirs = {...elbxGroup, groupId: 'sg-0theirs', tags: []}
    const plan = planListeners(
      add(),
      observed({loadBalancer: {...web, securityGroups: ['sg-0theirs']}, securityGroups: [theirs]}),
    )
    expect(plan.actions.map((a) => a.call.operation)).not.toContain('AuthorizeSecurityGroupIngress')
    expect(plan.outcome.warnings.join('\n')).toMatch(
      /sg-0theirs, not made by elbx, so left alone\) admits TCP 8443/,
    )
  })
})

describe('planListeners: remove', () => {
  const remove = (ports: number[]): DesiredListenerChange => ({
    kind: 'remove',
    loadBalancerName: 'web',
    loadBalancerPorts: ports,
  })
  const three = existingLoadBalancer({
    listeners: [
      ...web.listeners,
      {listener: {...https8443, sslCertificateId: CERT_B}, policyNames: [ELBX_TLS12]},
    ],
  })

  it('deletes one port per request and closes the single-port rules elbx opened for it; a wider rule stays', () => {
    const group = {
      ...elbxGroup,
      ingress: [
        ...elbxGroup.ingress,
        {protocol: 'tcp' as const, fromPort: 8443, toPort: 8443, cidr: '10.0.0.0/8'},
        {protocol: 'tcp' as const, fromPort: 8000, toPort: 9000, cidr: '192.168.0.0/16'},
      ],
    }
    const plan = planListeners(remove([8443, 443]), observed({loadBalancer: three, securityGroups: [group]}))
    expect(ids(plan)).toEqual(['delete-listener:8443', 'delete-listener:443', 'revoke-ingress'])
    expect(
      plan.actions.filter((a) => a.call.operation === 'DeleteLoadBalancerListeners').map((a) => a.call),
    ).toEqual([
      {operation: 'DeleteLoadBalancerListeners', loadBalancerName: 'web', loadBalancerPorts: [8443]},
      {operation: 'DeleteLoadBalancerListeners', loadBalancerName: 'web', loadBalancerPorts: [443]},
    ])
    expect(plan.actions[2]!.call).toEqual({
      operation: 'RevokeSecurityGroupIngress',
      groupId: 'sg-0elbx',
      rules: [
        {protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '10.0.0.0/8'},
        {protocol: 'tcp', fromPort: 8443, toPort: 8443, cidr: '10.0.0.0/8'},
      ],
    })
    expect(plan.outcome.warnings).toEqual([
      'Security group sg-0elbx keeps TCP 8000-9000 from 192.168.0.0/16: the rule admits other ports too.',
    ])
    expect(plan.outcome.listeners.map((d) => d.listener.loadBalancerPort)).toEqual([80])
  })

  it('is empty for a port without a listener (a rerun)', () => {
    const plan = planListeners(remove([8443]), observed())
    expect(plan.actions).toEqual([])
    expect(plan.outcome.changes).toEqual(['8443: no listener there'])
  })

  it('refuses to remove the last listener (exit 2)', () => {
    expect(() => checkListeners(remove([80, 443]), observed())).toThrow(InvalidInputError)
    expect(() => checkListeners(remove([80, 443]), observed())).toThrow(/last listener of "web"/)
    expect(() => checkListeners(remove([443]), observed())).not.toThrow()
  })
})
