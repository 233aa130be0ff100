import {hintFor} from '../aws/errors.js'
import type {ElbGateway} from '../aws/gateways.js'
import {AwsStepError} from '../errors.js'
import type {LoadBalancer} from '../model.js'

/**
 * The load balancer a command works on. A missing one is the AWS error LoadBalancerNotFound
 * (exit 1) with its usual hint, said the same way by every command that needs it to exist.
 */
export async function findLoadBalancer(elb: ElbGateway, name: string): Promise<LoadBalancer> {
  const lb = await elb.describeLoadBalancer(name)
  if (!lb) throw loadBalancerNotFound(name)
  return lb
}

/** The error findLoadBalancer throws, for steps that read the load balancer their own way. */
export function loadBalancerNotFound(name: string): AwsStepError {
  return new AwsStepError(
    'Find load balancer',
    'LoadBalancerNotFound',
    `There is no load balancer named "${name}" in this region.`,
    hintFor('LoadBalancerNotFound'),
  )
}
