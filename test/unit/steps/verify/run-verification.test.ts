import {X509Certificate} from 'node:crypto'

import {describe, expect, it} from '@jest/globals'

import {InterruptedError, WaitTimeoutError} from '../../../../src/errors.js'
import type {InstanceHealth, Listener, LoadBalancer} from '../../../../src/model.js'
import type {ListenerSslPolicy} from '../../../../src/steps/ssl-policy.js'
import {parseConnectTo} from '../../../../src/steps/verify/connect-to.js'
import {
  type VerifyDeps,
  type VerifyOptions,
  type VerifyReport,
  runVerification,
  verificationFailure,
} from '../../../../src/steps/verify/index.js'
import type {TlsRequest, TlsSession, VerifyNetwork} from '../../../../src/steps/verify/network.js'
import {makeCertificate} from '../../../helpers/certs.js'
import {fakeElb, sdkError} from '../fakes.js'

const DNS = 'my-lb-123.us-east-1.elb.amazonaws.com'
const HOST = 'www.example.com'
const NOW = new Date('2026-01-01T00:00:00.000Z')

const HTTP_80: Listener = {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80}
const HTTPS_443: Listener = {
  protocol: 'HTTPS',
  loadBalancerPort: 443,
  instanceProtocol: 'HTTP',
  instancePort: 80,
  sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/web',
}

function loadBalancer(overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    name: 'my-lb',
    dnsName: DNS,
    scheme: 'internet-facing',
    vpcId: 'vpc-1',
    subnets: ['subnet-1'],
    availabilityZones: ['us-east-1a'],
    securityGroups: ['sg-1'],
    listeners: [HTTP_80, HTTPS_443].map((listener) => ({listener, policyNames: ['elbx-ssl-1']})),
    backendServers: [],
    healthCheck: {target: 'HTTP:80/', interval: 30, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2},
    instanceIds: ['i-1', 'i-2'],
    policies: {appCookieStickiness: [], lbCookieStickiness: [], other: ['elbx-ssl-1']},
    ...overrides,
  }
}

const TLS12_POLICY: ListenerSslPolicy = {
  policyName: 'elbx-ssl-1',
  referencePolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
  protocols: ['TLSv1.2'],
  ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384'],
  serverOrder: true,
  source: 'test',
}

function session(overrides: Partial<TlsSession> = {}): TlsSession {
  return {
    protocol: 'TLSv1.2',
    cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
    certificate: {
      subject: `CN=${HOST}`,
      commonName: HOST,
      subjectAltNames: [`DNS:${HOST}`],
      issuer: 'CN=Example CA',
      validFrom: '2025-06-01T00:00:00.000Z',
      validTo: '2026-12-01T00:00:00.000Z',
    },
    authorized: true,
    handshakeMs: 12,
    http: {status: 200, elapsedMs: 30},
    ...overrides,
  }
}

const tlsAlert = () =>
  Object.assign(new Error('alert'), {
    code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    reason: 'tlsv1 alert protocol version',
  })
const handshakeFailure = () =>
  Object.assign(new Error('alert'), {
    code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    reason: 'sslv3 alert handshake failure',
  })
const netError = (code: string) => Object.assign(new Error(code), {code, hostname: DNS})

interface FakeNetworkOptions {
  lookup?: () => Promise<{address: string; family: number}[]>
  status?: number
  /** The answer to a normal handshake. */
  tls?: (request: TlsRequest) => Promise<TlsSession>
  /** Protocols an only-this-protocol probe gets accepted with. */
  accepts?: string[]
  /** Ciphers the server accepts, in its order (default: the policy's). */
  ciphers?: string[]
  /** The server picks the client's first acceptable cipher instead of its own. */
  clientOrder?: boolean
  /** What a one-cipher probe gets instead of an answer (a timeout, say). */
  cipherProbeError?: () => Error
}

/** The ciphers this fake client can offer: a few, so that the enumeration stays readable. */
const OFFERABLE = new Set([
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-SHA',
  'AES128-SHA',
  'NULL-SHA256',
])

/** A network where the load balancer answers as configured; records every request. */
function fakeNetwork(options: FakeNetworkOptions = {}) {
  const tlsRequests: TlsRequest[] = []
  const httpRequests: Parameters<VerifyNetwork['httpGet']>[0][] = []
  const network: VerifyNetwork = {
    lookup: options.lookup ?? (async () => [{address: '192.0.2.10', family: 4}]),
    tcpConnect: async () => ({elapsedMs: 3}),
    httpGet: async (request) => {
      httpRequests.push(request)
      return {status: options.status ?? 200, elapsedMs: 20}
    },
    canOfferCipher: (cipher) => OFFERABLE.has(cipher),
    tls: async (request) => {
      tlsRequests.push(request)
      if (request.ciphers) {
        if (options.cipherProbeError) throw options.cipherProbeError()
        const accepted = options.ciphers ?? TLS12_POLICY.ciphers
        const choice = options.clientOrder
          ? request.ciphers.find((c) => accepted.includes(c))
          : accepted.find((c) => request.ciphers!.includes(c))
        if (!choice || request.onlyProtocol !== 'TLSv1.2') throw handshakeFailure()
        return session({
          protocol: 'TLSv1.2',
          cipher: choice,
          keyExchange: {type: 'ECDH', name: request.group ?? 'X25519', size: 253},
          http: undefined,
        })
      }
      if (request.onlyProtocol) {
        if (options.accepts?.includes(request.onlyProtocol))
          return session({protocol: request.onlyProtocol, cipher: 'ECDHE-RSA-AES128-SHA', http: undefined})
        throw tlsAlert()
      }
      return options.tls ? options.tls(request) : session()
    },
  }
  return {network, tlsRequests, httpRequests}
}

function deps(
  overrides: Partial<VerifyDeps> & {lb?: LoadBalancer | undefined; states?: InstanceHealth[]} = {},
): VerifyDeps {
  const lb = 'lb' in overrides ? overrides.lb : loadBalancer()
  const states = overrides.states ?? [
    {instanceId: 'i-1', state: 'InService'},
    {instanceId: 'i-2', state: 'InService'},
  ]
  return {
    elb: fakeElb({describeLoadBalancer: async () => lb}),
    network: fakeNetwork().network,
    describeListenerSslPolicy: async () => TLS12_POLICY,
    describeBackendAuthentication: async (_elb, _lb, instancePort) => ({
      instancePort,
      publicKeyPolicies: [],
      otherPolicies: [],
    }),
    waitForInService: async () => ({states, elapsedMs: 10, polls: 1}),
    now: () => NOW,
    ...overrides,
  }
}

const options = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  loadBalancerName: 'my-lb',
  host: HOST,
  waitTimeoutMs: 60_000,
  ...extra,
})

const statuses = (report: VerifyReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]))
const check = (report: VerifyReport, id: string) => {
  const found = report.checks.find((c) => c.id === id)
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`)
  return found
}

describe('runVerification', () => {
  it('passes when everything answers as configured, connecting to the DNS name with SNI and Host = --host', async () => {
    const net = fakeNetwork()
    const seen: string[] = []
    const report = await runVerification(
      deps({network: net.network}),
      options({onCheck: (c) => seen.push(c.id)}),
    )
    expect(statuses(report)).toEqual({
      configuration: 'pass',
      instances: 'pass',
      dns: 'pass',
      'http:80': 'pass',
      'https:443': 'pass',
      // No IAM gateway given: nothing to compare the served certificate with.
      'certificate:443': 'skip',
      'policy:443': 'pass',
    })
    expect(seen).toEqual(report.checks.map((c) => c.id))
    expect(report).toMatchObject({
      passed: true,
      dnsName: DNS,
      host: HOST,
      hostSource: 'given',
      counts: {pass: 6, fail: 0, warn: 0, skip: 1},
    })
    expect(net.httpRequests[0]).toMatchObject({endpoint: {host: DNS, port: 80}, hostHeader: HOST, path: '/'})
    expect(net.tlsRequests[0]).toMatchObject({
      endpoint: {host: DNS, port: 443},
      servername: HOST,
      get: {hostHeader: HOST, path: '/'},
    })
    // Only the protocols the policy disables, oldest first; SSLv3 cannot be offered by Node's OpenSSL.
    const protocolProbes = net.tlsRequests.slice(1).filter((r) => !r.ciphers)
    expect(protocolProbes.map((r) => r.onlyProtocol)).toEqual(['TLSv1', 'TLSv1.1'])
    // Each cipher the policy enables, alone, with the one protocol it enables; every other cipher the
    // client can offer, all in one handshake (refused: nothing to name one by one).
    const cipherProbes = net.tlsRequests.filter((r) => r.ciphers && !r.group)
    const enabled = new Set(TLS12_POLICY.ciphers)
    expect(cipherProbes.filter((r) => r.ciphers!.length === 1).map((r) => r.ciphers![0])).toEqual(
      TLS12_POLICY.ciphers,
    )
    expect(cipherProbes.filter((r) => r.ciphers!.length > 2).map((r) => [...r.ciphers!].sort())).toEqual([
      [...OFFERABLE].filter((c) => !enabled.has(c)).sort(),
    ])
    // Every TLS connection of the verify: the listener check, 2 disabled protocols, 2 ciphers alone,
    // 1 for the others together, 2 for the server order, and the 4 groups the cipher handshakes did not show.
    expect(net.tlsRequests).toHaveLength(1 + 2 + 2 + 1 + 2 + 4)
    expect(check(report, 'policy:443').data).toMatchObject({ciphers: {handshakes: 2 + 1 + 2 + 4}})
    const lines = check(report, 'policy:443').detail.split('\n')
    expect(lines.slice(0, 6)).toEqual([
      'TLSv1 refused: tlsv1 alert protocol version',
      'TLSv1.1 refused: tlsv1 alert protocol version',
      'TLSv1.2 ciphers: 2 accepted (ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES256-GCM-SHA384), 3 refused (3 the policy does not enable, offered together in one handshake)',
      'server cipher order: ECDHE-RSA-AES128-GCM-SHA256 wins in both orders (offered ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES256-GCM-SHA384: ECDHE-RSA-AES128-GCM-SHA256; offered ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256: ECDHE-RSA-AES128-GCM-SHA256)',
      'forward secrecy: every accepted cipher has it (ECDHE or DHE key exchange)',
      'key exchange groups on TLSv1.2: X25519, P-256, P-384, P-521, X448 accepted',
    ])
    expect(lines[6]).toMatch(/^\d+ ciphers not probed \(this client's OpenSSL cannot offer them\): .*RC4-SHA/)
    expect(lines[7]).toBe("SSLv3 not probed: this client's OpenSSL cannot offer it")
    expect(check(report, 'dns').detail).toBe(`${DNS} resolves to 192.0.2.10`)
    const configuration = check(report, 'configuration').detail.split('\n')
    expect(configuration).toContain(
      'HTTPS:443 SSL negotiation policy elbx-ssl-1 -> ELBSecurityPolicy-TLS-1-2-2017-01: TLSv1.2; 2 ciphers; server order on',
    )
    // Where the policy's details came from: once, at the end.
    expect(configuration.at(-1)).toBe('note: SSL policy details from test')
  })

  it('fails policy enforcement when a cipher the policy does not enable is accepted, naming each one', async () => {
    const net = fakeNetwork({ciphers: [...TLS12_POLICY.ciphers, 'AES128-SHA', 'NULL-SHA256']})
    const report = await runVerification(deps({network: net.network}), options())
    const policy = check(report, 'policy:443')
    expect(policy.status).toBe('fail')
    expect(policy.detail.split('\n')[0]).toBe(
      'TLSv1.2 accepted 2 ciphers the policy elbx-ssl-1 does not enable: AES128-SHA, NULL-SHA256',
    )
    expect(policy.detail).toContain('forward secrecy: not with AES128-SHA, NULL-SHA256')
    expect(policy.data).toMatchObject({
      ciphers: {
        notEnabledAccepted: [
          {protocol: 'TLSv1.2', cipher: 'AES128-SHA'},
          {protocol: 'TLSv1.2', cipher: 'NULL-SHA256'},
        ],
        forwardSecrecy: {all: false, without: ['AES128-SHA', 'NULL-SHA256']},
      },
    })
    expect(verificationFailure(report).message).toBe(
      'Verification of my-lb failed: 1 check failed: policy:443.',
    )
  })

  it("fails policy enforcement when the server follows the client's order under Server-Defined-Cipher-Order, and only reports it without", async () => {
    const strict = await runVerification(deps({network: fakeNetwork({clientOrder: true}).network}), options())
    expect(check(strict, 'policy:443').status).toBe('fail')
    expect(check(strict, 'policy:443').detail.split('\n')[0]).toBe(
      "the server follows the client's cipher order (offered ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES256-GCM-SHA384: ECDHE-RSA-AES128-GCM-SHA256; offered ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256: ECDHE-RSA-AES256-GCM-SHA384), but the policy elbx-ssl-1 enables Server-Defined-Cipher-Order",
    )
    const relaxed = await runVerification(
      deps({
        network: fakeNetwork({clientOrder: true}).network,
        describeListenerSslPolicy: async () => ({...TLS12_POLICY, serverOrder: false}),
      }),
      options(),
    )
    expect(check(relaxed, 'policy:443').status).toBe('pass')
    expect(check(relaxed, 'policy:443').detail).toContain('client cipher order, as the policy leaves it')
  })

  it('warns, without failing, when cipher probes get no answer', async () => {
    const net = fakeNetwork({cipherProbeError: () => netError('ETIMEDOUT')})
    const report = await runVerification(deps({network: net.network}), options())
    expect(check(report, 'policy:443').status).toBe('warn')
    expect(check(report, 'policy:443').detail).toMatch(/^5 cipher probes got no answer \(first: TLSv1\.2 /m)
    expect(report.passed).toBe(true)
  })

  it('reports Strict-Transport-Security and the key exchange of the HTTPS answer', async () => {
    const net = fakeNetwork({
      tls: async () =>
        session({
          keyExchange: {type: 'ECDH', name: 'prime256v1', size: 256},
          http: {status: 200, elapsedMs: 5, strictTransportSecurity: 'max-age=63072000'},
        }),
    })
    const report = await runVerification(deps({network: net.network}), options())
    const https = check(report, 'https:443')
    expect(https.detail).toContain('Strict-Transport-Security: max-age=63072000')
    expect(https.detail).toContain('TLSv1.2, ECDHE-RSA-AES128-GCM-SHA256, P-256 (handshake 12 ms)')
    expect(https.data).toMatchObject({
      strictTransportSecurity: 'max-age=63072000',
      keyExchange: {name: 'prime256v1'},
    })
  })

  it("compares the served certificate with the listener's in IAM: pass, fail naming both, warn when unreadable", async () => {
    const pair = makeCertificate({commonName: HOST})
    const fingerprint = new X509Certificate(pair.cert).fingerprint256
    const iam = (answer: () => Promise<unknown>) =>
      ({getServerCertificate: answer}) as unknown as NonNullable<VerifyDeps['iam']>
    const served = (fingerprint256: string) =>
      fakeNetwork({tls: async () => session({certificate: {...session().certificate!, fingerprint256}})})
        .network
    const found = iam(async () => ({
      name: 'web',
      id: 'x',
      arn: HTTPS_443.sslCertificateId,
      certificateBody: pair.cert,
      tags: [],
    }))

    const same = await runVerification(deps({iam: found, network: served(fingerprint)}), options())
    expect(check(same, 'certificate:443')).toMatchObject({status: 'pass', data: {matches: true}})
    expect(check(same, 'certificate:443').detail).toBe(
      `serves its configured certificate ${HTTPS_443.sslCertificateId} (CN=${HOST}, SHA-256 ${fingerprint}, from IAM)`,
    )

    const other = await runVerification(deps({iam: found, network: served('AA:BB')}), options())
    expect(check(other, 'certificate:443').status).toBe('fail')
    expect(check(other, 'certificate:443').detail.split('\n')[0]).toBe(
      `the listener serves CN=${HOST} (SHA-256 AA:BB), not its configured certificate ${HTTPS_443.sslCertificateId} (CN=${HOST}, SHA-256 ${fingerprint})`,
    )
    expect(verificationFailure(other).message).toBe(
      'Verification of my-lb failed: 1 check failed: certificate:443.',
    )

    const gone = await runVerification(
      deps({iam: iam(async () => undefined), network: served(fingerprint)}),
      options(),
    )
    expect(check(gone, 'certificate:443')).toMatchObject({status: 'warn'})
    expect(check(gone, 'certificate:443').detail).toBe(
      `the configured certificate ${HTTPS_443.sslCertificateId} could not be read, so the served one was not compared with it: IAM has no server certificate named web`,
    )
    const denied = await runVerification(
      deps({
        iam: iam(async () => Promise.reject(sdkError('AccessDenied', 'no iam:GetServerCertificate'))),
        network: served(fingerprint),
      }),
      options(),
    )
    expect(check(denied, 'certificate:443').status).toBe('warn')
    expect(check(denied, 'certificate:443').detail).toMatch(/AccessDenied: no iam:GetServerCertificate/)
  })

  it('uses the DNS name as SNI and Host without --host, with the port when it is not the default', async () => {
    const net = fakeNetwork()
    const lb = loadBalancer({
      listeners: [{listener: {...HTTP_80, loadBalancerPort: 8080}, policyNames: []}],
    })
    const report = await runVerification(
      deps({lb, network: net.network}),
      options({host: undefined, path: '/health'}),
    )
    expect(report.host).toBe(DNS)
    expect(net.httpRequests[0]).toMatchObject({hostHeader: `${DNS}:8080`, path: '/health'})
    expect(check(report, 'http:8080').detail).toContain(`GET http://${DNS}:8080/health -> 200 in 20 ms`)
  })

  it('fails policy enforcement when a disabled protocol is accepted', async () => {
    const net = fakeNetwork({accepts: ['TLSv1.1']})
    const report = await runVerification(deps({network: net.network}), options())
    expect(check(report, 'policy:443')).toMatchObject({status: 'fail'})
    expect(check(report, 'policy:443').detail.split('\n')[0]).toBe(
      'TLSv1.1 accepted (TLSv1.1, ECDHE-RSA-AES128-SHA) although the policy disables it',
    )
    expect(report.passed).toBe(false)
    const error = verificationFailure(report)
    expect(error.exitCode).toBe(4)
    expect(error.message).toBe('Verification of my-lb failed: 1 check failed: policy:443.')
    expect(error.details).toEqual({report})
  })

  it('fails the HTTPS check when the negotiated protocol or cipher is not enabled by the policy', async () => {
    const net = fakeNetwork({
      tls: async () => session({protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384'}),
    })
    const report = await runVerification(deps({network: net.network}), options())
    const https = check(report, 'https:443')
    expect(https.status).toBe('fail')
    expect(https.detail).toContain(
      "TLSv1.3 was negotiated, but the listener's policy elbx-ssl-1 does not enable it (it enables TLSv1.2)",
    )
    expect(https.detail).toContain(
      "cipher TLS_AES_256_GCM_SHA384 was negotiated, but the listener's policy elbx-ssl-1 does not enable it",
    )
  })

  it('fails a certificate of another host for --host and the DNS name, warns for a guessed name', async () => {
    const other = () =>
      fakeNetwork({
        tls: async () =>
          session({
            certificate: {
              ...session().certificate!,
              subject: 'CN=other.example.net',
              subjectAltNames: ['DNS:other.example.net'],
            },
          }),
      }).network
    const given = await runVerification(deps({network: other()}), options())
    expect(check(given, 'https:443')).toMatchObject({status: 'fail'})
    expect(check(given, 'https:443').detail.split('\n')[0]).toBe(
      'the certificate does not cover www.example.com (it names DNS:other.example.net); browsers refuse it',
    )
    expect(given.passed).toBe(false)

    const dnsName = await runVerification(deps({network: other()}), options({host: undefined}))
    expect(dnsName.hostSource).toBe('dns-name')
    expect(check(dnsName, 'https:443').status).toBe('fail')
    expect(check(dnsName, 'https:443').detail.split('\n')[0]).toMatch(
      new RegExp(`^the certificate does not cover ${DNS.replace(/\./g, '\\.')} .*Pass it with --host`),
    )
  })

  it('warns, without failing, for a certificate expiring within 30 days', async () => {
    const soon = fakeNetwork({
      tls: async () =>
        session({certificate: {...session().certificate!, validTo: '2026-01-11T00:00:00.000Z'}}),
    })
    const expiring = await runVerification(deps({network: soon.network}), options())
    expect(check(expiring, 'https:443').status).toBe('warn')
    expect(check(expiring, 'https:443').detail).toMatch(
      /^the certificate expires in 10 days \(less than 30\)/,
    )
    expect(check(expiring, 'https:443').data).toMatchObject({
      certificate: {daysToExpiry: 10, coversHost: true},
    })
  })

  it('fails an expired certificate and an untrusted chain, but reports an untrusted chain only with --insecure', async () => {
    const expired = fakeNetwork({
      tls: async () =>
        session({certificate: {...session().certificate!, validTo: '2025-12-01T00:00:00.000Z'}}),
    })
    expect(
      check(await runVerification(deps({network: expired.network}), options({insecure: true})), 'https:443')
        .status,
    ).toBe('fail')

    const selfSigned = () =>
      fakeNetwork({
        tls: async () => session({authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT'}),
      })
    const strict = await runVerification(deps({network: selfSigned().network}), options())
    expect(check(strict, 'https:443').detail).toMatch(
      /^the certificate chain is not trusted: the certificate is self-signed \(CN=www\.example\.com issued itself\): no browser trusts it;.*\(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    )
    expect(check(strict, 'https:443').status).toBe('fail')
    const insecure = await runVerification(deps({network: selfSigned().network}), options({insecure: true}))
    expect(check(insecure, 'https:443').status).toBe('pass')
    expect(check(insecure, 'https:443').detail).toContain(
      'chain not validated (--insecure): the certificate is self-signed',
    )
    expect(check(insecure, 'https:443').data).toMatchObject({
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    })
  })

  it('passes 2xx and 3xx, fails 4xx and 5xx', async () => {
    for (const [status, expected] of [
      [204, 'pass'],
      [301, 'pass'],
      [404, 'fail'],
      [503, 'fail'],
    ] as const) {
      const report = await runVerification(deps({network: fakeNetwork({status}).network}), options())
      expect([status, check(report, 'http:80').status]).toEqual([status, expected])
    }
    const broken = fakeNetwork({
      tls: async () => session({http: {error: 'connection reset by the server (ECONNRESET)'}}),
    })
    const report = await runVerification(deps({network: broken.network}), options())
    expect(check(report, 'https:443').detail).toMatch(
      /^GET https:\/\/www\.example\.com\/ failed after the handshake: connection reset/,
    )
  })

  it('fails DNS and skips every probe with the reason when the name does not resolve and nothing redirects', async () => {
    const net = fakeNetwork({lookup: async () => Promise.reject(netError('ENOTFOUND'))})
    const report = await runVerification(deps({network: net.network}), options())
    expect(statuses(report)).toMatchObject({
      dns: 'fail',
      'http:80': 'skip',
      'https:443': 'skip',
      'policy:443': 'skip',
    })
    expect(check(report, 'dns').detail).toBe(`${DNS} does not resolve (ENOTFOUND)`)
    expect(check(report, 'http:80').detail).toContain(
      `--connect-to ${DNS}:80:HOST:PORT reaches the listener another way`,
    )
    expect(check(report, 'policy:443').detail).toBe('not probed: the HTTPS check was skipped')
    expect(net.tlsRequests).toHaveLength(0)
  })

  it('makes a DNS failure a warning when --connect-to covers every listener, and probes the new endpoints', async () => {
    const net = fakeNetwork({lookup: async () => Promise.reject(netError('ENOTFOUND'))})
    const report = await runVerification(
      deps({network: net.network}),
      options({
        connectTo: [parseConnectTo(`${DNS}:80:127.0.0.1:8080`), parseConnectTo(`${HOST}:443:127.0.0.1:8443`)],
      }),
    )
    expect(statuses(report)).toMatchObject({
      dns: 'warn',
      'http:80': 'pass',
      'https:443': 'pass',
      'policy:443': 'pass',
    })
    expect(report.passed).toBe(true)
    expect(net.httpRequests[0]!.endpoint).toEqual({host: '127.0.0.1', port: 8080})
    expect(new Set(net.tlsRequests.map((r) => JSON.stringify(r.endpoint)))).toEqual(
      new Set([JSON.stringify({host: '127.0.0.1', port: 8443})]),
    )
    expect(net.tlsRequests.every((r) => r.servername === HOST)).toBe(true)
  })

  it('keeps DNS a failure when --connect-to covers only some listeners', async () => {
    const net = fakeNetwork({lookup: async () => Promise.reject(netError('ENOTFOUND'))})
    const report = await runVerification(
      deps({network: net.network}),
      options({connectTo: [parseConnectTo(':443:127.0.0.1:8443')]}),
    )
    expect(statuses(report)).toMatchObject({
      dns: 'fail',
      'http:80': 'skip',
      'https:443': 'pass',
      'policy:443': 'pass',
    })
  })

  it('fails a listener that cannot be reached and skips its policy probes', async () => {
    const net = fakeNetwork({tls: async () => Promise.reject(netError('ECONNREFUSED'))})
    const report = await runVerification(deps({network: net.network}), options())
    expect(check(report, 'https:443').detail.split('\n')[0]).toBe(
      'TLS handshake with SNI www.example.com failed: connection refused (ECONNREFUSED)',
    )
    expect(check(report, 'policy:443')).toMatchObject({
      status: 'skip',
      detail: 'not probed: the HTTPS check could not reach the listener',
    })
  })

  it('still probes the policy when the main handshake was refused (the listener answered)', async () => {
    const net = fakeNetwork({tls: async () => Promise.reject(tlsAlert())})
    const report = await runVerification(deps({network: net.network}), options())
    expect(check(report, 'https:443').detail).toMatch(/TLS handshake failed: tlsv1 alert protocol version/)
    expect(check(report, 'policy:443').status).toBe('pass')
  })

  it('skips policy probes, and compares nothing, when the policy cannot be resolved', async () => {
    const report = await runVerification(
      deps({
        describeListenerSslPolicy: async () => ({
          policyName: 'ELBSecurityPolicy-2011-08',
          referencePolicy: 'ELBSecurityPolicy-2011-08',
          protocols: [],
          ciphers: [],
          serverOrder: false,
          unresolved: true,
          source: 'not in the table',
        }),
      }),
      options(),
    )
    expect(statuses(report)).toMatchObject({configuration: 'warn', 'https:443': 'pass', 'policy:443': 'skip'})
    expect(check(report, 'https:443').detail).toContain("the listener's SSL policy is unknown")
    expect(check(report, 'policy:443').detail).toBe(
      "not probed: the listener's SSL policy is unknown (see the configuration check)",
    )
  })

  it('warns when the policy cannot be read, with the AWS error', async () => {
    const report = await runVerification(
      deps({describeListenerSslPolicy: async () => Promise.reject(sdkError('AccessDenied', 'not allowed'))}),
      options(),
    )
    expect(check(report, 'configuration').status).toBe('warn')
    expect(check(report, 'configuration').detail.split('\n')[0]).toMatch(
      /^HTTPS:443 SSL negotiation policy could not be read: .*AccessDenied: not allowed/,
    )
  })

  it('reports the configuration: certificate, back-end authentication, health check; fails a secure listener without a certificate', async () => {
    const lb = loadBalancer({
      listeners: [
        {
          listener: {...HTTPS_443, instanceProtocol: 'HTTPS', instancePort: 443, sslCertificateId: undefined},
          policyNames: [],
        },
      ],
      backendServers: [{instancePort: 443, policyNames: ['auth']}],
      healthCheck: undefined,
    })
    const report = await runVerification(
      deps({
        lb,
        describeBackendAuthentication: async (_e, _l, instancePort) => ({
          instancePort,
          policyName: 'auth',
          publicKeyPolicies: [{policyName: 'key-1'}, {policyName: 'key-2'}],
          otherPolicies: ['proxy'],
        }),
      }),
      options(),
    )
    const configuration = check(report, 'configuration')
    expect(configuration.status).toBe('fail')
    const lines = configuration.detail.split('\n')
    expect(lines[0]).toBe('HTTPS:443 has no SSL certificate')
    expect(lines[1]).toBe('no health check is set (`elbx health --health-check ...` sets one)')
    expect(lines).toContain(
      'back-end authentication on instance port 443: on (policy auth: 2 public keys key-1, key-2); other back-end policies: proxy',
    )
  })

  it('fails the configuration of a load balancer without listeners', async () => {
    const report = await runVerification(deps({lb: loadBalancer({listeners: []})}), options())
    expect(check(report, 'configuration').detail.split('\n')[0]).toBe(
      'no listeners: the load balancer accepts no traffic',
    )
    expect(report.checks.map((c) => c.id)).toEqual(['configuration', 'instances', 'dns'])
  })

  it('reports a missing load balancer as a failed check and skips the rest', async () => {
    const report = await runVerification(deps({lb: undefined}), options({loadBalancerName: 'gone'}))
    expect(report.checks).toEqual([
      {
        id: 'configuration',
        title: 'Configuration',
        status: 'fail',
        detail: 'there is no load balancer named "gone" in this region (check --name and --region)',
      },
      {
        id: 'instances',
        title: 'Instances InService',
        status: 'skip',
        detail: 'not checked: the load balancer does not exist',
      },
      {
        id: 'dns',
        title: 'DNS name resolves',
        status: 'skip',
        detail: 'not checked: the load balancer does not exist',
      },
    ])
  })

  it('lets an AWS error reading the load balancer itself through (exit 1, not a report)', async () => {
    await expect(
      runVerification(
        deps({
          elb: fakeElb({
            describeLoadBalancer: async () => Promise.reject(sdkError('InvalidClientTokenId', 'bad key')),
          }),
        }),
        options(),
      ),
    ).rejects.toThrow(/Describe load balancer failed: InvalidClientTokenId: bad key/)
  })

  describe('instances', () => {
    it('asks the waiter for any instance, or all with --all, within the timeout', async () => {
      const calls: unknown[] = []
      const waitForInService: VerifyDeps['waitForInService'] = async (_elb, o) => {
        calls.push({mode: o.mode, timeoutMs: o.timeoutMs, instanceIds: o.instanceIds})
        return {states: [{instanceId: 'i-1', state: 'InService'}], elapsedMs: 1, polls: 1}
      }
      await runVerification(deps({waitForInService}), options())
      await runVerification(deps({waitForInService}), options({all: true, waitTimeoutMs: 5000}))
      expect(calls).toEqual([
        {mode: 'any', timeoutMs: 60_000, instanceIds: []},
        {mode: 'all', timeoutMs: 5000, instanceIds: []},
      ])
    })

    it('warns when only some instances are InService', async () => {
      const report = await runVerification(
        deps({
          states: [
            {instanceId: 'i-1', state: 'InService'},
            {
              instanceId: 'i-2',
              state: 'OutOfService',
              reasonCode: 'Instance',
              description:
                'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
            },
          ],
        }),
        options(),
      )
      expect(check(report, 'instances')).toMatchObject({status: 'warn'})
      expect(check(report, 'instances').detail).toBe(
        '1 of 2 instances InService\ni-1 InService\ni-2 OutOfService: Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
      )
    })

    it('fails on a wait timeout with each instance state, and when none are registered', async () => {
      const timeout: VerifyDeps['waitForInService'] = async () => {
        throw new WaitTimeoutError('Timed out', undefined, {
          instances: [
            {
              instanceId: 'i-1',
              state: 'OutOfService',
              description: 'Instance registration is still in progress.',
              hint: 'Wait longer.',
            },
          ],
        })
      }
      const timedOut = await runVerification(
        deps({waitForInService: timeout}),
        options({waitTimeoutMs: 30_000}),
      )
      expect(check(timedOut, 'instances')).toMatchObject({status: 'fail'})
      expect(check(timedOut, 'instances').detail).toBe(
        'no instance InService after 30 s\ni-1 OutOfService: Instance registration is still in progress.\n  -> Wait longer.',
      )
      const none = await runVerification(deps({lb: loadBalancer({instanceIds: []})}), options())
      expect(check(none, 'instances').detail).toMatch(/^no instances are registered/)
      // The probes still run: a 503 from the load balancer says the same from the client's side.
      expect(check(none, 'http:80').status).toBe('pass')
    })
  })

  it('stops with InterruptedError on Ctrl-C', async () => {
    const controller = new AbortController()
    const waitForInService: VerifyDeps['waitForInService'] = async () => {
      controller.abort(new InterruptedError())
      throw new InterruptedError('Interrupted while waiting')
    }
    await expect(
      runVerification(deps({waitForInService}), options({signal: controller.signal})),
    ).rejects.toBeInstanceOf(InterruptedError)
  })

  it('probes SSL listeners without a GET and TCP listeners with a connection', async () => {
    const net = fakeNetwork()
    const lb = loadBalancer({
      listeners: [
        {
          listener: {protocol: 'TCP', loadBalancerPort: 25, instanceProtocol: 'TCP', instancePort: 25},
          policyNames: [],
        },
        {
          listener: {
            ...HTTPS_443,
            protocol: 'SSL',
            loadBalancerPort: 465,
            instanceProtocol: 'TCP',
            instancePort: 25,
          },
          policyNames: [],
        },
      ],
    })
    const report = await runVerification(deps({lb, network: net.network}), options())
    expect(statuses(report)).toMatchObject({'tcp:25': 'pass', 'ssl:465': 'pass', 'policy:465': 'pass'})
    expect(net.tlsRequests[0]!.get).toBeUndefined()
    expect(check(report, 'tcp:25').detail).toBe(`accepted a TCP connection in 3 ms; connected to ${DNS}:25`)
  })
})
