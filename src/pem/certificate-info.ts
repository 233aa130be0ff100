/**
 * What a certificate says about itself, read from its body (the PEM IAM GetServerCertificate or
 * ACM GetCertificate returns), not from the service's metadata: moto hard-codes IAM's Expiration,
 * and an auditor wants the subject, names and key as a client sees them.
 */
import {X509Certificate, createHash, createPublicKey} from 'node:crypto'

import {certificateStrength, isSelfSigned, publicKeyBits} from './certificate.js'
import {parsePemBlocks} from './pem-file.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** One certificate, as `elbx show`, `audit` and `export` describe it. Field names are part of --json. */
export interface CertificateInfo {
  /** "CN=www.example.com, O=Example" (the distinguished name on one line). */
  subject: string
  commonName?: string
  /** DNS names and IP addresses from subjectAltName, as "www.example.com" / "192.0.2.1". */
  subjectAlternativeNames: string[]
  issuer: string
  selfSigned: boolean
  serialNumber: string
  notBefore: string
  notAfter: string
  /** Whole days from `now` to notAfter, rounded down; negative once expired. */
  daysToExpiry: number
  expired: boolean
  /** rsa, ec, ed25519... */
  keyType?: string
  keyBits?: number
  signatureAlgorithm?: string
  /** SHA-256 of the DER, hex without colons, lower case (as CheckedCertificate.fingerprint). */
  fingerprint: string
  /** Weak key or signature, one sentence each; empty when none. */
  weaknesses: string[]
}

/** "CN=a\nO=b" -> "CN=a, O=b". */
const oneLine = (name: string) => name.replace(/\n/g, ', ')

/** X509Certificate.subjectAltName is "DNS:a, DNS:b, IP Address:192.0.2.1": keep the values. */
export function subjectAlternativeNames(text: string | undefined): string[] {
  if (!text) return []
  return text
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address|email|URI):/, '').trim())
    .filter(Boolean)
}

/** Whole days until `notAfter` (rounded down, so "0 days" means it expires within a day). */
export function daysUntil(notAfter: string | Date, now: Date = new Date()): number {
  return Math.floor((new Date(notAfter).getTime() - now.getTime()) / DAY_MS)
}

/** SHA-256 of a DER encoding, in elbx's fingerprint form. */
export const sha256Fingerprint = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex')

/** Describes an already parsed certificate. */
export function describeCertificate(cert: X509Certificate, now: Date = new Date()): CertificateInfo {
  const strength = certificateStrength(cert, {isRoot: isSelfSigned(cert)})
  const commonName = /^CN=(.*)$/m.exec(cert.subject)?.[1]
  const notAfter = new Date(cert.validTo).toISOString()
  const daysToExpiry = daysUntil(notAfter, now)
  return {
    subject: oneLine(cert.subject),
    ...(commonName ? {commonName} : {}),
    subjectAlternativeNames: subjectAlternativeNames(cert.subjectAltName),
    issuer: oneLine(cert.issuer),
    selfSigned: isSelfSigned(cert),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter,
    daysToExpiry,
    expired: new Date(notAfter).getTime() <= now.getTime(),
    ...(strength.keyType ? {keyType: strength.keyType} : {}),
    ...(strength.keyBits !== undefined ? {keyBits: strength.keyBits} : {}),
    ...(strength.signatureAlgorithm ? {signatureAlgorithm: strength.signatureAlgorithm} : {}),
    fingerprint: sha256Fingerprint(cert.raw),
    weaknesses: strength.weaknesses,
  }
}

/**
 * The first certificate of a PEM text (a body, or a body followed by its chain), or undefined when
 * the text holds no certificate that parses. Never throws: a service's damaged answer is reported
 * by the caller, not fatal.
 */
export function certificateInfoFromPem(pem: string, now: Date = new Date()): CertificateInfo | undefined {
  const block = parsePemBlocks(pem).find((b) => b.label === 'CERTIFICATE')
  if (!block) return undefined
  try {
    return describeCertificate(new X509Certificate(block.der), now)
  } catch {
    return undefined
  }
}

/** A public key as a PublicKeyPolicyType policy holds it (base64 SubjectPublicKeyInfo DER). */
export interface PublicKeyInfo {
  keyType?: string
  keyBits?: number
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex lower case (`openssl pkey -pubin -outform der | sha256sum`). */
  fingerprint: string
}

/** Reads a PublicKey policy attribute; undefined when it is not a public key. */
export function publicKeyInfo(base64Spki: string): PublicKeyInfo | undefined {
  const der = Buffer.from(base64Spki.replace(/\s+/g, ''), 'base64')
  if (der.length === 0) return undefined
  try {
    const key = createPublicKey({key: der, format: 'der', type: 'spki'})
    const bits = publicKeyBits(key)
    return {
      ...(key.asymmetricKeyType ? {keyType: key.asymmetricKeyType} : {}),
      ...(bits !== undefined ? {keyBits: bits} : {}),
      fingerprint: sha256Fingerprint(der),
    }
  } catch {
    return undefined
  }
}
