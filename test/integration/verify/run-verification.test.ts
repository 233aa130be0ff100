import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import {parseConnectTo, runVerification, type VerifyReport} from '../../../src/steps/verify/index.js'
import {type CertificatePair, makeCertificate} from '../../helpers/certs.js'
import {type LocalServer, startHttpServer, startHttpsServer} from '../../helpers/local-servers.js'
import {motoGateways} from '../../helpers/moto.js'
import {importAcmCertificate, seedVerifiableLoadBalancer, useListenerCertificate} from './moto-lb.js'

const statuses = (report: VerifyReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]))
const check = (report: VerifyReport, id: string) => report.checks.find((c) => c.id === id)!

describe('runVerification against moto and local servers', () => {
  let connection: Awaited<ReturnType<typeof motoGateways>>
  let dnsName: string
  let web: LocalServer
  let tls12: LocalServer
  let tlsOld: LocalServer
  let certificate: CertificatePair
  let certificateArn: string

  beforeAll(async () => {
    connection = await motoGateways()
    certificate = makeCertificate({commonName: 'www.example.com'})
    ;({dnsName, certificateArn} = await seedVerifiableLoadBalancer('verify-int', {certificate}))
    web = await startHttpServer()
    tls12 = await startHttpsServer(certificate, {protocols: 'TLSv1.2'})
    tlsOld = await startHttpsServer(certificate, {protocols: 'TLSv1-TLSv1.2'})
  })

  afterAll(async () => {
    await Promise.all([web.close(), tls12.close(), tlsOld.close()])
    connection.close()
  })

  const verify = (httpsPort: number, extra: Partial<Parameters<typeof runVerification>[1]> = {}) =>
    runVerification(
      {elb: connection.elb, iam: connection.iam, acm: connection.acm},
      {
        loadBalancerName: 'verify-int',
        host: 'www.example.com',
        waitTimeoutMs: 5000,
        insecure: true,
        connectTo: [
          parseConnectTo(`${dnsName}:80:127.0.0.1:${web.port}`),
          parseConnectTo(`${dnsName}:443:127.0.0.1:${httpsPort}`),
        ],
        ...extra,
      },
    )

  it('passes against a TLS 1.2-only endpoint, keeping SNI and the Host header', async () => {
    const report = await verify(tls12.port)
    expect(statuses(report)).toEqual({
      configuration: 'pass',
      instances: 'pass',
      dns: 'warn',
      'http:80': 'pass',
      'https:443': 'pass',
      'certificate:443': 'pass',
      'policy:443': 'pass',
    })
    expect(report.passed).toBe(true)
    expect(check(report, 'certificate:443').data).toMatchObject({
      configured: {arn: certificateArn, service: 'iam'},
      matches: true,
    })
    expect(check(report, 'configuration').detail).toContain('ELBSecurityPolicy-TLS-1-2-2017-01')
    expect(check(report, 'dns').detail).toContain(`${dnsName} does not resolve`)
    expect(check(report, 'https:443').data).toMatchObject({
      protocol: 'TLSv1.2',
      sni: 'www.example.com',
      status: 200,
    })
    expect(check(report, 'policy:443').detail).toMatch(/TLSv1 refused/)
    expect(check(report, 'policy:443').detail).toMatch(/TLSv1\.1 refused/)
    expect(web.seen.at(-1)).toMatchObject({host: 'www.example.com', path: '/'})
    expect(tls12.seen.at(-1)).toMatchObject({host: 'www.example.com', servername: 'www.example.com'})
  })

  it('fails policy enforcement when the endpoint accepts TLS 1.0 that the policy disables', async () => {
    const report = await verify(tlsOld.port)
    expect(report.passed).toBe(false)
    expect(check(report, 'policy:443').status).toBe('fail')
    expect(check(report, 'policy:443').detail).toMatch(/TLSv1 accepted .* although the policy disables it/)
  })

  it('fails the DNS check cleanly and skips the probes that need it when --connect-to is not given', async () => {
    const report = await verify(tls12.port, {connectTo: []})
    expect(statuses(report)).toMatchObject({
      dns: 'fail',
      'http:80': 'skip',
      'https:443': 'skip',
      'policy:443': 'skip',
    })
    expect(check(report, 'https:443').detail).toContain('does not resolve')
    expect(report.passed).toBe(false)
  })

  it('compares the served certificate with an ACM certificate (GetCertificate) too', async () => {
    const other = makeCertificate({commonName: 'www.example.com'})
    const acmArn = await importAcmCertificate(other)
    await useListenerCertificate('verify-int', acmArn)
    try {
      const report = await verify(tls12.port)
      expect(check(report, 'certificate:443')).toMatchObject({
        status: 'fail',
        data: {configured: {arn: acmArn, service: 'acm'}, matches: false},
      })
      expect(check(report, 'certificate:443').detail).toMatch(
        new RegExp(
          `^the listener serves CN=www\\.example\\.com \\(SHA-256 [0-9A-F:]+\\), not its configured certificate ${acmArn}`,
        ),
      )
    } finally {
      await useListenerCertificate('verify-int', certificateArn)
    }
  })

  it('guesses the host from the configured certificate when asked to (create --verify), and only warns on a mismatch', async () => {
    const guessed = await verify(tls12.port, {host: undefined, guessHost: true})
    expect(guessed).toMatchObject({host: 'www.example.com', hostSource: 'guessed'})
    expect(check(guessed, 'https:443').status).toBe('pass')
    expect(tls12.seen.at(-1)).toMatchObject({servername: 'www.example.com'})

    // A server with another certificate: the guessed name is not covered, which only warns.
    const elsewhere = await startHttpsServer(makeCertificate({commonName: 'other.example.net'}))
    try {
      const report = await verify(elsewhere.port, {host: undefined, guessHost: true})
      expect(check(report, 'https:443').status).toBe('warn')
      expect(check(report, 'https:443').detail.split('\n')[0]).toBe(
        'the certificate does not cover www.example.com (it names DNS:other.example.net); elbx guessed that name, so this only warns (--host names the one clients use)',
      )
      expect(check(report, 'certificate:443').status).toBe('fail')
    } finally {
      await elsewhere.close()
    }
  })

  it('reports a missing load balancer as a failed configuration check, not an error', async () => {
    const report = await runVerification(
      {elb: connection.elb},
      {loadBalancerName: 'no-such-lb', waitTimeoutMs: 1000},
    )
    expect(statuses(report)).toEqual({configuration: 'fail', instances: 'skip', dns: 'skip'})
    expect(check(report, 'configuration').detail).toContain('no load balancer named "no-such-lb"')
  })
})
