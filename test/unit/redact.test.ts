import {redact, registerSecret} from '../../src/redact.js'

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

  it('leaves ordinary text alone', () => {
    expect(redact('Load balancer my-lb created')).toBe('Load balancer my-lb created')
  })
})
