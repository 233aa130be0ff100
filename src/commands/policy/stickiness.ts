import {Flags} from '@oclif/core'

import {LOAD_BALANCER, type Needs} from '../../base-command.js'
import {ChangeCommand, dryRunFlag, type ChangeDryRunResult, type ChangeResult} from '../../change-command.js'
import {loadBalancerNameFlag} from '../../flags.js'
import {
  describeStickiness,
  planStickiness,
  type StickinessState,
} from '../../steps/engine/changes/stickiness.js'
import {parsePort} from '../../validate/ranges.js'
import {parseStickinessFlags} from '../../validate/stickiness.js'

export type PolicyStickinessResult = ChangeResult<StickinessState> | ChangeDryRunResult

const KINDS = ['lb-cookie', 'app-cookie', 'off']

export default class PolicyStickiness extends ChangeCommand<typeof PolicyStickiness> {
  static override summary = 'Set, change or turn off session stickiness on one HTTP/HTTPS listener.'

  static override description = `Duration-based stickiness (--lb-cookie) has the load balancer set its own cookie (AWSELB) that expires after SECONDS, or with the browser session; application-controlled stickiness (--app-cookie) follows the application's own cookie. Only the listener named by --port changes, and only its stickiness policy: the SSL negotiation policy and every other policy on the listener stay (AWS's set call replaces the whole list, so elbx sends the observed list with the stickiness policy exchanged). AWS allows stickiness on HTTP and HTTPS listeners only. The policy is named after its setting (elbx-lb-cookie-300), so a rerun finds it and changes nothing. See docs/policies.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --port 443 --lb-cookie 300 --yes',
    '<%= config.bin %> <%= command.id %> --name my-lb --port 80 --app-cookie JSESSIONID --dry-run',
    '<%= config.bin %> <%= command.id %> --name my-lb --port 443 --off --yes --json',
  ]

  static override needs: Needs = {
    flags: {name: LOAD_BALANCER},
    example: '--name my-lb --port 443 --lb-cookie 300',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    port: Flags.string({
      char: 'p',
      description: 'Load balancer port of the HTTP or HTTPS listener (default 443).',
    }),
    'lb-cookie': Flags.string({
      description: 'Duration-based: the load balancer\'s cookie lasts SECONDS (1-2147483647), or "session".',
      exactlyOne: KINDS,
    }),
    'app-cookie': Flags.string({
      description: "Application-controlled: stickiness follows the application's cookie of this NAME.",
      exactlyOne: KINDS,
    }),
    off: Flags.boolean({
      description: "Remove the listener's stickiness policy (its other policies stay).",
      exactlyOne: KINDS,
    }),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<PolicyStickinessResult> {
    // Every value is checked before the first request.
    const loadBalancerPort = parsePort('--port', this.flags.port ?? '443')
    const stickiness = parseStickinessFlags({
      lbCookie: this.flags['lb-cookie'],
      appCookie: this.flags['app-cookie'],
      off: this.flags.off,
    })
    const loadBalancerName = await this.loadBalancerName()
    return this.runChange({
      loadBalancerName,
      // DescribeLoadBalancers names each stickiness policy with its setting: nothing else to read.
      reads: {},
      title: `Stickiness of listener ${loadBalancerPort}`,
      plan: (observed) => planStickiness({loadBalancerPort, stickiness}, observed),
      dryRun: this.flags['dry-run'],
      describe: (s) => [
        `  listener ${s.listener}: stickiness ${describeStickiness(s.stickiness)}${s.stickiness ? ` (${s.stickiness.policyName})` : ''}`,
        `  policies ${s.policyNames.join(', ') || 'none'}`,
      ],
    })
  }
}
