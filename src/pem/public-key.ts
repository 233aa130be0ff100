import {X509Certificate, createPrivateKey, createPublicKey, type KeyObject} from 'node:crypto'

import {InvalidInputError} from '../errors.js'
import {describeBlocks, isPrivateKeyLabel, parsePemBlocks, readInputFile, type PemBlock} from './pem-file.js'

/** A PublicKey attribute for a PublicKeyPolicyType policy, and where it came from. */
export interface PublicKeyFromFile {
  /** SubjectPublicKeyInfo DER as base64: no header, footer or whitespace (`openssl x509 -pubkey -noout` minus its first and last lines). */
  publicKey: string
  source: 'certificate' | 'public key'
  /** Something the user should know, e.g. that only the first certificate of a bundle was used. */
  note?: string
}

const spkiBase64 = (key: KeyObject): string => key.export({type: 'spki', format: 'der'}).toString('base64')

const ACCEPTED =
  'Give the X.509 certificate the instances present (PEM or DER) or its public key (-----BEGIN PUBLIC KEY-----, e.g. from `openssl x509 -in cert.pem -pubkey -noout`).'

function refusePrivateKey(flag: string, path: string): never {
  // Never echo any of the file: it holds key material.
  throw new InvalidInputError(
    `${flag} ${path} holds a private key. Back-end authentication needs the instance's certificate or public key; elbx never reads private keys for it.`,
    ACCEPTED,
  )
}

function fromCertificate(flag: string, path: string, der: Buffer): KeyObject {
  try {
    return new X509Certificate(der).publicKey
  } catch {
    throw new InvalidInputError(
      `${flag} ${path}: the certificate cannot be parsed (truncated or corrupt).`,
      ACCEPTED,
    )
  }
}

function fromPublicKey(flag: string, path: string, der: Buffer, type: 'spki' | 'pkcs1'): KeyObject {
  try {
    return createPublicKey({key: der, format: 'der', type})
  } catch {
    throw new InvalidInputError(
      `${flag} ${path}: the public key cannot be parsed (truncated or corrupt).`,
      ACCEPTED,
    )
  }
}

function fromPemBlocks(flag: string, path: string, blocks: PemBlock[]): PublicKeyFromFile {
  if (blocks.some((b) => isPrivateKeyLabel(b.label))) refusePrivateKey(flag, path)
  const first = blocks[0]!
  switch (first.label) {
    case 'CERTIFICATE':
    case 'X509 CERTIFICATE':
    case 'TRUSTED CERTIFICATE': {
      const key = fromCertificate(flag, path, first.der)
      const certificates = blocks.filter((b) => b.label.endsWith('CERTIFICATE')).length
      return {
        publicKey: spkiBase64(key),
        source: 'certificate',
        ...(certificates > 1
          ? {
              note: `${path} holds ${certificates} certificates; elbx used the first (${new X509Certificate(first.der).subject.replace(/\n/g, ', ')}). Put the instance's own certificate first.`,
            }
          : {}),
      }
    }
    case 'PUBLIC KEY':
      return {publicKey: spkiBase64(fromPublicKey(flag, path, first.der, 'spki')), source: 'public key'}
    case 'RSA PUBLIC KEY':
      return {
        publicKey: spkiBase64(fromPublicKey(flag, path, first.der, 'pkcs1')),
        source: 'public key',
        note: `${path} holds a PKCS#1 RSA public key; elbx converted it to the SubjectPublicKeyInfo form AWS expects.`,
      }
    default:
      throw new InvalidInputError(
        `${flag} ${path} holds ${describeBlocks(blocks)}, not a certificate or public key.`,
        first.label.includes('REQUEST')
          ? 'A certificate signing request is not a certificate: give the certificate issued from it.'
          : ACCEPTED,
      )
  }
}

/** DER bytes: a certificate, a SubjectPublicKeyInfo, or (refused) a private key. */
function fromDer(flag: string, path: string, der: Buffer): PublicKeyFromFile | undefined {
  try {
    return {publicKey: spkiBase64(new X509Certificate(der).publicKey), source: 'certificate'}
  } catch {
    // not a certificate
  }
  try {
    return {
      publicKey: spkiBase64(createPublicKey({key: der, format: 'der', type: 'spki'})),
      source: 'public key',
    }
  } catch {
    // not a public key
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({key: der, format: 'der', type})
      refusePrivateKey(flag, path)
    } catch (error) {
      if (error instanceof InvalidInputError) throw error
    }
  }
  return undefined
}

/**
 * Reads the certificate or public key a back-end instance presents and returns the PublicKey
 * attribute AWS's guide derives with `openssl x509 -pubkey -noout`: the SubjectPublicKeyInfo as
 * single-line base64. Accepts a PEM certificate (the first of a bundle), a PUBLIC KEY PEM, DER of
 * either, or the bare base64 body; tolerates CRLF and whitespace. Refuses private keys without
 * echoing them, and names the file and the reason for anything else.
 */
export function publicKeyFromFile(flag: string, path: string): PublicKeyFromFile {
  const file = readInputFile(flag, path)
  if (file.blocks.length) return fromPemBlocks(flag, path, file.blocks)

  const text = file.bytes.toString('latin1')
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)
  if (begin) {
    if (isPrivateKeyLabel(begin[1]!)) refusePrivateKey(flag, path)
    throw new InvalidInputError(
      `${flag} ${path}: "-----BEGIN ${begin[1]}-----" has no matching END line (the file is truncated).`,
      ACCEPTED,
    )
  }
  if (/^\s*ssh-(rsa|ed25519|dss)|^\s*ecdsa-sha2-/.test(text)) {
    throw new InvalidInputError(
      `${flag} ${path} holds an OpenSSH public key, which AWS does not accept for back-end authentication.`,
      `Convert it with \`ssh-keygen -e -m PKCS8 -f ${path}\`, or give the instance's certificate.`,
    )
  }
  if (file.bytes[0] === 0x30) {
    const der = fromDer(flag, path, file.bytes)
    if (der) return der
  }
  // The base64 body alone, as someone may have copied it out of a PEM file already.
  const compact = text.replace(/\s+/g, '')
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length >= 64) {
    const der = fromDer(flag, path, Buffer.from(compact, 'base64'))
    if (der) return {...der, note: `${path} has no PEM header; elbx read it as a base64 ${der.source}.`}
  }
  throw new InvalidInputError(
    `${flag} ${path} is neither a PEM nor a DER certificate or public key.`,
    ACCEPTED,
  )
}

/**
 * The PublicKey attribute from PEM text given inline (a spec file's publicKeys): a certificate or a
 * public key, as publicKeyFromFile takes them; `what` names the field in messages.
 */
export function publicKeyFromPem(what: string, text: string): PublicKeyFromFile {
  const blocks = parsePemBlocks(text)
  if (blocks.length === 0)
    throw new InvalidInputError(`${what} is not a PEM public key or certificate.`, ACCEPTED)
  return fromPemBlocks(what, 'value', blocks)
}

/** A PublicKey attribute (single-line base64 SubjectPublicKeyInfo) as the PEM a spec file shows. */
export function publicKeyPem(publicKey: string): string {
  const lines = publicKey.match(/.{1,64}/g) ?? []
  return ['-----BEGIN PUBLIC KEY-----', ...lines, '-----END PUBLIC KEY-----', ''].join('\n')
}
