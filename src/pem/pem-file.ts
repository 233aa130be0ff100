import {readFileSync, statSync} from 'node:fs'

import {InvalidInputError} from '../errors.js'

/** One "-----BEGIN X-----" ... "-----END X-----" block of a PEM file. */
export interface PemBlock {
  label: string
  /** The block re-assembled with LF line endings, as Node's crypto and AWS expect. */
  pem: string
  der: Buffer
}

export interface ReadFile {
  path: string
  /** The file's bytes; for a private key, only ever passed on to IAM. */
  bytes: Buffer
  /** PEM blocks found; empty for DER or garbage. */
  blocks: PemBlock[]
}

const PRIVATE_KEY_LABEL = /PRIVATE KEY/
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g

/** True when the label is a private key of any kind (PKCS#8, RSA, EC, encrypted). */
export function isPrivateKeyLabel(label: string): boolean {
  return PRIVATE_KEY_LABEL.test(label)
}

/**
 * Splits PEM text into blocks. Tolerates CRLF line endings, surrounding whitespace and text
 * between blocks (as in bundles exported by some tools). Never includes file content in errors.
 */
export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = []
  for (const match of text.replace(/\r\n?/g, '\n').matchAll(BLOCK)) {
    const label = match[1]!
    const body = match[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '')
    const der = Buffer.from(body, 'base64')
    const lines = body.match(/.{1,64}/g) ?? []
    blocks.push({label, der, pem: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`})
  }
  return blocks
}

/**
 * Reads a file named by a flag, with the one-line errors users need: missing, a directory,
 * unreadable, empty. `flag` is the option the path came from, e.g. "--certificate-file".
 */
export function readInputFile(flag: string, path: string): ReadFile {
  let bytes: Buffer
  try {
    if (statSync(path).isDirectory())
      throw new InvalidInputError(`${flag} ${path} is a directory, not a file.`)
    bytes = readFileSync(path)
  } catch (error) {
    if (error instanceof InvalidInputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new InvalidInputError(`${flag} ${path}: no such file.`, 'Check the path.')
    if (code === 'EACCES' || code === 'EPERM') {
      throw new InvalidInputError(
        `${flag} ${path}: permission denied.`,
        'Make the file readable by the user running elbx.',
      )
    }
    throw new InvalidInputError(`${flag} ${path}: cannot be read (${code ?? 'error'}).`)
  }
  if (bytes.toString('utf8').trim().length === 0) throw new InvalidInputError(`${flag} ${path} is empty.`)
  const text = bytes.toString('latin1')
  return {path, bytes, blocks: text.includes('-----BEGIN ') ? parsePemBlocks(text) : []}
}

/** The label of a "-----BEGIN X-----" line with no matching END line (a file cut short), if any. */
export function unterminatedPemLabel(file: ReadFile): string | undefined {
  const text = file.bytes.toString('latin1')
  for (const match of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)) {
    if (!text.includes(`-----END ${match[1]}-----`, match.index)) return match[1]
  }
  return undefined
}

/** Describes what kind of PEM a file holds, for error messages ("a private key", "a certificate request"). */
export function describeBlocks(blocks: PemBlock[]): string {
  if (blocks.length === 0) return 'no PEM block'
  const label = blocks[0]!.label
  if (isPrivateKeyLabel(label)) return 'a private key'
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST')
    return 'a certificate signing request (CSR)'
  if (label === 'CERTIFICATE') return blocks.length > 1 ? `${blocks.length} certificates` : 'a certificate'
  if (label === 'PUBLIC KEY') return 'a public key'
  return `a "${label}" block`
}
