import type {LoadBalancer, Listener, Policy} from '../../../../src/model.js'
import {CONSOLE_DEFAULT_ATTRIBUTES} from '../../../../src/validate/attributes.js'
import type {DesiredLoadBalancer} from '../../../../src/steps/engine/desired.js'
import type {Observed} from '../../../../src/steps/engine/observe.js'
import {sslPolicyAttributes} from '../../../../src/steps/ssl-policy.js'
import {SSL_NEGOTIATION_POLICY_TYPE} from '../../../../src/policy/ssl-attributes.js'

export const TLS12 = 'ELBSecurityPolicy-TLS-1-2-2017-01'
export const ELBX_TLS12 = 'elbx-ssl-TLS-1-2-2017-01'
export const CERT_A = 'arn:aws:iam::123456789012:server-certificate/cert-a'
export const CERT_B = 'arn:aws:iam::123456789012:server-certificate/cert-b'

export const http80: Listener = {
  protocol: 'HTTP',
  loadBalancerPort: 80,
  instanceProtocol: 'HTTP',
  instancePort: 80,
}
export const https443: Listener = {
  protocol: 'HTTPS',
  loadBalancerPort: 443,
  instanceProtocol: 'HTTPS',
  instancePort: 443,
}

/** The AWS guide's load balancer: HTTP 80 and HTTPS 443 (back-end HTTPS), every step's settings. */
export function desired(overrides: Partial<DesiredLoadBalancer> = {}): DesiredLoadBalancer {
  return {
    name: 'web',
    scheme: 'internet-facing',
    listeners: [http80, https443],
    certificate: {
      kind: 'upload',
      name: 'elbx-web-0123456789abcdef',
      checked: {
        certificateBody: 'CERT',
        privateKey: 'KEY',
        subject: 'CN=web',
        notAfter: '2099-01-01T00:00:00Z',
        fingerprint: '0123456789abcdef',
      },
    },
    network: {subnets: ['subnet-0a', 'subnet-0b']},
    securityGroups: [],
    ingressCidrs: ['0.0.0.0/0'],
    sslPolicies: [
      {
        loadBalancerPort: 443,
        spec: {kind: 'predefined', name: TLS12},
        policyName: ELBX_TLS12,
        isDefault: false,
      },
    ],
    backendAuthentication: [{instancePort: 443, publicKeys: ['PUBLICKEY']}],
    healthCheck: {target: 'HTTP:80/ping'},
    attributes: CONSOLE_DEFAULT_ATTRIBUTES,
    tags: [{key: 'team', value: 'web'}],
    instances: ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'],
    ...overrides,
  }
}

/** An account where nothing of the load balancer exists yet: a VPC with two subnets and two running instances. */
export function observedNothing(overrides: Partial<Observed> = {}): Observed {
  return {
    region: 'us-east-1',
    network: {
      vpcId: 'vpc-1',
      subnets: ['subnet-0a', 'subnet-0b'],
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      defaultVpc: false,
    },
    policies: [],
    givenSecurityGroups: [],
    instances: [
      {instanceId: 'i-0aaaaaaaaaaaaaaaa', state: 'running', vpcId: 'vpc-1', availabilityZone: 'us-east-1a'},
      {instanceId: 'i-0bbbbbbbbbbbbbbbb', state: 'running', vpcId: 'vpc-1', availabilityZone: 'us-east-1b'},
    ],
    certificates: [],
    ...overrides,
  }
}

export const sslPolicy = (name: string, reference: string): Policy => ({
  name,
  typeName: SSL_NEGOTIATION_POLICY_TYPE,
  attributes: sslPolicyAttributes({kind: 'predefined', name: reference}),
})

/** The load balancer a first run of desired() leaves (listeners with certificate A). */
export function existingLoadBalancer(overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    name: 'web',
    dnsName: 'web-1.us-east-1.elb.amazonaws.com',
    scheme: 'internet-facing',
    vpcId: 'vpc-1',
    subnets: ['subnet-0a', 'subnet-0b'],
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    securityGroups: ['sg-0elbx'],
    listeners: [
      {listener: http80, policyNames: []},
      {listener: {...https443, sslCertificateId: CERT_A}, policyNames: [ELBX_TLS12]},
    ],
    backendServers: [],
    healthCheck: {
      target: 'HTTP:80/ping',
      interval: 30,
      timeout: 5,
      unhealthyThreshold: 2,
      healthyThreshold: 10,
    },
    instanceIds: ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'],
    policies: {appCookieStickiness: [], lbCookieStickiness: [], other: [ELBX_TLS12]},
    ...overrides,
  }
}

/** What observe() reads once desired() (with certificate A given by ARN) is fully in place. */
export function observedInPlace(overrides: Partial<Observed> = {}): Observed {
  return observedNothing({
    loadBalancer: existingLoadBalancer(),
    policies: [sslPolicy(ELBX_TLS12, TLS12)],
    attributes: CONSOLE_DEFAULT_ATTRIBUTES,
    tags: [{key: 'team', value: 'web'}],
    elbxSecurityGroup: {
      groupId: 'sg-0elbx',
      groupName: 'elbx-web',
      vpcId: 'vpc-1',
      tags: [],
      ingress: [
        {protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0'},
        {protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0'},
      ],
    },
    certificates: [{kind: 'iam', arn: CERT_A, found: {name: 'cert-a', id: 'ASCA1', arn: CERT_A, tags: []}}],
    ...overrides,
  })
}

/** desired() with certificate A by ARN and no back-end authentication: exactly what observedInPlace() holds. */
export const desiredInPlace = (overrides: Partial<DesiredLoadBalancer> = {}) =>
  desired({certificate: {kind: 'arn', arn: CERT_A}, backendAuthentication: [], ...overrides})
