import {X509Certificate} from 'node:crypto'

import type {IamGateway} from '../../../../src/aws/gateways.js'
import type {TlsRequest, TlsSession, VerifyNetwork} from '../../../../src/steps/verify/network.js'
import {checkListenerServes} from '../../../../src/steps/verify/served-certificate.js'
import {makeCertificate} from '../../../helpers/certs.js'
import {FakeClock} from '../fakes.js'

const ARN = 'arn:aws:iam::123456789012:server-certificate/new'
const fresh = makeCertificate({commonName: 'new.example.com'})
const stale = makeCertificate({commonName: 'old.example.com'})
const served = (pem: string) => {
  const x = new X509Certificate(pem)
  return {
    subject: x.subject,
    subjectAltNames: [],
    issuer: x.issuer,
    validFrom: x.validFrom,
    validTo: x.validTo,
    fingerprint256: x.fingerprint256,
  }
}
const iam = {
  getServerCertificate: async () => ({
    name: 'new',
    id: 'ASCA1',
    arn: ARN,
    tags: [],
    certificateBody: fresh.cert,
  }),
} as unknown as IamGateway

/** A listener that serves `bodies` one after another (the last one from then on), and the requests it saw. */
function network(bodies: string[]): VerifyNetwork & {seen: TlsRequest[]} {
  const seen: TlsRequest[] = []
  return {
    seen,
    tls: async (request: TlsRequest): Promise<TlsSession> => {
      seen.push(request)
      const body = bodies[Math.min(seen.length - 1, bodies.length - 1)]!
      return {
        protocol: 'TLSv1.2',
        cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
        certificate: served(body),
        authorized: false,
        handshakeMs: 1,
      }
    },
  } as unknown as VerifyNetwork & {seen: TlsRequest[]}
}

const request = {
  dnsName: 'web-1.us-east-1.elb.amazonaws.com',
  listener: {
    protocol: 'HTTPS' as const,
    loadBalancerPort: 443,
    instanceProtocol: 'HTTP' as const,
    instancePort: 80,
  },
  certificateArn: ARN,
  connectTo: [{text: '::127.0.0.1:9443', toHost: '127.0.0.1', toPort: 9443}],
  budgetMs: 30_000,
  probeTimeoutMs: 1000,
}

describe('checkListenerServes', () => {
  it('passes once the listener serves the new certificate, looking again while ELB hands it out', async () => {
    const net = network([stale.cert, stale.cert, fresh.cert])
    const clock = new FakeClock()
    const outcome = await checkListenerServes({iam, network: net, clock}, request)
    expect(outcome.status).toBe('pass')
    expect(net.seen).toHaveLength(3)
    // SNI is the DNS name; --connect-to decides where the connection goes.
    expect(net.seen[0]).toMatchObject({
      servername: request.dnsName,
      endpoint: {host: '127.0.0.1', port: 9443},
    })
    expect(outcome.detail).toContain('connected to 127.0.0.1:9443 (--connect-to ::127.0.0.1:9443)')
  })

  it('fails naming both certificates when the old one is still served once the budget is spent', async () => {
    const clock = new FakeClock()
    const outcome = await checkListenerServes({iam, network: network([stale.cert]), clock}, request)
    expect(outcome.status).toBe('fail')
    expect(outcome.detail).toMatch(/serves .*old\.example\.com.*not its configured certificate .*new/)
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(request.budgetMs)
  })
})
