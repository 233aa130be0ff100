/**
 * Runs a plan as a dependency graph: every action whose dependencies have succeeded starts at once
 * (bounded), so independent requests share a round trip. What an action creates is recorded for
 * rollback as soon as it exists; changes made in place are journaled with the requests that undo
 * them. The first failure (or Ctrl-C) stops new actions, lets those in flight finish, and is
 * rethrown naming its step.
 */
import {isAwsError, toStepError} from '../../aws/errors.js'
import type {Gateways} from '../../aws/gateways.js'
import {InterruptedError, RuntimeError} from '../../errors.js'
import type {IngressRule, Tag} from '../../model.js'
import {
  ELBX_TAG_KEY,
  deleteServerCertificate,
  deleteServerCertificateCommand,
  retryWhileCertificatePropagates,
  uploadCertificate,
} from '../certificate.js'
import {
  deleteLoadBalancerCommand,
  loadBalancerDifferences,
  loadBalancerMadeByRun,
  loadBalancerResource,
} from '../load-balancer.js'
import type {Clock} from '../retry.js'
import {carriesRunMark, type Rollback} from '../rollback.js'
import {
  deleteSecurityGroupCommand,
  deleteSecurityGroupWhenFree,
  securityGroupName,
} from '../security-group.js'
import type {DesiredLoadBalancer} from './desired.js'
import {DEFAULT_CONCURRENCY, limitConcurrency} from './limit.js'
import {PENDING, type Action, type Call} from './plan.js'

export interface ApplyOptions {
  gateways: Gateways
  /** The desired state the plan came from: the certificate files' contents live here, not in the plan. */
  desired: Pick<DesiredLoadBalancer, 'certificate'>
  rollback: Rollback
  /**
   * Set as a tag on what this run creates (the rollback's mark), so that a lost answer retried, or
   * another run's identical CreateLoadBalancer, is told apart from this run's own. Not set for a dry
   * run: its commands must not carry a random ID.
   */
  runMark?: Tag
  signal?: AbortSignal
  clock?: Clock
  concurrency?: number
  /** Where the answers go as they come (the task list reads them before the whole plan is done). */
  outputs?: Map<string, string>
  /** Told when an action starts and when it has succeeded (the task list shows them). */
  onStart?: (action: Action) => void
  onDone?: (action: Action, output: string | undefined) => void
  /** Told while a request waits for IAM to propagate a just-uploaded certificate. */
  onRetry?: (action: Action, delayMs: number) => void
}

/** What applying the plan did. */
export interface AppliedPlan {
  /** Each action's answer where later actions or the result need it: certificate ARN, group ID, DNS name. */
  outputs: Map<string, string>
  /** Actions that succeeded, in the order they did. */
  done: Action[]
  /** Changes made in place, with the requests that put the previous value back. */
  changedInPlace: Action[]
}

/** An apply that stopped: the error it stopped on, and what it had done by then. */
export class ApplyFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly applied: AppliedPlan,
  ) {
    super(error instanceof Error ? error.message : String(error))
  }
}

/** The call with every pending value replaced by the answer of the action that produces it. */
export function resolvePending<T>(value: T, outputs: Map<string, string>): T {
  if (typeof value === 'string') {
    const m = PENDING.exec(value)
    if (!m) return value
    const answer = outputs.get(m[1]!)
    if (answer === undefined) throw new Error(`internal: ${m[1]} has not answered yet`)
    return answer as T
  }
  if (Array.isArray(value)) return value.map((v) => resolvePending(v, outputs)) as T
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePending(v, outputs)])) as T
  return value
}

/**
 * Applies the plan. Resolves when every action succeeded; otherwise rejects with ApplyFailure
 * (the step-named error inside), after the actions in flight have settled, so the rollback that
 * follows sees everything that was created.
 */
export async function applyPlan(actions: Action[], options: ApplyOptions): Promise<AppliedPlan> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const applied: AppliedPlan = {outputs: options.outputs ?? new Map(), done: [], changedInPlace: []}
  const started = new Set<string>()
  const succeeded = new Set<string>()
  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  const rank = new Map(actions.map((a, i) => [a.id, i]))

  const launch = (action: Action) => {
    started.add(action.id)
    const job = run(async () => {
      if (failure !== undefined) return
      if (options.signal?.aborted) {
        failure ??= new InterruptedError()
        return
      }
      options.onStart?.(action)
      try {
        const output = await execute(
          action,
          resolvePending(action.call, applied.outputs),
          options,
          rank.get(action.id)!,
        )
        if (output !== undefined) applied.outputs.set(action.id, output)
        applied.done.push(action)
        if (action.restore) applied.changedInPlace.push(action)
        succeeded.add(action.id)
        options.onDone?.(action, output)
      } catch (error) {
        // Ctrl-C aborts a request in flight: that is the interruption, not a failure of the step.
        failure ??= options.signal?.aborted ? new InterruptedError() : toStepError(action.step, error)
      }
    }).finally(() => inFlight.delete(job))
    inFlight.add(job)
  }

  for (;;) {
    if (failure === undefined && options.signal?.aborted) failure = new InterruptedError()
    if (failure === undefined)
      for (const action of actions)
        if (!started.has(action.id) && action.dependsOn.every((d) => succeeded.has(d))) launch(action)
    if (inFlight.size === 0) break
    await Promise.race(inFlight)
  }
  if (failure !== undefined) throw new ApplyFailure(failure, applied)
  const stuck = actions.filter((a) => !succeeded.has(a.id))
  if (stuck.length)
    throw new ApplyFailure(
      new Error(`internal: ${stuck.map((a) => a.id).join(', ')} never became ready`),
      applied,
    )
  return applied
}

/**
 * Runs the actions one at a time in plan order (a valid order: each depends only on earlier ones).
 * For --dry-run against gateways that record instead of send, so the printed commands run in order.
 */
export async function applyInOrder(
  actions: Action[],
  options: ApplyOptions & {onRequests?: (action: Action) => void},
): Promise<Map<string, string>> {
  const outputs = new Map<string, string>()
  for (const [i, action] of actions.entries()) {
    try {
      const output = await execute(action, resolvePending(action.call, outputs), options, i)
      if (output !== undefined) outputs.set(action.id, output)
    } catch (error) {
      throw toStepError(action.step, error)
    }
    options.onRequests?.(action)
  }
  return outputs
}

/** Rules of `rules` that `present` does not already cover. */
function uncovered(rules: IngressRule[], present: IngressRule[]): IngressRule[] {
  return rules.filter(
    (r) => !present.some((p) => p.cidr === r.cidr && p.fromPort <= r.fromPort && r.toPort <= p.toPort),
  )
}

/** Sends one action's request (with the races and propagation delays AWS is known for); returns its answer. */
async function execute(
  action: Action,
  call: Call,
  options: ApplyOptions,
  rank: number,
): Promise<string | undefined> {
  const {elb, ec2, iam, region} = options.gateways
  const retryOptions = {
    ...(options.clock ? {clock: options.clock} : {}),
    ...(options.signal ? {signal: options.signal} : {}),
  }
  // A rollback runs after Ctrl-C too: its waits must not stop at the run's signal.
  const removeOptions = options.clock ? {clock: options.clock} : {}
  // A certificate uploaded moments ago (or reused, maybe minutes old): ELB may not see it yet.
  const namesFreshCertificate = options.desired.certificate?.kind === 'upload'
  const mark = options.runMark ? [options.runMark] : []
  const propagating = <T>(work: () => Promise<T>) =>
    namesFreshCertificate
      ? retryWhileCertificatePropagates(work, {
          ...retryOptions,
          onRetry: (ms) => options.onRetry?.(action, ms),
        })
      : work()

  switch (call.operation) {
    case 'UploadServerCertificate': {
      const source = options.desired.certificate
      if (source?.kind !== 'upload') throw new Error('internal: no certificate files to upload')
      const upload = {
        name: call.name,
        loadBalancerName: call.loadBalancerName,
        certificate: source.checked,
        runMark: options.runMark,
      }
      let arn: string
      try {
        const uploaded = await iam.uploadServerCertificate({
          name: call.name,
          certificateBody: source.checked.certificateBody,
          privateKey: source.checked.privateKey,
          ...(source.checked.certificateChain ? {certificateChain: source.checked.certificateChain} : {}),
          tags: [{key: ELBX_TAG_KEY, value: call.loadBalancerName}, ...mark],
        })
        arn = uploaded.arn
      } catch (error) {
        // Either this run's first attempt made it and its answer was lost (the SDK retried: it carries
        // our mark, so it is ours to roll back), or another run uploaded it since we looked: the same
        // certificate is reused, and left to that run.
        if (!isAwsError(error, 'EntityAlreadyExists')) throw error
        const again = await uploadCertificate(iam, upload)
        if (!again.created) return again.arn
        arn = again.arn
      }
      options.rollback.record(
        {
          kind: 'server-certificate',
          id: call.name,
          remove: () => deleteServerCertificate(iam, call.name, removeOptions),
          removeCommand: deleteServerCertificateCommand(call.name, region),
        },
        rank,
      )
      return arn
    }
    case 'CreateSecurityGroup': {
      let groupId: string
      try {
        groupId = await ec2.createSecurityGroup({
          groupName: call.groupName,
          description: call.description,
          vpcId: call.vpcId,
          tags: [
            {key: ELBX_TAG_KEY, value: call.loadBalancerName},
            {key: 'Name', value: securityGroupName(call.loadBalancerName)},
            ...mark,
          ],
        })
      } catch (error) {
        if (!isAwsError(error, 'InvalidGroup.Duplicate')) throw error
        const [raced] = await ec2.describeSecurityGroups({
          vpcId: call.vpcId,
          tag: {key: ELBX_TAG_KEY, value: call.loadBalancerName},
        })
        // Another elbx run for this load balancer made it since we looked: use it, and leave it to that
        // run. One carrying our mark is this run's own first attempt, whose answer was lost.
        if (raced && !carriesRunMark(raced.tags, options.runMark)) return raced.groupId
        if (!raced)
          throw new RuntimeError(
            `The VPC already has a security group named ${call.groupName} that elbx did not make for this load balancer.`,
            'Pass --security-groups with the groups to use, or delete or rename that group.',
          )
        groupId = raced.groupId
      }
      options.rollback.record(
        {
          kind: 'security-group',
          id: groupId,
          remove: () => deleteSecurityGroupWhenFree(ec2, groupId, removeOptions),
          removeCommand: deleteSecurityGroupCommand(groupId, region),
        },
        rank,
      )
      return groupId
    }
    case 'AuthorizeSecurityGroupIngress':
      try {
        await ec2.authorizeIngress(call.groupId, call.rules)
      } catch (error) {
        // Another run added some of them since we looked (AWS then adds none of the batch).
        if (!isAwsError(error, 'InvalidPermission.Duplicate')) throw error
        const [now] = await ec2.describeSecurityGroups({groupIds: [call.groupId]})
        const still = uncovered(call.rules, now?.ingress ?? [])
        if (still.length) await ec2.authorizeIngress(call.groupId, still)
      }
      return undefined
    case 'RevokeSecurityGroupIngress':
      await ec2.revokeIngress(call.groupId, call.rules)
      return undefined
    case 'DeleteServerCertificate':
      await deleteServerCertificate(iam, call.name, retryOptions)
      return undefined
    case 'CreateLoadBalancer': {
      const {input} = call
      const tags = [...(input.tags ?? []), ...mark]
      // Both runs of an identical CreateLoadBalancer believe they created it (AWS accepts the second):
      // the journal entry removes it only while it carries this run's mark.
      const created = (dnsName: string) => {
        options.rollback.record(
          options.runMark
            ? loadBalancerResource(elb, input.name, region, options.runMark)
            : {
                kind: 'load-balancer',
                id: input.name,
                remove: () => elb.deleteLoadBalancer(input.name),
                removeCommand: deleteLoadBalancerCommand(input.name, region),
              },
          rank,
        )
        return dnsName
      }
      try {
        const {dnsName} = await propagating(() =>
          elb.createLoadBalancer({...input, ...(tags.length ? {tags} : {})}),
        )
        return created(dnsName)
      } catch (error) {
        // Another run created it since we looked (a different one is DuplicateLoadBalancerName), or
        // this run's first attempt did and its answer was lost (the SDK retried on an endpoint that
        // refuses identical ones): the mark tells which.
        if (!isAwsError(error, 'DuplicateLoadBalancerName')) throw error
        const raced = await elb.describeLoadBalancer(input.name)
        if (!raced) throw error
        const differences = loadBalancerDifferences(raced, {
          name: input.name,
          listeners: input.listeners,
          scheme: input.scheme ?? 'internet-facing',
          subnets: input.subnets ?? [],
          availabilityZones: input.availabilityZones ?? [],
          securityGroups: input.securityGroups ?? [],
        })
        if (differences.length)
          throw new RuntimeError(
            `Load balancer ${input.name} was created by someone else meanwhile, with a different configuration: ${differences.join('; ')}.`,
            'Run elbx again to change it in place, or use another --name.',
            {differences},
          )
        if (options.runMark && (await loadBalancerMadeByRun(elb, input.name, options.runMark)))
          return created(raced.dnsName)
        return raced.dnsName
      }
    }
    case 'CreateLoadBalancerListeners':
      await propagating(() => elb.createListeners(call.loadBalancerName, call.listeners))
      return undefined
    case 'DeleteLoadBalancerListeners':
      await elb.deleteListeners(call.loadBalancerName, call.loadBalancerPorts)
      return undefined
    case 'SetLoadBalancerListenerSSLCertificate':
      await propagating(() =>
        elb.setListenerCertificate(call.loadBalancerName, call.loadBalancerPort, call.certificateArn),
      )
      return undefined
    case 'CreateLoadBalancerPolicy':
      try {
        await elb.createPolicy(call.loadBalancerName, call.policyName, call.policyTypeName, call.attributes)
      } catch (error) {
        // Named after its content: another run made the very same policy since we looked.
        if (!isAwsError(error, 'DuplicatePolicyName')) throw error
      }
      return undefined
    case 'SetLoadBalancerPoliciesOfListener':
      await elb.setListenerPolicies(call.loadBalancerName, call.loadBalancerPort, call.policyNames)
      return undefined
    case 'SetLoadBalancerPoliciesForBackendServer':
      await elb.setBackendServerPolicies(call.loadBalancerName, call.instancePort, call.policyNames)
      return undefined
    case 'ConfigureHealthCheck':
      await elb.configureHealthCheck(call.loadBalancerName, call.healthCheck)
      return undefined
    case 'ModifyLoadBalancerAttributes':
      await elb.modifyAttributes(call.loadBalancerName, call.attributes)
      return undefined
    case 'AddTags':
      await elb.addTags(call.loadBalancerName, call.tags)
      return undefined
    case 'RemoveTags':
      await elb.removeTags(call.loadBalancerName, call.keys)
      return undefined
    case 'CreateLBCookieStickinessPolicy':
    case 'CreateAppCookieStickinessPolicy':
      try {
        await (call.operation === 'CreateLBCookieStickinessPolicy'
          ? elb.createLbCookieStickinessPolicy(
              call.loadBalancerName,
              call.policyName,
              call.cookieExpirationPeriod,
            )
          : elb.createAppCookieStickinessPolicy(call.loadBalancerName, call.policyName, call.cookieName))
      } catch (error) {
        // Named after its content, as the other policies: another run made the very same one since we looked.
        if (!isAwsError(error, 'DuplicatePolicyName')) throw error
      }
      return undefined
    case 'DeleteLoadBalancerPolicy':
      await elb.deletePolicy(call.loadBalancerName, call.policyName)
      return undefined
    case 'RegisterInstancesWithLoadBalancer':
      await elb.registerInstances(call.loadBalancerName, call.instanceIds)
      return undefined
  }
}
