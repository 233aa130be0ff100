import {Flags, type Interfaces} from '@oclif/core'

import {
  checkPolicyName,
  parseSslPolicyFlags,
  type ParsedSslPolicyFlags,
  SSL_POLICY_FLAG_NAMES,
} from '../validate/ssl-policy.js'
import {formerly, type StepFlagOptions} from './formerly.js'

const CUSTOM = ['ssl-protocols', 'ssl-ciphers', 'ssl-server-order']

/**
 * The SSL negotiation policy flags: a predefined policy, or a custom one (protocols and ciphers),
 * and the name of the load-balancer policy made from it. `defaultPolicy` is what `create` uses
 * when none is given (policy ssl asks instead).
 */
export const sslPolicyFlags = (options: StepFlagOptions & {defaultPolicy?: string} = {}) => {
  const old = (name: string) => (options.formerSpellings ? name : undefined)
  const more = options.exclusive ?? []
  const group = options.helpGroup ? {helpGroup: options.helpGroup} : {}
  return {
    'ssl-policy': Flags.string({
      ...group,
      ...formerly(
        old('predefined'),
        `Predefined SSL security policy, e.g. ELBSecurityPolicy-TLS-1-2-2017-01 (\`elbx policy ssl --list\` lists them${options.defaultPolicy ? `; default ${options.defaultPolicy}, the latest` : ''}).`,
      ),
      exclusive: [...CUSTOM, ...more],
    }),
    'ssl-protocols': Flags.string({
      ...group,
      ...formerly(
        old('protocols'),
        'Custom policy: protocols to enable, comma-separated (TLSv1.2, TLSv1.1, TLSv1, SSLv3), with --ssl-ciphers.',
      ),
      exclusive: ['ssl-policy', ...more],
    }),
    'ssl-ciphers': Flags.string({
      ...group,
      ...formerly(
        old('ciphers'),
        'Custom policy: ciphers to enable (OpenSSL names, e.g. ECDHE-RSA-AES128-GCM-SHA256), comma-separated, with --ssl-protocols.',
      ),
      exclusive: ['ssl-policy', ...more],
    }),
    'ssl-server-order': Flags.boolean({
      ...group,
      allowNo: true,
      ...formerly(
        old('server-order'),
        "Custom policy: the load balancer's cipher order wins (Server-Defined-Cipher-Order; default on).",
      ),
      exclusive: ['ssl-policy', ...more],
    }),
    'ssl-policy-name': Flags.string({
      ...group,
      ...formerly(
        old('policy-name'),
        'Name of the load-balancer policy to create (default: elbx-ssl-..., derived from its content, so a rerun reuses it).',
      ),
      ...(more.length ? {exclusive: more} : {}),
    }),
  }
}

export type SslPolicyFlags = Partial<Interfaces.InferredFlags<ReturnType<typeof sslPolicyFlags>>>

export interface SslPolicyInput {
  /** undefined when no SSL policy flag was given. */
  spec?: NonNullable<ParsedSslPolicyFlags['spec']>
  policyName?: string
}

/** The SSL policy flags, checked (no request): the policy asked for, and the policy name if given. */
export function parseSslPolicy(flags: SslPolicyFlags): SslPolicyInput {
  const {spec} = parseSslPolicyFlags(
    {
      predefined: flags['ssl-policy'],
      protocols: flags['ssl-protocols'],
      ciphers: flags['ssl-ciphers'],
      serverOrder: flags['ssl-server-order'],
    },
    SSL_POLICY_FLAG_NAMES,
  )
  const name = flags['ssl-policy-name']
  return {
    ...(spec ? {spec} : {}),
    ...(name === undefined ? {} : {policyName: checkPolicyName('--ssl-policy-name', name)}),
  }
}

/** Whether any flag that picks a policy was given (--ssl-server-order alone is refused by the parser). */
export const sslPolicyGiven = (flags: Record<string, unknown>) =>
  ['ssl-policy', ...CUSTOM].some((flag) => flags[flag] !== undefined)
