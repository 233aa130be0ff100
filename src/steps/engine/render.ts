/**
 * The plan as users and scripts see it: for --json, each action with its target and reason; for
 * --dry-run, the AWS requests it makes (recorded by running the plan against gateways that record
 * instead of send), which the command prints as runnable aws CLI commands.
 */
import type {DryRunRecorder, PlannedRequest} from '../../aws/dry-run.js'
import {toSdkIpPermissions} from '../../aws/ec2-gateway.js'
import {toSdkAttributes, toSdkHealthCheck, toSdkListener, toSdkTags} from '../../aws/elb-gateway.js'
import type {Gateways} from '../../aws/gateways.js'
import {Rollback} from '../rollback.js'
import {applyInOrder} from './apply.js'
import type {DesiredLoadBalancer} from './desired.js'
import type {Action, Call} from './plan.js'

/** One action of the plan in --json. */
export interface PlanEntry {
  id: string
  /** The AWS API operation. */
  action: string
  target: string
  why: string
  dependsOn: string[]
  interruptsTraffic?: boolean
}

export const planEntry = (a: Action): PlanEntry => ({
  id: a.id,
  action: a.call.operation,
  target: a.target,
  why: a.why,
  dependsOn: a.dependsOn,
  ...(a.interruptsTraffic ? {interruptsTraffic: true} : {}),
})

/** A recorded request with the action it carries out. */
export type RecordedRequest = PlannedRequest & Omit<PlanEntry, 'dependsOn' | 'id'>

/**
 * The requests the plan sends, in plan order, each annotated with its action. `gateways` must
 * be built with `recorder`, so writes are recorded, not sent.
 */
export async function recordPlan(
  actions: Action[],
  desired: Pick<DesiredLoadBalancer, 'certificate'>,
  gateways: Gateways,
  recorder: DryRunRecorder,
): Promise<RecordedRequest[]> {
  const out: RecordedRequest[] = []
  let seen = recorder.plan.length
  await applyInOrder(actions, {
    gateways,
    desired,
    rollback: new Rollback(),
    onRequests: (action) => {
      const {dependsOn: _d, id: _id, ...entry} = planEntry(action)
      for (const request of recorder.plan.slice(seen)) out.push({...request, ...entry})
      seen = recorder.plan.length
    },
  })
  return out
}

/**
 * A restore call as the AWS request it is (API names, as the aws CLI takes them). Restores are
 * only the in-place changes' inverses, so only those operations appear here.
 */
export function restoreRequest(call: Call): PlannedRequest {
  const elb = (operation: string, parameters: Record<string, unknown>): PlannedRequest => ({
    service: 'elb',
    operation,
    parameters,
  })
  switch (call.operation) {
    case 'SetLoadBalancerListenerSSLCertificate':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        LoadBalancerPort: call.loadBalancerPort,
        SSLCertificateId: call.certificateArn,
      })
    case 'SetLoadBalancerPoliciesOfListener':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        LoadBalancerPort: call.loadBalancerPort,
        PolicyNames: call.policyNames,
      })
    case 'SetLoadBalancerPoliciesForBackendServer':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        InstancePort: call.instancePort,
        PolicyNames: call.policyNames,
      })
    case 'ConfigureHealthCheck':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        HealthCheck: toSdkHealthCheck(call.healthCheck),
      })
    case 'ModifyLoadBalancerAttributes':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        LoadBalancerAttributes: toSdkAttributes(call.attributes),
      })
    case 'AddTags':
      return elb(call.operation, {
        LoadBalancerNames: [call.loadBalancerName],
        Tags: toSdkTags(call.tags),
      })
    case 'CreateLoadBalancerListeners':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        Listeners: call.listeners.map(toSdkListener),
      })
    case 'DeleteLoadBalancerListeners':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        LoadBalancerPorts: call.loadBalancerPorts,
      })
    case 'RemoveTags':
      return elb(call.operation, {
        LoadBalancerNames: [call.loadBalancerName],
        Tags: call.keys.map((Key) => ({Key})),
      })
    case 'DeleteLoadBalancerPolicy':
      return elb(call.operation, {LoadBalancerName: call.loadBalancerName, PolicyName: call.policyName})
    case 'CreateLBCookieStickinessPolicy':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        PolicyName: call.policyName,
        ...(call.cookieExpirationPeriod !== undefined
          ? {CookieExpirationPeriod: call.cookieExpirationPeriod}
          : {}),
      })
    case 'CreateAppCookieStickinessPolicy':
      return elb(call.operation, {
        LoadBalancerName: call.loadBalancerName,
        PolicyName: call.policyName,
        CookieName: call.cookieName,
      })
    case 'AuthorizeSecurityGroupIngress':
    case 'RevokeSecurityGroupIngress':
      return {
        service: 'ec2',
        operation: call.operation,
        parameters: {GroupId: call.groupId, IpPermissions: toSdkIpPermissions(call.rules)},
      }
    default:
      throw new Error(`internal: ${call.operation} is not a restore`)
  }
}

/** The requests that put back what the in-place actions changed, newest change first. */
export function restoreRequests(changed: Action[]): PlannedRequest[] {
  return [...changed].reverse().flatMap((a) => (a.restore ?? []).map(restoreRequest))
}
