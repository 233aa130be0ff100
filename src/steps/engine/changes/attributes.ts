/**
 * The load balancer's attributes changed in place: cross-zone load balancing, connection draining,
 * the idle timeout, access logs and desync mitigation. ModifyLoadBalancerAttributes sets only the
 * attributes it is given, so the request carries just what differs, and its restore the previous
 * values of exactly those.
 */
import {ElbxError} from '../../../errors.js'
import type {LoadBalancerAttributes} from '../../../model.js'
import type {AttributeChangesRequest} from '../../../validate/attributes.js'
import {attributeChanges, describeAttributes} from '../../attributes.js'
import type {ChangePlan, ObservedExisting} from '../change-flow.js'
import {STEP} from '../plan.js'

/** AWS's value when the load balancer reports none (the mode came with desync mitigation in 2020). */
export const AWS_DEFAULT_DESYNC_MITIGATION_MODE = 'defensive'

type AccessLog = NonNullable<LoadBalancerAttributes['accessLog']>

/** "access logs s3://bucket/prefix every 5 min", "access logs off". */
export function describeAccessLog(log: LoadBalancerAttributes['accessLog']): string {
  if (!log?.enabled) return 'access logs off'
  const where = `s3://${log.s3BucketName ?? ''}${log.s3BucketPrefix ? `/${log.s3BucketPrefix}` : ''}`
  return `access logs ${where} every ${log.emitInterval ?? 60} min`
}

/** Every attribute in words, as `elbx attributes` shows them. */
export function describeAllAttributes(a: LoadBalancerAttributes): string[] {
  return [
    ...describeAttributes(a).split(', '),
    describeAccessLog(a.accessLog),
    `desync mitigation ${a.desyncMitigationMode ?? AWS_DEFAULT_DESYNC_MITIGATION_MODE}`,
  ]
}

const sameAccessLog = (have: AccessLog | undefined, want: AccessLog) =>
  want.enabled
    ? Boolean(have?.enabled) &&
      have?.s3BucketName === want.s3BucketName &&
      (have?.s3BucketPrefix ?? '') === (want.s3BucketPrefix ?? '') &&
      (have?.emitInterval ?? 60) === (want.emitInterval ?? 60)
    : !have?.enabled

/**
 * The plan for `elbx attributes`: one ModifyLoadBalancerAttributes with what differs (nothing when
 * all are as asked). Changing the idle timeout comes with the guide's prerequisite as a warning.
 */
export function planAttributes(
  want: AttributeChangesRequest,
  observed: ObservedExisting,
): ChangePlan<LoadBalancerAttributes> {
  const name = observed.loadBalancer.name
  const current = observed.attributes
  if (!current) throw new Error('internal: the attributes were not read')
  // The three create also sets: the same comparison as create's.
  const {changes, described} = attributeChanges(current, {
    crossZoneLoadBalancing: want.crossZoneLoadBalancing ?? current.crossZoneLoadBalancing,
    connectionDraining: want.connectionDraining ?? current.connectionDraining,
    idleTimeout: want.idleTimeout ?? current.idleTimeout,
  })
  const previous: Partial<LoadBalancerAttributes> = {
    ...(changes.crossZoneLoadBalancing !== undefined
      ? {crossZoneLoadBalancing: current.crossZoneLoadBalancing}
      : {}),
    ...(changes.connectionDraining ? {connectionDraining: current.connectionDraining} : {}),
    ...(changes.idleTimeout !== undefined ? {idleTimeout: current.idleTimeout} : {}),
  }
  if (want.accessLog && !sameAccessLog(current.accessLog, want.accessLog)) {
    changes.accessLog = want.accessLog
    previous.accessLog = current.accessLog ?? {enabled: false}
    described.push(describeAccessLog(want.accessLog))
  }
  const mode = current.desyncMitigationMode ?? AWS_DEFAULT_DESYNC_MITIGATION_MODE
  if (want.desyncMitigationMode && want.desyncMitigationMode !== mode) {
    changes.desyncMitigationMode = want.desyncMitigationMode
    previous.desyncMitigationMode = mode
    described.push(`desync mitigation ${want.desyncMitigationMode}`)
  }
  const after: LoadBalancerAttributes = {...current, ...changes}
  if (described.length === 0) return {actions: [], state: current, changes: [], warnings: []}
  return {
    actions: [
      {
        id: 'modify-attributes',
        step: STEP.attributes,
        call: {operation: 'ModifyLoadBalancerAttributes', loadBalancerName: name, attributes: changes},
        target: `load balancer ${name}`,
        why: described.join(', '),
        dependsOn: [],
        restore: [{operation: 'ModifyLoadBalancerAttributes', loadBalancerName: name, attributes: previous}],
      },
    ],
    state: after,
    changes: described,
    warnings:
      changes.idleTimeout !== undefined
        ? [
            `The idle timeout is now ${changes.idleTimeout} s: the instances' keep-alive timeout must be longer than that (the AWS guide's prerequisite), or the load balancer may reuse a connection the instance has closed and answer 504.`,
          ]
        : [],
  }
}

/**
 * AWS refuses access logs to a bucket it cannot write to with InvalidConfigurationRequest ("Access
 * Denied for bucket: ..."): AWS's words stay, and the hint says what the bucket needs.
 */
export function explainAccessLogRefusal(error: unknown): unknown {
  if (!(error instanceof ElbxError) || error.details?.code !== 'InvalidConfigurationRequest') return error
  if (!/bucket/i.test(error.message)) return error
  return new ElbxError(
    error.message,
    error.exitCode,
    "The bucket must be in the load balancer's Region, and its bucket policy must let that Region's Elastic Load Balancing account put objects under the prefix (s3:PutObject on arn:aws:s3:::BUCKET/PREFIX/AWSLogs/ACCOUNT-ID/*). See https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-access-logs.html.",
    error.details,
  )
}
