import {
  ELBX_PROXY_PROTOCOL_POLICY,
  planProxyProtocol,
} from '../../../../../src/steps/engine/changes/proxy-protocol.js'
import {authPolicy, observedExisting, proxyPolicy, tcp9000} from './world.js'
import {sslPolicy, ELBX_TLS12, TLS12} from '../fixtures.js'

describe('planProxyProtocol', () => {
  it('adds the policy to the instance port and keeps back-end authentication there', () => {
    const plan = planProxyProtocol({instancePort: 9000, enabled: true}, observedExisting())
    expect(plan.actions.map((a) => a.call)).toEqual([
      {
        operation: 'CreateLoadBalancerPolicy',
        loadBalancerName: 'web',
        policyName: ELBX_PROXY_PROTOCOL_POLICY,
        policyTypeName: 'ProxyProtocolPolicyType',
        attributes: [{name: 'ProxyProtocol', value: 'true'}],
      },
      {
        operation: 'SetLoadBalancerPoliciesForBackendServer',
        loadBalancerName: 'web',
        instancePort: 9000,
        policyNames: ['auth-9000', ELBX_PROXY_PROTOCOL_POLICY],
      },
    ])
    expect(plan.actions[1]!.restore).toEqual([
      {
        operation: 'SetLoadBalancerPoliciesForBackendServer',
        loadBalancerName: 'web',
        instancePort: 9000,
        policyNames: ['auth-9000'],
      },
    ])
    expect(plan.warnings[0]).toMatch(/PROXY line/)
  })

  it('is empty when a proxy protocol policy is on the port already (moto spells the type without "Type")', () => {
    const observed = observedExisting(
      {backendServers: [{instancePort: 9000, policyNames: ['auth-9000', 'theirs']}]},
      {policies: [sslPolicy(ELBX_TLS12, TLS12), authPolicy, proxyPolicy('theirs', 'ProxyProtocolPolicy')]},
    )
    expect(planProxyProtocol({instancePort: 9000, enabled: true}, observed).actions).toEqual([])
    const off = planProxyProtocol({instancePort: 9000, enabled: false}, observed)
    expect(off.actions.map((a) => a.call)).toEqual([
      {
        operation: 'SetLoadBalancerPoliciesForBackendServer',
        loadBalancerName: 'web',
        instancePort: 9000,
        policyNames: ['auth-9000'],
      },
    ])
    expect(off.state.enabled).toBe(false)
  })

  it('starts a list for a port AWS describes no back-end entry for, and --off there changes nothing', () => {
    const observed = observedExisting({backendServers: []})
    const plan = planProxyProtocol({instancePort: 9000, enabled: true}, observed)
    expect(plan.actions.at(-1)!.call).toMatchObject({policyNames: [ELBX_PROXY_PROTOCOL_POLICY]})
    expect(planProxyProtocol({instancePort: 9000, enabled: false}, observed).actions).toEqual([])
  })

  it('reuses an elbx-proxy-protocol policy the load balancer has', () => {
    const observed = observedExisting({}, {policies: [authPolicy, proxyPolicy(ELBX_PROXY_PROTOCOL_POLICY)]})
    expect(
      planProxyProtocol({instancePort: 9000, enabled: true}, observed).actions.map((a) => a.call.operation),
    ).toEqual(['SetLoadBalancerPoliciesForBackendServer'])
  })

  it('refuses a port HTTP listeners reach, or none does (AWS: TCP/SSL only)', () => {
    expect(() => planProxyProtocol({instancePort: 80, enabled: true}, observedExisting())).toThrow(
      /only where TCP or SSL listeners send TCP or SSL/,
    )
    const mixed = observedExisting({
      listeners: [
        {listener: tcp9000, policyNames: []},
        {
          listener: {protocol: 'HTTP', loadBalancerPort: 8080, instanceProtocol: 'HTTP', instancePort: 9000},
          policyNames: [],
        },
      ],
    })
    expect(() => planProxyProtocol({instancePort: 9000, enabled: true}, mixed)).toThrow(
      /HTTP 8080 -> HTTP 9000/,
    )
    expect(() => planProxyProtocol({instancePort: 7000, enabled: true}, observedExisting())).toThrow(
      /No listener of "web" sends to instance port 7000/,
    )
  })
})
