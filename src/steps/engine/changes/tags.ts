/**
 * Tags added, given a new value or removed in place: AddTags overwrites a key and leaves the
 * others, RemoveTags removes only the keys named. A load balancer takes at most 50 tags (the
 * guide; the API reference's 10 is outdated), which is checked against what is there before any write.
 */
import {InvalidInputError} from '../../../errors.js'
import type {Tag} from '../../../model.js'
import {TAG_LIMITS, TAG_RULE} from '../../../validate/tags.js'
import {RUN_TAG_KEY} from '../../rollback.js'
import type {ChangePlan, ObservedExisting} from '../change-flow.js'
import {STEP, type Action} from '../plan.js'

export interface TagState {
  /** Every tag once the plan is applied, but for elbx's own run mark. */
  tags: Tag[]
  added: Tag[]
  /** Keys that had another value before. */
  overwritten: Tag[]
  removed: string[]
  /** Keys asked to be removed that the load balancer does not have. */
  absent: string[]
}

const text = (tags: Tag[]) => tags.map((t) => `${t.key}=${t.value}`).join(', ')

/** The plan for `elbx tag` (checkTagChanges passed): AddTags for what is missing or differs, RemoveTags for keys present. */
export function planTags(
  want: {add: Tag[]; remove: string[]},
  observed: ObservedExisting,
): ChangePlan<TagState> {
  const name = observed.loadBalancer.name
  const current = observed.tags
  if (!current) throw new Error('internal: the tags were not read')
  const has = (key: string) => current.find((c) => c.key === key)
  const added = want.add.filter((w) => has(w.key)?.value !== w.value)
  const overwritten = current.filter((c) => added.some((a) => a.key === c.key))
  const removedTags = current.filter((c) => want.remove.includes(c.key))
  const removed = removedTags.map((t) => t.key)
  const absent = want.remove.filter((k) => !has(k))
  const after = [
    ...current.filter((c) => !removed.includes(c.key) && !added.some((a) => a.key === c.key)),
    ...added,
  ]
  if (after.length > TAG_LIMITS.maxTags)
    throw new InvalidInputError(
      `Load balancer "${name}" has ${current.length} tags; with these changes it would have ${after.length}, and AWS allows ${TAG_LIMITS.maxTags}.`,
      `Remove some with --remove KEY. ${TAG_RULE}`,
      {tags: current.length, after: after.length},
    )

  const actions: Action[] = []
  if (added.length) {
    const fresh = added.filter((a) => !has(a.key)).map((a) => a.key)
    actions.push({
      id: 'add-tags',
      step: STEP.tags,
      call: {operation: 'AddTags', loadBalancerName: name, tags: added},
      target: `load balancer ${name}`,
      why: `${text(added)}${overwritten.length ? ` (was ${text(overwritten)})` : ''}`,
      dependsOn: [],
      restore: [
        ...(fresh.length ? [{operation: 'RemoveTags' as const, loadBalancerName: name, keys: fresh}] : []),
        ...(overwritten.length
          ? [{operation: 'AddTags' as const, loadBalancerName: name, tags: overwritten}]
          : []),
      ],
    })
  }
  if (removed.length)
    actions.push({
      id: 'remove-tags',
      step: STEP.tags,
      call: {operation: 'RemoveTags', loadBalancerName: name, keys: removed},
      target: `load balancer ${name}`,
      why: `remove ${removed.join(', ')}`,
      dependsOn: [],
      restore: [{operation: 'AddTags', loadBalancerName: name, tags: removedTags}],
    })
  return {
    actions,
    // The run mark of the run that created it is elbx's bookkeeping, not one of the user's tags.
    state: {tags: after.filter((t) => t.key !== RUN_TAG_KEY), added, overwritten, removed, absent},
    changes: [
      ...(added.length ? [`added ${text(added)}`] : []),
      ...(removed.length ? [`removed ${removed.join(', ')}`] : []),
    ],
    warnings: absent.length
      ? [
          `Load balancer ${name} has no tag ${absent.map((k) => `"${k}"`).join(', ')}: nothing to remove there.`,
        ]
      : [],
  }
}
