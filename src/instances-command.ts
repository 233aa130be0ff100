import type {Command} from '@oclif/core'

import type {Connection} from './aws/index.js'
import {ElbxCommand, LOAD_BALANCER, prompted, type Needs} from './base-command.js'
import {RuntimeError} from './errors.js'
import {instancesFlag, loadBalancerNameFlag} from './flags.js'
import type {Instance, InstanceHealth, LoadBalancer} from './model.js'
import {promptForInstances} from './prompts/instances.js'
import {findLoadBalancer} from './steps/find-load-balancer.js'
import type {WaitResult} from './steps/wait-for-in-service.js'
import {instanceLine, withInstanceProgress, type InstanceProgressOptions} from './ui/instance-progress.js'
import {runTasks, type Task} from './ui/tasks.js'
import {parseInstanceIds} from './validate/instance-ids.js'

/** How register and deregister word what they do: "register" / "with", "deregister" / "from". */
export interface InstancesVerb {
  verb: 'register' | 'deregister'
  preposition: 'with' | 'from'
}

/** --name and --instances, worded for the verb. */
export const instancesCommandFlags = ({verb}: InstancesVerb) => ({
  name: loadBalancerNameFlag(),
  instances: instancesFlag(
    `Instance IDs to ${verb}, separated by commas or with the flag repeated (a checklist in a terminal when omitted).`,
  ),
})

/** Without a terminal both need the load balancer and the instances. */
export const instancesCommandNeeds = ({verb}: InstancesVerb): Needs => ({
  flags: {name: LOAD_BALANCER, instances: prompted(`which instances to ${verb}`)},
  example: '--name my-lb --instances i-0123456789abcdef0,i-0fedcba9876543210',
})

/** What one run changed: the instances it acted on and the ones left as they were. */
export interface InstancesChange {
  changed: string[]
  unchanged: string[]
}

/**
 * register and deregister: the same prologue (which load balancer, which instances: --instances or
 * a checklist), one task that makes the change, and the same wait with each instance's state shown.
 * Each command says only what differs: the step, the choices, the words and the wait.
 */
export abstract class InstancesCommand<T extends typeof Command> extends ElbxCommand<T> {
  protected abstract readonly words: InstancesVerb

  /** The load balancer and the instances to act on, every flag checked before the first request. */
  protected async target(
    choices: (aws: Connection, lb: LoadBalancer) => Promise<Instance[]>,
    noChoice: {message: (lb: LoadBalancer) => string; hint: string},
  ): Promise<{aws: Connection; lb: LoadBalancer; instanceIds: string[]}> {
    const given = (this.flags as {instances?: string[]}).instances
    const requested = given === undefined ? undefined : parseInstanceIds(given)
    const loadBalancerName = await this.loadBalancerName()
    const aws = await this.aws()
    const lb = await findLoadBalancer(aws.elb, loadBalancerName)
    if (requested) return {aws, lb, instanceIds: requested}
    const candidates = await choices(aws, lb)
    if (candidates.length === 0) throw new RuntimeError(noChoice.message(lb), noChoice.hint)
    const {verb, preposition} = this.words
    const instanceIds = await promptForInstances(candidates, {
      loadBalancerName: lb.name,
      registered: verb === 'register' ? lb.instanceIds : [],
      ...(verb === 'register' ? {} : {verb: `${verb} ${preposition}`}),
      signal: this.interrupt.signal,
    })
    return {aws, lb, instanceIds}
  }

  /**
   * The task that makes the change ("Register with web", its outcome on the task's line), after the
   * tasks in `before` (register's instance check), which share its context.
   */
  protected async change<R extends InstancesChange, C extends object>(
    lb: LoadBalancer,
    make: () => Promise<R>,
    ctx: C,
    before: Task<C>[] = [],
  ): Promise<R> {
    const {verb, preposition} = this.words
    const unchangedWord = verb === 'register' ? 'already registered' : 'not registered'
    let result: R | undefined
    const changeTask: Task<C> = {
      title: `${capitalize(verb)} ${preposition} ${lb.name}`,
      run: async () => {
        result = await make()
        const {changed, unchanged} = result
        if (changed.length === 0) return `unchanged (${unchangedWord})`
        return `${verb}ed ${changed.join(', ')}${unchanged.length ? `; ${unchanged.join(', ')} ${unchangedWord}` : ''}`
      },
    }
    await runTasks(this.ui, [...before, changeTask], ctx, this.interrupt.signal)
    return result!
  }

  /** Waits with each instance's state shown live, then prints `summary`, `headline` and the final states. */
  protected async waitAndReport(
    summary: string[],
    progress: InstanceProgressOptions,
    wait: (onChange: (states: InstanceHealth[]) => void) => Promise<WaitResult>,
    headline: (waited: WaitResult) => string,
  ): Promise<WaitResult> {
    const waited = await withInstanceProgress(this.ui, progress, wait)
    this.log([...summary, headline(waited), ...waited.states.map((s) => `  ${instanceLine(s)}`)].join('\n'))
    return waited
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
