import {Flags} from '@oclif/core'

import {ElbxCommand, LOAD_BALANCER, required, type Needs} from '../../base-command.js'
import {loadBalancerNameFlag} from '../../flags.js'
import {backendAuthFlags, parseBackendAuthKeys} from '../../flags/backend-auth.js'
import type {PublicKeyFromFile} from '../../pem/public-key.js'
import {
  ensureBackendAuthentication,
  publicKeyPolicyName,
  type EnsureBackendAuthResult,
} from '../../steps/backend-auth.js'
import {runTasks} from '../../ui/tasks.js'
import {parsePort} from '../../validate/ranges.js'

export interface PolicyBackendAuthResult extends EnsureBackendAuthResult {
  loadBalancerName: string
  instancePort: number
  /** Which file each public key policy came from. */
  keys: {file: string; source: PublicKeyFromFile['source']; publicKeyPolicy: string; note?: string}[]
}

export default class PolicyBackendAuth extends ElbxCommand<typeof PolicyBackendAuth> {
  static override summary = 'Make the load balancer authenticate back-end instances by their public keys.'

  static override description = `Creates one PublicKeyPolicyType policy per --backend-auth-cert, one BackendServerAuthenticationPolicyType policy naming them all (the load balancer tries each key in turn), and sets it on the instance port. Other back-end policies on that port (ProxyProtocol) stay. The instance port must be reached over HTTPS or SSL. Each --backend-auth-cert may be a PEM or DER X.509 certificate (its public key is used), or a PUBLIC KEY PEM; private keys are refused. A rerun with the same keys changes nothing.`

  // The flags `needs` requires are not oclif-required (its message would name "backend-auth-cert" without dashes),
  // so the generated usage would bracket them as optional.
  static override usage = [
    'policy backend-auth -n <value> --instance-port <value> --backend-auth-cert <value>... [GLOBAL FLAGS]',
  ]

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --instance-port 443 --backend-auth-cert backend.pem',
    '<%= config.bin %> <%= command.id %> --name my-lb --instance-port 443 --backend-auth-cert old.pem --backend-auth-cert new.pem --json',
  ]

  static override needs: Needs = {
    flags: {
      name: LOAD_BALANCER,
      'instance-port': required('which instance port to authenticate'),
      'backend-auth-cert': required("which file has the instances' certificate or public key"),
    },
    example: '--name my-lb --instance-port 443 --backend-auth-cert backend.pem',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    'instance-port': Flags.string({
      // "(required)" as oclif writes it: `needs` requires it, so that the message names it with dashes.
      description: '(required) Instance port whose HTTPS/SSL connections are authenticated (1-65535).',
    }),
    ...backendAuthFlags({
      formerSpellings: true,
      description:
        "(required) The instances' certificate or public key file (PEM or DER); repeat for several keys (e.g. during rotation).",
    }),
  }

  public async run(): Promise<PolicyBackendAuthResult> {
    // Both are given: `needs` refused the run otherwise.
    const instancePort = parsePort('--instance-port', this.flags['instance-port']!)
    const files = parseBackendAuthKeys(this.flags)
    const loadBalancerName = await this.loadBalancerName()
    for (const f of files) if (f.note) this.ui.warn(f.note)

    const {elb} = await this.aws()
    const ctx: {result?: EnsureBackendAuthResult} = {}
    await runTasks(
      this.ui,
      [
        {
          title: `Set back-end authentication on instance port ${instancePort}`,
          run: async (c) => {
            c.result = await ensureBackendAuthentication(elb, {
              loadBalancerName,
              instancePort,
              publicKeys: files.map((f) => f.publicKey),
            })
            return `${c.result.policyName} ${c.result.status}`
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    const result = ctx.result!
    const keys = files.map((f) => ({
      file: f.file,
      source: f.source,
      publicKeyPolicy: publicKeyPolicyName(f.publicKey),
      ...(f.note ? {note: f.note} : {}),
    }))
    this.log(
      [
        `Instance port ${instancePort} of ${loadBalancerName}: back-end authentication policy ${result.policyName} ${result.status === 'created' ? 'set' : 'already set: unchanged'}.`,
        ...keys.map((k) => `  ${k.publicKeyPolicy}: public key of ${k.file} (${k.source})`),
        ...(result.replacedPolicies.length ? [`Replaced: ${result.replacedPolicies.join(', ')}.`] : []),
        ...(result.deletedPolicies.length
          ? [`Deleted (created by elbx, no longer used): ${result.deletedPolicies.join(', ')}.`]
          : []),
      ].join('\n'),
    )
    return {loadBalancerName, instancePort, keys, ...result}
  }
}
