import type {Ec2Gateway} from '../aws/gateways.js'
import {isAwsError} from '../aws/errors.js'
import {RuntimeError} from '../errors.js'
import type {IngressRule, SecurityGroup, Tag} from '../model.js'
import {ELBX_TAG_KEY} from './certificate.js'
import {retry, type Clock} from './retry.js'
import {carriesRunMark} from './rollback.js'

/** The seed's console step 2: a new group that lets clients reach every listener port. */
export const DEFAULT_INGRESS_CIDRS = ['0.0.0.0/0']

/**
 * How long to keep retrying DependencyViolation when deleting a load balancer's security group:
 * the load balancer's network interfaces "can take a while to go away (some minutes)"
 * (hashicorp/terraform-provider-aws#40).
 */
export const SECURITY_GROUP_RELEASE_MS = 10 * 60_000

export const securityGroupName = (loadBalancerName: string) => `elbx-${loadBalancerName}`

/** Consecutive ports as one range: [80, 443, 8443, 8444] -> [[80, 80], [443, 443], [8443, 8444]]. */
export function portRanges(ports: number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  for (const port of [...new Set(ports)].sort((a, b) => a - b)) {
    const last = ranges.at(-1)
    if (last && port === last[1] + 1) last[1] = port
    else ranges.push([port, port])
  }
  return ranges
}

/**
 * The rules that let each CIDR reach the listener ports `present` does not already admit, with
 * consecutive ports as one rule: a group takes 60 inbound rules by default, and a load balancer
 * up to 100 listeners.
 */
export function missingIngress(ports: number[], cidrs: string[], present: IngressRule[] = []): IngressRule[] {
  return cidrs.flatMap((cidr) => {
    const open = ports.filter(
      (port) => !present.some((r) => r.cidr === cidr && r.fromPort <= port && port <= r.toPort),
    )
    return portRanges(open).map(([fromPort, toPort]) => ({protocol: 'tcp' as const, fromPort, toPort, cidr}))
  })
}

/** "80", "8000-8010" */
export const formatPortRange = (r: IngressRule) =>
  r.fromPort === r.toPort ? `${r.fromPort}` : `${r.fromPort}-${r.toPort}`

/** True when elbx created the group for this load balancer (its tag says so). */
export function madeByElbx(group: SecurityGroup, loadBalancerName: string): boolean {
  return group.tags.some((t) => t.key === ELBX_TAG_KEY && t.value === loadBalancerName)
}

export interface SecurityGroupRequest {
  loadBalancerName: string
  vpcId: string
  ports: number[]
  cidrs: string[]
  /** This run's mark (Rollback.mark): a new group carries it, so a lost answer cannot hide that this run made it. */
  runMark?: Tag | undefined
}

/** The group elbx keeps for this load balancer in the VPC (found by its elbx:load-balancer tag), if any. */
export async function findElbxSecurityGroup(
  ec2: Ec2Gateway,
  request: Pick<SecurityGroupRequest, 'vpcId' | 'loadBalancerName'>,
): Promise<SecurityGroup | undefined> {
  const [group] = await ec2.describeSecurityGroups({
    vpcId: request.vpcId,
    tag: {key: ELBX_TAG_KEY, value: request.loadBalancerName},
  })
  return group
}

export interface EnsuredSecurityGroup {
  groupId: string
  created: boolean
  /** Rules added now (all of them for a new group; the missing ones for an existing group). */
  added: IngressRule[]
}

/**
 * Finds the group elbx made for this load balancer in the VPC (by its tag) or creates it, then
 * makes sure it lets in every listener port. Rules someone added by hand are left alone.
 */
export async function ensureSecurityGroup(
  ec2: Ec2Gateway,
  request: SecurityGroupRequest,
  /** Told as soon as a group is created, before its rules are added, so a failure after it still rolls it back. */
  onCreated: (groupId: string) => void = () => {},
): Promise<EnsuredSecurityGroup> {
  const findOurs = () => findElbxSecurityGroup(ec2, request)
  /** Adds the wanted rules not in `present`; returns those it added. */
  const authorizeMissing = async (groupId: string, present: IngressRule[]): Promise<IngressRule[]> => {
    const missing = missingIngress(request.ports, request.cidrs, present)
    if (missing.length === 0) return []
    try {
      await ec2.authorizeIngress(groupId, missing)
      return missing
    } catch (error) {
      // Another elbx run for this load balancer added some of them since we looked (AWS then
      // adds none of the batch): add only what is still missing.
      if (!isAwsError(error, 'InvalidPermission.Duplicate')) throw error
      const [now] = await ec2.describeSecurityGroups({groupIds: [groupId]})
      const still = missingIngress(request.ports, request.cidrs, now?.ingress)
      if (still.length) await ec2.authorizeIngress(groupId, still)
      return still
    }
  }
  const useExisting = async (existing: SecurityGroup): Promise<EnsuredSecurityGroup> => {
    const added = await authorizeMissing(existing.groupId, existing.ingress)
    return {groupId: existing.groupId, created: false, added}
  }
  const existing = await findOurs()
  if (existing) return useExisting(existing)
  let groupId: string
  try {
    groupId = await ec2.createSecurityGroup({
      groupName: securityGroupName(request.loadBalancerName),
      description: `Load balancer ${request.loadBalancerName}: inbound to its listener ports (created by elbx)`,
      vpcId: request.vpcId,
      tags: [
        {key: ELBX_TAG_KEY, value: request.loadBalancerName},
        {key: 'Name', value: securityGroupName(request.loadBalancerName)},
        ...(request.runMark ? [request.runMark] : []),
      ],
    })
  } catch (error) {
    if (isAwsError(error, 'InvalidGroup.Duplicate')) {
      const raced = await findOurs()
      // This run's own first attempt made it and its answer was lost (the SDK retried): ours.
      if (raced && carriesRunMark(raced.tags, request.runMark)) {
        onCreated(raced.groupId)
        return {
          groupId: raced.groupId,
          created: true,
          added: await authorizeMissing(raced.groupId, raced.ingress),
        }
      }
      // Another elbx run for this load balancer made it since we looked: use it, do not fail.
      if (raced) return useExisting(raced)
      throw new RuntimeError(
        `The VPC already has a security group named ${securityGroupName(request.loadBalancerName)} that elbx did not make for this load balancer.`,
        'Pass --security-groups with the groups to use, or delete or rename that group.',
      )
    }
    throw error
  }
  onCreated(groupId)
  return {groupId, created: true, added: await authorizeMissing(groupId, [])}
}

/**
 * Deletes a security group, retrying DependencyViolation while the deleted load balancer's network
 * interfaces go away (bounded); a group that is already gone counts as deleted.
 */
export async function deleteSecurityGroupWhenFree(
  ec2: Ec2Gateway,
  groupId: string,
  options: {clock?: Clock; signal?: AbortSignal; budgetMs?: number; onRetry?: (delayMs: number) => void} = {},
): Promise<void> {
  try {
    await retry(() => ec2.deleteSecurityGroup(groupId), {
      retryable: (error) => isAwsError(error, 'DependencyViolation'),
      budgetMs: options.budgetMs ?? SECURITY_GROUP_RELEASE_MS,
      initialDelayMs: 5000,
      maxDelayMs: 30_000,
      ...(options.clock ? {clock: options.clock} : {}),
      ...(options.signal ? {signal: options.signal} : {}),
      ...(options.onRetry ? {onRetry: (_e: unknown, _n: number, ms: number) => options.onRetry!(ms)} : {}),
    })
  } catch (error) {
    if (!isAwsError(error, 'InvalidGroup.NotFound')) throw error
  }
}

export const deleteSecurityGroupCommand = (groupId: string, region: string) =>
  `aws ec2 delete-security-group --group-id ${groupId} --region ${region}`
