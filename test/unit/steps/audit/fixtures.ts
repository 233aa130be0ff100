import type {Listener, LoadBalancer} from '../../../../src/model.js'
import type {AuditRuleOptions, LoadBalancerFacts} from '../../../../src/steps/audit/facts.js'

export const CERT = 'arn:aws:iam::123456789012:server-certificate/web'

export const http80: Listener = {
  protocol: 'HTTP',
  loadBalancerPort: 80,
  instanceProtocol: 'HTTP',
  instancePort: 80,
}
export const https443: Listener = {
  protocol: 'HTTPS',
  loadBalancerPort: 443,
  instanceProtocol: 'HTTP',
  instancePort: 80,
  sslCertificateId: CERT,
}

export const OPTIONS: AuditRuleOptions = {minTls: 'TLSv1.2', expiringWithinDays: 30}

export function loadBalancer(overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    name: 'web',
    dnsName: 'web-1.us-east-1.elb.amazonaws.com',
    scheme: 'internet-facing',
    vpcId: 'vpc-1',
    subnets: ['subnet-a', 'subnet-b'],
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    securityGroups: ['sg-1'],
    listeners: [
      {listener: http80, policyNames: []},
      {listener: https443, policyNames: ['elbx-ssl-TLS-1-2-2017-01']},
    ],
    backendServers: [],
    healthCheck: {
      target: 'HTTP:80/ping',
      interval: 30,
      timeout: 5,
      unhealthyThreshold: 2,
      healthyThreshold: 10,
    },
    instanceIds: ['i-1'],
    policies: {appCookieStickiness: [], lbCookieStickiness: [], other: ['elbx-ssl-TLS-1-2-2017-01']},
    ...overrides,
  }
}

/** A load balancer with nothing to find: TLS 1.2 only, a certificate valid for a year, instances InService, console attributes, a group open on its listener ports only. */
export function facts(overrides: Partial<LoadBalancerFacts> = {}): LoadBalancerFacts {
  return {
    loadBalancer: loadBalancer(),
    tags: [],
    policies: [
      {
        name: 'elbx-ssl-TLS-1-2-2017-01',
        typeName: 'SSLNegotiationPolicyType',
        attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'}],
      },
    ],
    attributes: {
      crossZoneLoadBalancing: true,
      connectionDraining: {enabled: true, timeout: 300},
      idleTimeout: 60,
      accessLog: {enabled: true, s3BucketName: 'logs', emitInterval: 60},
    },
    instanceHealth: [{instanceId: 'i-1', state: 'InService', reasonCode: 'N/A', description: 'N/A'}],
    securityGroups: [
      {
        groupId: 'sg-1',
        groupName: 'web-lb',
        vpcId: 'vpc-1',
        tags: [],
        ingress: [
          {protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0'},
          {protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0'},
        ],
      },
    ],
    certificates: [
      {
        arn: CERT,
        validity: {
          subject: 'CN=web.example.com',
          notAfter: '2027-12-01T00:00:00.000Z',
          daysToExpiry: 364,
          expired: false,
        },
      },
    ],
    readErrors: [],
    ...overrides,
  }
}
