import {execFileSync} from 'node:child_process'
import {X509Certificate, createPrivateKey, createPublicKey, randomBytes} from 'node:crypto'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {makeCertificate, type CertificatePair} from '../helpers/certs.js'
import {registerPrivateKey} from '../helpers/secrets.js'

/**
 * Every wrong kind of file a user can hand elbx where a certificate, key or chain belongs, written
 * once into a temp dir. Private keys derived here are registered with the secret scan, so a test
 * fails if elbx ever prints any of their content.
 */
export interface BadFiles {
  dir: string
  /** A good RSA certificate and its key. */
  good: CertificatePair
  /** A certificate that expired yesterday (and its key). */
  expired: CertificatePair
  /** An EC key: a private key that does not match `good`'s certificate. */
  ecKey: string
  /** A certificate signing request. */
  csr: string
  /** BEGIN CERTIFICATE and half the body, no END line (a copy-paste cut short). */
  truncatedNoEnd: string
  /** BEGIN and END lines around half of the body (a damaged certificate). */
  truncatedBody: string
  /** A private key whose body lost its second half. */
  truncatedKey: string
  /** A private key cut off before its END line. */
  truncatedKeyNoEnd: string
  /** 4 KiB of random bytes. */
  garbage: string
  /** Zero bytes. */
  empty: string
  /** Only spaces and newlines. */
  blank: string
  /** `good`'s certificate in DER. */
  derCertificate: string
  /** `good`'s private key in DER (PKCS#8). */
  derKey: string
  /** `good`'s public key (SubjectPublicKeyInfo PEM). */
  publicKey: string
  /** `good`'s key as "BEGIN RSA PRIVATE KEY" (PKCS#1). */
  rsaKey: string
  /** `good`'s key encrypted with a passphrase. */
  encryptedKey: string
  /** Two certificates in one file. */
  bundle: string
  /** An OpenSSH public key line. */
  sshPublicKey: string
  /** A directory. */
  directory: string
  /** A Unix socket: exists, but no read can succeed (not even as root). */
  socket: string
  /** The CSR with mode 000 (root still reads it; anyone else gets EACCES). */
  unreadable: string
  /** A path that does not exist. */
  missing: string
  /** A named pipe no one writes to: reading it the plain way waits forever. */
  fifo: string
  /** /dev/zero: a device that never ends (reading it whole exhausts memory). */
  endless: string
  /** 2 MiB of BEGIN CERTIFICATE lines with no END: over the size limit. */
  oversized: string
  /** Just under 1 MiB of BEGIN lines with no END: within the size limit, so the PEM scanner meets it. */
  beginFlood: string
  /** True when this process ignores file permissions (root), so mode 000 does not stop reads. */
  readsIgnorePermissions: boolean
  close(): Promise<void>
}

export async function makeBadFiles(): Promise<BadFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-bad-files-'))
  const good = makeCertificate()
  const expired = makeCertificate({days: -1})
  const ec = makeCertificate({keyType: 'ec'})
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }
  const certLines = good.cert.trim().split('\n')
  const keyLines = good.key.trim().split('\n')
  const half = (lines: string[]) => lines.slice(0, Math.floor(lines.length / 2))
  const key = createPrivateKey(good.key)
  const rsaPem = key.export({type: 'pkcs1', format: 'pem'}).toString()
  const encryptedPem = key
    .export({type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse'})
    .toString()
  registerPrivateKey(rsaPem)
  registerPrivateKey(encryptedPem)
  const truncatedKeyPem = [...half(keyLines), keyLines.at(-1)!].join('\n') + '\n'
  registerPrivateKey(truncatedKeyPem)

  const csr = file('request.csr', readCsr(expired))
  const unreadable = file('unreadable.pem', readCsr(expired))
  chmodSync(unreadable, 0o000)
  const directory = join(dir, 'a-directory.pem')
  mkdirSync(directory)
  const socketPath = join(dir, 'socket.pem')
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  const fifo = join(dir, 'fifo.pem')
  execFileSync('mkfifo', [fifo])
  const beginLine = '-----BEGIN CERTIFICATE-----\n'
  const beginLines = (bytes: number) => beginLine.repeat(Math.floor(bytes / beginLine.length))

  return {
    dir,
    good,
    expired,
    ecKey: ec.keyFile,
    csr,
    truncatedNoEnd: file('truncated-no-end.pem', half(certLines).join('\n') + '\n'),
    truncatedBody: file('truncated-body.pem', [...half(certLines), certLines.at(-1)!].join('\n') + '\n'),
    truncatedKey: file('truncated-key.pem', truncatedKeyPem),
    truncatedKeyNoEnd: file('truncated-key-no-end.pem', half(keyLines).join('\n') + '\n'),
    garbage: file('garbage.pem', randomBytes(4096)),
    empty: file('empty.pem', ''),
    blank: file('blank.pem', '  \n\n \n'),
    derCertificate: file('cert.der', new X509Certificate(good.cert).raw),
    derKey: file('key.der', key.export({type: 'pkcs8', format: 'der'})),
    publicKey: file('public.pem', createPublicKey(good.key).export({type: 'spki', format: 'pem'}).toString()),
    rsaKey: file('rsa-key.pem', rsaPem),
    encryptedKey: file('encrypted-key.pem', encryptedPem),
    bundle: file('bundle.pem', good.cert + expired.cert),
    sshPublicKey: file(
      'id_ed25519.pub',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx3bWxiZWxieHRlc3RrZXlub3RyZWFsbHl1c2VkMDAw web@example\n',
    ),
    directory,
    socket: socketPath,
    unreadable,
    missing: join(dir, 'no-such-file.pem'),
    fifo,
    endless: '/dev/zero',
    oversized: file('oversized.pem', beginLines(2 * 1024 * 1024)),
    beginFlood: file('begin-flood.pem', beginLines(1024 * 1024 - 100)),
    readsIgnorePermissions: process.getuid?.() === 0,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** makeCertificate leaves the request it signed next to an expired certificate. */
function readCsr(pair: CertificatePair): string {
  return readFileSync(join(pair.dir, 'req.csr'), 'utf8')
}
