import {InvalidInputError} from '../errors.js'
import type {Tag} from '../model.js'

/** Limits from the Classic Load Balancer guide (add-remove-tags): the stricter of the guide and the API model. */
export const TAG_LIMITS = {maxTags: 50, keyLength: 127, valueLength: 255} as const
/** Tags elbx adds to a load balancer it creates: its run mark (elbx:run), which counts against the limit. */
export const ELBX_OWN_TAGS = 1
export const TAG_RULE =
  'Tags are key=value: a key of 1-127 characters, a value of up to 255; neither may start with "aws:" (AWS reserves it) nor start or end with a space; letters, digits, spaces and _ . : / = + - @ only; at most 49 tags (elbx adds one of its own), each key once.'

// ELB's tag pattern (Unicode letters, separators and numbers, and _ . : / = + - @).
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

/** Parses one --tag value, key=value (the value may be empty and may contain "="). */
export function parseTag(value: string, flag = '--tag'): Tag {
  const eq = value.indexOf('=')
  if (eq < 0) throw new InvalidInputError(`${flag} "${value}" is not key=value.`, TAG_RULE)
  const key = value.slice(0, eq)
  const tagValue = value.slice(eq + 1)
  if (key.length === 0) throw new InvalidInputError(`${flag} "${value}" has an empty key.`, TAG_RULE)
  parseTagKey(key, flag)
  if (length(tagValue) > TAG_LIMITS.valueLength) {
    throw new InvalidInputError(
      `${flag} "${key}" has a value of ${length(tagValue)} characters; at most ${TAG_LIMITS.valueLength} are allowed.`,
      TAG_RULE,
    )
  }
  checkTagText(flag, 'value', tagValue)
  return {key, value: tagValue}
}

const length = (s: string) => [...s].length

/** Checks one tag key (--remove KEY takes keys alone) by the key rules of a tag. */
export function parseTagKey(key: string, flag: string): string {
  if (key.length === 0) throw new InvalidInputError(`${flag} needs a tag key, got an empty one.`, TAG_RULE)
  if (length(key) > TAG_LIMITS.keyLength) {
    throw new InvalidInputError(
      `${flag} key "${key}" has ${length(key)} characters; at most ${TAG_LIMITS.keyLength} are allowed.`,
      TAG_RULE,
    )
  }
  checkTagText(flag, 'key', key)
  return key
}

/** What AWS refuses in a key or value: the reserved aws: prefix, a space at either end, characters outside its pattern. */
function checkTagText(flag: string, what: 'key' | 'value', text: string): void {
  // The guide reserves "aws:" for AWS's own tags, in keys and values alike.
  if (text.toLowerCase().startsWith('aws:')) {
    throw new InvalidInputError(`${flag} ${what} "${text}" starts with "aws:", which AWS reserves.`, TAG_RULE)
  }
  if (text.trim() !== text) {
    throw new InvalidInputError(
      `${flag} ${what} "${text}" ${/^\s/.test(text) ? 'starts' : 'ends'} with a space, which tags do not allow.`,
      TAG_RULE,
    )
  }
  if (!ALLOWED.test(text)) {
    const bad = [...text].find((c) => !ALLOWED.test(c))
    throw new InvalidInputError(
      `${flag} ${what} "${text}" contains "${bad}", which tags do not allow.`,
      TAG_RULE,
    )
  }
}

/** Parses every --tag and checks the set: no key twice, at most 49 tags (the 50th is elbx's run mark). */
export function parseTags(values: string[], flag = '--tag'): Tag[] {
  const tags = values.map((v) => parseTag(v, flag))
  const seen = new Set<string>()
  for (const t of tags) {
    if (seen.has(t.key)) throw new InvalidInputError(`${flag} key "${t.key}" is given twice.`, TAG_RULE)
    seen.add(t.key)
  }
  if (tags.length > TAG_LIMITS.maxTags - ELBX_OWN_TAGS) {
    throw new InvalidInputError(
      `${tags.length} tags given; at most ${TAG_LIMITS.maxTags - ELBX_OWN_TAGS} are allowed.`,
      `A load balancer takes at most ${TAG_LIMITS.maxTags} tags, and elbx adds one of its own (elbx:run, marking the run that created it).`,
    )
  }
  return tags
}

/** `elbx tag`'s --add and --remove, checked: each key given to one of them only. */
export function parseTagChanges(add: string[], remove: string[]): {add: Tag[]; remove: string[]} {
  const tags = parseTags(add, '--add')
  const keys = [...new Set(remove.map((k) => parseTagKey(k, '--remove')))]
  const both = tags.find((t) => keys.includes(t.key))
  if (both)
    throw new InvalidInputError(
      `Tag key "${both.key}" is given to both --add and --remove.`,
      'Give each key to one of them: --add gives it a value, --remove removes it.',
    )
  return {add: tags, remove: keys}
}
