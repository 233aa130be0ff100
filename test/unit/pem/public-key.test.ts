import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {InvalidInputError} from '../../../src/errors.js'
import {publicKeyFromFile} from '../../../src/pem/public-key.js'
import {makeCertificate, opensslPublicKeyAttribute, type CertificatePair} from '../../helpers/certs.js'

let rsa: CertificatePair
let ec: CertificatePair

beforeAll(() => {
  rsa = makeCertificate({keyType: 'rsa', commonName: 'backend.example.com'})
  ec = makeCertificate({keyType: 'ec', commonName: 'backend-ec.example.com'})
})

const write = (pair: CertificatePair, name: string, content: string | Buffer) => {
  const path = join(pair.dir, name)
  writeFileSync(path, content)
  return path
}

const refusal = (path: string): InvalidInputError => {
  try {
    publicKeyFromFile('--cert', path)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return error as InvalidInputError
  }
  throw new Error(`expected ${path} to be refused`)
}

describe('publicKeyFromFile', () => {
  it('gives exactly what openssl x509 -pubkey prints, without its first and last lines, for RSA and EC certificates', () => {
    for (const pair of [rsa, ec]) {
      const result = publicKeyFromFile('--cert', pair.certFile)
      expect(result).toEqual({publicKey: opensslPublicKeyAttribute(pair.certFile), source: 'certificate'})
      expect(result.publicKey).toMatch(/^[A-Za-z0-9+/]+=*$/)
    }
  })

  it('reads a PUBLIC KEY PEM, a DER certificate and a DER public key to the same attribute', () => {
    const expected = opensslPublicKeyAttribute(rsa.certFile)
    const pubPem = execFileSync('openssl', ['x509', '-in', rsa.certFile, '-pubkey', '-noout'], {
      encoding: 'utf8',
    })
    const derCert = execFileSync('openssl', ['x509', '-in', rsa.certFile, '-outform', 'DER'])
    const derKey = execFileSync('openssl', [
      'pkey',
      '-in',
      write(rsa, 'p.pem', pubPem),
      '-pubin',
      '-outform',
      'DER',
    ])
    expect(publicKeyFromFile('--cert', write(rsa, 'pub.pem', pubPem))).toEqual({
      publicKey: expected,
      source: 'public key',
    })
    expect(publicKeyFromFile('--cert', write(rsa, 'cert.der', derCert))).toEqual({
      publicKey: expected,
      source: 'certificate',
    })
    expect(publicKeyFromFile('--cert', write(rsa, 'pub.der', derKey))).toEqual({
      publicKey: expected,
      source: 'public key',
    })
  })

  it('tolerates CRLF line endings and surrounding whitespace', () => {
    const crlf = `\r\n\r\n  ${ec.cert.replace(/\n/g, '\r\n')}\r\n\t\r\n`
    expect(publicKeyFromFile('--cert', write(ec, 'crlf.pem', crlf)).publicKey).toBe(
      opensslPublicKeyAttribute(ec.certFile),
    )
  })

  it('uses the first certificate of a bundle and says so', () => {
    const path = write(rsa, 'bundle.pem', rsa.cert + ec.cert)
    const result = publicKeyFromFile('--cert', path)
    expect(result.publicKey).toBe(opensslPublicKeyAttribute(rsa.certFile))
    expect(result.note).toContain('holds 2 certificates; elbx used the first')
    expect(result.note).toContain('backend.example.com')
  })

  it('accepts the base64 body without its PEM lines, noting it', () => {
    const body = opensslPublicKeyAttribute(rsa.certFile)
    const result = publicKeyFromFile('--cert', write(rsa, 'body.txt', `${body}\n`))
    expect(result).toMatchObject({publicKey: body, source: 'public key'})
    expect(result.note).toContain('no PEM header')
  })

  it('refuses a private key (PEM, DER, or alongside a certificate) without echoing it', () => {
    const der = execFileSync('openssl', ['pkey', '-in', rsa.keyFile, '-outform', 'DER'])
    for (const path of [
      rsa.keyFile,
      ec.keyFile,
      write(rsa, 'key.der', der),
      write(rsa, 'both.pem', rsa.cert + rsa.key),
    ]) {
      const error = refusal(path)
      expect(error.message).toBe(
        `--cert ${path} holds a private key. Back-end authentication needs the instance's certificate or public key; elbx never reads private keys for it.`,
      )
      const body = readFileSync(rsa.keyFile, 'utf8').split('\n')[1]!
      expect(`${error.message} ${error.hint}`).not.toContain(body.slice(0, 20))
    }
  })

  it('names the file and the reason for a CSR, garbage, an empty file, a truncated PEM and a missing file', () => {
    const csr = execFileSync('openssl', ['req', '-new', '-key', rsa.keyFile, '-subj', '/CN=x'], {
      encoding: 'utf8',
    })
    const csrPath = write(rsa, 'req.csr', csr)
    expect(refusal(csrPath).message).toBe(
      `--cert ${csrPath} holds a certificate signing request (CSR), not a certificate or public key.`,
    )
    expect(refusal(csrPath).hint).toContain('give the certificate issued from it')

    const garbage = write(rsa, 'garbage.bin', Buffer.from([0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef]))
    expect(refusal(garbage).message).toBe(
      `--cert ${garbage} is neither a PEM nor a DER certificate or public key.`,
    )

    const empty = write(rsa, 'empty.pem', '\n  \n')
    expect(refusal(empty).message).toBe(`--cert ${empty} is empty.`)

    const cut = write(rsa, 'cut.pem', rsa.cert.slice(0, 200))
    expect(refusal(cut).message).toContain('has no matching END line (the file is truncated)')

    const lines = rsa.cert.trim().split('\n')
    const corrupt = write(rsa, 'corrupt.pem', [lines[0], lines[1], lines[2], lines.at(-1)].join('\n'))
    expect(refusal(corrupt).message).toBe(
      `--cert ${corrupt}: the certificate cannot be parsed (truncated or corrupt).`,
    )

    expect(refusal(join(rsa.dir, 'nope.pem')).message).toContain('no such file')
  })

  it('explains that an OpenSSH public key must be converted', () => {
    const path = write(rsa, 'id_rsa.pub', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host\n')
    const error = refusal(path)
    expect(error.message).toContain('holds an OpenSSH public key')
    expect(error.hint).toContain('ssh-keygen -e -m PKCS8')
  })
})
