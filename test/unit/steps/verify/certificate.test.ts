import {describe, expect, it} from '@jest/globals'

import {
  daysToExpiry,
  describeCertificate,
  hostMismatch,
  isExpired,
} from '../../../../src/steps/verify/certificate.js'
import type {PeerCertificate} from '../../../../src/steps/verify/network.js'

const cert = (overrides: Partial<PeerCertificate> = {}): PeerCertificate => ({
  subject: 'CN=www.example.com',
  commonName: 'www.example.com',
  subjectAltNames: ['DNS:www.example.com', 'DNS:*.api.example.com'],
  issuer: 'CN=Example CA',
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2026-01-31T00:00:00.000Z',
  ...overrides,
})

describe('hostMismatch', () => {
  it('accepts names the SANs cover, wildcards for one label only', () => {
    expect(hostMismatch('www.example.com', cert())).toBeUndefined()
    expect(hostMismatch('v1.api.example.com', cert())).toBeUndefined()
    expect(hostMismatch('a.v1.api.example.com', cert())).toMatch(/does not cover a\.v1\.api\.example\.com/)
  })

  it('ignores the CN when DNS SANs exist, as browsers do', () => {
    expect(hostMismatch('www.example.com', cert({subjectAltNames: ['DNS:other.example.com']}))).toBe(
      'the certificate does not cover www.example.com (it names DNS:other.example.com)',
    )
  })

  it('falls back to the CN without SANs', () => {
    expect(hostMismatch('www.example.com', cert({subjectAltNames: []}))).toBeUndefined()
    expect(hostMismatch('elb.example.com', cert({subjectAltNames: []}))).toMatch(
      /it names CN=www\.example\.com/,
    )
  })

  it('checks IP addresses against IP SANs', () => {
    expect(hostMismatch('192.0.2.1', cert({subjectAltNames: ['IP Address:192.0.2.1']}))).toBeUndefined()
    expect(hostMismatch('192.0.2.2', cert({subjectAltNames: ['IP Address:192.0.2.1']}))).toBeDefined()
  })
})

describe('expiry', () => {
  const now = new Date('2026-01-01T00:00:00.000Z')
  it('counts whole days left', () => {
    expect(daysToExpiry(cert(), now)).toBe(30)
    expect(daysToExpiry(cert({validTo: '2026-01-10T12:00:00.000Z'}), now)).toBe(9)
    expect(isExpired(cert(), now)).toBe(false)
    expect(isExpired(cert({validTo: '2025-12-31T00:00:00.000Z'}), now)).toBe(true)
  })

  it('describes subject, SANs, issuer and expiry in one line', () => {
    expect(describeCertificate(cert(), now)).toBe(
      'certificate CN=www.example.com; SANs: DNS:www.example.com, DNS:*.api.example.com; issuer: CN=Example CA; expires 2026-01-31 (in 30 days)',
    )
    expect(describeCertificate(cert({validTo: '2025-12-01T00:00:00.000Z'}), now)).toMatch(
      /expires 2025-12-01 \(expired\)/,
    )
  })
})
