/**
 * AWS's predefined SSL security policies for Classic Load Balancers, as documented in
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html
 * (see ../shared/reference/clb-facts.md section 3.4). elbx uses this table to check names before
 * any request, and as the answer when an endpoint will not describe the predefined policies.
 */
import {sortCiphers, sortProtocols, weaknessWarnings} from './ssl-attributes.js'

/** The default AWS applies to an HTTPS/SSL listener created without a policy (documented). */
export const AWS_DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08'
/** The latest predefined policy, TLS 1.2 only: what elbx recommends and uses by default. */
export const RECOMMENDED_SSL_POLICY = 'ELBSecurityPolicy-TLS-1-2-2017-01'

export const RESERVED_POLICY_PREFIXES = ['ELBSecurityPolicy-', 'ELBSample-'] as const

export interface PredefinedSslPolicy {
  name: string
  /** Other names AWS documents for the same policy. */
  aliases?: string[]
  /** Undefined for the older policies whose matrix AWS no longer documents: AWS describes them at runtime. */
  protocols?: string[]
  ciphers?: string[]
  serverOrder?: boolean
}

const ECDHE_GCM_SHA2 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
]
const ECDHE_SHA1 = [
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-ECDSA-AES256-SHA',
]
const RSA_SHA2 = ['AES128-GCM-SHA256', 'AES128-SHA256', 'AES256-GCM-SHA384', 'AES256-SHA256']
const RSA_SHA1 = ['AES128-SHA', 'AES256-SHA']
const DHE_SHA1 = ['DHE-RSA-AES128-SHA', 'DHE-DSS-AES128-SHA']
const TRIPLE_DES = ['DES-CBC3-SHA']
const TLS_ALL = ['TLSv1.2', 'TLSv1.1', 'TLSv1']

const documented = (name: string, protocols: string[], ciphers: string[]): PredefinedSslPolicy => ({
  name,
  protocols: sortProtocols(protocols),
  ciphers: sortCiphers(ciphers),
  serverOrder: true,
})

/** Newest first, as AWS's table lists them; the recommended policy leads. */
export const PREDEFINED_SSL_POLICIES: readonly PredefinedSslPolicy[] = [
  documented(RECOMMENDED_SSL_POLICY, ['TLSv1.2'], [...ECDHE_GCM_SHA2, ...RSA_SHA2]),
  documented(
    'ELBSecurityPolicy-TLS-1-1-2017-01',
    ['TLSv1.2', 'TLSv1.1'],
    [...ECDHE_GCM_SHA2, ...ECDHE_SHA1, ...RSA_SHA2, ...RSA_SHA1],
  ),
  documented(AWS_DEFAULT_SSL_POLICY, TLS_ALL, [...ECDHE_GCM_SHA2, ...ECDHE_SHA1, ...RSA_SHA2, ...RSA_SHA1]),
  documented('ELBSecurityPolicy-2015-05', TLS_ALL, [
    ...ECDHE_GCM_SHA2,
    ...ECDHE_SHA1,
    ...RSA_SHA2,
    ...RSA_SHA1,
    ...TRIPLE_DES,
  ]),
  documented('ELBSecurityPolicy-2015-03', TLS_ALL, [
    ...ECDHE_GCM_SHA2,
    ...ECDHE_SHA1,
    ...RSA_SHA2,
    ...RSA_SHA1,
    ...DHE_SHA1,
    ...TRIPLE_DES,
  ]),
  documented('ELBSecurityPolicy-2015-02', TLS_ALL, [
    ...ECDHE_GCM_SHA2,
    ...ECDHE_SHA1,
    ...RSA_SHA2,
    ...RSA_SHA1,
    ...DHE_SHA1,
  ]),
  {name: 'ELBSecurityPolicy-2014-10'},
  {name: 'ELBSecurityPolicy-2014-01'},
  {name: 'ELBSecurityPolicy-2011-08'},
  {name: 'ELBSample-ELBDefaultNegotiationPolicy', aliases: ['ELBSample-ELBDefaultCipherPolicy']},
  {name: 'ELBSample-OpenSSLDefaultNegotiationPolicy', aliases: ['ELBSample-OpenSSLDefaultCipherPolicy']},
]

/** What --list and --show say about a policy whose matrix the table does not hold. */
export const DETAILS_FROM_AWS = 'details from AWS at runtime (not in AWS’s current documented table)'

/** The predefined policy with that name or alias (case-insensitive), if AWS documents one. */
export function findPredefinedSslPolicy(name: string): PredefinedSslPolicy | undefined {
  const wanted = name.toLowerCase()
  return PREDEFINED_SSL_POLICIES.find(
    (p) => p.name.toLowerCase() === wanted || p.aliases?.some((a) => a.toLowerCase() === wanted),
  )
}

/** True for names AWS reserves for its predefined policies. */
export function hasReservedPrefix(name: string): boolean {
  const lower = name.toLowerCase()
  return RESERVED_POLICY_PREFIXES.some((p) => lower.startsWith(p.toLowerCase()))
}

/**
 * Warnings for a policy about to be set: weak protocols and ciphers, and a custom policy no RSA
 * certificate (every ACM certificate) can complete a handshake with.
 */
export function sslPolicySpecWarnings(
  spec: {kind: 'predefined'; name: string} | {kind: 'custom'; protocols: string[]; ciphers: string[]},
): string[] {
  if (spec.kind === 'predefined') {
    const entry = findPredefinedSslPolicy(spec.name)
    return weaknessWarnings(spec.name, entry?.protocols ?? [], entry?.ciphers ?? [])
  }
  const warnings = weaknessWarnings('The custom policy', spec.protocols, spec.ciphers)
  if (spec.ciphers.length && spec.ciphers.every((c) => /ECDSA|DSS|^ADH-|^PSK-|^KRB5-/.test(c))) {
    warnings.push(
      'None of the ciphers works with an RSA certificate (ACM certificates are RSA): add one such as ECDHE-RSA-AES128-GCM-SHA256 unless the certificate has an EC key.',
    )
  }
  return warnings
}
