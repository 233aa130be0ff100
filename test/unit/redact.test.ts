import {generateKeyPairSync} from 'node:crypto'

import {redact, registerPrivateKey, registerSecret} from '../../src/redact.js'

describe('redact', () => {
  it('removes private key blocks', () => {
    const text = 'before\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\nafter'
    expect(redact(text)).toBe('before\n[REDACTED PRIVATE KEY]\nafter')
    expect(redact('-----BEGIN RSA PRIVATE KEY-----\nabc')).toBe('[REDACTED PRIVATE KEY]')
  })

  it('removes signing material and tokens', () => {
    expect(redact('X-Amz-Security-Token=abcdef&x=1')).toBe('X-Amz-Security-Token=[REDACTED]&x=1')
    expect(redact('Authorization: AWS4-HMAC-SHA256 Credential=AKIA/..., Signature=deadbeef')).toBe(
      'Authorization: [REDACTED]',
    )
    expect(redact('Signature=0123abcd')).toBe('Signature=[REDACTED]')
  })

  it('removes registered secrets wherever they appear', () => {
    registerSecret('superSecretValue123')
    expect(redact('the key superSecretValue123 leaked')).toBe('the key [REDACTED] leaked')
  })

  it('removes a registered secret URL-encoded (upper or lower case escapes) and JSON-escaped', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY/EXAMPLE=KEY'
    registerSecret(secret)
    for (const form of [
      encodeURIComponent(secret),
      'wJalrXUtnFEMI%2fK7MDENG%2bbPxRfiCY%2fEXAMPLE%3dKEY',
      JSON.stringify(secret),
      'wJalrXUtnFEMI\\/K7MDENG+bPxRfiCY\\/EXAMPLE=KEY',
    ]) {
      expect(redact(`echo: ${form} end`)).not.toMatch(/K7MDENG/)
    }
  })

  describe('a registered private key', () => {
    const pem = generateKeyPairSync('rsa', {modulusLength: 2048})
      .privateKey.export({type: 'pkcs8', format: 'pem'})
      .toString()
    registerPrivateKey(pem)
    const lines = pem.trim().split('\n').slice(1, -1)
    const body = lines.join('')
    /** No 16 characters in a row of the key's base64 body are left in the text. */
    const leaks = (text: string) => {
      const plain = decodeURIComponent(text.replace(/\+/g, ' ')).replace(/\\[n/]/g, '')
      for (let i = 0; i + 16 <= body.length; i += 16) if (plain.includes(body.slice(i, i + 16))) return true
      return false
    }

    it.each([
      ['the PEM block', pem],
      ['its base64 body, without BEGIN and END', lines.join('\n')],
      ['its base64 body joined into one line', body],
      [
        'the URL-encoded request body (%20 for spaces)',
        `Action=Upload&PrivateKey=${encodeURIComponent(pem)}`,
      ],
      ['the URL-encoded request body (+ for spaces)', new URLSearchParams({PrivateKey: pem}).toString()],
      ['the request as JSON', JSON.stringify({PrivateKey: pem})],
      ['the request as JSON with "/" escaped', JSON.stringify({PrivateKey: pem}).replace(/\//g, '\\/')],
      ['one line of its body', `near '${lines[3]}' here`],
    ])('is removed when a message quotes %s', (_what, quoted) => {
      expect(leaks(quoted)).toBe(true)
      const out = redact(`MalformedCertificate: Unable to parse ${quoted} (request 1)`)
      expect(out).toMatch(/^MalformedCertificate: Unable to parse .*\[REDACTED/s)
      expect(leaks(out)).toBe(false)
    })
  })

  it('leaves ordinary text alone', () => {
    expect(redact('Load balancer my-lb created')).toBe('Load balancer my-lb created')
  })
})
