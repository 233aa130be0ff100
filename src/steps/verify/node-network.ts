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
    const socket: net.Socket = start((value) => finish(() => resolve(value)), fail)
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

function peerCertificate(socket: tls.TLSSocket): PeerCertificate | undefined {
  const cert = socket.getPeerCertificate(false)
  if (!cert || Object.keys(cert).length === 0) return undefined
  const cn = cert.subject?.CN as string | string[] | undefined
  return {
    subject: formatName(cert.subject as unknown as Record<string, string | string[]>),
    ...(cn ? {commonName: Array.isArray(cn) ? cn[0]! : cn} : {}),
    subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(', ').filter(Boolean) : [],
    issuer: formatName(cert.issuer as unknown as Record<string, string | string[]>),
    validFrom: toIso(cert.valid_from),
    validTo: toIso(cert.valid_to),
    ...(cert.fingerprint256 ? {fingerprint256: cert.fingerprint256} : {}),
  }
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
      resolve({
        status: response.statusCode ?? 0,
        ...(location ? {location} : {}),
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
        ...(only
          ? {
              minVersion: only,
              maxVersion: only,
              // OpenSSL 3 refuses TLS 1.0/1.1 (and their SHA-1 signatures) at the default
              // security level; lower it for this probe only, to see whether the server accepts.
              ciphers: 'DEFAULT@SECLEVEL=0',
            }
          : {}),
      })
      socket.on('error', reject)
      socket.once('secureConnect', () => {
        const cipher = socket.getCipher()
        const session: TlsSession = {
          protocol: socket.getProtocol() ?? 'unknown',
          cipher: cipher.name,
          ...(cipher.standardName ? {cipherStandardName: cipher.standardName} : {}),
          ...(peerCertificate(socket) ? {certificate: peerCertificate(socket)!} : {}),
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
}
