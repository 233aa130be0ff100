import {InvalidInputError} from '../errors.js'

/** AWS's rule for Classic Load Balancer names, as the create-load-balancer API and the console state it. */
export const LOAD_BALANCER_NAME_RULE =
  'A load balancer name has 1 to 32 characters: letters, digits and hyphens, not beginning or ending with a hyphen.'

/** Why a name breaks AWS's rule, or undefined when it is valid (also used to check names as they are typed). */
export function loadBalancerNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Load balancer name is empty.'
  if (name.length > 32)
    return `Load balancer name "${name}" has ${name.length} characters; at most 32 are allowed.`
  const bad = name.match(/[^A-Za-z0-9-]/)
  if (bad)
    return `Load balancer name "${name}" contains "${bad[0]}"; only letters, digits and hyphens are allowed.`
  if (name.startsWith('-')) return `Load balancer name "${name}" begins with a hyphen.`
  if (name.endsWith('-')) return `Load balancer name "${name}" ends with a hyphen.`
  return undefined
}

/** Returns the name when it follows AWS's rule; throws InvalidInputError (exit 2) otherwise. */
export function checkLoadBalancerName(name: string): string {
  const problem = loadBalancerNameProblem(name)
  if (problem) throw new InvalidInputError(problem, LOAD_BALANCER_NAME_RULE)
  return name
}
