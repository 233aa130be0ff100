import {ElbxCommand, LOAD_BALANCER, type Needs} from '../base-command.js'
import {loadBalancerNameFlag} from '../flags.js'
import {healthCheckFlags, parseHealthCheck} from '../flags/health-check.js'
import type {HealthCheck, InstanceHealth} from '../model.js'
import {findLoadBalancer} from '../steps/find-load-balancer.js'
import {configureHealthCheck, healthCheckWarnings} from '../steps/health-check.js'
import {hintForInstanceHealth} from '../steps/wait-for-in-service.js'
import {instanceLine} from '../ui/instance-progress.js'
import {runTasks} from '../ui/tasks.js'

/** An instance's health as ELB reports it, with elbx's hint when it is not InService. */
export type InstanceHealthReport = InstanceHealth & {hint?: string}

export interface HealthResult {
  loadBalancerName: string
  /** The health check in force (after the change, when one was asked for). */
  healthCheck: HealthCheck
  /** Present when health check flags were given: whether ConfigureHealthCheck was needed. */
  changed?: boolean
  previous?: HealthCheck
  /** Each registered instance's state, reason code and description (when only showing). */
  instances?: InstanceHealthReport[]
  warnings: string[]
}

export default class Health extends ElbxCommand<typeof Health> {
  static override summary = "Show or set a load balancer's health check, and show each instance's health."

  static override description = `Without health check flags, prints the health check in force and each registered instance's state, reason code and description (the AWS guide's describe-instance-health), with a hint for each instance that is not InService.

With any of --health-check, --health-interval, --health-timeout, --healthy-threshold or --unhealthy-threshold, sets the health check (the AWS guide's configure-health-check); values not given keep the load balancer's current ones. A health check already in force is reported as unchanged.

Warns when the target pings a port no listener sends traffic to, or speaks another protocol than the listener does on that port. See docs/health-and-instances.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb',
    '<%= config.bin %> <%= command.id %> --name my-lb --health-check HTTP:80/ping --health-interval 30 --health-timeout 3 --healthy-threshold 2 --unhealthy-threshold 2',
    '<%= config.bin %> <%= command.id %> --name my-lb --health-interval 10 --json',
  ]

  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb'}

  static override flags = {
    name: loadBalancerNameFlag(),
    ...healthCheckFlags({formerSpellings: true}),
  }

  public async run(): Promise<HealthResult> {
    // Every flag is checked before the first AWS request.
    const changes = parseHealthCheck(this.flags)
    const loadBalancerName = await this.loadBalancerName()
    const {elb} = await this.aws()

    if (Object.keys(changes).length === 0) {
      const lb = await findLoadBalancer(elb, loadBalancerName)
      const health = await elb.describeInstanceHealth(loadBalancerName)
      const instances = health.map((s) => {
        const hint = hintForInstanceHealth(s, loadBalancerName)
        return hint ? {...s, hint} : s
      })
      const healthCheck = lb.healthCheck ?? {
        target: 'TCP:80',
        interval: 30,
        timeout: 5,
        unhealthyThreshold: 2,
        healthyThreshold: 10,
      }
      const warnings = healthCheckWarnings(healthCheck.target, lb.listeners)
      for (const w of warnings) this.ui.warn(w)
      this.log(
        [
          `Health check of ${loadBalancerName}:`,
          ...formatHealthCheck(healthCheck),
          '',
          ...formatInstances(instances, loadBalancerName),
        ].join('\n'),
      )
      return {loadBalancerName, healthCheck, instances, warnings}
    }

    const ctx: {result?: Awaited<ReturnType<typeof configureHealthCheck>>} = {}
    await runTasks(
      this.ui,
      [
        {
          title: `Configure the health check of ${loadBalancerName}`,
          run: async (c) => {
            const lb = await findLoadBalancer(elb, loadBalancerName)
            c.result = await configureHealthCheck(elb, lb, changes)
            return c.result.changed ? `set ${c.result.healthCheck.target}` : 'unchanged'
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    const {healthCheck, previous, changed, warnings} = ctx.result!
    for (const w of warnings) this.ui.warn(w)
    this.log(
      [
        `Health check of ${loadBalancerName} ${changed ? 'updated' : 'unchanged (already in force)'}:`,
        ...formatHealthCheck(healthCheck, changed ? previous : undefined),
      ].join('\n'),
    )
    return {loadBalancerName, healthCheck, previous, changed, warnings}
  }
}

/** The health check as aligned lines; with `previous`, each changed value shows what it was. */
export function formatHealthCheck(hc: HealthCheck, previous?: HealthCheck): string[] {
  const rows: [string, string | number, string | number | undefined, string][] = [
    ['Target', hc.target, previous?.target, ''],
    ['Interval', hc.interval, previous?.interval, ' s'],
    ['Timeout', hc.timeout, previous?.timeout, ' s'],
    ['Healthy threshold', hc.healthyThreshold, previous?.healthyThreshold, ''],
    ['Unhealthy threshold', hc.unhealthyThreshold, previous?.unhealthyThreshold, ''],
  ]
  return rows.map(([label, value, before, unit]) => {
    const was = before !== undefined && before !== value ? `  (was ${before}${unit})` : ''
    return `  ${label.padEnd(20)}${value}${unit}${was}`
  })
}

function formatInstances(instances: InstanceHealthReport[], loadBalancerName: string): string[] {
  if (instances.length === 0)
    return [
      `No instances are registered with ${loadBalancerName}.`,
      `  Register some: elbx register --name ${loadBalancerName} --instances i-...`,
    ]
  const inService = instances.filter((s) => s.state === 'InService').length
  const lines = [`Instances: ${inService} of ${instances.length} InService`]
  for (const s of instances) {
    lines.push(`  ${instanceLine(s)}`)
    if (s.hint) lines.push(`    -> ${s.hint}`)
  }
  return lines
}
