import net from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import {describeNetworkError} from '../../../src/steps/verify/network.js'
import {nodeNetwork} from '../../../src/steps/verify/node-network.js'
import {makeCertificate} from '../../helpers/certs.js'
import {type LocalServer, startHttpServer, startHttpsServer} from '../../helpers/local-servers.js'

/** The real network layer against real local servers: what the fakes in the unit tests stand for. */
describe('nodeNetwork', () => {
  let web: LocalServer
  let tls12: LocalServer
  let tlsOld: LocalServer
  let silent: net.Server
  let silentPort: number
  const silentSockets = new Set<net.Socket>()

  beforeAll(async () => {
    const certificate = makeCertificate({
      commonName: 'www.example.com',
      altNames: ['www.example.com', 'example.com'],
    })
    web = await startHttpServer({status: 301})
    tls12 = await startHttpsServer(certificate, {protocols: 'TLSv1.2'})
    tlsOld = await startHttpsServer(certificate, {protocols: 'TLSv1-TLSv1.2'})
    // Accepts connections and never says a word: for timeouts.
    silent = net.createServer((socket) => silentSockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as net.AddressInfo).port
  })

  afterAll(async () => {
    await Promise.all([web.close(), tls12.close(), tlsOld.close()])
    for (const socket of silentSockets) socket.destroy()
    await new Promise((resolve) => silent.close(resolve))
  })

  it('resolves through the system resolver, so /etc/hosts entries count', async () => {
    const addresses = await nodeNetwork.lookup('localhost', 5000)
    expect(addresses.map((a) => a.address)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]),
    )
  })

  it('reports a name that does not resolve with its code', async () => {
    const error = await nodeNetwork.lookup('elbx-verify-test.invalid', 5000).catch((e: unknown) => e)
    expect(describeNetworkError(error)).toMatch(
      /^elbx-verify-test\.invalid (does not resolve \((ENOTFOUND|EAI_NONAME)\)|could not be resolved now)/,
    )
  })

  it('sends the GET with the original Host header to the endpoint it was routed to', async () => {
    const exchange = await nodeNetwork.httpGet({
      endpoint: {host: '127.0.0.1', port: web.port},
      hostHeader: 'www.example.com',
      path: '/a?b=1',
      timeoutMs: 5000,
    })
    expect(exchange).toMatchObject({status: 301})
    expect(web.seen.at(-1)).toEqual({host: 'www.example.com', path: '/a?b=1'})
  })

  it('reports protocol, cipher, certificate and trust of a TLS session, and the GET over it', async () => {
    const session = await nodeNetwork.tls({
      endpoint: {host: '127.0.0.1', port: tls12.port},
      servername: 'www.example.com',
      get: {hostHeader: 'www.example.com', path: '/'},
      timeoutMs: 5000,
    })
    expect(session).toMatchObject({
      protocol: 'TLSv1.2',
      cipher: expect.stringMatching(/^ECDHE-RSA-/),
      cipherStandardName: expect.stringMatching(/^TLS_ECDHE_RSA_/),
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      certificate: {
        subject: 'CN=www.example.com',
        commonName: 'www.example.com',
        subjectAltNames: ['DNS:www.example.com', 'DNS:example.com'],
        issuer: 'CN=www.example.com',
      },
      http: {status: 200},
    })
    expect(new Date(session.certificate!.validTo).getTime()).toBeGreaterThan(Date.now())
    expect(tls12.seen.at(-1)).toEqual({host: 'www.example.com', path: '/', servername: 'www.example.com'})
  })

  it('offers only one protocol on request: old protocols reach a server that allows them, and are refused by one that does not', async () => {
    const probe = (port: number, onlyProtocol: 'TLSv1' | 'TLSv1.1') =>
      nodeNetwork.tls({
        endpoint: {host: '127.0.0.1', port},
        servername: 'www.example.com',
        onlyProtocol,
        timeoutMs: 5000,
      })
    await expect(probe(tlsOld.port, 'TLSv1')).resolves.toMatchObject({protocol: 'TLSv1'})
    await expect(probe(tlsOld.port, 'TLSv1.1')).resolves.toMatchObject({protocol: 'TLSv1.1'})
    const refused = await probe(tls12.port, 'TLSv1').catch((e: unknown) => e)
    expect(describeNetworkError(refused)).toMatch(/^TLS handshake failed: .*protocol version/)
  })

  it('offers exactly the ciphers and key exchange group asked for, and says what it cannot offer', async () => {
    const certificate = makeCertificate({commonName: 'www.example.com'})
    const server = await startHttpsServer(certificate, {
      ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'NULL-SHA256'],
      ecdhCurve: 'prime256v1',
      headers: {'Strict-Transport-Security': 'max-age=600'},
    })
    try {
      const offer = (ciphers: string[], group?: string) =>
        nodeNetwork.tls({
          endpoint: {host: '127.0.0.1', port: server.port},
          servername: 'www.example.com',
          onlyProtocol: 'TLSv1.2',
          ciphers,
          ...(group ? {group} : {}),
          timeoutMs: 5000,
        })
      await expect(offer(['NULL-SHA256'])).resolves.toMatchObject({cipher: 'NULL-SHA256'})
      const refused = await offer(['AES128-SHA']).catch((e: unknown) => e)
      expect(describeNetworkError(refused)).toMatch(/^TLS handshake failed: .*handshake failure/)
      await expect(offer(['ECDHE-RSA-AES128-GCM-SHA256'], 'prime256v1')).resolves.toMatchObject({
        keyExchange: {type: 'ECDH', name: 'prime256v1', size: 256},
      })
      await expect(offer(['ECDHE-RSA-AES128-GCM-SHA256'], 'X25519')).rejects.toMatchObject({
        code: expect.stringMatching(/^ERR_SSL_/),
      })
      // OpenSSL 3 has no RC4 at all: said at once, without a connection, and never hanging on a timer.
      expect(nodeNetwork.canOfferCipher('RC4-SHA')).toBe(false)
      expect(nodeNetwork.canOfferCipher('NULL-SHA256')).toBe(true)
      await expect(offer(['RC4-SHA'])).rejects.toMatchObject({code: 'ERR_SSL_NO_CIPHER_MATCH'})

      const session = await nodeNetwork.tls({
        endpoint: {host: '127.0.0.1', port: server.port},
        servername: 'www.example.com',
        get: {hostHeader: 'www.example.com', path: '/'},
        timeoutMs: 5000,
      })
      expect(session.http).toMatchObject({status: 200, strictTransportSecurity: 'max-age=600'})
      expect(session.certificate!.der).toBeInstanceOf(Buffer)
    } finally {
      await server.close()
    }
  })

  it('gives up after the timeout, and on abort', async () => {
    const timedOut = await nodeNetwork
      .tls({endpoint: {host: '127.0.0.1', port: silentPort}, servername: 'x.example', timeoutMs: 300})
      .catch((e: unknown) => e)
    expect(describeNetworkError(timedOut)).toBe('no answer within 0 s (ETIMEDOUT)')
    const controller = new AbortController()
    const pending = nodeNetwork.httpGet({
      endpoint: {host: '127.0.0.1', port: silentPort},
      hostHeader: 'x',
      path: '/',
      timeoutMs: 10_000,
      signal: controller.signal,
    })
    controller.abort(new Error('stop'))
    await expect(pending).rejects.toThrow('stop')
  })

  it('reports a refused connection', async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const error = await nodeNetwork.tcpConnect({host: '127.0.0.1', port}, 5000).catch((e: unknown) => e)
    expect(describeNetworkError(error)).toBe('connection refused (ECONNREFUSED)')
  })
})
