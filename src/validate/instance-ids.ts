import {InvalidInputError} from '../errors.js'

export const INSTANCE_ID_RULE =
  'An EC2 instance ID is "i-" followed by 8 or 17 lower-case hexadecimal digits (e.g. i-0123456789abcdef0). Separate IDs with commas or repeat --instances.'

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/

/** AWS's quota of registered instances per Classic Load Balancer (elb-limits; adjustable on request). */
export const MAX_REGISTERED_INSTANCES = 1000

/** Why an instance ID is malformed, or undefined when it has the right form. */
export function instanceIdProblem(id: string): string | undefined {
  if (INSTANCE_ID.test(id)) return undefined
  if (/^i-[0-9A-Fa-f]+$/.test(id) && /[A-F]/.test(id))
    return `Instance ID "${id}" has upper-case letters; EC2 instance IDs are lower case.`
  if (id.startsWith('i-') && /^[0-9a-f]+$/.test(id.slice(2)))
    return `Instance ID "${id}" has ${id.length - 2} hexadecimal digits after "i-"; it must have 8 or 17.`
  return `"${id}" is not an EC2 instance ID.`
}

/**
 * Parses --instances values: each may hold several IDs separated by commas (or spaces, as the AWS
 * CLI takes them), and the flag may be repeated. Every ID must have the EC2 form, and none may
 * appear twice (a repeated ID is almost always a copy-paste slip that hides a missing one). More
 * IDs than a load balancer can have registered is refused: that much is known without asking AWS.
 */
export function parseInstanceIds(values: readonly string[]): string[] {
  const ids = new Set<string>()
  for (const value of values) {
    const parts = value.split(/[\s,]+/).filter((p) => p !== '')
    if (parts.length === 0) throw new InvalidInputError('--instances is empty.', INSTANCE_ID_RULE)
    for (const id of parts) {
      const problem = instanceIdProblem(id)
      if (problem) throw new InvalidInputError(problem, INSTANCE_ID_RULE)
      if (ids.has(id)) {
        throw new InvalidInputError(
          `Instance ${id} is listed twice in --instances.`,
          'Give each instance once; check whether another instance was meant.',
        )
      }
      ids.add(id)
    }
  }
  if (ids.size > MAX_REGISTERED_INSTANCES) {
    throw new InvalidInputError(
      `--instances lists ${ids.size} instances; a load balancer can have at most ${MAX_REGISTERED_INSTANCES.toLocaleString('en-US')} registered.`,
      `That is AWS's quota of registered instances per Classic Load Balancer. Give at most ${MAX_REGISTERED_INSTANCES.toLocaleString('en-US')}, or spread the instances over several load balancers.`,
      {instances: ids.size, quota: MAX_REGISTERED_INSTANCES},
    )
  }
  return [...ids]
}
