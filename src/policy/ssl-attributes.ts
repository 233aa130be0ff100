/**
 * The attributes of AWS's SSLNegotiationPolicyType, as elbx knows them without asking AWS, and
 * the rules that read a policy's ~100 expanded attributes back into "what is enabled".
 */
import type {PolicyAttribute} from '../model.js'

export const SSL_NEGOTIATION_POLICY_TYPE = 'SSLNegotiationPolicyType'
export const REFERENCE_SECURITY_POLICY = 'Reference-Security-Policy'
export const SERVER_DEFINED_CIPHER_ORDER = 'Server-Defined-Cipher-Order'
const PROTOCOL_PREFIX = 'Protocol-'

/** SSL protocols of a custom policy, named as Node's tls module names them, newest first. */
export const SSL_PROTOCOLS = ['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3'] as const
export type SslProtocol = (typeof SSL_PROTOCOLS)[number]

/** Protocols AWS still lists as attributes but that a policy must not enable (SSL 2.0 is deprecated). */
export const DEPRECATED_PROTOCOLS = ['SSLv2'] as const

/** Protocols elbx warns about: broken (SSLv3, POODLE) or deprecated by RFC 8996 (TLS 1.0 and 1.1). */
export const WEAK_PROTOCOLS: readonly string[] = ['SSLv3', 'TLSv1', 'TLSv1.1']

/**
 * Cipher attribute names of SSLNegotiationPolicyType (OpenSSL names), in the order of AWS's
 * predefined-policy table: the current table's ciphers first, then the older ones AWS still accepts.
 * Used when DescribeLoadBalancerPolicyTypes is unavailable, and to check names before any request.
 */
export const SSL_CIPHERS: readonly string[] = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'DHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES128-SHA256',
  'AES128-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA256',
  'AES256-SHA',
  'DHE-DSS-AES128-SHA',
  'CAMELLIA128-SHA',
  'EDH-RSA-DES-CBC3-SHA',
  'DES-CBC3-SHA',
  'ECDHE-RSA-RC4-SHA',
  'RC4-SHA',
  'ECDHE-ECDSA-RC4-SHA',
  'DHE-DSS-AES256-GCM-SHA384',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-AES256-SHA256',
  'DHE-DSS-AES256-SHA256',
  'DHE-RSA-AES256-SHA',
  'DHE-DSS-AES256-SHA',
  'DHE-RSA-CAMELLIA256-SHA',
  'DHE-DSS-CAMELLIA256-SHA',
  'CAMELLIA256-SHA',
  'EDH-DSS-DES-CBC3-SHA',
  'DHE-DSS-AES128-GCM-SHA256',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES128-SHA256',
  'DHE-DSS-AES128-SHA256',
  'DHE-RSA-CAMELLIA128-SHA',
  'DHE-DSS-CAMELLIA128-SHA',
  'ADH-AES128-GCM-SHA256',
  'ADH-AES128-SHA',
  'ADH-AES128-SHA256',
  'ADH-AES256-GCM-SHA384',
  'ADH-AES256-SHA',
  'ADH-AES256-SHA256',
  'ADH-CAMELLIA128-SHA',
  'ADH-CAMELLIA256-SHA',
  'ADH-DES-CBC3-SHA',
  'ADH-DES-CBC-SHA',
  'ADH-RC4-MD5',
  'ADH-SEED-SHA',
  'DES-CBC-SHA',
  'DHE-DSS-SEED-SHA',
  'DHE-RSA-SEED-SHA',
  'EDH-DSS-DES-CBC-SHA',
  'EDH-RSA-DES-CBC-SHA',
  'IDEA-CBC-SHA',
  'RC4-MD5',
  'SEED-SHA',
  'DES-CBC3-MD5',
  'DES-CBC-MD5',
  'RC2-CBC-MD5',
  'PSK-AES256-CBC-SHA',
  'PSK-3DES-EDE-CBC-SHA',
  'KRB5-DES-CBC3-SHA',
  'KRB5-DES-CBC3-MD5',
  'PSK-AES128-CBC-SHA',
  'PSK-RC4-SHA',
  'KRB5-RC4-SHA',
  'KRB5-RC4-MD5',
  'KRB5-DES-CBC-SHA',
  'KRB5-DES-CBC-MD5',
  'EXP-EDH-RSA-DES-CBC-SHA',
  'EXP-EDH-DSS-DES-CBC-SHA',
  'EXP-ADH-DES-CBC-SHA',
  'EXP-DES-CBC-SHA',
  'EXP-RC2-CBC-MD5',
  'EXP-KRB5-RC2-CBC-SHA',
  'EXP-KRB5-DES-CBC-SHA',
  'EXP-KRB5-RC2-CBC-MD5',
  'EXP-KRB5-DES-CBC-MD5',
  'EXP-ADH-RC4-MD5',
  'EXP-RC4-MD5',
  'EXP-KRB5-RC4-SHA',
  'EXP-KRB5-RC4-MD5',
]

/** Every attribute name of SSLNegotiationPolicyType that elbx knows without asking AWS. */
export const SSL_NEGOTIATION_ATTRIBUTES: readonly string[] = [
  REFERENCE_SECURITY_POLICY,
  SERVER_DEFINED_CIPHER_ORDER,
  ...[...SSL_PROTOCOLS, ...DEPRECATED_PROTOCOLS].map((p) => PROTOCOL_PREFIX + p),
  ...SSL_CIPHERS,
]

/** The policy attribute that enables a protocol: TLSv1.2 -> Protocol-TLSv1.2. */
export const protocolAttribute = (protocol: string): string => PROTOCOL_PREFIX + protocol

export const isProtocolAttribute = (name: string): boolean => name.startsWith(PROTOCOL_PREFIX)

/**
 * Why a cipher is weak, or undefined when it is not: RC4, 3DES and single DES (broken or
 * 64-bit blocks), EXPORT (40-bit), NULL (no encryption), anonymous key exchange (no
 * authentication) and MD5 message authentication.
 */
export function weakCipherReason(cipher: string): string | undefined {
  const c = cipher.toUpperCase()
  if (c.includes('NULL')) return 'no encryption (NULL)'
  if (c.startsWith('EXP-') || c.includes('EXPORT')) return 'export-grade (40-bit)'
  if (c.includes('RC4')) return 'RC4'
  if (c.includes('DES-CBC3') || c.includes('3DES')) return '3DES'
  if (/(^|-)DES-CBC-/.test(c)) return 'DES'
  if (c.startsWith('ADH-') || c.startsWith('AECDH-')) return 'anonymous (no server authentication)'
  if (c.includes('RC2') || c.endsWith('-MD5')) return 'RC2/MD5'
  return undefined
}

/** What a policy enables, read from its attributes. */
export interface SslNegotiation {
  referencePolicy?: string
  protocols: string[]
  ciphers: string[]
  serverOrder: boolean
  /** True when the attributes list protocols or ciphers (AWS expands every policy; moto does not). */
  expanded: boolean
}

const enabled = (value: string) => value.trim().toLowerCase() === 'true'

/**
 * Reads an SSL negotiation policy's attributes: AWS returns about a hundred (every protocol and
 * cipher, true or false); only the enabled ones matter. Protocols and ciphers come back in AWS's
 * table order so that two reads of the same policy compare equal.
 */
export function readSslNegotiation(attributes: PolicyAttribute[]): SslNegotiation {
  const protocols: string[] = []
  const ciphers: string[] = []
  let referencePolicy: string | undefined
  let serverOrder = false
  let expanded = false
  for (const a of attributes) {
    if (a.name === REFERENCE_SECURITY_POLICY) referencePolicy = a.value
    else if (a.name === SERVER_DEFINED_CIPHER_ORDER) serverOrder = enabled(a.value)
    else if (isProtocolAttribute(a.name)) {
      expanded = true
      if (enabled(a.value)) protocols.push(a.name.slice(PROTOCOL_PREFIX.length))
    } else {
      expanded = true
      if (enabled(a.value)) ciphers.push(a.name)
    }
  }
  return {
    ...(referencePolicy ? {referencePolicy} : {}),
    protocols: sortProtocols(protocols),
    ciphers: sortCiphers(ciphers),
    serverOrder,
    expanded,
  }
}

/** Newest protocol first; unknown names last, alphabetically. */
export function sortProtocols(protocols: readonly string[]): string[] {
  const rank = (p: string) => {
    const i = (SSL_PROTOCOLS as readonly string[]).indexOf(p)
    return i === -1 ? SSL_PROTOCOLS.length : i
  }
  return [...new Set(protocols)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** AWS's table order (the order server order preference uses); unknown names last, alphabetically. */
export function sortCiphers(ciphers: readonly string[]): string[] {
  const rank = (c: string) => {
    const i = SSL_CIPHERS.indexOf(c)
    return i === -1 ? SSL_CIPHERS.length : i
  }
  return [...new Set(ciphers)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** The weak protocols and ciphers among those enabled, with the reason for each cipher. */
export function weaknesses(protocols: readonly string[], ciphers: readonly string[]) {
  return {
    protocols: protocols.filter((p) => WEAK_PROTOCOLS.includes(p)),
    ciphers: ciphers.flatMap((c) => {
      const reason = weakCipherReason(c)
      return reason ? [{cipher: c, reason}] : []
    }),
  }
}

/** The warning lines for weak settings, for a policy described as `what` ("ELBSecurityPolicy-2016-08"). */
export function weaknessWarnings(what: string, protocols: readonly string[], ciphers: readonly string[]) {
  const weak = weaknesses(protocols, ciphers)
  const lines: string[] = []
  if (weak.protocols.length) {
    lines.push(
      `${what} enables ${weak.protocols.join(', ')}: deprecated protocols that clients should no longer use (TLS 1.2 only: ELBSecurityPolicy-TLS-1-2-2017-01).`,
    )
  }
  if (weak.ciphers.length) {
    lines.push(
      `${what} enables weak ciphers: ${weak.ciphers.map((w) => `${w.cipher} (${w.reason})`).join(', ')}.`,
    )
  }
  return lines
}
