import {InvalidInputError} from '../errors.js'
import {
  PREDEFINED_SSL_POLICIES,
  RESERVED_POLICY_PREFIXES,
  findPredefinedSslPolicy,
  hasReservedPrefix,
} from '../policy/predefined-ssl-policies.js'
import {SSL_CIPHERS, SSL_PROTOCOLS, sortCiphers, sortProtocols} from '../policy/ssl-attributes.js'
import {closestNames} from './closest-names.js'

/** Splits "a,b c" (commas and/or spaces, repeated flags already joined) into names. */
export function splitList(raw: string | readonly string[]): string[] {
  const parts = typeof raw === 'string' ? [raw] : raw
  return parts
    .flatMap((p) => p.split(/[\s,]+/))
    .map((p) => p.trim())
    .filter(Boolean)
}

const PROTOCOL_FORM = /^(?:protocol-)?(tls|ssl)v?(\d)(?:\.(\d))?$/i

/**
 * Reads --ssl-protocols: TLSv1.2, TLSv1.1, TLSv1 and SSLv3 (AWS's attribute names without
 * "Protocol-"), case-insensitive, "TLS1.2" and "Protocol-TLSv1.2" accepted too. Returns them in
 * Node's spelling, newest first.
 */
export function parseProtocols(flag: string, raw: string | readonly string[]): string[] {
  const names = splitList(raw)
  if (names.length === 0) {
    throw new InvalidInputError(
      `${flag} is empty: a custom SSL policy must enable at least one protocol.`,
      `Give for example ${flag} TLSv1.2.`,
    )
  }
  const rule = `Protocols are ${SSL_PROTOCOLS.join(', ')}.`
  return sortProtocols(
    names.map((name) => {
      const m = PROTOCOL_FORM.exec(name)
      if (!m) throw new InvalidInputError(`${flag}: "${name}" is not an SSL protocol.`, rule)
      const [family, major, minor] = [m[1]!.toUpperCase(), m[2]!, m[3] ?? '0']
      if (family === 'SSL' && major === '2') {
        throw new InvalidInputError(
          `${flag}: SSLv2 is deprecated and Classic Load Balancers refuse it.`,
          `Use TLSv1.2 (${rule})`,
        )
      }
      if (family === 'SSL' && major === '3' && minor === '0') return 'SSLv3'
      if (family === 'TLS' && major === '1' && minor === '0') return 'TLSv1'
      if (family === 'TLS' && major === '1' && (minor === '1' || minor === '2')) return `TLSv1.${minor}`
      if (family === 'TLS' && major === '1' && minor === '3') {
        throw new InvalidInputError(
          `${flag}: Classic Load Balancers do not support TLSv1.3.`,
          `${rule} (TLS 1.3 needs an Application or Network Load Balancer.)`,
        )
      }
      throw new InvalidInputError(`${flag}: "${name}" is not an SSL protocol.`, rule)
    }),
  )
}

const CIPHER_FORM = /^[A-Za-z0-9][A-Za-z0-9-]*$/

/**
 * Reads --ssl-ciphers (OpenSSL names, case-insensitive) into AWS's spelling. Every name is checked
 * against elbx's table of SSLNegotiationPolicyType's cipher attributes, before any request: the
 * type's attribute list is fixed (DescribeLoadBalancerPolicyTypes lists the same names), so a name
 * the table lacks is one AWS would refuse.
 */
export function parseCiphers(flag: string, raw: string | readonly string[]): string[] {
  const names = splitList(raw)
  if (names.length === 0) {
    throw new InvalidInputError(
      `${flag} is empty: a custom SSL policy must enable at least one cipher.`,
      `Give for example ${flag} ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384.`,
    )
  }
  const ciphers: string[] = []
  const unknown: string[] = []
  for (const name of names) {
    if (!CIPHER_FORM.test(name) || /^protocol-/i.test(name)) {
      throw new InvalidInputError(
        `${flag}: "${name}" is not a cipher name.`,
        'Cipher names are OpenSSL names made of letters, digits and hyphens, e.g. ECDHE-RSA-AES128-GCM-SHA256; protocols go in --ssl-protocols.',
      )
    }
    const known = SSL_CIPHERS.find((c) => c.toLowerCase() === name.toLowerCase())
    if (known) ciphers.push(known)
    else unknown.push(name.toUpperCase())
  }
  if (unknown.length) throw unknownCiphersError(flag, [...new Set(unknown)])
  return sortCiphers([...new Set(ciphers)])
}

/** The error for cipher names SSLNegotiationPolicyType does not have, with the closest known names. */
function unknownCiphersError(flag: string, unknown: string[]) {
  const suggestions = unknown.flatMap((u) => {
    const close = closestNames(u, SSL_CIPHERS)
    return close.length ? [`${u}: did you mean ${close.join(' or ')}?`] : []
  })
  return new InvalidInputError(
    `${flag}: ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is not a cipher' : 'are not ciphers'} of Classic Load Balancers (SSLNegotiationPolicyType).`,
    [...suggestions, '`elbx policy ssl --list` shows the ciphers of the predefined policies.'].join(' '),
    {unknownCiphers: unknown},
  )
}

const POLICY_NAME_RULE =
  'A policy name has letters, digits and hyphens only, and must not begin with ELBSecurityPolicy- or ELBSample- (reserved for AWS’s predefined policies).'

/** Why a custom policy name is not acceptable, or undefined when it is. */
export function policyNameProblem(flag: string, name: string): string | undefined {
  if (name.length === 0) return `${flag} is empty.`
  if (name.length > 255)
    return `${flag} "${name.slice(0, 40)}..." has ${name.length} characters; at most 255 are allowed.`
  const bad = name.match(/[^A-Za-z0-9-]/)
  if (bad) return `${flag} "${name}" contains "${bad[0]}"; only letters, digits and hyphens are allowed.`
  if (hasReservedPrefix(name)) {
    const prefix = RESERVED_POLICY_PREFIXES.find((p) => name.toLowerCase().startsWith(p.toLowerCase()))
    return `${flag} "${name}" begins with ${prefix}, which AWS reserves for its predefined policies.`
  }
  return undefined
}

/** Returns the name when it is a valid custom policy name; InvalidInputError (exit 2) otherwise. */
export function checkPolicyName(flag: string, name: string): string {
  const problem = policyNameProblem(flag, name)
  if (problem) throw new InvalidInputError(problem, POLICY_NAME_RULE)
  return name
}

/**
 * Resolves --ssl-policy to AWS's exact policy name: case-insensitive, and the
 * "ELBSecurityPolicy-" prefix may be left out (TLS-1-2-2017-01).
 */
export function checkPredefinedPolicyName(flag: string, raw: string): string {
  const name = raw.trim()
  const found = findPredefinedSslPolicy(name) ?? findPredefinedSslPolicy(`ELBSecurityPolicy-${name}`)
  if (found) return found.name
  const close = closestNames(
    name,
    PREDEFINED_SSL_POLICIES.map((p) => p.name),
    2,
  )
  throw new InvalidInputError(
    `${flag} "${raw}" is not a predefined SSL security policy of Classic Load Balancers.`,
    `${close.length ? `Did you mean ${close.join(' or ')}? ` : ''}Predefined policies: ${PREDEFINED_SSL_POLICIES.map((p) => p.name).join(', ')} (\`elbx policy ssl --list\`).`,
  )
}

/** The SSL policy flags as typed, under whatever names a command gives them. */
export interface SslPolicyFlagValues {
  predefined?: string
  protocols?: string
  ciphers?: string
  serverOrder?: boolean
}

/** How messages name the SSL policy flags. */
export interface SslPolicyFlagNames {
  predefined: string
  protocols: string
  ciphers: string
  serverOrder: string
}

/** The one spelling `create` and `policy ssl` share (src/flags/ssl-policy.ts defines the flags). */
export const SSL_POLICY_FLAG_NAMES: SslPolicyFlagNames = {
  predefined: '--ssl-policy',
  protocols: '--ssl-protocols',
  ciphers: '--ssl-ciphers',
  serverOrder: '--ssl-server-order',
}

export interface ParsedSslPolicyFlags {
  /** undefined when no SSL policy flag was given. */
  spec?:
    | {kind: 'predefined'; name: string}
    | {kind: 'custom'; protocols: string[]; ciphers: string[]; serverOrder: boolean}
}

/**
 * Reads a predefined policy name or a custom policy (protocols and ciphers, both required) from
 * flags, with messages that use the command's own flag names. Pure: no request is made.
 */
export function parseSslPolicyFlags(
  flags: SslPolicyFlagValues,
  names: SslPolicyFlagNames = SSL_POLICY_FLAG_NAMES,
): ParsedSslPolicyFlags {
  const custom = flags.protocols !== undefined || flags.ciphers !== undefined
  if (!custom && flags.serverOrder !== undefined) {
    throw new InvalidInputError(
      `${names.serverOrder} applies to a custom policy: give ${names.protocols} and ${names.ciphers} with it.`,
    )
  }
  if (flags.predefined !== undefined) {
    return {spec: {kind: 'predefined', name: checkPredefinedPolicyName(names.predefined, flags.predefined)}}
  }
  if (!custom) return {}
  if (flags.protocols === undefined || flags.ciphers === undefined) {
    throw new InvalidInputError(
      `A custom SSL policy needs both ${names.protocols} and ${names.ciphers} (at least one of each); ${flags.protocols === undefined ? names.protocols : names.ciphers} is missing.`,
      `Or use a predefined policy: ${names.predefined} ELBSecurityPolicy-TLS-1-2-2017-01.`,
    )
  }
  const protocols = parseProtocols(names.protocols, flags.protocols)
  const ciphers = parseCiphers(names.ciphers, flags.ciphers)
  return {spec: {kind: 'custom', protocols, ciphers, serverOrder: flags.serverOrder ?? true}}
}
