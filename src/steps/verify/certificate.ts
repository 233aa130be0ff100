import {X509Certificate} from 'node:crypto'
import {checkServerIdentity, type PeerCertificate as NodePeerCertificate} from 'node:tls'

import {type CertificateStrength, certificateStrength, isSelfSigned} from '../../pem/certificate.js'

import type {PeerCertificate} from './network.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** Certificates that expire within this many days get a warning. */
export const EXPIRY_WARNING_DAYS = 30

/**
 * Why the certificate does not cover `host`, or undefined when it does. Uses Node's own check
 * (RFC 6125: SANs first, one wildcard label, the CN only without DNS SANs), as HTTPS clients do.
 */
export function hostMismatch(host: string, certificate: PeerCertificate): string | undefined {
  const asNode = {
    subject: certificate.commonName ? {CN: certificate.commonName} : {},
    subjectaltname: certificate.subjectAltNames.join(', '),
  } as unknown as NodePeerCertificate
  const error = checkServerIdentity(host, asNode)
  if (!error) return undefined
  const names = certificate.subjectAltNames.length
    ? certificate.subjectAltNames.join(', ')
    : `CN=${certificate.commonName ?? '(none)'}`
  return `the certificate does not cover ${host} (it names ${names})`
}

/** Whole days until the certificate expires (negative once it has). */
export function daysToExpiry(certificate: PeerCertificate, now: Date): number {
  return Math.floor((new Date(certificate.validTo).getTime() - now.getTime()) / DAY_MS)
}

/** True once the certificate's notAfter has passed. */
export function isExpired(certificate: PeerCertificate, now: Date): boolean {
  return new Date(certificate.validTo).getTime() <= now.getTime()
}

/** "CN=www.example.com; SANs: DNS:www.example.com; issuer: CN=Example CA; expires 2026-01-01 (in 364 days)" */
export function describeCertificate(certificate: PeerCertificate, now: Date): string {
  const days = daysToExpiry(certificate, now)
  const when = isExpired(certificate, now) ? 'expired' : `in ${days} day${days === 1 ? '' : 's'}`
  return [
    `certificate ${certificate.subject || '(no subject)'}`,
    `SANs: ${certificate.subjectAltNames.length ? certificate.subjectAltNames.join(', ') : 'none'}`,
    `issuer: ${certificate.issuer || '(none)'}`,
    `expires ${certificate.validTo.slice(0, 10)} (${when})`,
  ].join('; ')
}

/**
 * Why Node's TLS refused the chain, in words. Each cause has its own sentence; the code stays in
 * parentheses for searching. Key size and signature problems are judged separately
 * (servedCertificateWeaknesses), because OpenSSL reports them only as UNSPECIFIED, if at all.
 */
export function describeChainError(code: string, certificate: PeerCertificate | undefined): string {
  const subject = certificate?.subject || 'the certificate'
  const issuer = certificate?.issuer || 'its issuer'
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `the certificate is self-signed (${subject} issued itself): no browser trusts it; use a certificate from a public CA, or trust your own with NODE_EXTRA_CA_CERTS=ca.pem (${code})`
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `the chain ends in a self-signed root that is not trusted (${code}); trust a private root with NODE_EXTRA_CA_CERTS=ca.pem`
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `incomplete chain: nothing trusted issued ${subject} (issuer ${issuer}); the server sent no intermediate that leads to a trusted root. Upload the intermediates as the certificate chain (--chain-file), or trust a private CA with NODE_EXTRA_CA_CERTS=ca.pem (${code})`
    case 'CERT_HAS_EXPIRED':
      return `a certificate in the chain has expired (${code})`
    case 'CERT_NOT_YET_VALID':
      return `a certificate in the chain is not valid yet: check its dates and this machine's clock (${code})`
    case 'CERT_SIGNATURE_FAILURE':
    case 'UNABLE_TO_DECRYPT_CERT_SIGNATURE':
      return `a signature in the chain does not verify: the chain is damaged or in the wrong order (${code})`
    case 'INVALID_CA':
    case 'INVALID_PURPOSE':
      return `a certificate in the chain may not be used this way (not a CA, or not for TLS servers) (${code})`
    case 'CERT_REVOKED':
      return `a certificate in the chain is revoked (${code})`
    default:
      return `the chain was refused (${code})`
  }
}

/**
 * Weak keys and signatures among the certificates the server sent (the leaf and intermediates;
 * a self-signed root's own signature is not judged), each naming its certificate.
 */
export function servedCertificateWeaknesses(
  certificate: PeerCertificate | undefined,
  chain: PeerCertificate[] = [],
): {subject: string; strength: CertificateStrength}[] {
  const out: {subject: string; strength: CertificateStrength}[] = []
  for (const [i, served] of [certificate, ...chain].entries()) {
    if (!served?.der) continue
    let x509: X509Certificate
    try {
      x509 = new X509Certificate(served.der)
    } catch {
      continue
    }
    // The leaf's signature counts even when it is self-signed (browsers refuse it either way).
    const strength = certificateStrength(x509, {isRoot: i > 0 && isSelfSigned(x509)})
    out.push({subject: served.subject || `certificate ${i + 1}`, strength})
  }
  return out
}
