/**
 * The AWS side of two runs racing, which moto does not reproduce: IAM answers a second
 * UploadServerCertificate of the same name with EntityAlreadyExists (moto accepts it). A fake IAM
 * gateway plays AWS here; the race over moto itself is in concurrency.test.ts.
 */
import type {IamGateway} from '../../src/aws/gateways.js'
import {checkCertificateFiles} from '../../src/pem/certificate.js'
import {uploadCertificate} from '../../src/steps/certificate.js'
import {makeCertificate} from '../helpers/certs.js'

const pair = makeCertificate()
const other = makeCertificate()
const checked = checkCertificateFiles({certificateFile: pair.certFile, privateKeyFile: pair.keyFile})

const entityAlreadyExists = () =>
  Object.assign(new Error('The Server Certificate with name x already exists.'), {
    name: 'EntityAlreadyExistsException',
    $metadata: {httpStatusCode: 409},
  })

/** IAM as AWS behaves when another run uploads between our look and our upload. */
function racingIam(body: string): IamGateway & {uploads: number} {
  let uploadedByOther = false
  const gateway = {
    uploads: 0,
    async getServerCertificate(name: string) {
      if (!uploadedByOther) return undefined
      return {
        name,
        arn: `arn:aws:iam::123456789012:server-certificate/${name}`,
        certificateBody: body,
        tags: [],
      }
    },
    async uploadServerCertificate() {
      gateway.uploads++
      uploadedByOther = true
      throw entityAlreadyExists()
    },
    listServerCertificates: async () => [],
    deleteServerCertificate: async () => {},
  }
  return gateway as unknown as IamGateway & {uploads: number}
}

describe('two creates uploading the same certificate at once (AWS: EntityAlreadyExists)', () => {
  it('the run that loses the upload reuses the certificate and does not claim it (so never rolls it back)', async () => {
    const iam = racingIam(pair.cert)
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
    const iam = racingIam(other.cert)
    await expect(
      uploadCertificate(iam, {name: 'elbx-web-abc', loadBalancerName: 'web', certificate: checked}),
    ).rejects.toThrow(/IAM already holds a different server certificate named "elbx-web-abc"/)
  })
})
