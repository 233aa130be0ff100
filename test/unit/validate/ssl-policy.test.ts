import {InvalidInputError} from '../../../src/errors.js'
import {
  checkPolicyName,
  checkPredefinedPolicyName,
  parseCiphers,
  parseProtocols,
} from '../../../src/validate/ssl-policy.js'

const refusal = (fn: () => unknown): InvalidInputError => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return error as InvalidInputError
  }
  throw new Error('expected InvalidInputError')
}

describe('parseProtocols', () => {
  it('accepts AWS, Node and loose spellings and orders them newest first', () => {
    expect(parseProtocols('--protocols', 'tlsv1, TLSv1.2,Protocol-TLSv1.1')).toEqual([
      'TLSv1.2',
      'TLSv1.1',
      'TLSv1',
    ])
    expect(parseProtocols('--protocols', 'TLS1.2 ssl3')).toEqual(['TLSv1.2', 'SSLv3'])
    expect(parseProtocols('--protocols', 'TLSv1.0,TLSv1.2,TLSv1.2')).toEqual(['TLSv1.2', 'TLSv1'])
  })

  it.each([
    ['', /at least one protocol/],
    [' , ', /at least one protocol/],
    ['TLSv1.3', /do not support TLSv1.3/],
    ['SSLv2', /SSLv2 is deprecated/],
    ['TLSv2', /"TLSv2" is not an SSL protocol/],
    ['AES128-SHA', /"AES128-SHA" is not an SSL protocol/],
  ])('refuses %j', (raw, message) => {
    expect(refusal(() => parseProtocols('--protocols', raw)).message).toMatch(message)
  })
})

describe('parseCiphers', () => {
  it("canonicalises known names into AWS's spelling and order, each once", () => {
    expect(parseCiphers('--ciphers', 'aes128-sha,ECDHE-RSA-AES128-GCM-SHA256 AES128-SHA')).toEqual([
      'ECDHE-RSA-AES128-GCM-SHA256',
      'AES128-SHA',
    ])
  })

  it('refuses every name the table lacks at once, suggesting the closest known names', () => {
    const error = refusal(() =>
      parseCiphers('--ciphers', 'NOT-A-CIPHER,ECDHE-RSA-AES128-GCM-SHA265,chacha20-poly1305'),
    )
    expect(error.message).toBe(
      '--ciphers: "NOT-A-CIPHER", "ECDHE-RSA-AES128-GCM-SHA265", "CHACHA20-POLY1305" are not ciphers of Classic Load Balancers (SSLNegotiationPolicyType).',
    )
    expect(error.hint).toContain('ECDHE-RSA-AES128-GCM-SHA265: did you mean ECDHE-RSA-AES128-GCM-SHA256')
    expect(error.details).toEqual({
      unknownCiphers: ['NOT-A-CIPHER', 'ECDHE-RSA-AES128-GCM-SHA265', 'CHACHA20-POLY1305'],
    })
  })

  it.each([
    ['', /at least one cipher/],
    ['AES128_SHA', /"AES128_SHA" is not a cipher name/],
    ['Protocol-TLSv1.2', /is not a cipher name/],
  ])('refuses %j', (raw, message) => {
    expect(refusal(() => parseCiphers('--ciphers', raw)).message).toMatch(message)
  })
})

describe('checkPolicyName', () => {
  it('accepts letters, digits and hyphens', () => {
    expect(checkPolicyName('--policy-name', 'my-SSL-policy-1')).toBe('my-SSL-policy-1')
  })

  it.each([
    ['ELBSecurityPolicy-mine', /begins with ELBSecurityPolicy-, which AWS reserves/],
    ['elbsample-mine', /begins with ELBSample-, which AWS reserves/],
    ['my_policy', /contains "_"/],
    ['', /is empty/],
    ['x'.repeat(256), /at most 255/],
  ])('refuses %j', (name, message) => {
    const error = refusal(() => checkPolicyName('--policy-name', name))
    expect(error.message).toMatch(message)
    expect(error.hint).toContain('reserved')
  })
})

describe('checkPredefinedPolicyName', () => {
  it('resolves case and a missing ELBSecurityPolicy- prefix to AWS’s exact name', () => {
    expect(checkPredefinedPolicyName('--predefined', 'elbsecuritypolicy-tls-1-2-2017-01')).toBe(
      'ELBSecurityPolicy-TLS-1-2-2017-01',
    )
    expect(checkPredefinedPolicyName('--predefined', 'TLS-1-1-2017-01')).toBe(
      'ELBSecurityPolicy-TLS-1-1-2017-01',
    )
    expect(checkPredefinedPolicyName('--predefined', 'ELBSample-OpenSSLDefaultCipherPolicy')).toBe(
      'ELBSample-OpenSSLDefaultNegotiationPolicy',
    )
  })

  it('refuses an unknown policy and suggests the closest', () => {
    const error = refusal(() =>
      checkPredefinedPolicyName('--predefined', 'ELBSecurityPolicy-TLS-1-2-2017-02'),
    )
    expect(error.message).toContain('is not a predefined SSL security policy')
    expect(error.hint).toContain('Did you mean ELBSecurityPolicy-TLS-1-2-2017-01')
  })
})
