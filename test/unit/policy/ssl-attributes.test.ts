import {
  PREDEFINED_SSL_POLICIES,
  findPredefinedSslPolicy,
  hasReservedPrefix,
} from '../../../src/policy/predefined-ssl-policies.js'
import {
  SSL_CIPHERS,
  SSL_NEGOTIATION_ATTRIBUTES,
  readSslNegotiation,
  weakCipherReason,
  weaknessWarnings,
} from '../../../src/policy/ssl-attributes.js'

describe('predefined SSL policy table', () => {
  it('holds the matrix AWS documents for the six current policies, and only names for the older ones', () => {
    const tls12 = findPredefinedSslPolicy('ELBSecurityPolicy-TLS-1-2-2017-01')!
    expect(tls12.protocols).toEqual(['TLSv1.2'])
    expect(tls12.ciphers).toHaveLength(12)
    expect(tls12.ciphers).not.toContain('AES128-SHA')
    expect(findPredefinedSslPolicy('ELBSecurityPolicy-2016-08')!.protocols).toEqual([
      'TLSv1.2',
      'TLSv1.1',
      'TLSv1',
    ])
    expect(findPredefinedSslPolicy('ELBSecurityPolicy-2015-05')!.ciphers).toContain('DES-CBC3-SHA')
    expect(findPredefinedSslPolicy('ELBSecurityPolicy-2015-02')!.ciphers).not.toContain('DES-CBC3-SHA')
    expect(findPredefinedSslPolicy('ELBSecurityPolicy-2015-03')!.ciphers).toEqual(
      expect.arrayContaining(['DHE-RSA-AES128-SHA', 'DHE-DSS-AES128-SHA', 'DES-CBC3-SHA']),
    )
    expect(findPredefinedSslPolicy('ELBSecurityPolicy-2011-08')!.protocols).toBeUndefined()
    expect(findPredefinedSslPolicy('elbsample-elbdefaultcipherpolicy')!.name).toBe(
      'ELBSample-ELBDefaultNegotiationPolicy',
    )
  })

  it('names only ciphers that SSLNegotiationPolicyType has', () => {
    for (const p of PREDEFINED_SSL_POLICIES) {
      for (const c of p.ciphers ?? []) expect(SSL_CIPHERS).toContain(c)
    }
    expect(SSL_NEGOTIATION_ATTRIBUTES).toEqual(
      expect.arrayContaining([
        'Reference-Security-Policy',
        'Server-Defined-Cipher-Order',
        'Protocol-TLSv1.2',
        'Protocol-SSLv2',
      ]),
    )
    expect(new Set(SSL_CIPHERS).size).toBe(SSL_CIPHERS.length)
  })

  it('knows the reserved prefixes, whatever the case', () => {
    expect(hasReservedPrefix('ELBSecurityPolicy-mine')).toBe(true)
    expect(hasReservedPrefix('elbsample-x')).toBe(true)
    expect(hasReservedPrefix('my-ELBSecurityPolicy-x')).toBe(false)
  })
})

describe('readSslNegotiation', () => {
  it('reduces AWS’s expanded attributes to what is enabled, in table order', () => {
    const read = readSslNegotiation([
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
      {name: 'Protocol-SSLv3', value: 'false'},
      {name: 'Protocol-TLSv1.2', value: 'true'},
      {name: 'AES128-SHA', value: 'false'},
      {name: 'AES128-GCM-SHA256', value: 'true'},
      {name: 'ECDHE-RSA-AES128-GCM-SHA256', value: 'true'},
      {name: 'Server-Defined-Cipher-Order', value: 'true'},
    ])
    expect(read).toEqual({
      referencePolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
      protocols: ['TLSv1.2'],
      ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256'],
      serverOrder: true,
      expanded: true,
    })
  })

  it('says when a policy carries only its reference (as moto stores it)', () => {
    expect(readSslNegotiation([{name: 'Reference-Security-Policy', value: 'X'}])).toMatchObject({
      expanded: false,
      protocols: [],
    })
  })
})

describe('weak protocol and cipher classification', () => {
  it.each([
    ['RC4-SHA', 'RC4'],
    ['ECDHE-RSA-RC4-SHA', 'RC4'],
    ['DES-CBC3-SHA', '3DES'],
    ['EDH-RSA-DES-CBC3-SHA', '3DES'],
    ['PSK-3DES-EDE-CBC-SHA', '3DES'],
    ['DES-CBC-SHA', 'DES'],
    ['EDH-DSS-DES-CBC-SHA', 'DES'],
    ['EXP-RC4-MD5', 'export-grade (40-bit)'],
    ['NULL-SHA', 'no encryption (NULL)'],
    ['ADH-AES128-SHA', 'anonymous (no server authentication)'],
  ])('%s is weak (%s)', (cipher, reason) => {
    expect(weakCipherReason(cipher)).toBe(reason)
  })

  it.each(['ECDHE-RSA-AES128-GCM-SHA256', 'AES256-SHA', 'DHE-RSA-AES128-SHA', 'CAMELLIA128-SHA'])(
    '%s is not weak',
    (c) => {
      expect(weakCipherReason(c)).toBeUndefined()
    },
  )

  it('warns about SSLv3, TLSv1 and TLSv1.1 and weak ciphers, and not about TLS 1.2 with strong ciphers', () => {
    const lines = weaknessWarnings('p', ['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3'], ['RC4-SHA', 'AES128-SHA'])
    expect(lines[0]).toContain('TLSv1.1, TLSv1, SSLv3')
    expect(lines[1]).toContain('RC4-SHA (RC4)')
    expect(lines[1]).not.toContain('AES128-SHA')
    expect(weaknessWarnings('p', ['TLSv1.2'], ['ECDHE-RSA-AES128-GCM-SHA256'])).toEqual([])
  })
})
