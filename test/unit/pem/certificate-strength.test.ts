import {X509Certificate} from 'node:crypto'

import {describe, expect, it} from '@jest/globals'

import {
  certificateStrength,
  checkCertificateFiles,
  isSelfSigned,
  signatureAlgorithmOid,
} from '../../../src/pem/certificate.js'
import {type CertificateOptions, makeCertificate} from '../../helpers/certs.js'

const selfSigned = (options: CertificateOptions) =>
  makeCertificate({commonName: 'www.example.com', ...options})
const RSA_1024: CertificateOptions = {rsaBits: 1024, digest: 'sha1'}
const RSA_2048: CertificateOptions = {digest: 'sha256'}
const P256: CertificateOptions = {keyType: 'ec', digest: 'sha256'}

describe('certificateStrength', () => {
  it('names a 1024-bit RSA key and a SHA-1 signature, each in its own sentence', () => {
    const weak = new X509Certificate(selfSigned(RSA_1024).cert)
    expect(signatureAlgorithmOid(weak.raw)).toBe('1.2.840.113549.1.1.5')
    const strength = certificateStrength(weak)
    expect(strength).toMatchObject({
      keyType: 'rsa',
      keyBits: 1024,
      signatureAlgorithm: 'sha1WithRSAEncryption',
    })
    expect(strength.weaknesses).toEqual([
      'its RSA key has 1024 bits; browsers refuse RSA keys under 2048 bits (make a new key with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`)',
      'it is signed with SHA-1 (sha1WithRSAEncryption); browsers refuse SHA-1 signatures: have it reissued with SHA-256',
    ])
    // A trust anchor's own signature is never checked by anyone: not a weakness of a root.
    expect(certificateStrength(weak, {isRoot: true}).weaknesses).toHaveLength(1)
    expect(isSelfSigned(weak)).toBe(true)
  })

  it('finds nothing wrong with RSA 2048 / SHA-256 or P-256 / ECDSA-SHA-256', () => {
    expect(certificateStrength(new X509Certificate(selfSigned(RSA_2048).cert))).toEqual({
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      weaknesses: [],
    })
    expect(certificateStrength(new X509Certificate(selfSigned(P256).cert))).toEqual({
      keyType: 'ec',
      keyBits: 256,
      signatureAlgorithm: 'ecdsa-with-SHA256',
      weaknesses: [],
    })
  })

  it('reads no algorithm out of bytes that are not a certificate', () => {
    expect(signatureAlgorithmOid(Buffer.from([0x30, 0x82, 0xff]))).toBeUndefined()
    expect(signatureAlgorithmOid(Buffer.alloc(0))).toBeUndefined()
  })
})

describe('checkCertificateFiles warnings', () => {
  it('warns, naming the file, for a weak certificate it accepts for upload', () => {
    const weak = selfSigned(RSA_1024)
    const checked = checkCertificateFiles({certificateFile: weak.certFile, privateKeyFile: weak.keyFile})
    expect(checked.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^--certificate-file ${weak.certFile} \\(CN=www\\.example\\.com\\): its RSA key has 1024 bits`,
        ),
      ),
      expect.stringMatching(/: it is signed with SHA-1 \(sha1WithRSAEncryption\);/),
    ])
  })

  it('has no warnings for a strong certificate', () => {
    const strong = selfSigned(RSA_2048)
    expect(
      checkCertificateFiles({certificateFile: strong.certFile, privateKeyFile: strong.keyFile}).warnings,
    ).toBeUndefined()
  })
})
