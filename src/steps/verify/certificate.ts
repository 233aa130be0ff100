import {checkServerIdentity, type PeerCertificate as NodePeerCertificate} from 'node:tls'

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
