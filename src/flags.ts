import {Flags} from '@oclif/core'

import {DEFAULT_WAIT_TIMEOUT_SECONDS, WAIT_MODES, type WaitMode} from './model.js'
import {parseIntInRange} from './validate/ranges.js'

/**
 * Flags several commands share, defined once so they read and behave the same everywhere.
 * Values are checked in the commands (not in oclif's parse) so that every message follows
 * elbx's "what is wrong, how to fix it" form and exits 2.
 */
export const loadBalancerNameFlag = (options: {required?: boolean} = {}) =>
  Flags.string({
    char: 'n',
    aliases: ['load-balancer-name'],
    description: 'Name of the Classic Load Balancer (1-32 letters, digits and hyphens).',
    required: options.required ?? false,
  })

/**
 * --wait any|all|none and --wait-timeout SECONDS, shared by register, create and verify. The
 * timeout stays a string here; parseWaitTimeout checks it so the message names the flag and rule.
 */
export const waitFlags = (options: {defaultMode?: WaitMode} = {}) => ({
  wait: Flags.option({
    options: WAIT_MODES,
    default: options.defaultMode ?? 'any',
    description:
      'Wait until any one instance is InService (the load balancer is usable), all of them, or none (do not wait).',
  })(),
  'wait-timeout': Flags.string({
    // oclif prints "[default: 600]" itself from `default`.
    description: "Give up waiting after this many seconds (1-86400) and exit 3 with each instance's state.",
    default: String(DEFAULT_WAIT_TIMEOUT_SECONDS),
  }),
})

/** --wait-timeout in milliseconds; exit 2 when it is not a whole number of seconds from 1 to 86400. */
export function parseWaitTimeout(raw: string): number {
  return parseIntInRange('--wait-timeout', raw, 1, 86_400, 'The wait timeout is a number of seconds.') * 1000
}

/** --instances, repeatable, each value one ID or several separated by commas. */
export const instancesFlag = (description: string) =>
  Flags.string({
    char: 'i',
    description,
    multiple: true,
  })

/**
 * The certificate flags of every command that puts a certificate on a listener: an ARN, or files
 * checked locally and uploaded to IAM (checked by validate/create-input.ts's certificateSource).
 */
export const certificateFlags = () => ({
  certificate: Flags.string({
    description: 'ARN of an ACM certificate or IAM server certificate for the HTTPS/SSL listeners.',
    exclusive: ['certificate-file'],
  }),
  'certificate-file': Flags.string({
    description: 'PEM certificate to upload to IAM (checked locally first).',
    dependsOn: ['private-key-file'],
  }),
  'private-key-file': Flags.string({description: 'PEM private key of --certificate-file (never printed).'}),
  'chain-file': Flags.string({
    description: "PEM intermediate certificates, the server certificate's issuer first.",
    dependsOn: ['certificate-file'],
  }),
  'certificate-name': Flags.string({
    description: 'IAM name for the uploaded certificate (default: elbx-NAME-FINGERPRINT).',
    dependsOn: ['certificate-file'],
  }),
})
