/**
 * Two runs uploading the same certificate at once, over moto's IAM (which, patched, answers a
 * second UploadServerCertificate of a name with EntityAlreadyExists, as AWS does). The other run's
 * upload lands right after this run looked for the name, the moment the race turns on; the race
 * of two whole runs is in concurrency.test.ts.
 */
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import type {IamGateway} from '../../src/aws/gateways.js'
import {checkCertificateFiles} from '../../src/pem/certificate.js'
import {uploadCertificate} from '../../src/steps/certificate.js'
import {makeCertificate, type CertificatePair} from '../helpers/certs.js'
import {motoGateways, sdkClients} from '../helpers/moto.js'

const pair = makeCertificate()
const other = makeCertificate()
const checked = checkCertificateFiles({certificateFile: pair.certFile, privateKeyFile: pair.keyFile})

let aws: Awaited<ReturnType<typeof motoGateways>>
beforeAll(async () => {
  aws = await motoGateways()
})
afterAll(() => aws.close())

/** elbx's IAM gateway on moto, where another run uploads `theirs` just after this run's first look. */
function racingIam(theirs: CertificatePair): IamGateway & {uploads: number} {
  let looked = false
  const real = aws.iam
  const gateway = Object.assign(Object.create(real) as IamGateway, {
    uploads: 0,
    async getServerCertificate(name: string) {
      if (looked) return real.getServerCertificate(name)
      looked = true
      const {iam} = sdkClients()
      try {
        await iam.send(
          new UploadServerCertificateCommand({
            ServerCertificateName: name,
            CertificateBody: theirs.cert,
            PrivateKey: theirs.key,
          }),
        )
      } finally {
        iam.destroy()
      }
      return undefined
    },
    async uploadServerCertificate(...args: Parameters<IamGateway['uploadServerCertificate']>) {
      gateway.uploads++
      return real.uploadServerCertificate(...args)
    },
  })
  return gateway
}

describe('two creates uploading the same certificate at once (AWS: EntityAlreadyExists)', () => {
  it('the run that loses the upload reuses the certificate and does not claim it (so never rolls it back)', async () => {
    const iam = racingIam(pair)
    const result = await uploadCertificate(iam, {
      name: 'elbx-web-abc',
      loadBalancerName: 'web',
      certificate: checked,
    })
    expect(result).toEqual({
      name: 'elbx-web-abc',
      arn: 'arn:aws:iam::123456789012:server-certificate/elbx-web-abc',
      created: false,
    })
    expect(iam.uploads).toBe(1)
  })

  it('a different certificate under that name is still an error', async () => {
    const iam = racingIam(other)
    await expect(
      uploadCertificate(iam, {name: 'elbx-web-def', loadBalancerName: 'web', certificate: checked}),
    ).rejects.toThrow(/IAM already holds a different server certificate named "elbx-web-def"/)
  })
})
