import http from 'node:http'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import type {TLSSocket} from 'node:tls'

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
}

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

function handler(seen: SeenRequest[], status: number) {
  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    const servername = (request.socket as TLSSocket).servername
    seen.push({
      ...(request.headers.host ? {host: request.headers.host} : {}),
      ...(request.url ? {path: request.url} : {}),
      ...(typeof servername === 'string' ? {servername} : {}),
    })
    response.writeHead(status, {'Content-Type': 'text/plain'})
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
  options: ServerOptions & {protocols?: ServerProtocols} = {},
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
      ...(oldProtocols ? {ciphers: 'DEFAULT@SECLEVEL=0'} : {}),
    },
    handler(seen, options.status ?? 200),
  )
  return listen(server, seen)
}
