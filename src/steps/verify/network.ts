/**
 * The network pieces `elbx verify` needs, as an interface: the checks are plain logic over it, the
 * real implementation (node-network.ts) speaks DNS, HTTP and TLS, and unit tests pass fakes.
 */
import type {Endpoint} from './connect-to.js'

/** TLS versions Node's OpenSSL can offer (SSLv3 is compiled out of current OpenSSL builds). */
export const CLIENT_TLS_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const
export type ClientTlsProtocol = (typeof CLIENT_TLS_PROTOCOLS)[number]

export interface ResolvedAddress {
  address: string
  family: number
}

/** What a GET answered. */
export interface HttpExchange {
  status: number
  /** The Location header of a redirect. */
  location?: string
  /** Until the response headers arrived. */
  elapsedMs: number
  /** The Strict-Transport-Security header, when the answer carried one. */
  strictTransportSecurity?: string
}

export interface HttpGetRequest {
  endpoint: Endpoint
  /** The Host header: the original name (and port), whatever endpoint the connection goes to. */
  hostHeader: string
  path: string
  timeoutMs: number
  signal?: AbortSignal
}

/** The server certificate as the TLS client saw it. */
export interface PeerCertificate {
  /** "CN=www.example.com, O=Example" */
  subject: string
  commonName?: string
  /** "DNS:www.example.com", "IP Address:192.0.2.1" */
  subjectAltNames: string[]
  issuer: string
  /** ISO 8601 */
  validFrom: string
  validTo: string
  /** SHA-256 of the DER, colon-separated upper-case hex (as Node's X509Certificate prints it). */
  fingerprint256?: string
  /** The certificate as sent (DER): key size and signature algorithm are read from it. */
  der?: Buffer
}

/** The ephemeral key exchange of a session, as Node's getEphemeralKeyInfo reports it. */
export interface KeyExchange {
  /** ECDH or DH. */
  type: string
  /** The group: X25519, prime256v1, secp384r1 (absent for finite-field DH). */
  name?: string
  /** Bits. */
  size: number
}

export interface TlsRequest {
  endpoint: Endpoint
  /** SNI: the original name (not sent when it is an IP address, as RFC 6066 requires). */
  servername: string
  /**
   * Offer this protocol version and no other, with the client's OpenSSL security level lowered for
   * this connection only, so that old protocols and their ciphers can be offered at all.
   */
  onlyProtocol?: ClientTlsProtocol
  /**
   * Offer exactly these ciphers (OpenSSL names), in this order, and no others; with onlyProtocol.
   * Used to probe ciphers one at a time and to see whose cipher order wins.
   */
  ciphers?: string[]
  /** Offer only this key exchange group (an OpenSSL curve name, e.g. X25519, prime256v1). */
  group?: string
  /** After the handshake, send a GET over the same connection. */
  get?: {hostHeader: string; path: string}
  timeoutMs: number
  signal?: AbortSignal
}

export interface TlsSession {
  /** Negotiated protocol: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3. */
  protocol: string
  /** Negotiated cipher, OpenSSL name (as SSL negotiation policies name them). */
  cipher: string
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  cipherStandardName?: string
  certificate?: PeerCertificate
  /** The certificates the server sent after its own (intermediates), issuer first. */
  chain?: PeerCertificate[]
  /** The ephemeral key exchange (none for static RSA key exchange). */
  keyExchange?: KeyExchange
  /** The chain verified against the trusted CAs (Node's store plus NODE_EXTRA_CA_CERTS). */
  authorized: boolean
  /** Why it did not, e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED. */
  authorizationError?: string
  handshakeMs: number
  /** The GET's answer, or why it got none. */
  http?: HttpExchange | {error: string}
}

export interface VerifyNetwork {
  /** The system resolver (getaddrinfo), as browsers and curl use it: /etc/hosts entries count. */
  lookup(hostname: string, timeoutMs: number): Promise<ResolvedAddress[]>
  /** Opens and closes a TCP connection (TCP listeners). */
  tcpConnect(endpoint: Endpoint, timeoutMs: number, signal?: AbortSignal): Promise<{elapsedMs: number}>
  httpGet(request: HttpGetRequest): Promise<HttpExchange>
  /** Chain problems never reject: they come back in `authorized`, so everything is still reported. */
  tls(request: TlsRequest): Promise<TlsSession>
  /** True when this client's OpenSSL can offer the cipher at all (at its lowest security level). */
  canOfferCipher(cipher: string): boolean
}

/** A network error's code (ENOTFOUND, ECONNREFUSED, ERR_SSL_...), when it has one. */
export function networkErrorCode(error: unknown): string | undefined {
  const code = (error as {code?: unknown})?.code
  return typeof code === 'string' ? code : undefined
}

/** Errors that mean "this endpoint could not be reached", as opposed to "it answered no". */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
])

/**
 * Errors this client raises before (or instead of) sending a ClientHello: OpenSSL has no such
 * cipher (NO_CIPHER_MATCH), or none of the offered ciphers works with the offered protocol or
 * without credentials it does not have (NO_CIPHERS_AVAILABLE: a GCM cipher with TLS 1.0, PSK, SRP).
 * Such a probe says nothing about the server.
 */
export function isClientCannotOffer(error: unknown): boolean {
  const code = networkErrorCode(error)
  return code === 'ERR_SSL_NO_CIPHER_MATCH' || code === 'ERR_SSL_NO_CIPHERS_AVAILABLE'
}

/** True when the endpoint was never reached (no DNS answer, refused, timed out). */
export function isUnreachable(error: unknown): boolean {
  const code = networkErrorCode(error)
  return code !== undefined && UNREACHABLE.has(code)
}

/** One readable line for a DNS, TCP, TLS or HTTP failure. */
export function describeNetworkError(error: unknown, host?: string): string {
  const code = networkErrorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  const reason = (error as {reason?: unknown})?.reason
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return `${hostOf(error) ?? host ?? 'the name'} does not resolve (${code})`
    case 'EAI_AGAIN':
      return `${hostOf(error) ?? host ?? 'the name'} could not be resolved now (EAI_AGAIN: the DNS server did not answer)`
    case 'ECONNREFUSED':
      return `connection refused (ECONNREFUSED)`
    case 'ECONNRESET':
      return `connection reset by the server (ECONNRESET)`
    case 'ETIMEDOUT':
      return message.startsWith('no answer') ? message : `timed out (ETIMEDOUT)`
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to the host (${code})`
    default:
      if (typeof reason === 'string' && reason) return `TLS handshake failed: ${reason} (${code ?? 'TLS'})`
      return code ? `${firstLine(message)} (${code})` : firstLine(message)
  }
}

function hostOf(error: unknown): string | undefined {
  const host = (error as {hostname?: unknown})?.hostname
  return typeof host === 'string' ? host : undefined
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}
