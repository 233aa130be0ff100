import type {ElbGateway} from '../aws/gateways.js'
import type {Tag} from '../model.js'
import {RUN_TAG_KEY} from './rollback.js'

export interface AppliedTags {
  /** Every tag on the load balancer afterwards, but for elbx's run mark. */
  tags: Tag[]
  /** Tags added or given a new value now. */
  added: Tag[]
}

/**
 * Adds the tags that are missing or have another value (AddTags overwrites a key); other tags stay.
 * A load balancer this run has just created got the tags with CreateLoadBalancer: nothing to read.
 */
export async function applyTags(
  elb: ElbGateway,
  loadBalancerName: string,
  wanted: Tag[],
  options: {justCreated?: boolean} = {},
): Promise<AppliedTags> {
  if (options.justCreated) return {tags: wanted, added: wanted}
  const current = await elb.describeTags(loadBalancerName)
  const added = wanted.filter((w) => !current.some((c) => c.key === w.key && c.value === w.value))
  if (added.length) await elb.addTags(loadBalancerName, added)
  // The run mark of the run that created it is elbx's bookkeeping, not one of the user's tags.
  const tags = [
    ...current.filter((c) => c.key !== RUN_TAG_KEY && !added.some((a) => a.key === c.key)),
    ...added,
  ]
  return {tags, added}
}
