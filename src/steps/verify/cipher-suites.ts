/**
 * The cipher suites `elbx verify` offers one at a time: every cipher an SSL negotiation policy can
 * name (AWS's attribute list) and the other TLS 1.2-and-older ciphers OpenSSL 3 has, so that a
 * server accepting a cipher no policy can enable (NULL-SHA256, CHACHA20) is caught too.
 */
import {SSL_CIPHERS} from '../../policy/ssl-attributes.js'

/**
 * OpenSSL 3.0's ciphers (`openssl ciphers 'ALL:COMPLEMENTOFALL:!PSK:!SRP@SECLEVEL=0'`, TLS 1.3
 * suites aside) that are not SSLNegotiationPolicyType attributes. PSK and SRP ciphers are left
 * out: no client offers them without a pre-shared key or password, and Classic Load Balancers
 * have neither.
 */
const OTHER_OPENSSL_CIPHERS: readonly string[] = [
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-CCM',
  'ECDHE-ECDSA-AES128-CCM8',
  'ECDHE-ECDSA-AES256-CCM',
  'ECDHE-ECDSA-AES256-CCM8',
  'DHE-RSA-AES128-CCM',
  'DHE-RSA-AES128-CCM8',
  'DHE-RSA-AES256-CCM',
  'DHE-RSA-AES256-CCM8',
  'AES128-CCM',
  'AES128-CCM8',
  'AES256-CCM',
  'AES256-CCM8',
  'ECDHE-ECDSA-ARIA128-GCM-SHA256',
  'ECDHE-ECDSA-ARIA256-GCM-SHA384',
  'ECDHE-ARIA128-GCM-SHA256',
  'ECDHE-ARIA256-GCM-SHA384',
  'DHE-DSS-ARIA128-GCM-SHA256',
  'DHE-DSS-ARIA256-GCM-SHA384',
  'DHE-RSA-ARIA128-GCM-SHA256',
  'DHE-RSA-ARIA256-GCM-SHA384',
  'ARIA128-GCM-SHA256',
  'ARIA256-GCM-SHA384',
  'ECDHE-ECDSA-CAMELLIA128-SHA256',
  'ECDHE-ECDSA-CAMELLIA256-SHA384',
  'ECDHE-RSA-CAMELLIA128-SHA256',
  'ECDHE-RSA-CAMELLIA256-SHA384',
  'DHE-RSA-CAMELLIA128-SHA256',
  'DHE-RSA-CAMELLIA256-SHA256',
  'DHE-DSS-CAMELLIA128-SHA256',
  'DHE-DSS-CAMELLIA256-SHA256',
  'CAMELLIA128-SHA256',
  'CAMELLIA256-SHA256',
  'ADH-CAMELLIA128-SHA256',
  'ADH-CAMELLIA256-SHA256',
  'AECDH-AES128-SHA',
  'AECDH-AES256-SHA',
  'AECDH-NULL-SHA',
  'ECDHE-ECDSA-NULL-SHA',
  'ECDHE-RSA-NULL-SHA',
  'NULL-SHA256',
  'NULL-SHA',
  'NULL-MD5',
]

/** Every cipher verify may probe: AWS's attribute list first (its table order), then OpenSSL's others. */
export const PROBED_CIPHERS: readonly string[] = [...new Set([...SSL_CIPHERS, ...OTHER_OPENSSL_CIPHERS])]

/**
 * True for ciphers defined for TLS 1.2 only (AEAD modes and SHA-2 MACs, RFC 5246, 5288, 5289,
 * 6655, 7905): offering one with TLS 1.0 or 1.1 proves nothing, so it is not sent.
 */
export function isTls12Only(cipher: string): boolean {
  return /GCM|CCM|CHACHA20|-SHA256$|-SHA384$/.test(cipher.toUpperCase())
}

/** True when the cipher's key exchange is ephemeral (ECDHE, DHE): a stolen key cannot decrypt recorded traffic. */
export function hasForwardSecrecy(cipher: string): boolean {
  return /^(ECDHE|DHE|EDH|AECDH|ADH)-/.test(cipher.toUpperCase())
}

/** The key exchange groups verify offers one at a time, OpenSSL names, with the name people know them by. */
export const PROBED_GROUPS: readonly {group: string; label: string}[] = [
  {group: 'X25519', label: 'X25519'},
  {group: 'prime256v1', label: 'P-256'},
  {group: 'secp384r1', label: 'P-384'},
  {group: 'secp521r1', label: 'P-521'},
  {group: 'X448', label: 'X448'},
]

/** "P-256" for prime256v1; the OpenSSL name for groups elbx has no other name for. */
export function groupLabel(group: string): string {
  return PROBED_GROUPS.find((g) => g.group.toLowerCase() === group.toLowerCase())?.label ?? group
}

/**
 * The certificate key a cipher needs (its authentication): "ec" for ECDSA and fixed-ECDH suites,
 * "dsa" for DSS, "rsa" for the RSA-authenticated and plain RSA key exchange ones; undefined for
 * anonymous suites (ADH, AECDH), which need no certificate at all.
 */
export function cipherKeyType(cipher: string): 'rsa' | 'ec' | 'dsa' | undefined {
  const name = cipher.toUpperCase()
  if (/^(ADH|AECDH)-/.test(name)) return undefined
  if (/^(ECDHE-ECDSA|ECDH-ECDSA|ECDH-RSA)-/.test(name)) return 'ec'
  if (/^(DHE|EDH)-DSS-/.test(name)) return 'dsa'
  return 'rsa'
}
