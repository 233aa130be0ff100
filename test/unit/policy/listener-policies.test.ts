import {X509Certificate, createHash} from 'node:crypto'

import {describe, expect, it} from '@jest/globals'

import type {Listener, Policy} from '../../../src/model.js'
import {effectiveSslNegotiation, placePolicies, policyNamesOf} from '../../../src/policy/listener-policies.js'
import {findPredefinedSslPolicy} from '../../../src/policy/predefined-ssl-policies.js'
import {makeCertificate} from '../../helpers/certs.js'
import {AwsLikeElb, expand} from './aws-like-elb.js'

const https = (port: number, instancePort = 443): Listener => ({
  protocol: 'HTTPS',
  loadBalancerPort: port,
  instanceProtocol: 'HTTPS',
  instancePort,
  sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/web',
})
const http: Listener = {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80}
const tcp: Listener = {protocol: 'TCP', loadBalancerPort: 9000, instanceProtocol: 'TCP', instancePort: 9000}
const policy = (name: string, typeName: string, attributes: Record<string, string> = {}): Policy => ({
  name,
  typeName,
  attributes: Object.entries(attributes).map(([n, value]) => ({name: n, value})),
})

const tls12 = findPredefinedSslPolicy('ELBSecurityPolicy-TLS-1-2-2017-01')!
const awsDefault = findPredefinedSslPolicy('ELBSecurityPolicy-2016-08')!

describe('effectiveSslNegotiation', () => {
  it('names AWS default ELBSecurityPolicy-2016-08, TLS 1.0 included, when the listener has no SSL policy', () => {
    const ssl = effectiveSslNegotiation(['sticky'], [policy('sticky', 'LBCookieStickinessPolicyType')])
    expect(ssl).toEqual({
      kind: 'aws-default',
      referencePolicy: 'ELBSecurityPolicy-2016-08',
      protocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
      ciphers: awsDefault.ciphers,
      serverOrder: true,
      awsDefaultInForce: true,
      source: 'built-in-table',
    })
  })

  it('reads an AWS-expanded predefined reference from its attributes, and a moto-style bare reference from the table', () => {
    const expanded = policy('elbx-ssl-TLS-1-2-2017-01', 'SSLNegotiationPolicyType')
    expanded.attributes = expand('ELBSecurityPolicy-TLS-1-2-2017-01', ['TLSv1.2'], tls12.ciphers!, true)
    expect(effectiveSslNegotiation([expanded.name], [expanded])).toEqual({
      policyName: 'elbx-ssl-TLS-1-2-2017-01',
      kind: 'predefined',
      referencePolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
      protocols: ['TLSv1.2'],
      ciphers: tls12.ciphers,
      serverOrder: true,
      awsDefaultInForce: false,
      source: 'policy-attributes',
    })
    const bare = policy('p', 'SSLNegotiationPolicyType', {
      'Reference-Security-Policy': 'ELBSecurityPolicy-TLS-1-2-2017-01',
    })
    expect(effectiveSslNegotiation(['p'], [bare])).toMatchObject({
      kind: 'predefined',
      protocols: ['TLSv1.2'],
      source: 'built-in-table',
    })
  })

  it('names the policy AWS attaches by itself to a listener created without one as the AWS default', () => {
    const attached = policy('ELBSecurityPolicy-2016-08', 'SSLNegotiationPolicyType')
    attached.attributes = expand(
      'ELBSecurityPolicy-2016-08',
      awsDefault.protocols!,
      awsDefault.ciphers!,
      true,
    )
    expect(effectiveSslNegotiation([attached.name], [attached])).toMatchObject({
      policyName: 'ELBSecurityPolicy-2016-08',
      kind: 'aws-default',
      awsDefaultInForce: true,
      protocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
      source: 'policy-attributes',
    })
    // Not the load balancer's own policy: the same, from the table.
    expect(effectiveSslNegotiation(['ELBSecurityPolicy-2016-08'], [])).toMatchObject({
      kind: 'aws-default',
      awsDefaultInForce: true,
      source: 'built-in-table',
    })
  })

  it('reads a custom policy: protocols, ciphers, client order', () => {
    const custom = policy('mine', 'SSLNegotiationPolicyType', {
      'Protocol-TLSv1.2': 'true',
      'Protocol-TLSv1': 'false',
      'ECDHE-RSA-AES128-GCM-SHA256': 'true',
      'AES128-SHA': 'false',
      'Server-Defined-Cipher-Order': 'false',
    })
    expect(effectiveSslNegotiation(['mine'], [custom])).toMatchObject({
      policyName: 'mine',
      kind: 'custom',
      protocols: ['TLSv1.2'],
      ciphers: ['ECDHE-RSA-AES128-GCM-SHA256'],
      serverOrder: false,
      source: 'policy-attributes',
    })
  })

  it('takes a predefined name the load balancer does not own from the table, and says when the table has no matrix', () => {
    expect(effectiveSslNegotiation(['ELBSecurityPolicy-2015-05'], [])).toMatchObject({
      policyName: 'ELBSecurityPolicy-2015-05',
      kind: 'predefined',
      awsDefaultInForce: false,
      protocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
    })
    const old = effectiveSslNegotiation(['ELBSecurityPolicy-2011-08'], [])
    expect(old).toMatchObject({source: 'unknown', protocols: [], ciphers: []})
    expect(old.note).toContain('ELBSecurityPolicy-2011-08')
  })
})

describe('placePolicies', () => {
  it('says which policy does what on each listener and instance port', () => {
    const pair = makeCertificate({keyType: 'ec'})
    const der = new X509Certificate(pair.cert).publicKey.export({type: 'spki', format: 'der'})
    const lb = AwsLikeElb.loadBalancer([https(443), http, tcp], {
      443: ['ssl', 'lb-sticky'],
      80: ['app-sticky', 'mystery'],
    })
    lb.backendServers = [
      {instancePort: 443, policyNames: ['auth']},
      {instancePort: 9000, policyNames: ['proxy']},
    ]
    lb.policies.lbCookieStickiness = ['lb-sticky']
    lb.policies.appCookieStickiness = ['app-sticky']
    lb.policies.other = ['ssl', 'auth', 'key', 'proxy', 'spare']
    const policies = [
      policy('ssl', 'SSLNegotiationPolicyType', {
        'Reference-Security-Policy': 'ELBSecurityPolicy-TLS-1-2-2017-01',
      }),
      // moto spells the type LbCookieStickinessPolicy.
      policy('lb-sticky', 'LbCookieStickinessPolicy', {CookieExpirationPeriod: '300'}),
      policy('app-sticky', 'AppCookieStickinessPolicyType', {CookieName: 'SESSION'}),
      policy('auth', 'BackendServerAuthenticationPolicyType', {PublicKeyPolicyName: 'key'}),
      policy('key', 'PublicKeyPolicyType', {PublicKey: der.toString('base64')}),
      policy('proxy', 'ProxyProtocolPolicyType', {ProxyProtocol: 'true'}),
      policy('spare', 'LBCookieStickinessPolicyType'),
    ]
    const placed = placePolicies(lb, policies)
    expect(placed.listeners).toEqual([
      {
        loadBalancerPort: 443,
        protocol: 'HTTPS',
        sslNegotiation: expect.objectContaining({
          policyName: 'ssl',
          referencePolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
        }),
        stickiness: {policyName: 'lb-sticky', kind: 'lb-cookie', cookieExpirationPeriod: 300},
        otherPolicies: [],
      },
      {
        loadBalancerPort: 80,
        protocol: 'HTTP',
        stickiness: {policyName: 'app-sticky', kind: 'app-cookie', cookieName: 'SESSION'},
        otherPolicies: [{policyName: 'mystery'}],
      },
      {loadBalancerPort: 9000, protocol: 'TCP', otherPolicies: []},
    ])
    expect(placed.backendServers).toEqual([
      {
        instancePort: 443,
        backendAuthentication: {
          policyName: 'auth',
          publicKeys: [
            {
              policyName: 'key',
              keyType: 'ec',
              keyBits: 256,
              fingerprint: createHash('sha256').update(der).digest('hex'),
            },
          ],
        },
        otherPolicies: [],
      },
      {instancePort: 9000, proxyProtocol: {policyName: 'proxy'}, otherPolicies: []},
    ])
    expect(placed.unattached).toEqual(['spare'])
    expect(policyNamesOf(lb)).toEqual([
      'app-sticky',
      'lb-sticky',
      'ssl',
      'auth',
      'key',
      'proxy',
      'spare',
      'mystery',
    ])
  })

  it('gives a secure listener without policies the AWS default, and an undescribed public key no fingerprint', () => {
    const lb = AwsLikeElb.loadBalancer([https(443)])
    lb.backendServers = [{instancePort: 443, policyNames: ['auth']}]
    const placed = placePolicies(lb, [
      policy('auth', 'BackendServerAuthenticationPolicyType', {PublicKeyPolicyName: 'gone'}),
    ])
    expect(placed.listeners[0]!.sslNegotiation).toMatchObject({kind: 'aws-default', awsDefaultInForce: true})
    expect(placed.backendServers[0]!.backendAuthentication).toEqual({
      policyName: 'auth',
      publicKeys: [{policyName: 'gone'}],
    })
  })
})
