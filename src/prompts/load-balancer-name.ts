import {inquirer} from './inquirer.js'

import {loadBalancerNameProblem} from '../validate/load-balancer-name.js'

/** Asks for the load balancer name in a terminal, checking AWS's rule as it is typed. Prompts go to stderr. */
export async function promptLoadBalancerName(signal?: AbortSignal): Promise<string> {
  const {input} = await inquirer()
  return input(
    {
      message: 'Load balancer name',
      validate: (value) => loadBalancerNameProblem(value.trim()) ?? true,
      transformer: (value) => value.trim(),
    },
    {output: process.stderr, ...(signal ? {signal} : {})},
  ).then((v) => v.trim())
}
