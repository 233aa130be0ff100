import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {InvalidInputError} from '../../../src/errors.js'
import {
  MAX_INPUT_FILE_BYTES,
  parsePemBlocks,
  readInputFile,
  unterminatedPemLabel,
} from '../../../src/pem/pem-file.js'
import {makeCertificate} from '../../helpers/certs.js'

const pair = makeCertificate()
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'elbx-pem-file-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** The InvalidInputError readInputFile throws for a path (fails the test when it does not throw). */
function refusal(path: string): InvalidInputError {
  try {
    readInputFile('--certificate-file', path)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return error as InvalidInputError
  }
  throw new Error(`readInputFile accepted ${path}`)
}

describe('readInputFile reads regular files only, and at most 1 MiB of them', () => {
  it('reads a PEM file into its blocks', () => {
    const file = readInputFile('--certificate-file', pair.certFile)
    expect(file.blocks.map((b) => b.label)).toEqual(['CERTIFICATE'])
    expect(file.blocks[0]!.pem).toBe(pair.cert)
  })

  // Before: opening a FIFO for reading blocked until a writer came, which none does.
  it('refuses a named pipe without waiting for a writer', () => {
    const fifo = join(dir, 'fifo.pem')
    execFileSync('mkfifo', [fifo])
    expect(refusal(fifo).message).toBe(
      `--certificate-file ${fifo} cannot be read: it is a named pipe (FIFO), not a regular file.`,
    )
  }, 10_000)

  // Before: read to the end, which never comes: std::bad_alloc.
  it('refuses a device such as /dev/zero', () => {
    expect(refusal('/dev/zero').message).toBe(
      '--certificate-file /dev/zero cannot be read: it is a device, not a regular file.',
    )
  })

  it('refuses a directory, a missing path and an empty file, naming each', () => {
    expect(refusal(dir).message).toBe(`--certificate-file ${dir} is a directory, not a file.`)
    expect(refusal(join(dir, 'nope.pem')).message).toBe(
      `--certificate-file ${join(dir, 'nope.pem')}: no such file.`,
    )
    const empty = write('empty.pem', '')
    expect(refusal(empty).message).toBe(`--certificate-file ${empty} is empty.`)
  })

  it('refuses a file over 1 MiB before reading it, and reads one of exactly 1 MiB', () => {
    const big = write('big.pem', Buffer.alloc(2 * MAX_INPUT_FILE_BYTES, 'A'))
    const error = refusal(big)
    expect(error.message).toBe(
      `--certificate-file ${big} is 2.0 MiB; a PEM certificate or key is a few KiB, and elbx reads at most 1 MiB.`,
    )
    expect(error.hint).toMatch(/names the certificate or key file/)
    const limit = write('limit.pem', Buffer.alloc(MAX_INPUT_FILE_BYTES, 'A'))
    expect(readInputFile('--certificate-file', limit).bytes).toHaveLength(MAX_INPUT_FILE_BYTES)
  })
})

describe('the PEM scan is one pass over BEGIN and END lines', () => {
  // Before: a lazy BEGIN...END pattern rescanned the rest of the file from every BEGIN (44 s for 2 MB).
  it('a file of BEGIN lines with no END: no blocks, the first label unterminated', () => {
    const flood = write('flood.pem', '-----BEGIN CERTIFICATE-----\n'.repeat(37_000))
    const file = readInputFile('--certificate-file', flood)
    expect(file.blocks).toEqual([])
    expect(unterminatedPemLabel(file)).toBe('CERTIFICATE')
  }, 10_000)

  it('finds each block of a bundle, with CRLF line endings and text between blocks', () => {
    const other = makeCertificate()
    const text = `subject=CN=one\r\n${pair.cert.replace(/\n/g, '\r\n')}\r\nsubject=CN=two\r\n${other.cert}`
    expect(parsePemBlocks(text).map((b) => b.pem)).toEqual([pair.cert, other.cert])
  })

  it('a block cut short before the next BEGIN is reported, and the next block still found', () => {
    const lines = pair.cert.trim().split('\n')
    const cut = lines.slice(0, 5).join('\n') + '\n'
    const file = readInputFile('--certificate-file', write('cut.pem', cut + pair.cert))
    expect(file.blocks.map((b) => b.pem)).toEqual([pair.cert])
    expect(unterminatedPemLabel(file)).toBe('CERTIFICATE')
  })

  it('a BEGIN line whose END names another label does not end the block', () => {
    const text = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n'
    expect(parsePemBlocks(text)).toEqual([])
    expect(unterminatedPemLabel({path: 'x', bytes: Buffer.from(text), blocks: []})).toBe('CERTIFICATE')
  })

  it('drops encapsulated headers (Proc-Type, DEK-Info) from the body', () => {
    const [block] = parsePemBlocks(
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAECAw==\n-----END RSA PRIVATE KEY-----\n',
    )
    expect(block!.der).toEqual(Buffer.from([0, 1, 2, 3]))
  })
})
