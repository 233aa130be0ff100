import type {Listener, LoadBalancer} from '../../../src/model.js'
import {loadBalancerDifferences, type LoadBalancerSpec} from '../../../src/steps/load-balancer.js'

const ARN = 'arn:aws:iam::123456789012:server-certificate/site'
const seed: Listener[] = [
  {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
  {
    protocol: 'HTTPS',
    loadBalancerPort: 443,
    instanceProtocol: 'HTTP',
    instancePort: 80,
    sslCertificateId: ARN,
  },
]
const spec = (over: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec => ({
  name: 'web',
  listeners: seed,
  scheme: 'internet-facing',
  subnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'],
  availabilityZones: [],
  securityGroups: ['sg-00000001'],
  ...over,
})
/** The load balancer spec() describes, as AWS reads it back. */
const existing: LoadBalancer = {
  name: 'web',
  dnsName: 'web-123.us-east-1.elb.amazonaws.com',
  scheme: 'internet-facing',
  vpcId: 'vpc-11111111',
  subnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'],
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  securityGroups: ['sg-00000001'],
  listeners: seed.map((listener) => ({listener, policyNames: []})),
  backendServers: [],
  instanceIds: [],
  policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
}

describe('loadBalancerDifferences (what a raced CreateLoadBalancer compares)', () => {
  it('finds none for the same load balancer, in any order of subnets', () => {
    expect(
      loadBalancerDifferences(existing, spec({subnets: ['subnet-bbbbbbbb', 'subnet-aaaaaaaa']})),
    ).toEqual([])
  })

  it('names every difference', () => {
    const want = spec({
      scheme: 'internal',
      listeners: [
        {
          protocol: 'HTTPS',
          loadBalancerPort: 443,
          instanceProtocol: 'HTTPS',
          instancePort: 443,
          sslCertificateId: ARN,
        },
        {protocol: 'TCP', loadBalancerPort: 22, instanceProtocol: 'TCP', instancePort: 22},
      ],
      subnets: ['subnet-cccccccc'],
      securityGroups: ['sg-00000009'],
    })
    expect(loadBalancerDifferences(existing, want)).toEqual([
      'scheme is internet-facing, not internal',
      'listener on port 443 is HTTPS 443 -> HTTP 80, not HTTPS 443 -> HTTPS 443',
      'no listener on port 22 (wanted TCP 22 -> TCP 22)',
      'it has another listener, HTTP 80 -> HTTP 80',
      'subnets are subnet-aaaaaaaa, subnet-bbbbbbbb, not subnet-cccccccc',
      'security groups are sg-00000001, not sg-00000009',
    ])
  })

  it('notices another certificate on the same listener', () => {
    const other = 'arn:aws:acm:us-east-1:123456789012:certificate/abc'
    const listeners = seed.map((l) => (l.sslCertificateId ? {...l, sslCertificateId: other} : l))
    expect(loadBalancerDifferences(existing, spec({listeners}))).toEqual([
      `listener on port 443 is HTTPS 443 -> HTTP 80 (certificate ${ARN}), not HTTPS 443 -> HTTP 80 (certificate ${other})`,
    ])
  })

  it('compares Availability Zones when no subnets are given', () => {
    expect(loadBalancerDifferences(existing, spec({subnets: [], availabilityZones: ['us-east-1a']}))).toEqual(
      ['Availability Zones are us-east-1a, us-east-1b, not us-east-1a'],
    )
  })
})
