import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import type {VerifyReport} from '../../src/steps/verify/index.js'
import {type CertificatePair, makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {KEYS, PtySession, plain} from '../helpers/pty.js'
import {
  type LocalServer,
  type TlsServerOptions,
  TLS_1_2_2017_01_CIPHERS,
  startHttpServer,
  startHttpsServer,
} from '../helpers/local-servers.js'
import {
  seedVerifiableLoadBalancer,
  uploadServerCertificate,
  useListenerCertificate,
} from '../integration/verify/moto-lb.js'

const LB = 'verify-e2e'
const HOST = 'www.example.com'

type JsonReport = VerifyReport & {error?: {message: string; exitCode: number}}

/** A self-signed certificate with a 1024-bit RSA key, signed with SHA-1: what browsers refuse. */
const makeWeakCertificate = (commonName: string) =>
  makeCertificate({commonName, rsaBits: 1024, digest: 'sha1'})

describe('elbx verify (built binary, moto, local HTTP and HTTPS servers)', () => {
  let dnsName: string
  let web: LocalServer
  const servers: LocalServer[] = []
  const uploaded = new Map<CertificatePair, string>()
  /** Makes `pair` the listener's configured certificate (uploaded to moto's IAM once). */
  const configure = async (pair: CertificatePair) => {
    if (!uploaded.has(pair)) uploaded.set(pair, await uploadServerCertificate(pair))
    await useListenerCertificate(LB, uploaded.get(pair)!)
  }
  /** A local HTTPS server standing in for the listener; what it serves is, unless told, what is configured. */
  const https = async (
    certificate: CertificatePair,
    options: TlsServerOptions & {configured?: CertificatePair; headers?: Record<string, string>} = {},
  ) => {
    const server = await startHttpsServer(certificate, options)
    servers.push(server)
    await configure(options.configured ?? certificate)
    return server
  }
  /** --connect-to for both listeners: 80 to the HTTP server, 443 to the given HTTPS server. */
  const routes = (httpsServer: LocalServer) => [
    '--connect-to',
    `${dnsName}:80:127.0.0.1:${web.port}`,
    '--connect-to',
    `${dnsName}:443:127.0.0.1:${httpsServer.port}`,
  ]
  const verify = (args: string[], env?: Record<string, string>) =>
    runCli(['verify', '--name', LB, '--host', HOST, '--wait-timeout', '5', ...args], env ? {env} : {})
  const check = (report: JsonReport, id: string) => report.checks.find((c) => c.id === id)!

  let good: CertificatePair
  beforeAll(async () => {
    good = makeCertificate({commonName: HOST})
    const seeded = await seedVerifiableLoadBalancer(LB, {certificate: good})
    dnsName = seeded.dnsName
    uploaded.set(good, seeded.certificateArn)
    web = await startHttpServer()
    servers.push(web)
  })

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  it('passes against a TLS 1.2-only endpoint that enforces its policy, reached through --connect-to', async () => {
    const server = await https(good)
    const result = await verify([...routes(server), '--insecure'])
    expect(result.stderr).not.toMatch(/Error:/)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/\[PASS\] Configuration: /)
    expect(result.stdout).toMatch(/ELBSecurityPolicy-TLS-1-2-2017-01/)
    expect(result.stdout).toMatch(/\[PASS\] Instances InService: 2 of 2 instances InService/)
    expect(result.stdout).toMatch(new RegExp(`\\[WARN\\] DNS name resolves: ${dnsName} does not resolve`))
    expect(result.stdout).toMatch(
      /\[PASS\] Listener HTTP 80 -> HTTP 80: GET http:\/\/www\.example\.com\/ -> 200/,
    )
    expect(result.stdout).toMatch(
      /\[PASS\] Listener HTTPS 443 -> HTTPS? 80: GET https:\/\/www\.example\.com\/ -> 200/,
    )
    expect(result.stdout).toMatch(/TLSv1\.2, ECDHE-RSA-AES128-GCM-SHA256, X25519/)
    expect(result.stdout).toMatch(
      /certificate CN=www\.example\.com; SANs: DNS:www\.example\.com; issuer: CN=www\.example\.com; expires \S+ \(in \d+ days\); RSA 2048 bits, sha256WithRSAEncryption/,
    )
    expect(result.stdout).toMatch(/no Strict-Transport-Security header/)
    expect(result.stdout).toMatch(
      /\[PASS\] Configured certificate served on 443: serves its configured certificate arn:aws:iam::/,
    )
    expect(result.stdout).toMatch(/\[PASS\] SSL policy enforced on 443: TLSv1 refused/)
    // Every cipher the policy enables and an RSA certificate can use is accepted; nothing else.
    expect(result.stdout).toMatch(
      /TLSv1\.2 ciphers: 8 accepted \(ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-SHA256, ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-SHA384, AES128-GCM-SHA256, AES128-SHA256, AES256-GCM-SHA384, AES256-SHA256\), \d+ refused \(\d+ the policy does not enable, offered together in one handshake\)/,
    )
    // The policy's ECDSA ciphers cannot be negotiated with this RSA certificate: not offered at all.
    expect(result.stdout).toMatch(
      /ciphers not applicable to this key type \(the certificate's key is RSA\), so not offered: ECDHE-ECDSA-/,
    )
    expect(result.stdout).toMatch(/server cipher order: ECDHE-RSA-AES128-GCM-SHA256 wins in both orders/)
    expect(result.stdout).toMatch(
      /forward secrecy: not with AES128-GCM-SHA256, AES128-SHA256, AES256-GCM-SHA384, AES256-SHA256/,
    )
    expect(result.stdout).toMatch(/key exchange groups on TLSv1\.2: X25519, P-256, P-384/)
    expect(result.stdout).toMatch(/not probed \(this client's OpenSSL cannot offer them\): .*RC4-SHA/)
    expect(result.stdout).toMatch(/Verification passed: 6 passed, 0 failed, 1 warning, 0 skipped\./)
    // SNI and the Host header keep the original name, whatever address the connection went to.
    expect(server.seen.at(-1)).toMatchObject({host: HOST, servername: HOST, path: '/'})
  })

  it('says where the policy details came from once, in a note', async () => {
    const server = await https(good)
    const result = await verify([...routes(server), '--insecure'])
    // AWS's (the patched moto's) predefined policy, or elbx's table where an endpoint refuses to describe it.
    const source = /note: SSL policy details from (.+)/.exec(result.stdout)?.[1]
    expect(source).toMatch(/ELBSecurityPolicy-TLS-1-2-2017-01/)
    expect(result.stdout.split(source!).length - 1).toBe(1)
    // The task list: a tick for a verification that passed.
    expect(result.stderr).toMatch(/Verify verify-e2e: 6 passed, 0 failed, 1 warning, 0 skipped/)
  })

  it('fails (exit 4) when the endpoint accepts TLS 1.0, which the policy disables', async () => {
    const server = await https(good, {protocols: 'TLSv1-TLSv1.2'})
    const result = await verify([...routes(server), '--insecure'])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      /\[FAIL\] SSL policy enforced on 443: TLSv1 accepted \(TLSv1, [A-Z0-9-]+\) although the policy disables it/,
    )
    expect(result.stdout).toMatch(/TLSv1\.1 accepted/)
    expect(result.stdout).toMatch(/Verification failed: 5 passed, 1 failed/)
    expect(result.stderr).toMatch(/Error: Verification of verify-e2e failed: 1 check failed: policy:443\./)
  })

  it('fails (exit 4) when the endpoint accepts ciphers the policy does not enable, naming them', async () => {
    // Prefers an allowed cipher, so the main handshake alone looks fine (as in the issue).
    const server = await https(good, {
      ciphers: [...TLS_1_2_2017_01_CIPHERS, 'ECDHE-RSA-AES128-SHA', 'AES128-SHA', 'NULL-SHA256'],
    })
    const result = await verify([...routes(server), '--insecure', '--json'])
    expect(result.exitCode).toBe(4)
    const report = parseJson<JsonReport>(result)
    expect(check(report, 'https:443').status).toBe('pass')
    const policy = check(report, 'policy:443')
    expect(policy.status).toBe('fail')
    expect(policy.detail.split('\n')[0]).toBe(
      'TLSv1.2 accepted 3 ciphers the policy verify-test-ssl does not enable: ECDHE-RSA-AES128-SHA, AES128-SHA, NULL-SHA256',
    )
    expect(policy.data).toMatchObject({
      ciphers: {
        notEnabledAccepted: [
          {protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-SHA'},
          {protocol: 'TLSv1.2', cipher: 'AES128-SHA'},
          {protocol: 'TLSv1.2', cipher: 'NULL-SHA256'},
        ],
      },
    })
    expect((policy.data!.ciphers as {notProbed: string[]}).notProbed).toContain('RC4-SHA')
    expect(report.error).toMatchObject({exitCode: 4, message: expect.stringContaining('policy:443')})
  })

  it("fails (exit 4) when the endpoint follows the client's cipher order although the policy sets server order", async () => {
    const server = await https(good, {clientOrder: true})
    const result = await verify([...routes(server), '--insecure'])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      /\[FAIL\] SSL policy enforced on 443: the server follows the client's cipher order \(offered ECDHE-RSA-AES128-GCM-SHA256, AES256-SHA256: ECDHE-RSA-AES128-GCM-SHA256; offered AES256-SHA256, ECDHE-RSA-AES128-GCM-SHA256: AES256-SHA256\), but the policy verify-test-ssl enables Server-Defined-Cipher-Order/,
    )
    expect(result.stderr).toMatch(/1 check failed: policy:443/)
  })

  it('fails (exit 4) when the endpoint serves a valid, trusted certificate that is not the configured one, naming both', async () => {
    const ca = makeCertificate({commonName: 'elbx test CA', isCa: true})
    const other = makeCertificate({commonName: HOST, ca})
    const server = await https(other, {configured: good})
    const result = await verify(routes(server), {NODE_EXTRA_CA_CERTS: ca.certFile})
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      /\[PASS\] Listener HTTPS 443 -> HTTPS? 80: .*\n(\s+.*\n)*\s+certificate chain trusted/,
    )
    const served = new (await import('node:crypto')).X509Certificate(other.cert).fingerprint256
    const configured = new (await import('node:crypto')).X509Certificate(good.cert).fingerprint256
    expect(result.stdout).toContain(
      `[FAIL] Configured certificate served on 443: the listener serves CN=${HOST} (SHA-256 ${served}), not its configured certificate ${uploaded.get(good)} (CN=${HOST}, SHA-256 ${configured})`,
    )
    expect(result.stderr).toMatch(/1 check failed: certificate:443/)
  })

  it('fails (exit 4) for a certificate that does not cover --host', async () => {
    const server = await https(makeCertificate({commonName: 'other.example.net'}))
    const result = await verify([...routes(server), '--insecure'])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      /\[FAIL\] Listener HTTPS 443 -> HTTPS? 80: the certificate does not cover www\.example\.com \(it names DNS:other\.example\.net\); browsers refuse it/,
    )
    expect(result.stderr).toMatch(/1 check failed: https:443/)
  })

  it('fails (exit 4) for a certificate that does not cover the DNS name, when no --host is given', async () => {
    const server = await https(good)
    const result = await runCli([
      'verify',
      '--name',
      LB,
      '--wait-timeout',
      '5',
      ...routes(server),
      '--insecure',
    ])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toContain(
      `the certificate does not cover ${dnsName} (it names DNS:${HOST}); browsers refuse it. Clients reach the load balancer by another name? Pass it with --host`,
    )
    expect(result.stdout).toMatch(/\[FAIL\] Listener HTTPS 443 -> HTTPS? 80: the certificate does not cover/)
    expect(result.stderr).toMatch(/1 check failed: https:443/)
  })

  it('fails a 1024-bit RSA key with a SHA-1 signature, saying so, with or without --insecure', async () => {
    const weak = makeWeakCertificate(HOST)
    const server = await https(weak)
    for (const args of [[], ['--insecure']]) {
      const result = await verify([...routes(server), ...args])
      expect(result.exitCode).toBe(4)
      expect(result.stdout).toMatch(
        /\[FAIL\] Listener HTTPS 443 -> HTTPS? 80: weak certificate CN=www\.example\.com: its RSA key has 1024 bits; browsers refuse RSA keys under 2048 bits/,
      )
      expect(result.stdout).toMatch(
        /weak certificate CN=www\.example\.com: it is signed with SHA-1 \(sha1WithRSAEncryption\); browsers refuse SHA-1 signatures/,
      )
      expect(result.stdout).not.toMatch(/: UNSPECIFIED/)
    }
  })

  it('says in words why a self-signed certificate is refused', async () => {
    const server = await https(good)
    const result = await verify(routes(server))
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      /\[FAIL\] Listener HTTPS 443 -> HTTPS? 80: the certificate chain is not trusted: the certificate is self-signed \(CN=www\.example\.com issued itself\): no browser trusts it/,
    )
  })

  it('reports Strict-Transport-Security when the HTTPS answer carries it', async () => {
    const server = await https(good, {
      headers: {'Strict-Transport-Security': 'max-age=31536000; includeSubDomains'},
    })
    const result = await verify([...routes(server), '--insecure', '--json'])
    expect(result.exitCode).toBe(0)
    const listener = check(parseJson<JsonReport>(result), 'https:443')
    expect(listener.detail).toMatch(/Strict-Transport-Security: max-age=31536000; includeSubDomains/)
    expect(listener.data).toMatchObject({
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      keyExchange: {type: 'ECDH', name: 'X25519'},
    })
  })

  it('warns, and passes, for a certificate that expires within 30 days', async () => {
    const server = await https(makeCertificate({commonName: HOST, days: 10}))
    const result = await verify([...routes(server), '--insecure', '--json'])
    expect(result.exitCode).toBe(0)
    const report = parseJson<JsonReport>(result)
    const listener = check(report, 'https:443')
    expect(listener.status).toBe('warn')
    expect(listener.detail).toMatch(/the certificate expires in \d days? \(less than 30\)/)
    expect(listener.data).toMatchObject({certificate: {coversHost: true, subject: `CN=${HOST}`}})
    expect((listener.data!.certificate as {daysToExpiry: number}).daysToExpiry).toBeLessThanOrEqual(10)
    expect(report.passed).toBe(true)
  })

  it('trusts a private CA through NODE_EXTRA_CA_CERTS and fails an incomplete chain without it', async () => {
    const ca = makeCertificate({commonName: 'elbx test CA', isCa: true})
    const server = await https(makeCertificate({commonName: HOST, ca}))
    const trusted = await verify(routes(server), {NODE_EXTRA_CA_CERTS: ca.certFile})
    expect(trusted.exitCode).toBe(0)
    expect(trusted.stdout).toMatch(/certificate chain trusted/)
    expect(trusted.stdout).toMatch(/issuer: CN=elbx test CA/)

    const untrusted = await verify(routes(server))
    expect(untrusted.exitCode).toBe(4)
    expect(untrusted.stdout).toMatch(
      /\[FAIL\] Listener HTTPS 443 -> HTTPS? 80: the certificate chain is not trusted: incomplete chain: nothing trusted issued CN=www\.example\.com \(issuer CN=elbx test CA\).*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    )
  })

  it('shows a failed verification with a cross in the task list, not a tick', async () => {
    const server = await https(good, {clientOrder: true})
    const result = await verify([...routes(server), '--insecure'])
    expect(result.exitCode).toBe(4)
    expect(result.stderr).not.toMatch(/✔ Verify/)
    expect(result.stderr).toMatch(
      /✖ Verify verify-e2e \[FAILED: Verification of verify-e2e failed: 1 check failed: policy:443\.\]/,
    )
    expect(result.stderr).not.toMatch(/MaxListenersExceededWarning/)
  })

  it('fails the DNS check cleanly without --connect-to: exit 4, the reason, dependent checks skipped', async () => {
    const result = await verify([])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      new RegExp(`\\[FAIL\\] DNS name resolves: ${dnsName} does not resolve \\((ENOTFOUND|EAI_AGAIN)\\)`),
    )
    expect(result.stdout).toMatch(/\[SKIP\] Listener HTTP 80 -> HTTP 80: not probed: .* does not resolve/)
    expect(result.stdout).toMatch(/\[SKIP\] SSL policy enforced on 443: not probed/)
    expect(result.stdout).toMatch(/\[SKIP\] Configured certificate served on 443: not compared/)
    expect(result.stderr).toMatch(/Error: Verification of verify-e2e failed: 1 check failed: dns\./)
    // Probes that are skipped are not announced as running.
    expect(result.stderr).not.toMatch(/Probing/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('prints the whole report with the error under --json when a check fails', async () => {
    const result = await verify(['--json'])
    expect(result.exitCode).toBe(4)
    const report = parseJson<JsonReport>(result)
    expect(report.passed).toBe(false)
    expect(report.error).toMatchObject({exitCode: 4, message: expect.stringContaining('dns')})
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['configuration', 'pass'],
      ['instances', 'pass'],
      ['dns', 'fail'],
      ['http:80', 'skip'],
      ['https:443', 'skip'],
      ['certificate:443', 'skip'],
      ['policy:443', 'skip'],
    ])
    expect(report.counts).toEqual({pass: 2, fail: 1, warn: 0, skip: 4})
  })

  it('draws a table in a terminal, and asks for the load balancer name when --name is missing', async () => {
    const server = await https(good)
    const session = new PtySession([
      'verify',
      '--host',
      HOST,
      '--wait-timeout',
      '5',
      ...routes(server),
      '--insecure',
    ])
    await session.expect('Load balancer name')
    session.send(LB + KEYS.enter)
    expect(await session.exitCode()).toBe(0)
    const screen = plain(session.output)
    expect(screen).toMatch(/┌─+┬─+┬─+┐/)
    expect(screen).toMatch(/│ Status │ Check +│ Detail +│/)
    expect(screen).toMatch(/│ PASS +│ SSL policy enforced on 443 +│ TLSv1 refused/)
    expect(screen).toMatch(/Verification passed: 6 passed, 0 failed, 1 warning, 0 skipped\./)
  })

  it('matches any name with an empty HOST1 in --connect-to, and sends --path as given', async () => {
    const server = await https(good)
    const result = await verify([
      '--connect-to',
      `:80:127.0.0.1:${web.port}`,
      '--connect-to',
      `:443:127.0.0.1:${server.port}`,
      '--insecure',
      '--path',
      '/health?full=1',
    ])
    expect(result.exitCode).toBe(0)
    expect(web.seen.at(-1)).toMatchObject({host: HOST, path: '/health?full=1'})
  })
})

describe('elbx create: a weak certificate is named before it is uploaded', () => {
  it('warns for an RSA key under 2048 bits and a SHA-1 signature, then goes on', async () => {
    const weak = makeWeakCertificate(HOST)
    const result = await runCli([
      'create',
      '--name',
      'weak-cert',
      '--https',
      '--certificate-file',
      weak.certFile,
      '--private-key-file',
      weak.keyFile,
      '--availability-zones',
      'us-east-1a',
      '--dry-run',
    ])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain(
      `--certificate-file ${weak.certFile} (CN=${HOST}): its RSA key has 1024 bits; browsers refuse RSA keys under 2048 bits`,
    )
    expect(result.stderr).toContain(
      `--certificate-file ${weak.certFile} (CN=${HOST}): it is signed with SHA-1 (sha1WithRSAEncryption); browsers refuse SHA-1 signatures`,
    )
    // The warnings come before the plan, which still uploads it: the user decides.
    expect(result.stdout).toMatch(/aws iam upload-server-certificate/)
  })

  it('names them in the --json result too, and on stderr once', async () => {
    const weak = makeWeakCertificate(HOST)
    const result = await runCli([
      'create',
      '--name',
      'weak-cert-json',
      '--https',
      '--certificate-file',
      weak.certFile,
      '--private-key-file',
      weak.keyFile,
      '--availability-zones',
      'us-east-1a',
      '--yes',
      '--json',
    ])
    expect(result.exitCode).toBe(0)
    const key = `--certificate-file ${weak.certFile} (CN=${HOST}): its RSA key has 1024 bits`
    const sha1 = `--certificate-file ${weak.certFile} (CN=${HOST}): it is signed with SHA-1`
    const {warnings} = parseJson<{warnings: string[]}>(result)
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringContaining(key), expect.stringContaining(sha1)]),
    )
    expect(result.stderr.split(key)).toHaveLength(2)
    expect(result.stderr.split(sha1)).toHaveLength(2)
    await runCli(['destroy', '--name', 'weak-cert-json', '--yes', '--delete-certificate'])
  })
})

describe('elbx verify: bad input never reaches AWS (exit 2, no request)', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a --connect-to without four fields',
      ['--name', 'lb', '--connect-to', 'a:443:b'],
      /--connect-to "a:443:b" does not have four colon-separated fields/,
    ],
    [
      'a --connect-to port out of range',
      ['--name', 'lb', '--connect-to', 'a:443:b:70000'],
      /--connect-to "a:443:b:70000" PORT2 must be from 1 to 65535/,
    ],
    [
      'a --connect-to with a bad host',
      ['--name', 'lb', '--connect-to', 'a b:443:c:1'],
      /HOST1 "a b" is not a host name or IP address/,
    ],
    [
      'a --connect-to that changes nothing',
      ['--name', 'lb', '--connect-to', 'a:443::'],
      /names neither HOST2 nor PORT2/,
    ],
    [
      'a --path without a leading slash',
      ['--name', 'lb', '--path', 'health'],
      /--path "health" does not start with "\/"/,
    ],
    [
      'a --path with a space',
      ['--name', 'lb', '--path', '/a b'],
      /--path "\/a b" contains a space or control character/,
    ],
    [
      'a --host with a scheme',
      ['--name', 'lb', '--host', 'https://www.example.com'],
      /--host "https:\/\/www\.example\.com" is not a host name or IP address/,
    ],
    [
      'a --wait-timeout of 0',
      ['--name', 'lb', '--wait-timeout', '0'],
      /--wait-timeout must be from 1 to 86400, got 0/,
    ],
    [
      'a --probe-timeout that is not a number',
      ['--name', 'lb', '--probe-timeout', 'ten'],
      /--probe-timeout must be a whole number from 1 to 300, got "ten"/,
    ],
    ['a bad load balancer name', ['--name', '-lb'], /Load balancer name "-lb" begins with a hyphen/],
    ['no --name without a terminal', [], /Missing --name/],
  ]
  it.each(cases)('%s', async (_what, args, message) => {
    const result = await runCli(['verify', ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.requests).toHaveLength(0)
  })

  it('prints the error as one JSON document under --json', async () => {
    const result = await runCli(['verify', '--name', 'lb', '--path', 'x', '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson<{error: {exitCode: number}}>(result).error.exitCode).toBe(2)
    expect(result.requests).toHaveLength(0)
  })
})
