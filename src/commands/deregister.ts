import {Flags} from '@oclif/core'

import {parseWaitTimeout} from '../flags.js'
import {
  InstancesCommand,
  instancesCommandFlags,
  instancesCommandNeeds,
  type InstancesVerb,
} from '../instances-command.js'
import {DEFAULT_WAIT_TIMEOUT_SECONDS, type InstanceHealth} from '../model.js'
import {DRAINING_MARGIN_SECONDS, deregistrableInstances, deregistrationWait} from '../steps/deregistration.js'
import {deregisterInstances} from '../steps/instances.js'
import {waitForOutOfService} from '../steps/wait-for-in-service.js'

export interface DeregisterResult {
  loadBalancerName: string
  deregistered: string[]
  /** Not registered before this run (unchanged, not an error). */
  notRegistered: string[]
  /** Each instance's state when the wait ended (empty without --wait). */
  instances: InstanceHealth[]
  wait?: {timeoutMs: number; elapsedMs: number; polls: number; connectionDrainingSeconds?: number}
}

const WORDS: InstancesVerb = {verb: 'deregister', preposition: 'from'}

export default class Deregister extends InstancesCommand<typeof Deregister> {
  static override summary =
    'Deregister EC2 instances from a load balancer, optionally waiting until they are out of service.'

  static override description = `The AWS guide's deregister-instances-from-load-balancer. Instances that are not registered are reported as unchanged, not as an error.

With --wait, waits until none of the instances is in service. With connection draining on, an instance stays "InService: Instance deregistration currently in progress" for up to the draining timeout while its requests finish, so without --wait-timeout the wait allows the draining timeout plus ${DRAINING_MARGIN_SECONDS} s (at least ${DEFAULT_WAIT_TIMEOUT_SECONDS} s). See docs/health-and-instances.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126',
    '<%= config.bin %> <%= command.id %> --name my-lb --instances i-4f8cf126,i-0bb7ca62 --wait',
  ]

  static override needs = instancesCommandNeeds(WORDS)

  static override flags = {
    ...instancesCommandFlags(WORDS),
    wait: Flags.boolean({
      description: 'Wait until the instances are out of service (connection draining included).',
    }),
    'wait-timeout': Flags.string({
      description: `With --wait, give up after this many seconds (1-86400) and exit 3 (default: the connection draining timeout + ${DRAINING_MARGIN_SECONDS} s, at least ${DEFAULT_WAIT_TIMEOUT_SECONDS}).`,
      dependsOn: ['wait'],
    }),
  }

  protected readonly words = WORDS

  public async run(): Promise<DeregisterResult> {
    // Every flag is checked before the first AWS request.
    const givenTimeoutMs =
      this.flags['wait-timeout'] === undefined ? undefined : parseWaitTimeout(this.flags['wait-timeout'])
    const {aws, lb, instanceIds} = await this.target((a, l) => deregistrableInstances(a.ec2, l), {
      message: (l) => `No instances are registered with ${l.name}.`,
      hint: 'There is nothing to deregister.',
    })
    const loadBalancerName = lb.name

    const {deregistered, notRegistered} = await this.change(
      lb,
      async () => {
        const r = await deregisterInstances(aws.elb, lb, instanceIds)
        return {...r, changed: r.deregistered, unchanged: r.notRegistered}
      },
      {},
    )
    const summary = [
      deregistered.length
        ? `Deregistered ${deregistered.join(', ')} from ${loadBalancerName}.`
        : `Nothing to deregister: no instance given is registered with ${loadBalancerName}.`,
      ...(deregistered.length && notRegistered.length
        ? [`Not registered (unchanged): ${notRegistered.join(', ')}.`]
        : []),
      ...(deregistered.length ? ['The instances keep running (and costing money) until you stop them.'] : []),
    ]
    const base = {loadBalancerName, deregistered, notRegistered}
    if (!this.flags.wait || deregistered.length === 0) {
      this.log(summary.join('\n'))
      return {...base, instances: []}
    }

    const {drainingSeconds, timeoutMs, warning} = deregistrationWait(
      await aws.elb.describeAttributes(loadBalancerName),
      givenTimeoutMs,
    )
    if (warning) this.ui.warn(warning)
    const waited = await this.waitAndReport(
      summary,
      {
        title: `Wait for the instances to leave ${loadBalancerName}${drainingSeconds ? ` (connection draining: up to ${drainingSeconds} s)` : ''}`,
        isDone: (s) => s.state !== 'InService',
      },
      (onChange) =>
        waitForOutOfService(aws.elb, {
          loadBalancerName,
          instanceIds: deregistered,
          timeoutMs,
          signal: this.interrupt.signal,
          onChange,
        }),
      (w) => `Out of service after ${Math.round(w.elapsedMs / 1000)} s:`,
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
}
