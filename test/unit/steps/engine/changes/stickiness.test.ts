import {planStickiness, stickinessPolicyName} from '../../../../../src/steps/engine/changes/stickiness.js'
import {ELBX_TLS12} from '../fixtures.js'
import {observedExisting} from './world.js'

const calls = (plan: ReturnType<typeof planStickiness>) => plan.actions.map((a) => a.call)

describe('planStickiness', () => {
  it('swaps only the stickiness policy of the listener: the SSL negotiation policy stays (aws-cli#2587)', () => {
    const plan = planStickiness(
      {loadBalancerPort: 443, stickiness: {kind: 'lb-cookie', cookieExpirationPeriod: 300}},
      observedExisting(),
    )
    expect(calls(plan)).toEqual([
      {
        operation: 'CreateLBCookieStickinessPolicy',
        loadBalancerName: 'web',
        policyName: 'elbx-lb-cookie-300',
        cookieExpirationPeriod: 300,
      },
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        policyNames: [ELBX_TLS12, 'elbx-lb-cookie-300'],
      },
    ])
    expect(plan.actions[1]!.dependsOn).toEqual(['create-policy:elbx-lb-cookie-300'])
    expect(plan.actions[1]!.restore).toEqual([
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        policyNames: [ELBX_TLS12, 'sticky-60'],
      },
    ])
    expect(plan.state.stickiness).toEqual({
      kind: 'lb-cookie',
      policyName: 'elbx-lb-cookie-300',
      cookieExpirationPeriod: 300,
    })
    expect(plan.changes).toEqual(['listener 443: stickiness lb-cookie 300 s (was lb-cookie 60 s)'])
  })

  it('touches no other listener (Ansible sets every one)', () => {
    const plan = planStickiness(
      {loadBalancerPort: 80, stickiness: {kind: 'app-cookie', cookieName: 'JSESSIONID'}},
      observedExisting(),
    )
    const ports = plan.actions.flatMap((a) => ('loadBalancerPort' in a.call ? [a.call.loadBalancerPort] : []))
    expect(ports).toEqual([80])
    expect(calls(plan)[0]).toEqual({
      operation: 'CreateAppCookieStickinessPolicy',
      loadBalancerName: 'web',
      policyName: stickinessPolicyName({kind: 'app-cookie', cookieName: 'JSESSIONID'}),
      cookieName: 'JSESSIONID',
    })
  })

  it('is empty when the listener already has that stickiness, under whatever policy name', () => {
    const plan = planStickiness(
      {loadBalancerPort: 443, stickiness: {kind: 'lb-cookie', cookieExpirationPeriod: 60}},
      observedExisting(),
    )
    expect(plan.actions).toEqual([])
    expect(plan.state.policyNames).toEqual([ELBX_TLS12, 'sticky-60'])
  })

  it('reuses the policy when the load balancer already has it, and only sets the listener', () => {
    const observed = observedExisting({
      policies: {
        appCookieStickiness: [],
        lbCookieStickiness: ['sticky-60', 'elbx-lb-cookie-session'],
        other: [ELBX_TLS12],
      },
      stickinessPolicies: [
        {kind: 'lb-cookie', policyName: 'sticky-60', cookieExpirationPeriod: 60},
        {kind: 'lb-cookie', policyName: 'elbx-lb-cookie-session'},
      ],
    })
    const plan = planStickiness({loadBalancerPort: 443, stickiness: {kind: 'lb-cookie'}}, observed)
    expect(plan.actions.map((a) => a.call.operation)).toEqual(['SetLoadBalancerPoliciesOfListener'])
    expect(plan.actions[0]!.dependsOn).toEqual([])
  })

  it('--off removes the stickiness policy and keeps the rest; nothing when there is none', () => {
    const off = planStickiness({loadBalancerPort: 443, stickiness: {kind: 'off'}}, observedExisting())
    expect(calls(off)).toEqual([
      {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        policyNames: [ELBX_TLS12],
      },
    ])
    expect(off.state.stickiness).toBeNull()
    expect(
      planStickiness({loadBalancerPort: 80, stickiness: {kind: 'off'}}, observedExisting()).actions,
    ).toEqual([])
  })

  it('refuses a TCP listener and a missing port before any write (AWS: HTTP and HTTPS only)', () => {
    expect(() =>
      planStickiness({loadBalancerPort: 9000, stickiness: {kind: 'lb-cookie'}}, observedExisting()),
    ).toThrow(/AWS allows stickiness only on HTTP and HTTPS listeners/)
    expect(() =>
      planStickiness({loadBalancerPort: 8443, stickiness: {kind: 'lb-cookie'}}, observedExisting()),
    ).toThrow(/has no listener on port 8443/)
  })

  it('refuses a policy of its name with other settings (policies cannot change in place)', () => {
    const observed = observedExisting({
      policies: {appCookieStickiness: [], lbCookieStickiness: ['elbx-lb-cookie-300'], other: []},
      stickinessPolicies: [{kind: 'lb-cookie', policyName: 'elbx-lb-cookie-300', cookieExpirationPeriod: 30}],
    })
    expect(() =>
      planStickiness(
        {loadBalancerPort: 80, stickiness: {kind: 'lb-cookie', cookieExpirationPeriod: 300}},
        observed,
      ),
    ).toThrow(expect.objectContaining({exitCode: 2, message: expect.stringMatching(/lb-cookie 30 s/)}))
  })

  it('deletes the elbx policy it replaces once no listener uses it (they pile up otherwise), and can put it back', () => {
    const elbx300 = {
      kind: 'lb-cookie' as const,
      policyName: 'elbx-lb-cookie-300',
      cookieExpirationPeriod: 300,
    }
    const lb = (port80: string[]) => ({
      listeners: [
        {listener: observedExisting().loadBalancer.listeners[0]!.listener, policyNames: port80},
        {
          listener: observedExisting().loadBalancer.listeners[1]!.listener,
          policyNames: [ELBX_TLS12, 'elbx-lb-cookie-300'],
        },
      ],
      policies: {appCookieStickiness: [], lbCookieStickiness: ['elbx-lb-cookie-300'], other: [ELBX_TLS12]},
      stickinessPolicies: [elbx300],
    })
    const app = planStickiness(
      {loadBalancerPort: 443, stickiness: {kind: 'app-cookie', cookieName: 'sid'}},
      observedExisting(lb([])),
    )
    const del = app.actions.at(-1)!
    expect(del.call).toEqual({
      operation: 'DeleteLoadBalancerPolicy',
      loadBalancerName: 'web',
      policyName: 'elbx-lb-cookie-300',
    })
    expect(del.dependsOn).toEqual(['set-listener-policies:443'])
    expect(del.restore).toEqual([
      {
        operation: 'CreateLBCookieStickinessPolicy',
        loadBalancerName: 'web',
        policyName: 'elbx-lb-cookie-300',
        cookieExpirationPeriod: 300,
      },
    ])
    expect(
      planStickiness(
        {loadBalancerPort: 443, stickiness: {kind: 'off'}},
        observedExisting(lb([])),
      ).actions.map((a) => a.call.operation),
    ).toEqual(['SetLoadBalancerPoliciesOfListener', 'DeleteLoadBalancerPolicy'])
    // Another listener still uses it: it stays.
    expect(
      planStickiness(
        {loadBalancerPort: 443, stickiness: {kind: 'off'}},
        observedExisting(lb(['elbx-lb-cookie-300'])),
      ).actions.map((a) => a.call.operation),
    ).toEqual(['SetLoadBalancerPoliciesOfListener'])
  })
})
