import {closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats} from 'node:fs'

import {InvalidInputError} from '../errors.js'
import {registerPrivateKey} from '../redact.js'
import {checkFilePath} from '../validate/file-path.js'

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
/**
 * One BEGIN or END line. The label is bounded, so each match attempt looks at a few dozen
 * characters: scanning a file is linear in its size whatever it holds (a file of BEGIN lines with
 * no END once took 44 s through a lazy "BEGIN ... END" pattern).
 */
const MARKER = /-----(BEGIN|END) ([A-Z0-9 ]{1,64})-----/g

/**
 * The most elbx reads from a file flag: a certificate with a long chain is a few tens of KiB, so
 * anything larger is not PEM (and reading /dev/zero or a huge log to the end would exhaust memory).
 */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024

/** True when the label is a private key of any kind (PKCS#8, RSA, EC, encrypted). */
export function isPrivateKeyLabel(label: string): boolean {
  return PRIVATE_KEY_LABEL.test(label)
}

interface PemScan {
  blocks: PemBlock[]
  /** The label of the first BEGIN line whose block never ends (a file cut short). */
  unterminated?: string
}

function toBlock(label: string, rawBody: string): PemBlock {
  const body = rawBody.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '')
  const der = Buffer.from(body, 'base64')
  const lines = body.match(/.{1,64}/g) ?? []
  return {label, der, pem: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`}
}

/**
 * One pass over the BEGIN and END lines: a block runs from a BEGIN to the next END of the same
 * label; a BEGIN before that END means the open block was cut short (it is reported, not joined
 * with the next one).
 */
function scanPem(text: string): PemScan {
  const scan: PemScan = {blocks: []}
  let open: {label: string; bodyStart: number} | undefined
  for (const match of text.matchAll(MARKER)) {
    const [marker, kind, label] = match as unknown as [string, string, string]
    if (kind === 'BEGIN') {
      if (open) scan.unterminated ??= open.label
      open = {label, bodyStart: match.index + marker.length}
    } else if (open?.label === label) {
      scan.blocks.push(toBlock(label, text.slice(open.bodyStart, match.index)))
      open = undefined
    }
  }
  if (open) scan.unterminated ??= open.label
  return scan
}

/**
 * Splits PEM text into blocks. Tolerates CRLF line endings, surrounding whitespace and text
 * between blocks (as in bundles exported by some tools). Never includes file content in errors.
 */
export function parsePemBlocks(text: string): PemBlock[] {
  return scanPem(text).blocks
}

/** What a path is when it is not a regular file, for "cannot be read: it is ...". */
function notARegularFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`

/**
 * Reads a regular file of at most MAX_INPUT_FILE_BYTES. The path is opened non-blocking (opening a
 * FIFO for reading otherwise waits for a writer forever) and checked again through the open
 * descriptor, so a path swapped between the check and the open is still refused; the read stops
 * one byte past the limit, so a file that grows meanwhile cannot exhaust memory either.
 */
function readRegularFile(flag: string, path: string): Buffer {
  const refuse = (stats: Stats) => {
    if (stats.isDirectory()) throw new InvalidInputError(`${flag} ${path} is a directory, not a file.`)
    const kind = notARegularFile(stats)
    if (kind) {
      throw new InvalidInputError(
        `${flag} ${path} cannot be read: it is ${kind}, not a regular file.`,
        'Give the path of a PEM file on disk.',
      )
    }
    if (stats.size > MAX_INPUT_FILE_BYTES) throw tooLarge(mib(stats.size))
  }
  const tooLarge = (size: string) =>
    new InvalidInputError(
      `${flag} ${path} is ${size}; a PEM certificate or key is a few KiB, and elbx reads at most 1 MiB.`,
      'Check that the path names the certificate or key file.',
    )
  refuse(statSync(path))
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  try {
    refuse(fstatSync(fd))
    const buffer = Buffer.alloc(MAX_INPUT_FILE_BYTES + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > MAX_INPUT_FILE_BYTES) throw tooLarge('larger than 1 MiB')
    }
    return buffer.subarray(0, length)
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads a file named by a flag, with the one-line errors users need: missing, a directory, a pipe,
 * socket or device, too large, unreadable, empty. `flag` is the option the path came from, e.g.
 * "--certificate-file".
 */
export function readInputFile(flag: string, path: string): ReadFile {
  checkFilePath(flag, path)
  let bytes: Buffer
  try {
    bytes = readRegularFile(flag, path)
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
  const blocks = text.includes('-----BEGIN ') ? parsePemBlocks(text) : []
  // From here on nothing elbx prints may hold the key, whatever AWS or a library quotes back.
  for (const block of blocks) if (isPrivateKeyLabel(block.label)) registerPrivateKey(block.pem)
  return {path, bytes, blocks}
}

/** The label of a "-----BEGIN X-----" line with no matching END line (a file cut short), if any. */
export function unterminatedPemLabel(file: ReadFile): string | undefined {
  return scanPem(file.bytes.toString('latin1')).unterminated
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
