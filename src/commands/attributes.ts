import {Flags} from '@oclif/core'

import {LOAD_BALANCER, type Needs} from '../base-command.js'
import {ChangeCommand, dryRunFlag, type ChangeDryRunResult, type ChangeResult} from '../change-command.js'
import {loadBalancerNameFlag} from '../flags.js'
import {DESYNC_MITIGATION_MODES, type LoadBalancerAttributes} from '../model.js'
import {observeExisting} from '../steps/engine/change-flow.js'
import {
  describeAllAttributes,
  explainAccessLogRefusal,
  planAttributes,
} from '../steps/engine/changes/attributes.js'
import {runTasks} from '../ui/tasks.js'
import {ACCESS_LOG_INTERVALS, parseAttributeChanges} from '../validate/attributes.js'

export type AttributesResult =
  | ChangeResult<LoadBalancerAttributes>
  | ChangeDryRunResult
  | {loadBalancerName: string; attributes: LoadBalancerAttributes}

const CHANGE_FLAGS = [
  'idle-timeout',
  'connection-draining',
  'cross-zone',
  'access-logs',
  'no-access-logs',
  'desync-mitigation',
] as const

export default class Attributes extends ChangeCommand<typeof Attributes> {
  static override summary =
    'Show or change the attributes of a load balancer: idle timeout, connection draining, cross-zone, access logs, desync mitigation.'

  static override description = `Without change flags, shows the attributes. With them, changes only the attributes named (ModifyLoadBalancerAttributes is sent with just what differs) and keeps the rest. When the idle timeout changes, remember the AWS guide's prerequisite: the instances' keep-alive timeout must be longer. Access logs need a bucket in the load balancer's Region whose policy lets the Region's Elastic Load Balancing account write to it; AWS's refusal is shown with that hint. A rerun changes nothing. See docs/attributes-and-tags.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb',
    '<%= config.bin %> <%= command.id %> --name my-lb --idle-timeout 120 --connection-draining off --yes',
    '<%= config.bin %> <%= command.id %> --name my-lb --access-logs s3://my-logs/elb --access-logs-interval 5 --yes',
    '<%= config.bin %> <%= command.id %> --name my-lb --no-cross-zone --desync-mitigation strictest --dry-run',
  ]

  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb --idle-timeout 120'}

  static override flags = {
    name: loadBalancerNameFlag(),
    'idle-timeout': Flags.string({description: 'Idle connection timeout, 1-3600 seconds.'}),
    'connection-draining': Flags.string({
      description: 'Connection draining timeout, 1-3600 seconds, or off.',
    }),
    'cross-zone': Flags.boolean({
      allowNo: true,
      description: 'Cross-zone load balancing on (or off with --no-cross-zone).',
    }),
    'access-logs': Flags.string({
      description: 'Write access logs to s3://BUCKET/PREFIX (a bucket of the same Region).',
      exclusive: ['no-access-logs'],
    }),
    'access-logs-interval': Flags.option({
      options: ACCESS_LOG_INTERVALS,
      description: 'With --access-logs: write them every 5 or 60 minutes (default 60).',
    })(),
    'no-access-logs': Flags.boolean({description: 'Stop writing access logs.'}),
    'desync-mitigation': Flags.option({
      options: DESYNC_MITIGATION_MODES,
      description: "How to treat requests that may be HTTP desync attacks (AWS's default: defensive).",
    })(),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<AttributesResult> {
    const f = this.flags
    const request = parseAttributeChanges({
      crossZone: f['cross-zone'],
      connectionDraining: f['connection-draining'],
      idleTimeout: f['idle-timeout'],
      accessLogs: f['access-logs'],
      accessLogsInterval: f['access-logs-interval'],
      noAccessLogs: f['no-access-logs'],
      desyncMitigation: f['desync-mitigation'],
    })
    const loadBalancerName = await this.loadBalancerName()
    if (!CHANGE_FLAGS.some((flag) => f[flag] !== undefined && f[flag] !== false))
      return this.show(loadBalancerName)
    return this.runChange({
      loadBalancerName,
      reads: {attributes: true},
      title: 'Attributes',
      plan: (observed) => planAttributes(request, observed),
      dryRun: f['dry-run'],
      describe: (a) => describeAllAttributes(a).map((line) => `  ${line}`),
      explainFailure: explainAccessLogRefusal,
    })
  }

  private async show(loadBalancerName: string): Promise<AttributesResult> {
    const gateways = await this.aws()
    const ctx: {attributes?: LoadBalancerAttributes} = {}
    await runTasks(
      this.ui,
      [
        {
          title: `Read load balancer ${loadBalancerName}`,
          run: async (c) => {
            c.attributes = (await observeExisting(gateways, loadBalancerName, {attributes: true})).attributes
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    const attributes = ctx.attributes!
    this.log(`Load balancer ${loadBalancerName}:`)
    this.log(
      describeAllAttributes(attributes)
        .map((line) => `  ${line}`)
        .join('\n'),
    )
    return {loadBalancerName, attributes}
  }
}
