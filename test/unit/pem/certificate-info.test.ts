import {createHash, X509Certificate} from 'node:crypto'

import {describe, expect, it} from '@jest/globals'

import {
  certificateInfoFromPem,
  daysUntil,
  publicKeyInfo,
  subjectAlternativeNames,
} from '../../../src/pem/certificate-info.js'
import {makeCertificate} from '../../helpers/certs.js'

describe('certificateInfoFromPem', () => {
  it('reads subject, names, issuer, dates, key and fingerprint from the body itself', () => {
    const pair = makeCertificate({
      commonName: 'shop.example.com',
      altNames: ['shop.example.com', 'www.example.com'],
      days: 30,
    })
    const x509 = new X509Certificate(pair.cert)
    const now = new Date()
    const info = certificateInfoFromPem(pair.cert, now)!
    expect(info).toMatchObject({
      subject: 'CN=shop.example.com',
      commonName: 'shop.example.com',
      subjectAlternativeNames: ['shop.example.com', 'www.example.com'],
      issuer: 'CN=shop.example.com',
      selfSigned: true,
      expired: false,
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      weaknesses: [],
    })
    expect(info.notAfter).toBe(new Date(x509.validTo).toISOString())
    // openssl's 30 days end within a second of now + 30 days: 29 whole days and some hours left.
    expect(info.daysToExpiry).toBe(29)
    expect(info.fingerprint).toBe(x509.fingerprint256.replace(/:/g, '').toLowerCase())
  })

  it('counts days from the given time and marks an expired certificate', () => {
    const pair = makeCertificate({days: 10})
    const info = certificateInfoFromPem(pair.cert)!
    const later = new Date(new Date(info.notAfter).getTime() + 3 * 86_400_000 + 1000)
    expect(certificateInfoFromPem(pair.cert, later)).toMatchObject({expired: true, daysToExpiry: -4})
  })

  it('reads the first certificate of a body followed by its chain, and an issuer that is not the subject', () => {
    const ca = makeCertificate({commonName: 'Example CA', isCa: true})
    const leaf = makeCertificate({commonName: 'api.example.com', ca})
    const info = certificateInfoFromPem(leaf.cert + ca.cert)!
    expect(info).toMatchObject({subject: 'CN=api.example.com', issuer: 'CN=Example CA', selfSigned: false})
  })

  it('answers undefined for text that holds no certificate that parses', () => {
    expect(certificateInfoFromPem('')).toBeUndefined()
    expect(
      certificateInfoFromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ).toBeUndefined()
    expect(certificateInfoFromPem(makeCertificate().key)).toBeUndefined()
  })
})

describe('helpers', () => {
  it('keeps the values of subjectAltName entries', () => {
    expect(subjectAlternativeNames('DNS:a.example, DNS:b.example, IP Address:192.0.2.1')).toEqual([
      'a.example',
      'b.example',
      '192.0.2.1',
    ])
    expect(subjectAlternativeNames(undefined)).toEqual([])
  })

  it('rounds days down', () => {
    const now = new Date('2026-12-02T12:00:00Z')
    expect(daysUntil('2026-12-03T11:59:59Z', now)).toBe(0)
    expect(daysUntil('2026-12-03T12:00:00Z', now)).toBe(1)
    expect(daysUntil('2026-12-02T11:00:00Z', now)).toBe(-1)
  })

  it('fingerprints a PublicKey policy attribute as the SHA-256 of its DER', () => {
    for (const keyType of ['rsa', 'ec'] as const) {
      const pair = makeCertificate({keyType})
      const der = new X509Certificate(pair.cert).publicKey.export({type: 'spki', format: 'der'})
      const info = publicKeyInfo(der.toString('base64'))
      expect(info).toEqual({
        keyType,
        keyBits: keyType === 'rsa' ? 2048 : 256,
        fingerprint: createHash('sha256').update(der).digest('hex'),
      })
    }
    expect(publicKeyInfo('')).toBeUndefined()
    expect(publicKeyInfo('bm90IGEga2V5')).toBeUndefined()
  })
})
