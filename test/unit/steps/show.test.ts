import {X509Certificate} from 'node:crypto'

import type {ObservedRegion} from '../../../src/steps/engine/observe.js'
import {describeObservedLoadBalancer, describeObservedRegion} from '../../../src/steps/show.js'
import {CERT_A, CERT_B, http80, https443} from './engine/fixtures.js'
import {ACM, later, observed, soon} from './show-fixtures.js'

describe('describeObservedLoadBalancer', () => {
  it('says everything at a glance: certificate from its body, policies resolved, ports admitted, instances with hints', () => {
    const shown = describeObservedLoadBalancer(observed())
    const [plain, noPolicy, withPolicy] = shown.listeners
    expect(plain).toEqual({...http80, policyNames: [], otherPolicies: []})
    expect(noPolicy!.certificate).toMatchObject({
      arn: CERT_A,
      source: 'iam',
      name: 'cert-a',
      subject: 'CN=shop.example.com',
      subjectAlternativeNames: ['shop.example.com', 'www.example.com'],
      issuer: 'CN=shop.example.com',
      daysToExpiry: 9,
      notAfterSource: 'certificate',
      fingerprint: new X509Certificate(soon.cert).fingerprint256.replace(/:/g, '').toLowerCase(),
    })
    expect(noPolicy!.certificate).not.toHaveProperty('certificateBody')
    expect(noPolicy!.sslNegotiation).toMatchObject({
      kind: 'aws-default',
      awsDefaultInForce: true,
      referencePolicy: 'ELBSecurityPolicy-2016-08',
    })
    expect(withPolicy!.sslNegotiation).toMatchObject({
      policyName: 'ssl',
      kind: 'predefined',
      protocols: ['TLSv1.2'],
    })
    expect(shown.securityGroups).toEqual([
      {
        groupId: 'sg-1',
        groupName: 'elbx-web',
        found: true,
        inboundRules: [
          {protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0', listenerPorts: [80]},
          {protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0', listenerPorts: [443]},
        ],
      },
      {groupId: 'sg-gone', found: false, inboundRules: []},
    ])
    expect(shown.closedListenerPorts).toEqual([8443])
    expect(shown.subnets).toEqual([
      {subnetId: 'subnet-0a', availabilityZone: 'us-east-1a', cidrBlock: '10.0.0.0/24'},
    ])
    expect(shown.instanceCounts).toEqual({inService: 1, registered: 2})
    expect(shown.instances[0]).not.toHaveProperty('hint')
    expect(shown.instances[1]!.hint).toMatch(/security group/)
    expect(shown.warnings).toEqual([
      expect.stringMatching(/^The certificate of the listener on port 443 \(cert-a\) expires in 9 days/),
      expect.stringMatching(
        /^AWS's default ELBSecurityPolicy-2016-08 on the listener on port 443 \(no policy was chosen\) enables TLSv1.1, TLSv1/,
      ),
      expect.stringMatching(/^The certificate of the listener on port 8443 \(cert-a\) expires in 9 days/),
      'Security group sg-gone of the load balancer was not found in EC2.',
      'No security group of the load balancer admits listener port 8443: clients cannot connect.',
    ])
  })

  it('falls back to ACM NotAfter without a body, and reports an unreadable certificate', () => {
    const o = observed()
    o.loadBalancer.listeners = [
      {listener: {...https443, sslCertificateId: ACM}, policyNames: ['ssl']},
      {listener: {...https443, loadBalancerPort: 444, sslCertificateId: CERT_B}, policyNames: ['ssl']},
    ]
    o.certificates = [
      {
        arn: ACM,
        source: 'acm',
        acm: {
          arn: ACM,
          domainName: 'a.example.com',
          status: 'ISSUED',
          type: 'IMPORTED',
          notAfter: '2099-01-01T00:00:00.000Z',
          inUseBy: [],
        },
      },
      {arn: CERT_B, source: 'iam', problem: 'IAM has no server certificate of that name'},
    ]
    const shown = describeObservedLoadBalancer(o, new Date('2098-12-01T00:00:00Z'))
    expect(shown.listeners[0]!.certificate).toEqual({
      arn: ACM,
      source: 'acm',
      status: 'ISSUED',
      type: 'IMPORTED',
      commonName: 'a.example.com',
      notAfterSource: 'acm',
      notAfter: '2099-01-01T00:00:00.000Z',
      daysToExpiry: 31,
      expired: false,
    })
    expect(shown.listeners[1]!.certificate).toEqual({
      arn: CERT_B,
      source: 'iam',
      problem: 'IAM has no server certificate of that name',
    })
    expect(shown.warnings).toContain(
      `The certificate of the listener on port 444 (${CERT_B}) could not be read: IAM has no server certificate of that name.`,
    )
  })
})

describe('describeObservedRegion', () => {
  it('gives one line per load balancer, by name, with the nearest certificate expiry', () => {
    const base = observed().loadBalancer
    const region: ObservedRegion = {
      region: 'us-east-1',
      loadBalancers: [
        {
          loadBalancer: {
            ...base,
            name: 'zeta',
            listeners: [
              {listener: {...https443, sslCertificateId: CERT_B}, policyNames: []},
              {listener: {...https443, loadBalancerPort: 8443, sslCertificateId: CERT_A}, policyNames: []},
            ],
          },
          tags: [],
          instanceHealth: [{instanceId: 'i-1', state: 'InService'}],
        },
        {
          loadBalancer: {
            ...base,
            name: 'alpha',
            listeners: [{listener: http80, policyNames: []}],
            instanceIds: [],
          },
          tags: [{key: 'k', value: 'v'}],
          instanceHealth: [],
        },
      ],
      certificates: [
        {arn: CERT_A, source: 'iam', certificateBody: soon.cert},
        {arn: CERT_B, source: 'iam', certificateBody: later.cert},
      ],
    }
    const listed = describeObservedRegion(region)
    expect(listed.loadBalancers.map((l) => l.loadBalancerName)).toEqual(['alpha', 'zeta'])
    expect(listed.loadBalancers[0]).toEqual({
      loadBalancerName: 'alpha',
      scheme: 'internet-facing',
      dnsName: base.dnsName,
      vpcId: 'vpc-1',
      listeners: ['HTTP 80 -> HTTP 80'],
      instanceCounts: {inService: 0, registered: 0},
      certificateProblems: [],
      tags: [{key: 'k', value: 'v'}],
    })
    expect(listed.loadBalancers[1]).toMatchObject({
      listeners: ['HTTPS 443 -> HTTPS 443', 'HTTPS 8443 -> HTTPS 443'],
      instanceCounts: {inService: 1, registered: 2},
      nearestCertificateExpiry: {arn: CERT_A, daysToExpiry: 9},
    })
    expect(listed.warnings).toEqual([`zeta: its certificate ${CERT_A} expires in 9 days.`])
  })
})
