import type {Policy} from '../../../../src/model.js'
import {RULES} from '../../../../src/steps/audit/finding.js'
import {isNonForwardSecretCbc, protocolsBelow, tls} from '../../../../src/steps/audit/rules/tls.js'
import {OPTIONS, facts, http80, https443, loadBalancer} from './fixtures.js'

/** A load balancer whose HTTPS listener names `policyNames`, with `policies` described. */
const on = (policyNames: string[], policies: Policy[] = []) =>
  facts({
    loadBalancer: loadBalancer({
      listeners: [
        {listener: http80, policyNames: []},
        {listener: https443, policyNames},
      ],
    }),
    policies,
  })

const referencing = (name: string, reference: string): Policy => ({
  name,
  typeName: 'SSLNegotiationPolicyType',
  attributes: [{name: 'Reference-Security-Policy', value: reference}],
})

/** A custom policy as AWS returns it: every protocol and cipher attribute, true or false. */
const custom = (name: string, enabled: string[]): Policy => ({
  name,
  typeName: 'SSLNegotiationPolicyType',
  attributes: [
    ...['Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2', 'Protocol-SSLv3'].map((a) => ({
      name: a,
      value: String(enabled.includes(a)),
    })),
    ...['ECDHE-RSA-AES128-GCM-SHA256', 'RC4-SHA', 'DES-CBC3-SHA', 'AES128-SHA', 'EXP-RC4-MD5'].map((a) => ({
      name: a,
      value: String(enabled.includes(a)),
    })),
    {name: 'Server-Defined-Cipher-Order', value: 'true'},
  ],
})

const found = (f: ReturnType<typeof tls>) => f.map((x) => [x.rule, x.severity])

describe('TLS rule', () => {
  it("a listener with no SSL policy is on AWS's default ELBSecurityPolicy-2016-08, which enables TLS 1.0", () => {
    const findings = tls(on([]), OPTIONS)
    expect(found(findings)).toEqual([
      [RULES.awsDefaultSslPolicy, 'warning'],
      [RULES.tlsBelowMinimum, 'error'],
    ])
    expect(findings[0]!.message).toContain(
      "AWS's default ELBSecurityPolicy-2016-08 (the listener names no SSL negotiation policy)",
    )
    expect(findings[1]!.message).toBe(
      "AWS's default ELBSecurityPolicy-2016-08 (the listener names no SSL negotiation policy) enables TLSv1.1, TLSv1, older than TLSv1.2 (--min-tls).",
    )
    expect(findings[1]!.fix).toMatch(
      /^elbx policy ssl --name web --port 443 --ssl-policy ELBSecurityPolicy-TLS-1-2-2017-01/,
    )
  })

  it('names the default also when AWS lists it on the listener, as it does for one created without a policy', () => {
    const listed = tls(on(['ELBSecurityPolicy-2016-08']), OPTIONS)
    expect(found(listed)).toEqual([
      [RULES.awsDefaultSslPolicy, 'warning'],
      [RULES.tlsBelowMinimum, 'error'],
    ])
  })

  it('judges by what the policy enables, not its name: 2015-05 enables 3DES, a custom policy RC4 and EXPORT', () => {
    const old = tls(on(['old'], [referencing('old', 'ELBSecurityPolicy-2015-05')]), OPTIONS)
    expect(found(old)).toEqual([
      [RULES.tlsBelowMinimum, 'error'],
      [RULES.weakCipher, 'error'],
    ])
    expect(old[1]!.message).toBe(
      'old (references ELBSecurityPolicy-2015-05) enables weak ciphers: DES-CBC3-SHA (3DES).',
    )
    const rc4 = tls(
      on(
        ['mine'],
        [custom('mine', ['Protocol-TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 'RC4-SHA', 'EXP-RC4-MD5'])],
      ),
      OPTIONS,
    )
    expect(found(rc4)).toEqual([[RULES.weakCipher, 'error']])
    expect(rc4[0]!.message).toContain('RC4-SHA (RC4), EXP-RC4-MD5 (export-grade (40-bit))')
  })

  it('the recommended policy passes; its non-forward-secret CBC ciphers are information only', () => {
    const modern = tls(on(['elbx-ssl-TLS-1-2-2017-01'], facts().policies), OPTIONS)
    expect(found(modern)).toEqual([[RULES.cbcWithoutForwardSecrecy, 'info']])
    expect(modern[0]!.message).toContain('AES128-SHA256, AES256-SHA256')
    const gcm = tls(
      on(['gcm'], [custom('gcm', ['Protocol-TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'])]),
      OPTIONS,
    )
    expect(gcm).toEqual([])
  })

  it('--min-tls decides which protocols are too old', () => {
    expect(found(tls(on(['p'], [referencing('p', 'ELBSecurityPolicy-TLS-1-1-2017-01')]), OPTIONS))).toEqual([
      [RULES.tlsBelowMinimum, 'error'],
    ])
    const lenient = tls(on(['p'], [referencing('p', 'ELBSecurityPolicy-TLS-1-1-2017-01')]), {
      ...OPTIONS,
      minTls: 'TLSv1.1',
    })
    expect(found(lenient)).toEqual([[RULES.cbcWithoutForwardSecrecy, 'info']])
    expect(protocolsBelow(['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3'], 'TLSv1')).toEqual(['SSLv3'])
  })

  it('says when it cannot know what a policy enables, instead of passing it', () => {
    const unknown = tls(on(['older'], [referencing('older', 'ELBSecurityPolicy-2011-08')]), OPTIONS)
    expect(found(unknown)).toEqual([[RULES.sslPolicyUnknown, 'warning']])
  })

  it('leaves HTTP listeners alone', () => {
    expect(
      tls(facts({loadBalancer: loadBalancer({listeners: [{listener: http80, policyNames: []}]})}), OPTIONS),
    ).toEqual([])
  })

  it('tells forward-secret and GCM ciphers from RSA-key-exchange CBC', () => {
    expect(['AES128-SHA', 'AES256-SHA256', 'CAMELLIA128-SHA'].every(isNonForwardSecretCbc)).toBe(true)
    expect(
      ['ECDHE-RSA-AES128-SHA', 'DHE-RSA-AES128-SHA', 'AES128-GCM-SHA256', 'RC4-SHA', 'DES-CBC3-SHA'].some(
        isNonForwardSecretCbc,
      ),
    ).toBe(false)
  })
})
