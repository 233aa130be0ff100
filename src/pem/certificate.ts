import {X509Certificate, createPrivateKey, type KeyObject} from 'node:crypto'

import {InvalidInputError} from '../errors.js'
import {
  describeBlocks,
  isPrivateKeyLabel,
  readInputFile,
  unterminatedPemLabel,
  type PemBlock,
  type ReadFile,
} from './pem-file.js'

/** Certificate files as the user named them. */
export interface CertificateFiles {
  certificateFile: string
  privateKeyFile: string
  chainFile?: string
}

/** A server certificate checked locally and ready for IAM UploadServerCertificate. */
export interface CheckedCertificate {
  /** The certificate PEM (one block). */
  certificateBody: string
  /** The private key PEM: passed to IAM and nowhere else; never printed, logged or put in errors. */
  privateKey: string
  /** The intermediate certificates PEM, leaf's issuer first. */
  certificateChain?: string
  subject: string
  notAfter: string
  /** SHA-256 fingerprint, hex without colons, lower case. */
  fingerprint: string
  /** Weak key or signature (RSA under 2048 bits, SHA-1): uploaded anyway, but browsers refuse it. */
  warnings?: string[]
}

function parseCertificate(flag: string, path: string, block: PemBlock, index?: number): X509Certificate {
  try {
    return new X509Certificate(block.der)
  } catch {
    const which = index === undefined ? '' : ` (certificate ${index + 1})`
    throw new InvalidInputError(
      `${flag} ${path}${which} is not a valid X.509 certificate: it cannot be parsed.`,
    )
  }
}

/** A file cut short (BEGIN without END) is not "not PEM": say it is truncated, without quoting it. */
function refuseTruncated(flag: string, file: ReadFile, expected: string): void {
  const label = unterminatedPemLabel(file)
  if (label === undefined) return
  throw new InvalidInputError(
    `${flag} ${file.path}: its ${label} block has no END line (the file is truncated).`,
    `Copy the whole ${expected}, from its -----BEGIN line to its -----END line.`,
  )
}

function certificateBlocks(flag: string, file: ReadFile): PemBlock[] {
  const {path, blocks} = file
  refuseTruncated(flag, file, 'certificate')
  if (blocks.length === 0) {
    throw new InvalidInputError(
      `${flag} ${path} is not a PEM certificate (no -----BEGIN CERTIFICATE----- block).`,
      'Convert a DER certificate with `openssl x509 -inform der -in cert.der -out cert.pem`.',
    )
  }
  const wrong = blocks.find((b) => b.label !== 'CERTIFICATE')
  if (wrong) {
    throw new InvalidInputError(`${flag} ${path} holds ${describeBlocks([wrong])}, not a certificate.`)
  }
  return blocks
}

function checkValidity(flag: string, path: string, cert: X509Certificate, now: Date): void {
  if (new Date(cert.validTo) < now) {
    throw new InvalidInputError(
      `${flag} ${path}: the certificate for ${cert.subject.replace(/\n/g, ', ')} expired on ${new Date(cert.validTo).toISOString()}.`,
      'Renew the certificate and pass the new file.',
    )
  }
  if (new Date(cert.validFrom) > now) {
    throw new InvalidInputError(
      `${flag} ${path}: the certificate is not valid until ${new Date(cert.validFrom).toISOString()}.`,
      "Check the certificate's dates and this machine's clock.",
    )
  }
}

function readPrivateKey(path: string): {pem: string; key: KeyObject} {
  const flag = '--private-key-file'
  const file = readInputFile(flag, path)
  refuseTruncated(flag, file, 'private key')
  const block = file.blocks[0]
  if (!block)
    throw new InvalidInputError(
      `${flag} ${path} is not a PEM private key (no -----BEGIN ... PRIVATE KEY----- block).`,
    )
  if (!isPrivateKeyLabel(block.label)) {
    throw new InvalidInputError(`${flag} ${path} holds ${describeBlocks(file.blocks)}, not a private key.`)
  }
  if (
    block.label === 'ENCRYPTED PRIVATE KEY' ||
    /Proc-Type:\s*4,ENCRYPTED/.test(file.bytes.toString('latin1'))
  ) {
    throw new InvalidInputError(
      `${flag} ${path} is encrypted with a passphrase; IAM needs the key unencrypted.`,
      'Write an unencrypted copy with `openssl pkey -in key.pem -out key-plain.pem` and keep it safe.',
    )
  }
  if (file.blocks.length > 1) {
    throw new InvalidInputError(
      `${flag} ${path} holds ${file.blocks.length} PEM blocks; give one private key.`,
    )
  }
  try {
    // Only our own text goes into the message: a parser error could quote the key.
    return {pem: block.pem, key: createPrivateKey(block.pem)}
  } catch {
    throw new InvalidInputError(`${flag} ${path} cannot be parsed as a private key (truncated or damaged?).`)
  }
}

const nameOf = (c: X509Certificate) => c.subject.replace(/\n/g, ', ')

/** True when `cert` was issued (and signed) by `issuer`. */
function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey)
  } catch {
    return false
  }
}

/**
 * Checks certificate files before anything is uploaded: the certificate parses and is within its
 * validity period, the private key belongs to it, and the chain runs in order (each certificate is
 * issued by the next). Messages name the file and the rule, never the key's content.
 */
export function checkCertificateFiles(files: CertificateFiles, now: Date = new Date()): CheckedCertificate {
  const certFlag = '--certificate-file'
  const certFile = readInputFile(certFlag, files.certificateFile)
  const certBlocks = certificateBlocks(certFlag, certFile)
  if (certBlocks.length > 1) {
    throw new InvalidInputError(
      `${certFlag} ${files.certificateFile} holds ${certBlocks.length} certificates; it must hold only the server certificate.`,
      'Put the intermediate certificates in a separate file and pass it with --chain-file.',
    )
  }
  const leaf = parseCertificate(certFlag, files.certificateFile, certBlocks[0]!)
  checkValidity(certFlag, files.certificateFile, leaf, now)

  const key = readPrivateKey(files.privateKeyFile)
  if (!leaf.checkPrivateKey(key.key)) {
    throw new InvalidInputError(
      `--private-key-file ${files.privateKeyFile} does not belong to the certificate in ${files.certificateFile} (${nameOf(leaf)}).`,
      'Pass the private key the certificate was issued for.',
    )
  }

  const warnings = certificateStrength(leaf).weaknesses.map(
    (w) => `${certFlag} ${files.certificateFile} (${nameOf(leaf)}): ${w}.`,
  )
  let certificateChain: string | undefined
  if (files.chainFile) {
    const chainFlag = '--chain-file'
    const chainBlocks = certificateBlocks(chainFlag, readInputFile(chainFlag, files.chainFile))
    const chain = chainBlocks.map((b, i) => parseCertificate(chainFlag, files.chainFile!, b, i))
    chain.forEach((c) => checkValidity(chainFlag, files.chainFile!, c, now))
    let child = leaf
    for (const [i, parent] of chain.entries()) {
      if (!issuedBy(child, parent)) {
        const inChain = chain.findIndex((c) => issuedBy(child, c))
        throw new InvalidInputError(
          `${chainFlag} ${files.chainFile}: certificate ${i + 1} (${nameOf(parent)}) did not issue ${
            i === 0 ? 'the server certificate' : `certificate ${i}`
          } (${nameOf(child)}).`,
          inChain >= 0
            ? `The chain is out of order: its issuer is certificate ${inChain + 1}. List the server certificate's issuer first, then each next issuer up to (not necessarily including) the root.`
            : 'The chain must start with the certificate that issued the server certificate, then each next issuer.',
        )
      }
      child = parent
    }
    for (const [i, c] of chain.entries()) {
      for (const w of certificateStrength(c, {isRoot: isSelfSigned(c)}).weaknesses)
        warnings.push(`${chainFlag} ${files.chainFile} certificate ${i + 1} (${nameOf(c)}): ${w}.`)
    }
    certificateChain = chainBlocks.map((b) => b.pem).join('')
  }

  return {
    certificateBody: certBlocks[0]!.pem,
    privateKey: key.pem,
    ...(certificateChain ? {certificateChain} : {}),
    subject: nameOf(leaf),
    notAfter: new Date(leaf.validTo).toISOString(),
    fingerprint: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
    ...(warnings.length ? {warnings} : {}),
  }
}

/** Signature algorithms by OID, with the hash browsers judge them by. */
const SIGNATURE_ALGORITHMS: Record<string, {name: string; hash: string}> = {
  '1.2.840.113549.1.1.4': {name: 'md5WithRSAEncryption', hash: 'MD5'},
  '1.2.840.113549.1.1.5': {name: 'sha1WithRSAEncryption', hash: 'SHA-1'},
  '1.2.840.113549.1.1.10': {name: 'RSASSA-PSS', hash: 'SHA-256'},
  '1.2.840.113549.1.1.11': {name: 'sha256WithRSAEncryption', hash: 'SHA-256'},
  '1.2.840.113549.1.1.12': {name: 'sha384WithRSAEncryption', hash: 'SHA-384'},
  '1.2.840.113549.1.1.13': {name: 'sha512WithRSAEncryption', hash: 'SHA-512'},
  '1.2.840.10040.4.3': {name: 'dsa-with-SHA1', hash: 'SHA-1'},
  '1.2.840.10045.4.1': {name: 'ecdsa-with-SHA1', hash: 'SHA-1'},
  '1.2.840.10045.4.3.2': {name: 'ecdsa-with-SHA256', hash: 'SHA-256'},
  '1.2.840.10045.4.3.3': {name: 'ecdsa-with-SHA384', hash: 'SHA-384'},
  '1.2.840.10045.4.3.4': {name: 'ecdsa-with-SHA512', hash: 'SHA-512'},
  '1.3.101.112': {name: 'Ed25519', hash: 'none'},
  '1.3.101.113': {name: 'Ed448', hash: 'none'},
}

/** Reads one DER TLV header at `offset`: where its contents start and end. */
function tlv(der: Uint8Array, offset: number): {tag: number; start: number; end: number} {
  const tag = der[offset]!
  let length = der[offset + 1]!
  let start = offset + 2
  if (length & 0x80) {
    const bytes = length & 0x7f
    if (bytes === 0 || bytes > 4) throw new Error('unsupported DER length')
    length = 0
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!
    start += bytes
  }
  const end = start + length
  if (end > der.length) throw new Error('DER runs past its end')
  return {tag, start, end}
}

function oidText(bytes: Uint8Array): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40]
  let value = 0
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      parts.push(value)
      value = 0
    }
  }
  return parts.join('.')
}

/**
 * The certificate's signature algorithm OID (Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signature }): Node's X509Certificate does not expose it.
 */
export function signatureAlgorithmOid(der: Uint8Array): string | undefined {
  try {
    const certificate = tlv(der, 0)
    const tbs = tlv(der, certificate.start)
    const algorithm = tlv(der, tbs.end)
    const oid = tlv(der, algorithm.start)
    return oid.tag === 0x06 ? oidText(der.subarray(oid.start, oid.end)) : undefined
  } catch {
    return undefined
  }
}

/** The key and signature of a certificate, as browsers judge them. */
export interface CertificateStrength {
  /** rsa, ec, ed25519, dsa... */
  keyType?: string
  keyBits?: number
  /** sha256WithRSAEncryption, or the OID when elbx does not know its name. */
  signatureAlgorithm?: string
  /** One sentence per weakness; empty when there is none. */
  weaknesses: string[]
}

/** RSA keys under this many bits are refused by browsers (and by AWS for new certificates). */
export const MIN_RSA_KEY_BITS = 2048
/** Elliptic-curve keys under this many bits (P-256) are refused by browsers. */
const MIN_EC_KEY_BITS = 256

/** The size of a public key: an RSA modulus, or a known named curve's bits. */
export function publicKeyBits(key: KeyObject): number | undefined {
  const details = key.asymmetricKeyDetails
  if (details?.modulusLength) return details.modulusLength
  const curveBits: Record<string, number> = {prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256}
  return details?.namedCurve ? (curveBits[details.namedCurve] ?? undefined) : undefined
}

/**
 * Key size and signature algorithm of one certificate: an RSA key under 2048 bits, an EC key
 * under 256, and an MD5 or SHA-1 signature are weaknesses (browsers refuse each). A self-signed
 * certificate's signature is not judged when `isRoot`: nobody verifies a trust anchor's signature.
 */
export function certificateStrength(
  cert: X509Certificate,
  options: {isRoot?: boolean} = {},
): CertificateStrength {
  const weaknesses: string[] = []
  const keyType = cert.publicKey.asymmetricKeyType
  const bits = publicKeyBits(cert.publicKey)
  if (keyType === 'rsa' && bits !== undefined && bits < MIN_RSA_KEY_BITS) {
    weaknesses.push(
      `its RSA key has ${bits} bits; browsers refuse RSA keys under ${MIN_RSA_KEY_BITS} bits (make a new key with \`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048\`)`,
    )
  } else if (keyType === 'ec' && bits !== undefined && bits < MIN_EC_KEY_BITS) {
    weaknesses.push(`its EC key has ${bits} bits; browsers refuse EC keys under ${MIN_EC_KEY_BITS} bits`)
  } else if (keyType === 'dsa') {
    weaknesses.push('its key is DSA, which browsers no longer accept for TLS')
  }
  const oid = signatureAlgorithmOid(cert.raw)
  const algorithm = oid ? SIGNATURE_ALGORITHMS[oid] : undefined
  if (!options.isRoot && algorithm && (algorithm.hash === 'SHA-1' || algorithm.hash === 'MD5')) {
    weaknesses.push(
      `it is signed with ${algorithm.hash} (${algorithm.name}); browsers refuse ${algorithm.hash} signatures: have it reissued with SHA-256`,
    )
  }
  return {
    ...(keyType ? {keyType} : {}),
    ...(bits !== undefined ? {keyBits: bits} : {}),
    ...(algorithm ? {signatureAlgorithm: algorithm.name} : oid ? {signatureAlgorithm: oid} : {}),
    weaknesses,
  }
}

/** True when the certificate names itself as its issuer and its own key signed it. */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && issuedBy(cert, cert)
}
