import {generateKeyPairSync} from 'node:crypto'

import type {Policy} from '../../../../src/model.js'
import {SSL_NEGOTIATION_POLICY_TYPE} from '../../../../src/policy/ssl-attributes.js'
import {differences, planSpec} from '../../../../src/steps/engine/drift.js'
import type {Observed} from '../../../../src/steps/engine/observe.js'
import {desiredFromSpec, settleDesired, specFromObserved} from '../../../../src/steps/engine/spec.js'
import {formatSpec, parseSpecs} from '../../../../src/validate/spec.js'

/** What export reads of a load balancer. */
type Exported = Parameters<typeof specFromObserved>[0]

const CERT = 'arn:aws:iam::123456789012:server-certificate/web'
const OTHER_CERT = 'arn:aws:iam::123456789012:server-certificate/web-2'

const publicKey = () =>
  generateKeyPairSync('ec', {namedCurve: 'prime256v1'})
    .publicKey.export({type: 'spki', format: 'der'})
    .toString('base64')
const [KEY_A, KEY_B] = [publicKey(), publicKey()]

/**
 * A custom SSL policy as AWS describes it: every protocol and cipher attribute of the type, the
 * enabled ones "true" (about a hundred), under a name another tool chose.
 */
const customSsl: Policy = {
  name: 'terraform-custom-ssl',
  typeName: SSL_NEGOTIATION_POLICY_TYPE,
  attributes: [
    {name: 'Protocol-TLSv1.2', value: 'true'},
    {name: 'Protocol-TLSv1.1', value: 'false'},
    {name: 'Protocol-TLSv1', value: 'false'},
    {name: 'Protocol-SSLv3', value: 'false'},
    {name: 'ECDHE-RSA-AES128-GCM-SHA256', value: 'true'},
    {name: 'ECDHE-ECDSA-AES128-GCM-SHA256', value: 'true'},
    {name: 'AES128-SHA', value: 'false'},
    {name: 'Server-Defined-Cipher-Order', value: 'true'},
  ],
}

const sslPolicyOf = (name: string): Policy => ({
  name,
  typeName: SSL_NEGOTIATION_POLICY_TYPE,
  attributes: [{name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2016-08'}],
})

/** An existing load balancer built by other tools: foreign policy names everywhere. */
function existing(): Exported {
  return {
    loadBalancer: {
      name: 'web',
      dnsName: 'web-1.us-east-1.elb.amazonaws.com',
      scheme: 'internet-facing',
      vpcId: 'vpc-11111111',
      subnets: ['subnet-0bbbbbbb', 'subnet-0aaaaaaa'],
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      securityGroups: ['sg-0123abcd'],
      listeners: [
        {
          listener: {
            protocol: 'HTTPS',
            loadBalancerPort: 443,
            instanceProtocol: 'HTTPS',
            instancePort: 443,
            sslCertificateId: CERT,
          },
          policyNames: ['terraform-custom-ssl'],
        },
        {
          listener: {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
          policyNames: [],
        },
        {
          listener: {
            protocol: 'SSL',
            loadBalancerPort: 8443,
            instanceProtocol: 'TCP',
            instancePort: 8080,
            sslCertificateId: CERT,
          },
          policyNames: [],
        },
      ],
      backendServers: [{instancePort: 443, policyNames: ['their-auth']}],
      healthCheck: {
        target: 'HTTP:80/ping',
        interval: 10,
        timeout: 5,
        unhealthyThreshold: 2,
        healthyThreshold: 3,
      },
      instanceIds: ['i-0bbbbbbbbbbbbbbbb', 'i-0aaaaaaaaaaaaaaaa'],
      policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
    },
    policies: [
      customSsl,
      {name: 'their-key-a', typeName: 'PublicKeyPolicyType', attributes: [{name: 'PublicKey', value: KEY_A}]},
      {name: 'their-key-b', typeName: 'PublicKeyPolicyType', attributes: [{name: 'PublicKey', value: KEY_B}]},
      {
        name: 'their-auth',
        typeName: 'BackendServerAuthenticationPolicyType',
        attributes: [
          {name: 'PublicKeyPolicyName', value: 'their-key-a'},
          {name: 'PublicKeyPolicyName', value: 'their-key-b'},
        ],
      },
    ],
    attributes: {
      crossZoneLoadBalancing: false,
      connectionDraining: {enabled: true, timeout: 120},
      idleTimeout: 300,
    },
    tags: [
      {key: 'team', value: 'web'},
      {key: 'elbx:run', value: 'r-1'},
    ],
  }
}

/** What observe() reads for the load balancer above. */
function observedFor(o: Exported): Observed {
  return {
    region: 'us-east-1',
    network: {
      vpcId: 'vpc-11111111',
      subnets: o.loadBalancer.subnets,
      availabilityZones: o.loadBalancer.availabilityZones,
      defaultVpc: false,
    },
    loadBalancer: o.loadBalancer,
    policies: o.policies,
    attributes: o.attributes,
    tags: o.tags,
    givenSecurityGroups: [
      {groupId: 'sg-0123abcd', groupName: 'web', vpcId: 'vpc-11111111', tags: [], ingress: []},
    ],
    instances: [
      {
        instanceId: 'i-0cccccccccccccccc',
        state: 'running',
        vpcId: 'vpc-11111111',
        availabilityZone: 'us-east-1a',
      },
    ],
    certificates: [{kind: 'iam', arn: CERT, found: {name: 'web', id: 'ASCA1', arn: CERT, tags: []}}],
  }
}

/** The spec text through the whole path diff and apply take: parse, desired state, settle, plan. */
function plan(text: string, o = existing(), prune = false) {
  const [checked] = parseSpecs(text, 'lb.yaml').checked
  const named = desiredFromSpec(checked!)
  const observed = observedFor(o)
  const desired = settleDesired(named, checked!, observed)
  const p = planSpec(desired, named, observed, {prune})
  return {plan: p, differences: differences(p, observed, named.name)}
}

describe('spec <-> desired state', () => {
  it('exports a load balancer by content: SSL policy as what it enables, keys as PEM, no run mark', () => {
    const spec = specFromObserved(existing())
    expect(spec.listeners.map((l) => l.loadBalancerPort)).toEqual([80, 443, 8443])
    expect(spec.listeners[1]!.sslPolicy).toEqual({
      protocols: ['TLSv1.2'],
      ciphers: expect.arrayContaining(['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256']),
      serverOrder: true,
    })
    // No policy named on the SSL listener: AWS's default for new listeners is in force.
    expect(spec.listeners[2]!.sslPolicy).toBe('ELBSecurityPolicy-2016-08')
    expect(spec.backendAuthentication![0]!.publicKeys).toHaveLength(2)
    expect(spec.backendAuthentication![0]!.publicKeys![0]).toMatch(/^-----BEGIN PUBLIC KEY-----\n/)
    expect(spec.tags).toEqual({team: 'web'})
    expect(formatSpec(spec, 'yaml')).not.toMatch(/PRIVATE KEY/)
  })

  it.each(['yaml', 'json'] as const)(
    'an exported spec (%s) shows no difference: no perpetual diff',
    (format) => {
      const text = formatSpec(specFromObserved(existing()), format)
      expect(plan(text).differences).toEqual([])
      expect(plan(text, existing(), true).differences).toEqual([])
    },
  )

  it('shows each field that differs, and converges each with one request', () => {
    const text = formatSpec(specFromObserved(existing()), 'yaml')
      .replace(`certificate: ${CERT}\n    sslPolicy:`, `certificate: ${OTHER_CERT}\n    sslPolicy:`)
      .replace('protocols:\n        - TLSv1.2', 'protocols:\n        - TLSv1.2\n        - TLSv1.1')
      .replace('interval: 10', 'interval: 30')
      .replace('idleTimeout: 300', 'idleTimeout: 60')
      .replace('team: web', 'team: api')
      .replace('instances:\n', 'instances:\n  - i-0cccccccccccccccc\n')
    const o = existing()
    const {differences: found} = plan(text, o)
    const actions = found.map((d) => `${d.action} ${d.target}`)
    expect(actions).toEqual(
      expect.arrayContaining([
        'SetLoadBalancerListenerSSLCertificate listener 443',
        'SetLoadBalancerPoliciesOfListener listener 443',
        'ConfigureHealthCheck load balancer web',
        'ModifyLoadBalancerAttributes load balancer web',
        'AddTags load balancer web',
        'RegisterInstancesWithLoadBalancer load balancer web',
      ]),
    )
    // A certificate is swapped in place: no listener is deleted for it.
    expect(found.some((d) => d.action === 'DeleteLoadBalancerListeners')).toBe(false)
  })

  it('removes what the spec no longer names only with --prune', () => {
    const text = formatSpec(specFromObserved(existing()), 'yaml')
    const withoutSsl = text
      .replace(/ {2}- protocol: SSL\n( {4}.*\n)+/, '')
      .replace(/backendAuthentication:\n( {2}.*\n)+/, '')
    expect(withoutSsl).not.toContain('8443')
    expect(plan(withoutSsl).differences).toEqual([])
    const pruned = plan(withoutSsl, existing(), true).differences
    expect(pruned).toEqual([
      expect.objectContaining({action: 'DeleteLoadBalancerListeners', target: 'listener 8443', pruned: true}),
      expect.objectContaining({
        action: 'SetLoadBalancerPoliciesForBackendServer',
        target: 'instance port 443',
        pruned: true,
      }),
    ])
  })

  it('--prune removes the tags the spec does not name and the elbx policies nothing uses any more', () => {
    const o = existing()
    o.tags.push({key: 'old', value: 'x'})
    o.policies.push(sslPolicyOf('elbx-ssl-2016-08'))
    const text = formatSpec(specFromObserved(existing()), 'yaml')
    expect(plan(text, o).differences).toEqual([])
    const pruned = plan(text, o, true).plan.pruned
    expect(pruned.map((a) => a.call)).toEqual([
      {operation: 'RemoveTags', loadBalancerName: 'web', keys: ['old']},
      {operation: 'DeleteLoadBalancerPolicy', loadBalancerName: 'web', policyName: 'elbx-ssl-2016-08'},
    ])
  })

  it('reports what cannot change in place as a difference without an action', () => {
    const text = formatSpec(specFromObserved(existing()), 'yaml').replace(
      'scheme: internet-facing',
      'scheme: internal',
    )
    expect(plan(text).differences[0]).toEqual({
      target: 'load balancer web',
      difference: 'scheme is internet-facing, not internal',
    })
  })
})
