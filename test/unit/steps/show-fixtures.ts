import type {ObservedLoadBalancer} from '../../../src/steps/engine/observe.js'
import {makeCertificate} from '../../helpers/certs.js'
import {CERT_A, http80, https443} from './engine/fixtures.js'

export const soon = makeCertificate({
  commonName: 'shop.example.com',
  altNames: ['shop.example.com', 'www.example.com'],
  days: 10,
})
export const later = makeCertificate({commonName: 'api.example.com', days: 200})
export const ACM = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-1111-1111-111111111111'

/** A load balancer with a bit of everything `elbx show` reports, as the observe layer returns it. */
export function observed(): ObservedLoadBalancer {
  return {
    region: 'us-east-1',
    loadBalancer: {
      name: 'web',
      dnsName: 'web-1.us-east-1.elb.amazonaws.com',
      scheme: 'internet-facing',
      vpcId: 'vpc-1',
      subnets: ['subnet-0a'],
      availabilityZones: ['us-east-1a'],
      securityGroups: ['sg-1', 'sg-gone'],
      listeners: [
        {listener: http80, policyNames: []},
        {listener: {...https443, sslCertificateId: CERT_A}, policyNames: []},
        {listener: {...https443, loadBalancerPort: 8443, sslCertificateId: CERT_A}, policyNames: ['ssl']},
      ],
      backendServers: [],
      healthCheck: {
        target: 'HTTP:80/ping',
        interval: 30,
        timeout: 5,
        unhealthyThreshold: 2,
        healthyThreshold: 10,
      },
      instanceIds: ['i-1', 'i-2'],
      policies: {appCookieStickiness: [], lbCookieStickiness: [], other: ['ssl']},
    },
    policies: [
      {
        name: 'ssl',
        typeName: 'SSLNegotiationPolicyType',
        attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'}],
      },
    ],
    attributes: {
      crossZoneLoadBalancing: true,
      connectionDraining: {enabled: true, timeout: 300},
      idleTimeout: 60,
    },
    tags: [{key: 'team', value: 'web'}],
    instanceHealth: [
      {instanceId: 'i-1', state: 'InService', reasonCode: 'N/A', description: 'N/A'},
      {
        instanceId: 'i-2',
        state: 'OutOfService',
        reasonCode: 'Instance',
        description:
          'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
      },
    ],
    securityGroups: [
      {
        groupId: 'sg-1',
        groupName: 'elbx-web',
        vpcId: 'vpc-1',
        tags: [],
        ingress: [
          {protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0'},
          {protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0'},
          {protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '10.0.0.0/8'},
        ],
      },
    ],
    subnets: [
      {
        subnetId: 'subnet-0a',
        vpcId: 'vpc-1',
        availabilityZone: 'us-east-1a',
        cidrBlock: '10.0.0.0/24',
        defaultForAz: false,
      },
    ],
    certificates: [
      {
        arn: CERT_A,
        source: 'iam',
        iam: {name: 'cert-a', id: 'ASCA1', arn: CERT_A},
        certificateBody: soon.cert,
      },
    ],
  }
}
