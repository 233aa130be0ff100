import type {Instance} from '../model.js'
import {inquirer} from './inquirer.js'

/** One checkbox row: Name tag, ID, zone and state, in columns. */
export function instanceChoiceLabel(instance: Instance, nameWidth: number): string {
  const name = (instance.name ?? '(no Name tag)').padEnd(nameWidth)
  return `${name}  ${instance.instanceId.padEnd(19)}  ${(instance.availabilityZone ?? '').padEnd(12)}  ${instance.state}`
}

/**
 * Asks which instances to register when --instances was not given (TTY only; the command checks
 * that). Instances already registered are listed as such and left unticked.
 */
export async function promptForInstances(
  candidates: Instance[],
  options: {
    loadBalancerName: string
    registered: string[]
    /** "register with" (default) or "deregister from". */
    verb?: string
    signal?: AbortSignal
  },
): Promise<string[]> {
  const {checkbox} = await inquirer()
  const nameWidth = Math.min(32, Math.max(13, ...candidates.map((i) => (i.name ?? '').length)))
  const registered = new Set(options.registered)
  return checkbox(
    {
      message: options.verb
        ? `Instances to ${options.verb} ${options.loadBalancerName}`
        : `Instances to register with ${options.loadBalancerName} (running, in its VPC)`,
      choices: candidates.map((instance) => ({
        name:
          instanceChoiceLabel(instance, nameWidth) +
          (registered.has(instance.instanceId) ? '  (registered)' : ''),
        value: instance.instanceId,
      })),
      required: true,
      pageSize: 15,
    },
    // Prompts belong on stderr with the rest of the conversation; stdout carries only the result.
    {output: process.stderr, ...(options.signal ? {signal: options.signal} : {})},
  )
}
