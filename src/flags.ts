import {Flags} from '@oclif/core'

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
