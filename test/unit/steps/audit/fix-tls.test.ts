import type {Finding} from '../../../../src/steps/audit/finding.js'
import {checkFixTarget, planTlsFix, planTlsFixes, applyTlsFixes} from '../../../../src/steps/audit/fix-tls.js'
import type {LocatedFacts} from '../../../../src/steps/audit/index.js'
import type {Gateways} from '../../../../src/aws/gateways.js'
import {fakeElb, sdkError} from '../fakes.js'
import {facts, http80, https443, loadBalancer} from './fixtures.js'

const TLS12 = {kind: 'predefined' as const, name: 'ELBSecurityPolicy-TLS-1-2-2017-01'}

/** HTTPS 443 with stickiness and AWS's default, SSL 8443 on 2015-05. */
function located(overrides: Partial<LocatedFacts> = {}): LocatedFacts {
  return {
    ...facts({
      loadBalancer: loadBalancer({
        listeners: [
          {listener: http80, policyNames: []},
          {listener: https443, policyNames: ['sticky', 'ELBSecurityPolicy-2016-08']},
          {
            listener: {...https443, protocol: 'SSL', instanceProtocol: 'TCP', loadBalancerPort: 8443},
            policyNames: ['old'],
          },
        ],
        policies: {appCookieStickiness: [], lbCookieStickiness: ['sticky'], other: ['old']},
      }),
      policies: [
        {name: 'sticky', typeName: 'LBCookieStickinessPolicyType', attributes: []},
        {
          name: 'old',
          typeName: 'SSLNegotiationPolicyType',
          attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2015-05'}],
        },
      ],
    }),
    profile: 'default',
    region: 'us-east-1',
    ...overrides,
  }
}

const finding = (port: number, rule = 'tls-below-minimum'): Finding =>
  ({
    profile: 'default',
    region: 'us-east-1',
    loadBalancerName: 'web',
    rule,
    severity: 'error',
    resource: `listener ${port}`,
    loadBalancerPort: port,
    message: '',
    fix: '',
  }) as Finding

describe('--fix tls plan', () => {
  it('creates the policy once and swaps only the SSL negotiation policy on each listener, keeping stickiness', () => {
    const plan = planTlsFix(located(), [8443, 443], TLS12)
    expect(plan.actions.map((a) => [a.call.operation, a.dependsOn])).toEqual([
      ['CreateLoadBalancerPolicy', []],
      ['SetLoadBalancerPoliciesOfListener', ['create-policy:elbx-ssl-TLS-1-2-2017-01']],
      ['SetLoadBalancerPoliciesOfListener', ['create-policy:elbx-ssl-TLS-1-2-2017-01']],
    ])
    expect(plan.actions[0]!.call).toMatchObject({
      policyName: 'elbx-ssl-TLS-1-2-2017-01',
      attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'}],
    })
    expect(plan.actions[1]!.call).toMatchObject({
      loadBalancerPort: 443,
      policyNames: ['sticky', 'elbx-ssl-TLS-1-2-2017-01'],
    })
    expect(plan.actions[1]!.restore).toEqual([
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        policyNames: ['sticky', 'ELBSecurityPolicy-2016-08'],
      },
    ])
    expect(plan.actions[2]!.call).toMatchObject({
      loadBalancerPort: 8443,
      policyNames: ['elbx-ssl-TLS-1-2-2017-01'],
    })
  })

  it('reuses the policy when the load balancer has it, and plans nothing for a listener already on it', () => {
    const f = located()
    const on = located({
      policies: [
        ...f.policies,
        {
          name: 'elbx-ssl-TLS-1-2-2017-01',
          typeName: 'SSLNegotiationPolicyType',
          attributes: [{name: 'Reference-Security-Policy', value: TLS12.name}],
        },
      ],
      loadBalancer: {
        ...f.loadBalancer,
        listeners: [
          f.loadBalancer.listeners[1]!,
          {...f.loadBalancer.listeners[2]!, policyNames: ['elbx-ssl-TLS-1-2-2017-01']},
        ],
      },
    })
    const plan = planTlsFix(on, [443, 8443], TLS12)
    expect(plan.actions.map((a) => [a.id, a.dependsOn])).toEqual([['set-listener-policies:443', []]])
  })

  it('refuses a load balancer whose policy of that name says something else', () => {
    const f = located()
    const clash = located({
      policies: [
        ...f.policies,
        {
          name: 'elbx-ssl-TLS-1-2-2017-01',
          typeName: 'SSLNegotiationPolicyType',
          attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2016-08'}],
        },
      ],
    })
    expect(planTlsFix(clash, [443], TLS12)).toMatchObject({
      actions: [],
      refused: expect.stringContaining('other settings'),
    })
  })

  it('plans only for the listeners the TLS findings name', () => {
    const plans = planTlsFixes(
      [located()],
      [finding(443, 'aws-default-ssl-policy'), finding(443), finding(80, 'http-only')],
      TLS12,
    )
    expect(plans).toHaveLength(1)
    expect(plans[0]!.loadBalancerPorts).toEqual([443])
  })

  it('a load balancer that fails does not stop the others, and only its own changes are undone', async () => {
    const a = planTlsFix(located(), [443], TLS12)
    const b = {...planTlsFix(located(), [443], TLS12), loadBalancerName: 'other'}
    b.actions = b.actions.map((x) => ({...x, call: {...x.call, loadBalancerName: 'other'}}) as typeof x)
    const deleted: string[] = []
    const elb = fakeElb({
      createPolicy: async () => {},
      setListenerPolicies: async (name) => {
        if (name === 'other')
          throw sdkError('AccessDenied', 'not authorized to SetLoadBalancerPoliciesOfListener')
      },
      deletePolicy: async (name, policy) => {
        deleted.push(`${name}/${policy}`)
      },
    })
    const outcomes = await applyTlsFixes(
      [a, b, {...a, loadBalancerName: 'done', actions: []}],
      () => ({elb, region: 'us-east-1'}) as unknown as Gateways,
      {concurrency: 2, commandFor: (r) => r.operation},
    )
    expect(outcomes.map((o) => [o.loadBalancerName, o.status])).toEqual([
      ['web', 'changed'],
      ['other', 'failed'],
      ['done', 'unchanged'],
    ])
    expect(outcomes[1]!.reason).toContain('AccessDenied')
    // The policy the failed run created on "other" is deleted again; "web" keeps its new one.
    expect(deleted).toEqual([`other/${a.policyName}`])
    expect(outcomes[1]!.rollback?.join('\n')).toContain(a.policyName)
  })

  it('--to must be a predefined policy that passes --min-tls', () => {
    expect(checkFixTarget('ELBSecurityPolicy-TLS-1-2-2017-01', 'TLSv1.2')).toEqual(TLS12)
    expect(() => checkFixTarget('ELBSecurityPolicy-TLS-1-1-2017-01', 'TLSv1.2')).toThrow(
      /enables TLSv1.1, older than --min-tls TLSv1.2/,
    )
    expect(checkFixTarget('ELBSecurityPolicy-TLS-1-1-2017-01', 'TLSv1.1')).toEqual({
      kind: 'predefined',
      name: 'ELBSecurityPolicy-TLS-1-1-2017-01',
    })
    expect(() => checkFixTarget('ELBSecurityPolicy-2011-08', 'TLSv1')).toThrow(/no longer documents/)
    expect(() => checkFixTarget('my-policy', 'TLSv1.2')).toThrow(/not one of AWS's predefined/)
  })
})
