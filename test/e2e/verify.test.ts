import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import type {VerifyReport} from '../../src/steps/verify/index.js'
import {type CertificatePair, makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {KEYS, PtySession, plain} from '../helpers/pty.js'
import {type LocalServer, startHttpServer, startHttpsServer} from '../helpers/local-servers.js'
import {seedVerifiableLoadBalancer} from '../integration/verify/moto-lb.js'

const LB = 'verify-e2e'
const HOST = 'www.example.com'

type JsonReport = VerifyReport & {error?: {message: string; exitCode: number}}

describe('elbx verify (built binary, moto, local HTTP and HTTPS servers)', () => {
  let dnsName: string
  let web: LocalServer
  const servers: LocalServer[] = []
  const https = async (certificate: CertificatePair, protocols: 'TLSv1.2' | 'TLSv1-TLSv1.2' = 'TLSv1.2') => {
    const server = await startHttpsServer(certificate, {protocols})
    servers.push(server)
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

  let good: CertificatePair
  beforeAll(async () => {
    ;({dnsName} = await seedVerifiableLoadBalancer(LB))
    web = await startHttpServer()
    servers.push(web)
    good = makeCertificate({commonName: HOST})
  })

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  it('passes against a TLS 1.2-only endpoint reached through --connect-to', async () => {
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
    expect(result.stdout).toMatch(/TLSv1\.2, ECDHE-RSA-AES\d+-GCM-SHA\d+/)
    expect(result.stdout).toMatch(
      /certificate CN=www\.example\.com; SANs: DNS:www\.example\.com; issuer: CN=www\.example\.com/,
    )
    expect(result.stdout).toMatch(/\[PASS\] SSL policy enforced on 443: TLSv1 refused/)
    expect(result.stdout).toMatch(/Verification passed: 5 passed, 0 failed, 1 warning, 0 skipped\./)
    // SNI and the Host header keep the original name, whatever address the connection went to.
    expect(server.seen.at(-1)).toMatchObject({host: HOST, servername: HOST, path: '/'})
  })

  it('fails (exit 4) when the endpoint accepts TLS 1.0, which the policy disables', async () => {
    const server = await https(good, 'TLSv1-TLSv1.2')
    const result = await verify([...routes(server), '--insecure'])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      /\[FAIL\] SSL policy enforced on 443: TLSv1 accepted \(TLSv1, [A-Z0-9-]+\) although the policy disables it/,
    )
    expect(result.stdout).toMatch(/TLSv1\.1 accepted/)
    expect(result.stdout).toMatch(/Verification failed: 4 passed, 1 failed/)
    expect(result.stderr).toMatch(/Error: Verification of verify-e2e failed: 1 check failed: policy:443\./)
  })

  it('warns, and passes, for a certificate of another host', async () => {
    const server = await https(makeCertificate({commonName: 'other.example.net'}))
    const result = await verify([...routes(server), '--insecure'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /\[WARN\] Listener HTTPS 443 -> HTTPS? 80: the certificate does not cover www\.example\.com \(it names DNS:other\.example\.net\)/,
    )
  })

  it('warns, and passes, for a certificate that expires within 30 days', async () => {
    const server = await https(makeCertificate({commonName: HOST, days: 10}))
    const result = await verify([...routes(server), '--insecure', '--json'])
    expect(result.exitCode).toBe(0)
    const report = parseJson<JsonReport>(result)
    const check = report.checks.find((c) => c.id === 'https:443')!
    expect(check.status).toBe('warn')
    expect(check.detail).toMatch(/the certificate expires in \d days? \(less than 30\)/)
    expect(check.data).toMatchObject({certificate: {coversHost: true, subject: `CN=${HOST}`}})
    expect((check.data!.certificate as {daysToExpiry: number}).daysToExpiry).toBeLessThanOrEqual(10)
    expect(report.passed).toBe(true)
  })

  it('trusts a private CA through NODE_EXTRA_CA_CERTS and fails an untrusted chain without --insecure', async () => {
    const ca = makeCertificate({commonName: 'elbx test CA', isCa: true})
    const server = await https(makeCertificate({commonName: HOST, ca}))
    const trusted = await verify(routes(server), {NODE_EXTRA_CA_CERTS: ca.certFile})
    expect(trusted.exitCode).toBe(0)
    expect(trusted.stdout).toMatch(/certificate chain trusted/)
    expect(trusted.stdout).toMatch(/issuer: CN=elbx test CA/)

    const untrusted = await verify(routes(server))
    expect(untrusted.exitCode).toBe(4)
    expect(untrusted.stdout).toMatch(
      /\[FAIL\] Listener HTTPS 443 -> HTTPS? 80: the certificate chain is not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    )
  })

  it('fails the DNS check cleanly without --connect-to: exit 4, the reason, dependent checks skipped', async () => {
    const result = await verify([])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toMatch(
      new RegExp(`\\[FAIL\\] DNS name resolves: ${dnsName} does not resolve \\((ENOTFOUND|EAI_AGAIN)\\)`),
    )
    expect(result.stdout).toMatch(/\[SKIP\] Listener HTTP 80 -> HTTP 80: not probed: .* does not resolve/)
    expect(result.stdout).toMatch(/\[SKIP\] SSL policy enforced on 443: not probed/)
    expect(result.stderr).toMatch(/Error: Verification of verify-e2e failed: 1 check failed: dns\./)
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
      ['policy:443', 'skip'],
    ])
    expect(report.counts).toEqual({pass: 2, fail: 1, warn: 0, skip: 3})
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
    expect(screen).toMatch(/Verification passed: 5 passed, 0 failed, 1 warning, 0 skipped\./)
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
