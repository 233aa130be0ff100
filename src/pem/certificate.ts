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
    certificateChain = chainBlocks.map((b) => b.pem).join('')
  }

  return {
    certificateBody: certBlocks[0]!.pem,
    privateKey: key.pem,
    ...(certificateChain ? {certificateChain} : {}),
    subject: nameOf(leaf),
    notAfter: new Date(leaf.validTo).toISOString(),
    fingerprint: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
  }
}
