// The same workflow with elbx: the one-command form (`elbx create --https` with every step's flags,
// then `elbx destroy`), and the step-by-step form with the separate commands.
import {failureOf, runElbx} from './elbx.js'
import {HEALTH_TARGET, SSL_POLICY} from './workflow-aws.js'

/** The one-command workflow: [label, argv] pairs, in order. */
export function oneShotCommands({name, cert, subnetIds, instanceIds}) {
  return [
    [
      'create',
      [
        'create',
        '--https',
        '--name',
        name,
        '--subnets',
        subnetIds.join(','),
        '--certificate-file',
        cert.certFile,
        '--private-key-file',
        cert.keyFile,
        '--ssl-policy',
        SSL_POLICY,
        '--backend-https',
        '--backend-auth-cert',
        cert.certFile,
        '--health-check',
        HEALTH_TARGET,
        '--instances',
        instanceIds.join(','),
        '--wait',
        'any',
        '--yes',
        '--json',
      ],
    ],
    ['destroy', ['destroy', '--name', name, '--yes', '--delete-certificate', '--json']],
  ]
}

/**
 * The step-by-step workflow. `required` steps are the ones the rest cannot do without: when one of
 * them does not exist yet the variant is not available at all; any other missing step is skipped.
 */
export function stepCommands({name, cert, subnetIds, instanceIds}) {
  return [
    {
      label: 'create --https',
      required: true,
      argv: [
        'create',
        '--https',
        '--backend-https',
        '--name',
        name,
        '--subnets',
        subnetIds.join(','),
        '--certificate-file',
        cert.certFile,
        '--private-key-file',
        cert.keyFile,
        '--yes',
        '--json',
      ],
    },
    {
      label: 'policy ssl',
      argv: ['policy', 'ssl', '--name', name, '--port', '443', '--ssl-policy', SSL_POLICY, '--yes', '--json'],
    },
    {
      label: 'policy backend-auth',
      argv: [
        'policy',
        'backend-auth',
        '--name',
        name,
        '--instance-port',
        '443',
        '--backend-auth-cert',
        cert.certFile,
        '--yes',
        '--json',
      ],
    },
    {label: 'health', argv: ['health', '--name', name, '--health-check', HEALTH_TARGET, '--yes', '--json']},
    {
      label: 'register --wait any',
      argv: [
        'register',
        '--name',
        name,
        '--instances',
        instanceIds.join(','),
        '--wait',
        'any',
        '--yes',
        '--json',
      ],
    },
    {
      label: 'destroy',
      required: true,
      argv: ['destroy', '--name', name, '--yes', '--delete-certificate', '--json'],
    },
  ]
}

/**
 * Runs commands in order, timing the whole. Returns {available: false, reason} as soon as a
 * required command does not exist (or refuses a flag) and stops there; skips the others.
 * @param {{label: string, argv: string[], required?: boolean}[]} commands
 */
export async function runElbxCommands(commands, {env, endpoint}) {
  const steps = []
  const skipped = []
  const runs = []
  let ms = 0
  for (const {label, argv, required} of commands) {
    const result = await runElbx([...argv, '--endpoint-url', endpoint], env, {timeoutMs: 120_000})
    runs.push({label, requests: result.requests})
    if (result.unavailable) {
      if (required) return {available: false, reason: `elbx ${label}: ${result.unavailable}`, steps, runs}
      skipped.push(`${label} (${result.unavailable})`)
      continue
    }
    if (result.exitCode !== 0)
      return {available: true, failed: `elbx ${label}: ${failureOf(result)}`, steps, runs}
    ms += result.ms
    steps.push({step: `elbx ${label}`, ms: Math.round(result.ms), requests: result.requests.length})
  }
  return {available: true, ms, steps, skipped, runs}
}
