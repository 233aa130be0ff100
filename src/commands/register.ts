import {waitFlags, parseWaitTimeout} from '../flags.js'
import type {InstanceHealth} from '../model.js'
import {
  InstancesCommand,
  instancesCommandFlags,
  instancesCommandNeeds,
  type InstancesVerb,
} from '../instances-command.js'
import {checkInstances, registerInstances, registrableInstances} from '../steps/instances.js'
import {waitForInService} from '../steps/wait-for-in-service.js'

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

const WORDS: InstancesVerb = {verb: 'register', preposition: 'with'}

export default class Register extends InstancesCommand<typeof Register> {
  static override summary = 'Register EC2 instances with a load balancer and wait until they are InService.'

  static override description = `The AWS guide's register-instances-with-load-balancer, checked first: each ID must have the EC2 form (i- and 8 or 17 hex digits), exist, be pending or running, and be in the load balancer's VPC. An instance in an Availability Zone the load balancer does not serve gets a warning (ELB keeps it OutOfService). Instances already registered are reported as unchanged.

Then waits until any instance is InService (--wait any, the default: the load balancer is usable), all of them (--wait all), or not at all (--wait none), polling within seconds of a change and showing each instance's state, reason code and description. After --wait-timeout seconds it exits 3 with each instance's last state and what to check.

In a terminal without --instances, offers a checklist of the running instances in the load balancer's VPC. See docs/health-and-instances.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126,i-0bb7ca62',
    '<%= config.bin %> <%= command.id %> --name my-lb -i i-4f8cf126 -i i-0bb7ca62 --wait all --wait-timeout 300',
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126 --wait none --json',
  ]

  static override needs = instancesCommandNeeds(WORDS)

  static override flags = {...instancesCommandFlags(WORDS), ...waitFlags({defaultMode: 'any'})}

  protected readonly words = WORDS

  public async run(): Promise<RegisterResult> {
    // Every flag is checked before the first AWS request.
    const mode = this.flags.wait
    const timeoutMs = parseWaitTimeout(this.flags['wait-timeout'])
    const {aws, lb, instanceIds} = await this.target((a, l) => registrableInstances(a.ec2, l), {
      message: (l) =>
        `No running instances in ${l.vpcId ?? "the load balancer's network"} to register with ${l.name}.`,
      hint: 'Launch instances in a subnet of that VPC first, then run this again.',
    })
    const loadBalancerName = lb.name

    const ctx: {warnings: string[]} = {warnings: []}
    const check = {
      title: `Check ${plural(instanceIds.length, 'instance')}`,
      run: async (c: typeof ctx) => {
        // Registered instances are left as they are (a rerun converges); only new ones are checked.
        const fresh = instanceIds.filter((id) => !lb.instanceIds.includes(id))
        if (fresh.length === 0) return 'all registered already'
        const checked = await checkInstances(aws.ec2, lb, fresh, aws.region)
        c.warnings = checked.warnings
        return checked.instances
          .map((i) => `${i.instanceId} ${i.state} in ${i.availabilityZone ?? '?'}`)
          .join(', ')
      },
    }
    const {registered, alreadyRegistered} = await this.change(
      lb,
      async () => {
        const r = await registerInstances(aws.elb, lb, instanceIds)
        return {...r, changed: r.registered, unchanged: r.alreadyRegistered}
      },
      ctx,
      [check],
    )
    for (const w of ctx.warnings) this.ui.warn(w)

    const summary = [
      registered.length
        ? `Registered ${registered.join(', ')} with ${loadBalancerName}.`
        : `Nothing to register: every instance was registered with ${loadBalancerName} already.`,
      ...(registered.length && alreadyRegistered.length
        ? [`Already registered (unchanged): ${alreadyRegistered.join(', ')}.`]
        : []),
    ]
    const base = {loadBalancerName, registered, alreadyRegistered, warnings: ctx.warnings}
    if (mode === 'none') {
      this.log(summary.join('\n'))
      return {...base, instances: [], wait: {mode}}
    }

    const waited = await this.waitAndReport(
      summary,
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
      (w) =>
        `${w.states.filter((s) => s.state === 'InService').length} of ${w.states.length} InService after ${Math.round(w.elapsedMs / 1000)} s:`,
    )
    return {...base, instances: waited.states, wait: {mode, elapsedMs: waited.elapsedMs, polls: waited.polls}}
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
