import type {LoadBalancer, Policy} from '../../../../../src/model.js'
import type {ObservedExisting} from '../../../../../src/steps/engine/change-flow.js'
import {CONSOLE_DEFAULT_ATTRIBUTES} from '../../../../../src/validate/attributes.js'
import {ELBX_TLS12, TLS12, existingLoadBalancer, sslPolicy} from '../fixtures.js'

export const tcp9000 = {
  protocol: 'TCP' as const,
  loadBalancerPort: 9000,
  instanceProtocol: 'TCP' as const,
  instancePort: 9000,
}

/**
 * The guide's load balancer (HTTP 80, HTTPS 443 with elbx's SSL policy and a stickiness policy),
 * a TCP 9000 listener, and back-end authentication on instance port 9000: every policy a change
 * must keep.
 */
export function observedExisting(
  lb: Partial<LoadBalancer> = {},
  more: Partial<ObservedExisting> = {},
): ObservedExisting {
  const base = existingLoadBalancer()
  return {
    region: 'us-east-1',
    loadBalancer: {
      ...base,
      listeners: [
        base.listeners[0]!,
        {listener: base.listeners[1]!.listener, policyNames: [ELBX_TLS12, 'sticky-60']},
        {listener: tcp9000, policyNames: []},
      ],
      backendServers: [{instancePort: 9000, policyNames: ['auth-9000']}],
      policies: {
        appCookieStickiness: [],
        lbCookieStickiness: ['sticky-60'],
        other: [ELBX_TLS12, 'auth-9000'],
      },
      stickinessPolicies: [{kind: 'lb-cookie', policyName: 'sticky-60', cookieExpirationPeriod: 60}],
      ...lb,
    },
    policies: [sslPolicy(ELBX_TLS12, TLS12), authPolicy],
    attributes: CONSOLE_DEFAULT_ATTRIBUTES,
    tags: [
      {key: 'team', value: 'web'},
      {key: 'elbx:run', value: 'run-1'},
    ],
    ...more,
  }
}

export const authPolicy: Policy = {
  name: 'auth-9000',
  typeName: 'BackendServerAuthenticationPolicyType',
  attributes: [{name: 'PublicKeyPolicyName', value: 'key-1'}],
}

export const proxyPolicy = (name: string, typeName = 'ProxyProtocolPolicyType'): Policy => ({
  name,
  typeName,
  attributes: [{name: 'ProxyProtocol', value: 'true'}],
})
