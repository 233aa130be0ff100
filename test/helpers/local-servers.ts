import http from 'node:http'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import type {TLSSocket} from 'node:tls'

import {findPredefinedSslPolicy} from '../../src/policy/predefined-ssl-policies.js'
import type {CertificatePair} from './certs.js'

/** What a local server saw of one request: the Host header, the path and (TLS) the SNI name. */
export interface SeenRequest {
  host?: string
  path?: string
  servername?: string
}

export interface LocalServer {
  port: number
  /** Every request answered so far. */
  seen: SeenRequest[]
  close(): Promise<void>
}

export interface ServerOptions {
  /** Status every GET gets (default 200). */
  status?: number
  /** Extra response headers (Strict-Transport-Security). */
  headers?: Record<string, string>
}

/** How a local HTTPS server negotiates, standing in for a listener and its SSL negotiation policy. */
export interface TlsServerOptions {
  protocols?: ServerProtocols
  /**
   * The ciphers it accepts (OpenSSL names). Default: those of ELBSecurityPolicy-TLS-1-2-2017-01,
   * the policy the verify tests' load balancer has, so that a default server enforces it
   * (ELBSecurityPolicy-2016-08's for a TLSv1-TLSv1.2 server, which needs ciphers TLS 1.0 has).
   */
  ciphers?: readonly string[]
  /** Follow the client's cipher order instead of its own (Node's default; not a Classic Load Balancer's). */
  clientOrder?: boolean
  /** Key exchange groups, OpenSSL names joined by ':' (default: Node's). */
  ecdhCurve?: string
}

/** ELBSecurityPolicy-TLS-1-2-2017-01's ciphers (AWS's table), the default local servers enforce. */
export const TLS_1_2_2017_01_CIPHERS = findPredefinedSslPolicy('ELBSecurityPolicy-TLS-1-2-2017-01')!.ciphers!
/** ELBSecurityPolicy-2016-08's (TLS 1.0 to 1.2, SHA-1 ciphers too): the default of a TLSv1-TLSv1.2 server. */
const POLICY_2016_08_CIPHERS = findPredefinedSslPolicy('ELBSecurityPolicy-2016-08')!.ciphers!

/**
 * TLS versions a local HTTPS server accepts. "TLSv1-TLSv1.2" needs OpenSSL's security level 0 on
 * the server too: Node 20's OpenSSL 3 otherwise refuses TLS 1.0/1.1 handshakes outright.
 */
export type ServerProtocols = 'TLSv1-TLSv1.2' | 'TLSv1.2'

function listen(server: http.Server, seen: SeenRequest[]): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      resolve({
        port,
        seen,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

function handler(seen: SeenRequest[], status: number, headers: Record<string, string> = {}) {
  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    const servername = (request.socket as TLSSocket).servername
    seen.push({
      ...(request.headers.host ? {host: request.headers.host} : {}),
      ...(request.url ? {path: request.url} : {}),
      ...(typeof servername === 'string' ? {servername} : {}),
    })
    response.writeHead(status, {'Content-Type': 'text/plain', ...headers})
    response.end(`status ${status}\n`)
  }
}

/** A plain HTTP server on 127.0.0.1 and a free port, standing in for an HTTP listener. */
export function startHttpServer(options: ServerOptions = {}): Promise<LocalServer> {
  const seen: SeenRequest[] = []
  return listen(http.createServer(handler(seen, options.status ?? 200)), seen)
}

/** An HTTPS server on 127.0.0.1 and a free port with the given certificate, standing in for an HTTPS listener. */
export function startHttpsServer(
  certificate: CertificatePair,
  options: ServerOptions & TlsServerOptions = {},
): Promise<LocalServer> {
  const seen: SeenRequest[] = []
  const oldProtocols = options.protocols === 'TLSv1-TLSv1.2'
  const server = https.createServer(
    {
      cert: certificate.cert,
      key: certificate.key,
      minVersion: oldProtocols ? 'TLSv1' : 'TLSv1.2',
      // Classic Load Balancers speak at most TLS 1.2.
      maxVersion: 'TLSv1.2',
      // Security level 0 so that weak protocols, ciphers and keys can be served at all (as old servers do).
      ciphers: `${(options.ciphers ?? (oldProtocols ? POLICY_2016_08_CIPHERS : TLS_1_2_2017_01_CIPHERS)).join(':')}@SECLEVEL=0`,
      honorCipherOrder: !options.clientOrder,
      ...(options.ecdhCurve ? {ecdhCurve: options.ecdhCurve} : {}),
    },
    handler(seen, options.status ?? 200, options.headers),
  )
  return listen(server, seen)
}
