import {Flags} from '@oclif/core'

import {ElbxCommand, LOAD_BALANCER, prompted, type Needs} from '../../base-command.js'
import {MissingRegionError} from '../../errors.js'
import {loadBalancerNameFlag} from '../../flags.js'
import {parseSslPolicy, sslPolicyFlags, sslPolicyGiven} from '../../flags/ssl-policy.js'
import {sslPolicySpecWarnings} from '../../policy/predefined-ssl-policies.js'
import {weaknessWarnings} from '../../policy/ssl-attributes.js'
import {askPredefinedSslPolicy} from '../../prompts/ssl-policy.js'
import {findLoadBalancer} from '../../steps/find-load-balancer.js'
import {
  builtInPredefinedSslPolicies,
  describeLoadBalancerSslPolicies,
  ensureListenerSslPolicy,
  listPredefinedSslPolicies,
  secureListener,
  type EnsureSslPolicyResult,
  type ListenerSslPolicy,
  type PredefinedSslPolicyList,
  type SslPolicySpec,
} from '../../steps/ssl-policy.js'
import {renderListenerSslPolicy, renderPredefinedPolicy, sourceNotes} from '../../ui/policies.js'
import {runTasks} from '../../ui/tasks.js'
import {parsePort} from '../../validate/ranges.js'

export type PolicySslResult =
  | ({
      mode: 'set'
      loadBalancerName: string
      loadBalancerPort: number
      spec: SslPolicySpec
    } & EnsureSslPolicyResult)
  | ({mode: 'list'} & PredefinedSslPolicyList)
  | {
      mode: 'show'
      loadBalancerName: string
      listeners: ({loadBalancerPort: number; protocol: string} & ListenerSslPolicy)[]
    }

/** The flags that set a policy: none of them goes with --list or --show. */
const SET = Object.keys(sslPolicyFlags())

export default class PolicySsl extends ElbxCommand<typeof PolicySsl> {
  static override summary =
    'Set, show or list the SSL negotiation policy (security policy) of an HTTPS/SSL listener.'

  static override description = `Setting a policy creates a load-balancer policy of type SSLNegotiationPolicyType (for a predefined policy, one whose Reference-Security-Policy names it: a predefined name cannot be set on a listener directly) and enables it on the listener. Only the listener's SSL negotiation policy is replaced: cookie stickiness and every other policy on the listener stay. The default policy name is derived from the content, so a rerun reuses it; the policy it replaces is deleted when elbx created it and no listener uses it.

--list shows AWS's predefined policies with their protocols and ciphers; --show shows what each HTTPS/SSL listener of a load balancer enables.`

  // oclif's generated usage cannot show the four forms (its exclusive groups print as "|  | ").
  // Spelt with the command's own words, so `npm run readme` titles it "elbx policy ssl" too.
  static override usage = [
    'policy ssl -n <value> [-p <value>] --ssl-policy <value> [--ssl-policy-name <value>] [GLOBAL FLAGS]',
    'policy ssl -n <value> [-p <value>] --ssl-protocols <value> --ssl-ciphers <value> [--[no-]ssl-server-order] [--ssl-policy-name <value>] [GLOBAL FLAGS]',
    'policy ssl --show -n <value> [-p <value>] [GLOBAL FLAGS]',
    'policy ssl --list [GLOBAL FLAGS]',
  ]

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --ssl-policy ELBSecurityPolicy-TLS-1-2-2017-01',
    '<%= config.bin %> <%= command.id %> --name my-lb --port 443 --ssl-protocols TLSv1.2 --ssl-ciphers ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384',
    '<%= config.bin %> <%= command.id %> --list',
    '<%= config.bin %> <%= command.id %> --show --name my-lb --json',
  ]

  static override needs: Needs = {
    flags: {
      name: {...LOAD_BALANCER, unless: ['list']},
      'ssl-policy': prompted('which SSL security policy', {
        label: '--ssl-policy NAME (or --ssl-protocols and --ssl-ciphers)',
        // Any custom-policy flag counts: parseSslPolicy says what else a custom policy needs.
        given: sslPolicyGiven,
        unless: ['list', 'show'],
      }),
    },
    example:
      '--name my-lb --ssl-policy ELBSecurityPolicy-TLS-1-2-2017-01 (`elbx policy ssl --list` shows the predefined policies)',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    port: Flags.string({
      char: 'p',
      description:
        'Load balancer port of the HTTPS or SSL listener (default 443; with --show, every secure listener).',
    }),
    ...sslPolicyFlags({formerSpellings: true, exclusive: ['list', 'show']}),
    list: Flags.boolean({
      description: "List AWS's predefined SSL security policies with their protocols and ciphers.",
      exclusive: ['name', 'port', 'show', ...SET],
    }),
    show: Flags.boolean({
      description:
        'Show the SSL negotiation policy in force on each HTTPS/SSL listener of the load balancer.',
      exclusive: ['list', ...SET],
    }),
  }

  public async run(): Promise<PolicySslResult> {
    if (this.flags.list) return this.list()
    if (this.flags.show) return this.show()
    return this.set()
  }

  private async list(): Promise<PolicySslResult> {
    const result = await this.predefinedPolicies()
    this.log('Predefined SSL security policies')
    for (const p of result.policies) this.log(['', ...renderPredefinedPolicy(p)].join('\n'))
    this.log(['', `Note: from ${result.sourceDescription}.`].join('\n'))
    return {mode: 'list', ...result}
  }

  /** AWS's list when a Region is set; without one, elbx's table answers (and says so) instead of exit 2. */
  private async predefinedPolicies(): Promise<PredefinedSslPolicyList> {
    let elb
    try {
      elb = (await this.aws()).elb
    } catch (error) {
      if (!(error instanceof MissingRegionError)) throw error
      return builtInPredefinedSslPolicies('no AWS Region is set, so AWS was not asked')
    }
    return listPredefinedSslPolicies(elb)
  }

  private async show(): Promise<PolicySslResult> {
    const port = this.flags.port === undefined ? undefined : parsePort('--port', this.flags.port)
    const name = await this.loadBalancerName()
    const {elb} = await this.aws()
    const lb = await findLoadBalancer(elb, name)
    if (port !== undefined) secureListener(lb, port)
    const all = await describeLoadBalancerSslPolicies(elb, lb)
    const listeners = all
      .filter((l) => port === undefined || l.loadBalancerPort === port)
      .map((l) => ({loadBalancerPort: l.loadBalancerPort, protocol: l.protocol, ...l.sslPolicy}))
    if (listeners.length === 0) this.log(`Load balancer "${name}" has no HTTPS or SSL listener.`)
    for (const l of listeners) {
      this.log(renderListenerSslPolicy(l.loadBalancerPort, l.protocol, l).join('\n'))
      for (const w of weaknessWarnings(`Listener ${l.loadBalancerPort}`, l.protocols, l.ciphers))
        this.ui.warn(w)
    }
    if (listeners.length) this.log(['', ...sourceNotes(listeners)].join('\n'))
    return {mode: 'show', loadBalancerName: name, listeners}
  }

  private async set(): Promise<PolicySslResult> {
    // Everything the user typed is checked before the first request.
    const port = parsePort('--port', this.flags.port ?? '443')
    const parsed = parseSslPolicy(this.flags)
    const {policyName} = parsed
    let spec: SslPolicySpec | undefined = parsed.spec
    const loadBalancerName = await this.loadBalancerName()
    spec ??= {kind: 'predefined', name: await askPredefinedSslPolicy(this.interrupt.signal)}

    for (const w of sslPolicySpecWarnings(spec)) this.ui.warn(w)
    const {elb} = await this.aws()
    const finalSpec = spec
    const ctx: {result?: EnsureSslPolicyResult} = {}
    await runTasks(
      this.ui,
      [
        {
          title: `Set the SSL negotiation policy of listener ${port}`,
          run: async (c) => {
            c.result = await ensureListenerSslPolicy(elb, {
              loadBalancerName,
              loadBalancerPort: port,
              spec: finalSpec,
              ...(policyName ? {policyName} : {}),
            })
            return `${c.result.policyName} ${c.result.status}`
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    const result = ctx.result!
    for (const n of result.notDeleted ?? [])
      this.ui.warn(`Could not delete the replaced policy ${n.policyName}: ${n.reason}`)
    this.log(this.describeSet(loadBalancerName, port, finalSpec, result).join('\n'))
    return {mode: 'set', loadBalancerName, loadBalancerPort: port, spec: finalSpec, ...result}
  }

  private describeSet(lbName: string, port: number, spec: SslPolicySpec, r: EnsureSslPolicyResult): string[] {
    const what = spec.kind === 'predefined' ? `references ${spec.name}` : 'custom'
    const verb = {
      created: 'created and enabled',
      reused: 'enabled (existing policy reused)',
      unchanged: 'already enabled: unchanged',
    }[r.status]
    const lines = [`Listener ${port} of ${lbName}: SSL negotiation policy ${r.policyName} (${what}) ${verb}.`]
    if (r.replacedPolicies.length) lines.push(`Replaced: ${r.replacedPolicies.join(', ')}.`)
    if (r.deletedPolicies.length)
      lines.push(`Deleted (created by elbx, no longer used): ${r.deletedPolicies.join(', ')}.`)
    if (r.keptPolicies.length) lines.push(`Kept on the listener: ${r.keptPolicies.join(', ')}.`)
    return lines
  }
}
