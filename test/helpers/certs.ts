import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {registerPrivateKey} from './secrets.js'

export interface CertificatePair {
  dir: string
  certFile: string
  keyFile: string
  cert: string
  key: string
}

export interface CertificateOptions {
  commonName?: string
  altNames?: string[]
  /** Days of validity; any negative number makes a certificate that expired yesterday. */
  days?: number
  keyType?: 'rsa' | 'ec'
  /** RSA key size (default 2048; 1024 makes a key browsers refuse). */
  rsaBits?: number
  /** Signature digest of a self-signed certificate (default openssl's, SHA-256; sha1 is what browsers refuse). */
  digest?: 'sha1' | 'sha256'
  /** Sign with this CA instead of self-signing. */
  ca?: CertificatePair
  isCa?: boolean
}

/** Makes a certificate and its private key with openssl (as operators do), in a fresh temp dir. */
export function makeCertificate(options: CertificateOptions = {}): CertificatePair {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-cert-'))
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  const cn = options.commonName ?? 'www.example.com'
  const sans = (options.altNames ?? [cn]).map((n) => `DNS:${n}`).join(',')
  const days = options.days ?? 365
  if (options.keyType === 'ec') {
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile], {
      stdio: 'pipe',
    })
  } else {
    execFileSync(
      'openssl',
      [
        'genpkey',
        '-algorithm',
        'RSA',
        '-pkeyopt',
        `rsa_keygen_bits:${options.rsaBits ?? 2048}`,
        '-out',
        keyFile,
      ],
      {stdio: 'pipe'},
    )
  }
  const ext = options.isCa
    ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign']
    : ['-addext', `subjectAltName=${sans}`]
  if (days < 0) {
    // OpenSSL 3.0 accepts -days -1 (and nothing lower): a certificate that expired a day ago.
    const csr = join(dir, 'req.csr')
    execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', `/CN=${cn}`, '-out', csr], {
      stdio: 'pipe',
    })
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-key', keyFile, '-days', '-1', '-out', certFile], {
      stdio: 'pipe',
    })
  } else if (options.ca) {
    const csr = join(dir, 'req.csr')
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-key',
        keyFile,
        '-subj',
        `/CN=${cn}`,
        '-addext',
        `subjectAltName=${sans}`,
        '-out',
        csr,
      ],
      {stdio: 'pipe'},
    )
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        options.ca.certFile,
        '-CAkey',
        options.ca.keyFile,
        '-CAcreateserial',
        '-days',
        String(days),
        '-copy_extensions',
        'copy',
        '-out',
        certFile,
      ],
      {stdio: 'pipe'},
    )
  } else {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        ...(options.digest ? [`-${options.digest}`] : []),
        '-key',
        keyFile,
        '-subj',
        `/CN=${cn}`,
        '-days',
        String(days),
        ...ext,
        '-out',
        certFile,
      ],
      {stdio: 'pipe'},
    )
  }
  const key = readFileSync(keyFile, 'utf8')
  registerPrivateKey(key)
  return {dir, certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key}
}

/** The PublicKey attribute AWS's guide derives: `openssl x509 -pubkey -noout` without header, footer or newlines. */
export function opensslPublicKeyAttribute(certFile: string): string {
  const pem = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout'], {encoding: 'utf8'})
  return pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('')
}
