import {Flags} from '@oclif/core'

import {ElbxCommand, LOAD_BALANCER, type Needs} from '../base-command.js'
import {loadBalancerNameFlag} from '../flags.js'
import type {HealthCheck, InstanceHealth} from '../model.js'
import {findLoadBalancer} from '../steps/find-load-balancer.js'
import {configureHealthCheck, healthCheckWarnings} from '../steps/health-check.js'
import {hintForInstanceHealth} from '../steps/wait-for-in-service.js'
import {instanceLine} from '../ui/instance-progress.js'
import {runTasks} from '../ui/tasks.js'
import {HEALTH_CHECK_BOUNDS, parseHealthCheckFlags} from '../validate/health-check.js'

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

const {interval, timeout, threshold} = HEALTH_CHECK_BOUNDS

export default class Health extends ElbxCommand<typeof Health> {
  static override summary = "Show or set a load balancer's health check, and show each instance's health."

  static override description = `Without health check flags, prints the health check in force and each registered instance's state, reason code and description (the AWS guide's describe-instance-health), with a hint for each instance that is not InService.

With any of --target, --interval, --timeout, --healthy-threshold or --unhealthy-threshold, sets the health check (the AWS guide's configure-health-check); values not given keep the load balancer's current ones. A health check already in force is reported as unchanged.

Warns when the target pings a port no listener sends traffic to, or speaks another protocol than the listener does on that port. See docs/health-and-instances.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb',
    '<%= config.bin %> <%= command.id %> --name my-lb --target HTTP:80/ping --interval 30 --timeout 3 --healthy-threshold 2 --unhealthy-threshold 2',
    '<%= config.bin %> <%= command.id %> --name my-lb --interval 10 --json',
  ]

  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb'}

  static override flags = {
    name: loadBalancerNameFlag(),
    target: Flags.string({
      description:
        'What to ping: TCP:PORT, SSL:PORT, HTTP:PORT/PATH or HTTPS:PORT/PATH (e.g. HTTP:80/ping). HTTP(S) checks pass on a 200.',
    }),
    interval: Flags.string({
      description: `Seconds between checks of each instance (${interval.min}-${interval.max}).`,
    }),
    timeout: Flags.string({
      description: `Seconds to wait for an answer (${timeout.min}-${timeout.max}, less than the interval).`,
    }),
    'healthy-threshold': Flags.string({
      description: `Consecutive passed checks before an instance is InService (${threshold.min}-${threshold.max}).`,
    }),
    'unhealthy-threshold': Flags.string({
      description: `Consecutive failed checks before an instance is OutOfService (${threshold.min}-${threshold.max}).`,
    }),
  }

  public async run(): Promise<HealthResult> {
    // Every flag is checked before the first AWS request.
    const changes = parseHealthCheckFlags({
      target: this.flags.target,
      interval: this.flags.interval,
      timeout: this.flags.timeout,
      healthyThreshold: this.flags['healthy-threshold'],
      unhealthyThreshold: this.flags['unhealthy-threshold'],
    })
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
