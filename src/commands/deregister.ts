import {Flags} from '@oclif/core'

import type {Ec2Gateway} from '../aws/gateways.js'
import {ElbxCommand, LOAD_BALANCER, prompted, type Needs} from '../base-command.js'
import {RuntimeError} from '../errors.js'
import {
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  instancesFlag,
  loadBalancerNameFlag,
  parseWaitTimeout,
} from '../flags.js'
import type {InstanceHealth, LoadBalancer} from '../model.js'
import {promptForInstances} from '../prompts/instances.js'
import {findLoadBalancer} from '../steps/find-load-balancer.js'
import {deregisterInstances} from '../steps/instances.js'
import {waitForOutOfService} from '../steps/wait-for-in-service.js'
import {instanceLine, withInstanceProgress} from '../ui/instance-progress.js'
import {runTasks} from '../ui/tasks.js'
import {parseInstanceIds} from '../validate/instance-ids.js'

export interface DeregisterResult {
  loadBalancerName: string
  deregistered: string[]
  /** Not registered before this run (unchanged, not an error). */
  notRegistered: string[]
  /** Each instance's state when the wait ended (empty without --wait). */
  instances: InstanceHealth[]
  wait?: {timeoutMs: number; elapsedMs: number; polls: number; connectionDrainingSeconds?: number}
}

/** Seconds of slack over the draining timeout before the wait gives up. */
const DRAINING_MARGIN_SECONDS = 60

export default class Deregister extends ElbxCommand<typeof Deregister> {
  static override summary =
    'Deregister EC2 instances from a load balancer, optionally waiting until they are out of service.'

  static override description = `The AWS guide's deregister-instances-from-load-balancer. Instances that are not registered are reported as unchanged, not as an error.

With --wait, waits until none of the instances is in service. With connection draining on, an instance stays "InService: Instance deregistration currently in progress" for up to the draining timeout while its requests finish, so without --wait-timeout the wait allows the draining timeout plus ${DRAINING_MARGIN_SECONDS} s (at least ${DEFAULT_WAIT_TIMEOUT_SECONDS} s). See docs/health-and-instances.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126',
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126,i-0bb7ca62 --wait',
  ]

  static override needs: Needs = {
    flags: {name: LOAD_BALANCER, instances: prompted('which instances to deregister')},
    example: '--name my-lb --instances i-0123456789abcdef0',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    instances: instancesFlag(
      'Instance IDs to deregister, separated by commas or with the flag repeated (a checklist in a terminal when omitted).',
    ),
    wait: Flags.boolean({
      description: 'Wait until the instances are out of service (connection draining included).',
    }),
    'wait-timeout': Flags.string({
      description: `With --wait, give up after this many seconds (1-86400) and exit 3 (default: the connection draining timeout + ${DRAINING_MARGIN_SECONDS} s, at least ${DEFAULT_WAIT_TIMEOUT_SECONDS}).`,
      dependsOn: ['wait'],
    }),
  }

  public async run(): Promise<DeregisterResult> {
    // Every flag is checked before the first AWS request.
    const requested = this.flags.instances === undefined ? undefined : parseInstanceIds(this.flags.instances)
    const givenTimeoutMs =
      this.flags['wait-timeout'] === undefined ? undefined : parseWaitTimeout(this.flags['wait-timeout'])
    const loadBalancerName = await this.loadBalancerName()
    const aws = await this.aws()
    const lb = await findLoadBalancer(aws.elb, loadBalancerName)
    const instanceIds = requested ?? (await this.chooseInstances(aws.ec2, lb))

    const ctx: {deregistered: string[]; notRegistered: string[]} = {deregistered: [], notRegistered: []}
    await runTasks(
      this.ui,
      [
        {
          title: `Deregister from ${loadBalancerName}`,
          run: async (c) => {
            const result = await deregisterInstances(aws.elb, lb, instanceIds)
            Object.assign(c, result)
            if (result.deregistered.length === 0) return 'unchanged (not registered)'
            return `deregistered ${result.deregistered.join(', ')}`
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    const summary = [
      ctx.deregistered.length
        ? `Deregistered ${ctx.deregistered.join(', ')} from ${loadBalancerName}.`
        : `Nothing to deregister: no instance given is registered with ${loadBalancerName}.`,
      ...(ctx.deregistered.length && ctx.notRegistered.length
        ? [`Not registered (unchanged): ${ctx.notRegistered.join(', ')}.`]
        : []),
      ...(ctx.deregistered.length
        ? ['The instances keep running (and costing money) until you stop them.']
        : []),
    ]
    const base = {loadBalancerName, ...ctx}
    if (!this.flags.wait || ctx.deregistered.length === 0) {
      this.log(summary.join('\n'))
      return {...base, instances: []}
    }

    const {connectionDraining} = await aws.elb.describeAttributes(loadBalancerName)
    const drainingSeconds = connectionDraining.enabled ? (connectionDraining.timeout ?? 300) : undefined
    const timeoutMs =
      givenTimeoutMs ??
      Math.max(DEFAULT_WAIT_TIMEOUT_SECONDS, (drainingSeconds ?? 0) + DRAINING_MARGIN_SECONDS) * 1000
    if (drainingSeconds !== undefined && timeoutMs < drainingSeconds * 1000) {
      this.ui.warn(
        `Connection draining lets in-flight requests run for up to ${drainingSeconds} s, longer than --wait-timeout ${timeoutMs / 1000}: the wait may end first.`,
      )
    }
    const waited = await withInstanceProgress(
      this.ui,
      {
        title: `Wait for the instances to leave ${loadBalancerName}${drainingSeconds ? ` (connection draining: up to ${drainingSeconds} s)` : ''}`,
        isDone: (s) => s.state !== 'InService',
      },
      (onChange) =>
        waitForOutOfService(aws.elb, {
          loadBalancerName,
          instanceIds: ctx.deregistered,
          timeoutMs,
          signal: this.interrupt.signal,
          onChange,
        }),
    )
    this.log(
      [
        ...summary,
        `Out of service after ${Math.round(waited.elapsedMs / 1000)} s:`,
        ...waited.states.map((s) => `  ${instanceLine(s)}`),
      ].join('\n'),
    )
    return {
      ...base,
      instances: waited.states,
      wait: {
        timeoutMs,
        elapsedMs: waited.elapsedMs,
        polls: waited.polls,
        ...(drainingSeconds !== undefined ? {connectionDrainingSeconds: drainingSeconds} : {}),
      },
    }
  }

  /** The TTY checklist of the instances registered with the load balancer. */
  private async chooseInstances(ec2: Ec2Gateway, lb: LoadBalancer) {
    if (lb.instanceIds.length === 0) {
      throw new RuntimeError(
        `No instances are registered with ${lb.name}.`,
        'There is nothing to deregister.',
      )
    }
    const known = await ec2.describeInstances(lb.instanceIds)
    // Registered instances EC2 no longer reports still get a row, so they can be cleaned up.
    const candidates = lb.instanceIds.map(
      (id) => known.find((i) => i.instanceId === id) ?? {instanceId: id, state: 'terminated' as const},
    )
    return promptForInstances(candidates, {
      loadBalancerName: lb.name,
      registered: [],
      verb: 'deregister from',
      signal: this.interrupt.signal,
    })
  }
}
