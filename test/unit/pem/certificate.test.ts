import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {checkCertificateFiles} from '../../../src/pem/certificate.js'
import {makeCertificate, type CertificatePair} from '../../helpers/certs.js'

describe('checkCertificateFiles', () => {
  let site: CertificatePair
  let root: CertificatePair
  let intermediate: CertificatePair
  let leaf: CertificatePair

  beforeAll(() => {
    site = makeCertificate()
    root = makeCertificate({commonName: 'Test Root CA', isCa: true, days: 3650})
    intermediate = makeCertificate({commonName: 'Test Intermediate CA', ca: root, days: 3650})
    // The intermediate needs CA:TRUE to issue; re-sign it with the extension.
    const ext = join(intermediate.dir, 'ca.ext')
    writeFileSync(ext, 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n')
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        join(intermediate.dir, 'req.csr'),
        '-CA',
        root.certFile,
        '-CAkey',
        root.keyFile,
        '-CAcreateserial',
        '-days',
        '3650',
        '-extfile',
        ext,
        '-out',
        intermediate.certFile,
      ],
      {stdio: 'pipe'},
    )
    leaf = makeCertificate({commonName: 'shop.example.com', ca: intermediate})
  })

  it('accepts a self-signed pair and returns what IAM needs', () => {
    const checked = checkCertificateFiles({certificateFile: site.certFile, privateKeyFile: site.keyFile})
    expect(checked.certificateBody).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    expect(checked.privateKey).toMatch(/PRIVATE KEY-----\n$/)
    expect(checked.certificateChain).toBeUndefined()
    expect(checked.subject).toBe('CN=www.example.com')
    expect(checked.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('accepts an EC key and a chain in order', () => {
    const ec = makeCertificate({keyType: 'ec'})
    expect(() =>
      checkCertificateFiles({certificateFile: ec.certFile, privateKeyFile: ec.keyFile}),
    ).not.toThrow()
    const chainFile = join(leaf.dir, 'chain.pem')
    writeFileSync(chainFile, intermediate.cert.trim() + '\n' + root.cert)
    const checked = checkCertificateFiles({
      certificateFile: leaf.certFile,
      privateKeyFile: leaf.keyFile,
      chainFile,
    })
    expect(checked.certificateChain?.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
  })

  it('refuses a chain out of order, naming which certificate is the issuer', () => {
    const chainFile = join(leaf.dir, 'reversed.pem')
    writeFileSync(chainFile, root.cert + intermediate.cert)
    expect(() =>
      checkCertificateFiles({certificateFile: leaf.certFile, privateKeyFile: leaf.keyFile, chainFile}),
    ).toThrow(
      /certificate 1 \(CN=Test Root CA\) did not issue the server certificate \(CN=shop.example.com\)/,
    )
    try {
      checkCertificateFiles({certificateFile: leaf.certFile, privateKeyFile: leaf.keyFile, chainFile})
    } catch (error) {
      expect((error as {hint: string}).hint).toMatch(/out of order: its issuer is certificate 2/)
    }
  })

  it('refuses a chain that does not belong to the certificate', () => {
    const chainFile = join(site.dir, 'chain.pem')
    writeFileSync(chainFile, root.cert)
    expect(() =>
      checkCertificateFiles({certificateFile: site.certFile, privateKeyFile: site.keyFile, chainFile}),
    ).toThrow(/did not issue the server certificate/)
  })

  it('refuses an expired certificate', () => {
    const old = makeCertificate({days: -1})
    expect(() => checkCertificateFiles({certificateFile: old.certFile, privateKeyFile: old.keyFile})).toThrow(
      /the certificate for CN=www.example.com expired on/,
    )
  })

  it('refuses a key that does not match, without echoing either file', () => {
    const other = makeCertificate()
    let message = ''
    try {
      checkCertificateFiles({certificateFile: site.certFile, privateKeyFile: other.keyFile})
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe(
      `--private-key-file ${other.keyFile} does not belong to the certificate in ${site.certFile} (CN=www.example.com).`,
    )
    expect(message).not.toContain('PRIVATE KEY')
  })

  it('refuses the wrong kind of file in each place', () => {
    expect(() =>
      checkCertificateFiles({certificateFile: site.keyFile, privateKeyFile: site.keyFile}),
    ).toThrow(`--certificate-file ${site.keyFile} holds a private key, not a certificate.`)
    expect(() =>
      checkCertificateFiles({certificateFile: site.certFile, privateKeyFile: site.certFile}),
    ).toThrow(`--private-key-file ${site.certFile} holds a certificate, not a private key.`)
    const both = join(site.dir, 'both.pem')
    writeFileSync(both, site.cert + leaf.cert)
    expect(() => checkCertificateFiles({certificateFile: both, privateKeyFile: site.keyFile})).toThrow(
      /holds 2 certificates; it must hold only the server certificate/,
    )
    const garbage = join(site.dir, 'garbage.pem')
    writeFileSync(garbage, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0xff, 0x00]))
    expect(() => checkCertificateFiles({certificateFile: garbage, privateKeyFile: site.keyFile})).toThrow(
      /is not a PEM certificate/,
    )
  })

  it('refuses a truncated certificate and a damaged key', () => {
    const truncated = join(site.dir, 'truncated.pem')
    const lines = site.cert.split('\n')
    writeFileSync(truncated, [...lines.slice(0, 6), '-----END CERTIFICATE-----', ''].join('\n'))
    expect(() => checkCertificateFiles({certificateFile: truncated, privateKeyFile: site.keyFile})).toThrow(
      /is not a valid X.509 certificate: it cannot be parsed/,
    )
    const damaged = join(site.dir, 'damaged.pem')
    const keyLines = site.key.split('\n')
    writeFileSync(damaged, [...keyLines.slice(0, 5), keyLines[keyLines.length - 2], ''].join('\n'))
    let message = ''
    try {
      checkCertificateFiles({certificateFile: site.certFile, privateKeyFile: damaged})
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/cannot be parsed as a private key/)
    expect(message).not.toContain(keyLines[2]!)
  })

  it('refuses a passphrase-protected key', () => {
    const encrypted = join(site.dir, 'encrypted.pem')
    execFileSync(
      'openssl',
      ['pkey', '-in', site.keyFile, '-aes256', '-passout', 'pass:secret', '-out', encrypted],
      {
        stdio: 'pipe',
      },
    )
    expect(() => checkCertificateFiles({certificateFile: site.certFile, privateKeyFile: encrypted})).toThrow(
      /is encrypted with a passphrase; IAM needs the key unencrypted/,
    )
  })

  it('refuses missing files', () => {
    expect(() =>
      checkCertificateFiles({certificateFile: '/nonexistent/cert.pem', privateKeyFile: site.keyFile}),
    ).toThrow('--certificate-file /nonexistent/cert.pem: no such file.')
  })
})
