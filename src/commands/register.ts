import {ElbxCommand, LOAD_BALANCER, prompted, type Needs} from '../base-command.js'
import {RuntimeError} from '../errors.js'
import {instancesFlag, loadBalancerNameFlag, parseWaitTimeout, waitFlags} from '../flags.js'
import type {InstanceHealth, LoadBalancer} from '../model.js'
import {promptForInstances} from '../prompts/instances.js'
import {findLoadBalancer} from '../steps/find-load-balancer.js'
import {checkInstances, registerInstances, registrableInstances} from '../steps/instances.js'
import {waitForInService} from '../steps/wait-for-in-service.js'
import {instanceLine, withInstanceProgress} from '../ui/instance-progress.js'
import {runTasks} from '../ui/tasks.js'
import {parseInstanceIds} from '../validate/instance-ids.js'

export interface RegisterResult {
  loadBalancerName: string
  /** Registered by this run. */
  registered: string[]
  /** Registered before this run (unchanged). */
  alreadyRegistered: string[]
  /** Each instance's state when the wait ended (empty with --wait none). */
  instances: InstanceHealth[]
  wait: {mode: 'any' | 'all' | 'none'; elapsedMs?: number; polls?: number}
  warnings: string[]
}

export default class Register extends ElbxCommand<typeof Register> {
  static override summary = 'Register EC2 instances with a load balancer and wait until they are InService.'

  static override description = `The AWS guide's register-instances-with-load-balancer, checked first: each ID must have the EC2 form (i- and 8 or 17 hex digits), exist, be pending or running, and be in the load balancer's VPC. An instance in an Availability Zone the load balancer does not serve gets a warning (ELB keeps it OutOfService). Instances already registered are reported as unchanged.

Then waits until any instance is InService (--wait any, the default: the load balancer is usable), all of them (--wait all), or not at all (--wait none), polling within seconds of a change and showing each instance's state, reason code and description. After --wait-timeout seconds it exits 3 with each instance's last state and what to check.

In a terminal without --instances, offers a checklist of the running instances in the load balancer's VPC. See docs/health-and-instances.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126,i-0bb7ca62',
    '<%= config.bin %> <%= command.id %> --name my-lb -i i-4f8cf126 -i i-0bb7ca62 --wait all --wait-timeout 300',
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126 --wait none --json',
  ]

  static override needs: Needs = {
    flags: {name: LOAD_BALANCER, instances: prompted('which instances to register')},
    example: '--name my-lb --instances i-0123456789abcdef0,i-0fedcba9876543210',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    instances: instancesFlag(
      'Instance IDs to register, separated by commas or with the flag repeated (a checklist in a terminal when omitted).',
    ),
    ...waitFlags({defaultMode: 'any'}),
  }

  public async run(): Promise<RegisterResult> {
    // Every flag is checked before the first AWS request.
    const requested = this.flags.instances === undefined ? undefined : parseInstanceIds(this.flags.instances)
    const mode = this.flags.wait
    const timeoutMs = parseWaitTimeout(this.flags['wait-timeout'])
    const loadBalancerName = await this.loadBalancerName()
    const aws = await this.aws()
    const lb = await findLoadBalancer(aws.elb, loadBalancerName)
    const instanceIds = requested ?? (await this.chooseInstances(aws.ec2, lb))

    const ctx: {warnings: string[]; registered: string[]; alreadyRegistered: string[]} = {
      warnings: [],
      registered: [],
      alreadyRegistered: [],
    }
    await runTasks(
      this.ui,
      [
        {
          title: `Check ${plural(instanceIds.length, 'instance')}`,
          run: async (c) => {
            // Registered instances are left as they are (a rerun converges); only new ones are checked.
            const fresh = instanceIds.filter((id) => !lb.instanceIds.includes(id))
            if (fresh.length === 0) return 'all registered already'
            const check = await checkInstances(aws.ec2, lb, fresh, aws.region)
            c.warnings = check.warnings
            return check.instances
              .map((i) => `${i.instanceId} ${i.state} in ${i.availabilityZone ?? '?'}`)
              .join(', ')
          },
        },
        {
          title: `Register with ${loadBalancerName}`,
          run: async (c) => {
            const result = await registerInstances(aws.elb, lb, instanceIds)
            c.registered = result.registered
            c.alreadyRegistered = result.alreadyRegistered
            if (result.registered.length === 0) return 'unchanged (already registered)'
            return `registered ${result.registered.join(', ')}${result.alreadyRegistered.length ? `; ${result.alreadyRegistered.join(', ')} already registered` : ''}`
          },
        },
      ],
      ctx,
      this.interrupt.signal,
    )
    for (const w of ctx.warnings) this.ui.warn(w)

    const summary = [
      ctx.registered.length
        ? `Registered ${ctx.registered.join(', ')} with ${loadBalancerName}.`
        : `Nothing to register: every instance was registered with ${loadBalancerName} already.`,
      ...(ctx.registered.length && ctx.alreadyRegistered.length
        ? [`Already registered (unchanged): ${ctx.alreadyRegistered.join(', ')}.`]
        : []),
    ]
    const base = {
      loadBalancerName,
      registered: ctx.registered,
      alreadyRegistered: ctx.alreadyRegistered,
      warnings: ctx.warnings,
    }
    if (mode === 'none') {
      this.log(summary.join('\n'))
      return {...base, instances: [], wait: {mode}}
    }

    const waited = await withInstanceProgress(
      this.ui,
      {
        title: `Wait for ${mode === 'any' ? 'any instance' : 'all instances'} to be InService`,
        isDone: (s) => s.state === 'InService',
      },
      (onChange) =>
        waitForInService(aws.elb, {
          loadBalancerName,
          instanceIds,
          mode,
          timeoutMs,
          ...(lb.healthCheck ? {healthCheckIntervalSec: lb.healthCheck.interval} : {}),
          signal: this.interrupt.signal,
          onChange,
        }),
    )
    const inService = waited.states.filter((s) => s.state === 'InService').length
    this.log(
      [
        ...summary,
        `${inService} of ${waited.states.length} InService after ${Math.round(waited.elapsedMs / 1000)} s:`,
        ...waited.states.map((s) => `  ${instanceLine(s)}`),
      ].join('\n'),
    )
    return {
      ...base,
      instances: waited.states,
      wait: {mode, elapsedMs: waited.elapsedMs, polls: waited.polls},
    }
  }

  /** The TTY checklist of running instances in the load balancer's VPC. */
  private async chooseInstances(ec2: Parameters<typeof registrableInstances>[0], lb: LoadBalancer) {
    const candidates = await registrableInstances(ec2, lb)
    if (candidates.length === 0) {
      throw new RuntimeError(
        `No running instances in ${lb.vpcId ?? "the load balancer's network"} to register with ${lb.name}.`,
        'Launch instances in a subnet of that VPC first, then run this again.',
      )
    }
    return promptForInstances(candidates, {
      loadBalancerName: lb.name,
      registered: lb.instanceIds,
      signal: this.interrupt.signal,
    })
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
