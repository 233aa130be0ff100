import {checkCertificateFiles} from '../../../src/pem/certificate.js'
import {
  deleteServerCertificate,
  retryWhileCertificatePropagates,
  uploadCertificate,
} from '../../../src/steps/certificate.js'
import {makeCertificate} from '../../helpers/certs.js'
import {AwsWorld} from './create-world.js'
import {FakeClock, sdkError} from './fakes.js'

describe('CertificateNotFound right after an IAM upload', () => {
  it('is retried with growing delays until ELB sees the certificate', async () => {
    const clock = new FakeClock()
    let calls = 0
    const result = await retryWhileCertificatePropagates(
      async () => {
        if (++calls < 4) throw sdkError('CertificateNotFoundException')
        return 'ok'
      },
      {clock},
    )
    expect(result).toBe('ok')
    expect(clock.sleeps).toEqual([5000, 10000, 20000])
  })

  it('gives up after the bounded few minutes with the last error', async () => {
    const clock = new FakeClock()
    await expect(
      retryWhileCertificatePropagates(async () => Promise.reject(sdkError('CertificateNotFoundException')), {
        clock,
      }),
    ).rejects.toThrow('CertificateNotFoundException')
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(5 * 60_000)
  })

  it('stops waiting on Ctrl-C', async () => {
    const abort = new AbortController()
    abort.abort()
    await expect(
      retryWhileCertificatePropagates(async () => Promise.reject(sdkError('CertificateNotFoundException')), {
        clock: new FakeClock(),
        signal: abort.signal,
      }),
    ).rejects.toThrow('Interrupted')
  })
})

describe('certificate upload', () => {
  const pair = makeCertificate()
  const checked = checkCertificateFiles({certificateFile: pair.certFile, privateKeyFile: pair.keyFile})

  it('uploads tagged for the load balancer, and reuses the same certificate under the same name', async () => {
    const world = new AwsWorld()
    const {iam} = world.gateways()
    const first = await uploadCertificate(iam, {
      name: 'elbx-web-1',
      loadBalancerName: 'web',
      certificate: checked,
    })
    expect(first).toEqual({
      name: 'elbx-web-1',
      arn: 'arn:aws:iam::123456789012:server-certificate/elbx-web-1',
      created: true,
    })
    expect(world.certificates.get('elbx-web-1')!.tags).toEqual([{key: 'elbx:load-balancer', value: 'web'}])
    const again = await uploadCertificate(iam, {
      name: 'elbx-web-1',
      loadBalancerName: 'web',
      certificate: checked,
    })
    expect(again.created).toBe(false)
    expect(world.calls.filter((c) => c === 'UploadServerCertificate')).toHaveLength(1)
  })

  it('refuses a name that holds a different certificate', async () => {
    const world = new AwsWorld()
    const {iam} = world.gateways()
    const other = makeCertificate()
    await iam.uploadServerCertificate({name: 'taken', certificateBody: other.cert, privateKey: other.key})
    await expect(
      uploadCertificate(iam, {name: 'taken', loadBalancerName: 'web', certificate: checked}),
    ).rejects.toThrow('IAM already holds a different server certificate named "taken".')
  })

  it('deletes with DeleteConflict retried while ELB lets go of it; a missing one is fine', async () => {
    const world = new AwsWorld()
    const {iam} = world.gateways()
    await iam.uploadServerCertificate({name: 'c', certificateBody: pair.cert, privateKey: pair.key})
    world.failures.DeleteServerCertificate = [sdkError('DeleteConflictException')]
    const clock = new FakeClock()
    await deleteServerCertificate(iam, 'c', {clock})
    expect(clock.sleeps).toEqual([5000])
    await expect(deleteServerCertificate(iam, 'c', {clock})).resolves.toBeUndefined()
  })
})
