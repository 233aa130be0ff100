import type {Ec2Gateway} from '../aws/gateways.js'
import {isAwsError} from '../aws/errors.js'
import type {IngressRule, SecurityGroup} from '../model.js'
import {ELBX_TAG_KEY} from './certificate.js'
import {retry, type Clock} from './retry.js'

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

/** True when elbx created the group for this load balancer (its tag says so): only such a group is elbx's to change. */
export function madeByElbx(group: SecurityGroup, loadBalancerName: string): boolean {
  return group.tags.some((t) => t.key === ELBX_TAG_KEY && t.value === loadBalancerName)
}

/** "80", "8000-8010" */
export const formatPortRange = (r: IngressRule) =>
  r.fromPort === r.toPort ? `${r.fromPort}` : `${r.fromPort}-${r.toPort}`

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
