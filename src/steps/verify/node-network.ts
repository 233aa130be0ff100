import {lookup} from 'node:dns/promises'
import http from 'node:http'
import net from 'node:net'
import tls from 'node:tls'

import type {Endpoint} from './connect-to.js'
import {
  describeNetworkError,
  type HttpExchange,
  HttpGetRequest,
  type PeerCertificate,
  type ResolvedAddress,
  type TlsRequest,
  type TlsSession,
  type VerifyNetwork,
} from './network.js'

const USER_AGENT = 'elbx-verify'

/** An error carrying a code, like Node's own network errors. */
function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), {code})
}

function timeoutError(timeoutMs: number): Error {
  return codedError(`no answer within ${Math.round(timeoutMs / 1000)} s (ETIMEDOUT)`, 'ETIMEDOUT')
}

/** Runs `start` and settles once; the socket is destroyed on timeout or abort. */
function guarded<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => net.Socket,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'))
    let settled = false
    const finish = (action: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      action()
    }
    const fail = (error: unknown) => finish(() => (socket.destroy(), reject(error)))
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'))
    const timer = setTimeout(() => fail(timeoutError(timeoutMs)), timeoutMs)
    signal?.addEventListener('abort', onAbort, {once: true})
    // The callbacks run only after connecting starts, by which time `socket` is set.
    let socket: net.Socket
    try {
      socket = start((value) => finish(() => resolve(value)), fail)
    } catch (error) {
      // tls.connect throws at once for options OpenSSL refuses (a cipher it does not have).
      finish(() => reject(error))
    }
  })
}

function formatName(name: Record<string, string | string[]> | undefined): string {
  if (!name) return ''
  return Object.entries(name)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`))
    .join(', ')
}

function toIso(date: string): string {
  const parsed = new Date(date)
  return Number.isNaN(parsed.getTime()) ? date : parsed.toISOString()
}

function toPeerCertificate(cert: tls.PeerCertificate): PeerCertificate {
  const cn = cert.subject?.CN as string | string[] | undefined
  return {
    subject: formatName(cert.subject as unknown as Record<string, string | string[]>),
    ...(cn ? {commonName: Array.isArray(cn) ? cn[0]! : cn} : {}),
    subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(', ').filter(Boolean) : [],
    issuer: formatName(cert.issuer as unknown as Record<string, string | string[]>),
    validFrom: toIso(cert.valid_from),
    validTo: toIso(cert.valid_to),
    ...(cert.fingerprint256 ? {fingerprint256: cert.fingerprint256} : {}),
    ...(cert.raw ? {der: cert.raw} : {}),
  }
}

/** The leaf and the certificates above it, as far as the server sent them (or the trust store completed them). */
function peerCertificates(socket: tls.TLSSocket): {certificate?: PeerCertificate; chain: PeerCertificate[]} {
  const leaf = socket.getPeerCertificate(true)
  if (!leaf || Object.keys(leaf).length === 0) return {chain: []}
  const chain: PeerCertificate[] = []
  let current: tls.DetailedPeerCertificate = leaf
  // A self-signed root is its own issuer: stop there (and bound the walk whatever the server sent).
  while (current.issuerCertificate && current.issuerCertificate !== current && chain.length < 10) {
    current = current.issuerCertificate
    chain.push(toPeerCertificate(current))
  }
  return {certificate: toPeerCertificate(leaf), chain}
}

const offerable = new Map<string, boolean>()

/** Whether OpenSSL takes the cipher name at security level 0 (its answer does not change within a run). */
function canOfferCipher(cipher: string): boolean {
  let answer = offerable.get(cipher)
  if (answer === undefined) {
    try {
      tls.createSecureContext({ciphers: `${cipher}@SECLEVEL=0`})
      answer = true
    } catch {
      answer = false
    }
    offerable.set(cipher, answer)
  }
  return answer
}

/** Sends a GET over `socket` (or a new connection) and resolves with the status once headers arrive. */
function get(
  options: {hostHeader: string; path: string; endpoint?: Endpoint; socket?: net.Socket},
  started: number,
): Promise<HttpExchange> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      method: 'GET',
      path: options.path,
      headers: {Host: options.hostHeader, 'User-Agent': USER_AGENT, Accept: '*/*', Connection: 'close'},
      ...(options.socket
        ? {createConnection: () => options.socket!}
        : {host: options.endpoint!.host, port: options.endpoint!.port, agent: false}),
    })
    request.on('response', (response) => {
      const location = response.headers.location
      const hsts = response.headers['strict-transport-security']
      resolve({
        status: response.statusCode ?? 0,
        ...(location ? {location} : {}),
        ...(hsts ? {strictTransportSecurity: hsts} : {}),
        elapsedMs: Math.round(performance.now() - started),
      })
      // Only the status matters; do not download the page.
      response.destroy()
      request.destroy()
    })
    request.on('error', reject)
    request.end()
  })
}

/** The real network: Node's resolver, net, http and tls. */
export const nodeNetwork: VerifyNetwork = {
  async lookup(hostname: string, timeoutMs: number): Promise<ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(timeoutError(timeoutMs), {hostname})), timeoutMs)
    })
    try {
      // dns.lookup is getaddrinfo: /etc/hosts and the system's resolver order, as browsers use.
      const addresses = await Promise.race([lookup(hostname, {all: true, verbatim: true}), timeout])
      return addresses.map((a) => ({address: a.address, family: a.family}))
    } finally {
      clearTimeout(timer)
    }
  },

  tcpConnect(endpoint, timeoutMs, signal) {
    const started = performance.now()
    return guarded(timeoutMs, signal, (resolve, reject) => {
      const socket = net.connect({host: endpoint.host, port: endpoint.port})
      socket.once('connect', () => {
        resolve({elapsedMs: Math.round(performance.now() - started)})
        socket.destroy()
      })
      socket.on('error', reject)
      return socket
    })
  },

  httpGet(request: HttpGetRequest) {
    const started = performance.now()
    return guarded(request.timeoutMs, request.signal, (resolve, reject) => {
      // Connect ourselves so the timeout and abort cover connecting too.
      const socket = net.connect({host: request.endpoint.host, port: request.endpoint.port})
      socket.on('error', reject)
      socket.once('connect', () => {
        get({hostHeader: request.hostHeader, path: request.path, socket}, started).then(resolve, reject)
      })
      return socket
    })
  },

  tls(request: TlsRequest) {
    const started = performance.now()
    return guarded<TlsSession>(request.timeoutMs, request.signal, (resolve, reject) => {
      const only = request.onlyProtocol
      const ciphers = request.ciphers?.length
        ? // Only these, in this order; security level 0 so that weak ones can be offered at all.
          `${request.ciphers.join(':')}@SECLEVEL=0`
        : only
          ? // OpenSSL 3 refuses TLS 1.0/1.1 (and their SHA-1 signatures) at the default
            // security level; lower it for this probe only, to see whether the server accepts.
            'DEFAULT@SECLEVEL=0'
          : undefined
      const socket = tls.connect({
        host: request.endpoint.host,
        port: request.endpoint.port,
        ...(net.isIP(request.servername) ? {} : {servername: request.servername}),
        // Chain problems are reported, not thrown: verify shows the certificate either way and
        // decides (with --insecure) whether an untrusted chain fails the check.
        rejectUnauthorized: false,
        // The host name is checked by verify itself, so a mismatch is a warning with details.
        checkServerIdentity: () => undefined,
        ALPNProtocols: ['http/1.1'],
        ...(only ? {minVersion: only, maxVersion: only} : {}),
        ...(ciphers ? {ciphers} : {}),
        ...(request.group ? {ecdhCurve: request.group} : {}),
      })
      socket.on('error', reject)
      socket.once('secureConnect', () => {
        const cipher = socket.getCipher()
        const {certificate, chain} = peerCertificates(socket)
        const ephemeral = socket.getEphemeralKeyInfo()
        const session: TlsSession = {
          protocol: socket.getProtocol() ?? 'unknown',
          cipher: cipher.name,
          ...(cipher.standardName ? {cipherStandardName: cipher.standardName} : {}),
          ...(certificate ? {certificate} : {}),
          ...(chain.length ? {chain} : {}),
          ...(ephemeral && 'type' in ephemeral && ephemeral.type
            ? {
                keyExchange: {
                  type: ephemeral.type,
                  ...(ephemeral.name ? {name: ephemeral.name} : {}),
                  size: ephemeral.size ?? 0,
                },
              }
            : {}),
          authorized: socket.authorized,
          ...(socket.authorizationError ? {authorizationError: String(socket.authorizationError)} : {}),
          handshakeMs: Math.round(performance.now() - started),
        }
        if (!request.get) {
          resolve(session)
          socket.destroy()
          return
        }
        // From here the GET reports errors itself (as the check's http.error); a late socket
        // error must not reject the handshake that already succeeded.
        socket.off('error', reject)
        socket.on('error', () => undefined)
        get({...request.get, socket}, performance.now()).then(
          (exchange) => resolve({...session, http: exchange}),
          (error: unknown) => resolve({...session, http: {error: describeNetworkError(error)}}),
        )
      })
      return socket
    })
  },

  canOfferCipher,
}
