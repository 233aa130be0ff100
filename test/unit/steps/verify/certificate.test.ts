import {describe, expect, it} from '@jest/globals'

import {
  daysToExpiry,
  describeCertificate,
  describeChainError,
  hostMismatch,
  isExpired,
} from '../../../../src/steps/verify/certificate.js'
import {compareServedCertificate} from '../../../../src/steps/verify/configured-certificate.js'
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

describe('describeChainError', () => {
  it('says each refusal in its own words, keeping the code for searching', () => {
    const leaf = cert({issuer: 'CN=Intermediate CA'})
    const said = (code: string) => describeChainError(code, leaf)
    expect(said('DEPTH_ZERO_SELF_SIGNED_CERT')).toMatch(
      /^the certificate is self-signed \(CN=www\.example\.com issued itself\)/,
    )
    expect(said('SELF_SIGNED_CERT_IN_CHAIN')).toMatch(
      /^the chain ends in a self-signed root that is not trusted/,
    )
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])
      expect(said(code)).toMatch(
        /^incomplete chain: nothing trusted issued CN=www\.example\.com \(issuer CN=Intermediate CA\).*--chain-file/,
      )
    expect(said('CERT_HAS_EXPIRED')).toBe('a certificate in the chain has expired (CERT_HAS_EXPIRED)')
    expect(said('CERT_NOT_YET_VALID')).toMatch(/^a certificate in the chain is not valid yet/)
    expect(said('SOMETHING_NEW')).toBe('the chain was refused (SOMETHING_NEW)')
  })
})

describe('compareServedCertificate', () => {
  const configured = {
    arn: 'arn:aws:iam::123456789012:server-certificate/web',
    service: 'iam' as const,
    subject: 'CN=www.example.com',
    dnsNames: ['www.example.com'],
    fingerprint256: 'AA:BB',
    validTo: '2026-01-31T00:00:00.000Z',
  }

  it('passes the configured certificate, however its fingerprint is spelled', () => {
    expect(compareServedCertificate(configured, cert({fingerprint256: 'aabb'}))).toMatchObject({
      status: 'pass',
      data: {matches: true},
    })
  })

  it('fails another certificate, naming both', () => {
    const outcome = compareServedCertificate(configured, cert({subject: 'CN=other', fingerprint256: 'CC:DD'}))
    expect(outcome.status).toBe('fail')
    expect(outcome.detail.split('\n')[0]).toBe(
      'the listener serves CN=other (SHA-256 CC:DD), not its configured certificate arn:aws:iam::123456789012:server-certificate/web (CN=www.example.com, SHA-256 AA:BB)',
    )
  })

  it('warns when the configured certificate could not be read, and skips when it cannot be asked for', () => {
    expect(
      compareServedCertificate(
        {arn: configured.arn, problem: 'not-found', reason: 'IAM has no server certificate named web'},
        cert(),
      ),
    ).toMatchObject({status: 'warn'})
    expect(
      compareServedCertificate(
        {arn: configured.arn, problem: 'unsupported', reason: 'no IAM access in this run'},
        cert(),
      ),
    ).toMatchObject({status: 'skip'})
  })
})
