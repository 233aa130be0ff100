import type {ElbGateway} from '../../../src/aws/gateways.js'
import type {Listener, LoadBalancer, Policy, PolicyAttribute} from '../../../src/model.js'
import {
  PREDEFINED_SSL_POLICIES,
  findPredefinedSslPolicy,
} from '../../../src/policy/predefined-ssl-policies.js'
import {SSL_CIPHERS, SSL_PROTOCOLS} from '../../../src/policy/ssl-attributes.js'
import {fakeElb, sdkError} from '../steps/fakes.js'

/** How AWS describes an SSL policy: every protocol and cipher attribute, true or false (~100 of them). */
export function expand(
  reference: string | undefined,
  protocols: string[],
  ciphers: string[],
  serverOrder: boolean,
) {
  return [
    ...(reference ? [{name: 'Reference-Security-Policy', value: reference}] : []),
    ...[...SSL_PROTOCOLS, 'SSLv2'].map((p) => ({
      name: `Protocol-${p}`,
      value: String(protocols.includes(p)),
    })),
    {name: 'Server-Defined-Cipher-Order', value: String(serverOrder)},
    ...SSL_CIPHERS.map((c) => ({name: c, value: String(ciphers.includes(c))})),
  ]
}

/**
 * An ElbGateway that behaves as AWS documents, for the policy steps' logic: it expands SSL policies,
 * answers DescribeLoadBalancerPolicies without a load balancer name (or refuses, as some endpoints
 * do), refuses a duplicate policy name, a predefined name set straight on a listener
 * (PolicyNotFound), and deleting a policy in use.
 */
export class AwsLikeElb {
  readonly calls: string[] = []
  readonly policies = new Map<string, Policy>()
  refusePredefined = false
  refusePolicyTypes = false

  constructor(public lb: LoadBalancer) {}

  static loadBalancer(listeners: Listener[], policyNames: Record<number, string[]> = {}): LoadBalancer {
    return {
      name: 'web',
      dnsName: 'web-1.us-east-1.elb.amazonaws.com',
      scheme: 'internet-facing',
      subnets: [],
      availabilityZones: ['us-east-1a'],
      securityGroups: [],
      listeners: listeners.map((listener) => ({
        listener,
        policyNames: policyNames[listener.loadBalancerPort] ?? [],
      })),
      backendServers: [],
      instanceIds: [],
      policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
    }
  }

  addPolicy(name: string, typeName: string, attributes: PolicyAttribute[]): void {
    this.policies.set(name, {name, typeName, attributes})
  }

  private expanded(p: Policy): Policy {
    if (p.typeName !== 'SSLNegotiationPolicyType') return p
    const ref = p.attributes.find((a) => a.name === 'Reference-Security-Policy')?.value
    if (ref) {
      const t = findPredefinedSslPolicy(ref)!
      return {...p, attributes: expand(ref, t.protocols ?? [], t.ciphers ?? [], true)}
    }
    const on = (n: string) => p.attributes.some((a) => a.name === n && a.value === 'true')
    return {
      ...p,
      attributes: expand(
        undefined,
        SSL_PROTOCOLS.filter((x) => on(`Protocol-${x}`)),
        SSL_CIPHERS.filter(on),
        on('Server-Defined-Cipher-Order'),
      ),
    }
  }

  private inUse(name: string): boolean {
    return (
      this.lb.listeners.some((l) => l.policyNames.includes(name)) ||
      this.lb.backendServers.some((b) => b.policyNames.includes(name))
    )
  }

  get writes(): string[] {
    return this.calls.filter((c) => !c.startsWith('Describe'))
  }

  gateway(): ElbGateway {
    return fakeElb({
      describeLoadBalancer: async (name) => {
        this.calls.push('DescribeLoadBalancers')
        return name === this.lb.name ? structuredClone(this.lb) : undefined
      },
      describePolicies: async (lbName, names = []) => {
        this.calls.push(`DescribeLoadBalancerPolicies ${lbName ?? '-'} ${names.join(',')}`.trim())
        if (!lbName) {
          if (this.refusePredefined)
            throw sdkError('AccessPointNotFoundException', 'There is no ACTIVE Load Balancer named')
          return PREDEFINED_SSL_POLICIES.filter((p) => !names.length || names.includes(p.name)).map((p) => ({
            name: p.name,
            typeName: 'SSLNegotiationPolicyType',
            attributes: expand(undefined, p.protocols ?? ['TLSv1', 'SSLv3'], p.ciphers ?? ['RC4-SHA'], true),
          }))
        }
        const all = [...this.policies.values()].map((p) => this.expanded(p))
        if (!names.length) return all
        if (names.some((n) => !this.policies.has(n))) throw sdkError('PolicyNotFoundException')
        return all.filter((p) => names.includes(p.name))
      },
      describePolicyTypes: async () => {
        this.calls.push('DescribeLoadBalancerPolicyTypes')
        if (this.refusePolicyTypes) throw sdkError('PolicyTypeNotFoundException')
        return [
          {
            name: 'SSLNegotiationPolicyType',
            attributes: [...SSL_CIPHERS, 'CHACHA20-POLY1305'].map((name) => ({name, type: 'Boolean'})),
          },
        ]
      },
      createPolicy: async (_lbName, name, typeName, attributes) => {
        this.calls.push(`CreateLoadBalancerPolicy ${name}`)
        if (this.policies.has(name)) throw sdkError('DuplicatePolicyNameException')
        this.addPolicy(name, typeName, attributes)
      },
      setListenerPolicies: async (_lbName, port, names) => {
        this.calls.push(`SetLoadBalancerPoliciesOfListener ${port} ${names.join(',')}`)
        if (names.some((n) => !this.policies.has(n))) throw sdkError('PolicyNotFoundException')
        this.lb.listeners.find((l) => l.listener.loadBalancerPort === port)!.policyNames = names
      },
      setBackendServerPolicies: async (_lbName, port, names) => {
        this.calls.push(`SetLoadBalancerPoliciesForBackendServer ${port} ${names.join(',')}`)
        if (names.some((n) => !this.policies.has(n))) throw sdkError('PolicyNotFoundException')
        this.lb.backendServers = [
          ...this.lb.backendServers.filter((b) => b.instancePort !== port),
          ...(names.length ? [{instancePort: port, policyNames: names}] : []),
        ]
      },
      deletePolicy: async (_lbName, name) => {
        this.calls.push(`DeleteLoadBalancerPolicy ${name}`)
        if (this.inUse(name)) throw sdkError('InvalidConfigurationRequestException', 'policy is enabled')
        this.policies.delete(name)
      },
    })
  }
}

export const HTTPS_443: Listener = {
  protocol: 'HTTPS',
  loadBalancerPort: 443,
  instanceProtocol: 'HTTP',
  instancePort: 80,
  sslCertificateId: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
}
export const HTTP_80: Listener = {
  protocol: 'HTTP',
  loadBalancerPort: 80,
  instanceProtocol: 'HTTP',
  instancePort: 80,
}
