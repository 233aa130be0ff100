import type {Ec2Gateway, ElbGateway} from '../aws/gateways.js'
import {RuntimeError} from '../errors.js'
import type {Instance, LoadBalancer} from '../model.js'

/** RegisterInstancesWithLoadBalancer: "The instance must be a running instance in the same network as the load balancer." */
const REGISTRABLE_STATES = new Set(['pending', 'running'])

export interface InstanceCheck {
  instances: Instance[]
  /** Things that will not fail the registration but will keep traffic from an instance. */
  warnings: string[]
}

/**
 * Checks with DescribeInstances that every instance exists, is pending or running, and sits in the
 * load balancer's VPC, and reports all problems in one error (exit 1, code InvalidInstance) so the
 * user fixes them in one go. Warns about instances in Availability Zones the load balancer does not
 * serve: AWS moves those OutOfService, and cross-zone load balancing does not change that (it only
 * spreads traffic across the zones the load balancer serves).
 */
export async function checkInstances(
  ec2: Ec2Gateway,
  lb: LoadBalancer,
  instanceIds: string[],
  region?: string,
): Promise<InstanceCheck> {
  const found = await ec2.describeInstances(instanceIds)
  const problems = instanceProblems(instanceIds, found, lb.vpcId, region)
  if (problems.length) throw instancesRefused(lb.name, lb.vpcId, instanceIds, problems)
  const byId = new Map(found.map((i) => [i.instanceId, i]))
  const instances = instanceIds.map((id) => byId.get(id)!)
  return {instances, warnings: zoneWarnings(lb, await servedZones(ec2, lb), instances)}
}

/** Why each instance cannot be registered (does not exist, not running, another VPC), one phrase each. */
export function instanceProblems(
  instanceIds: string[],
  found: Instance[],
  vpcId: string | undefined,
  region?: string,
): string[] {
  const byId = new Map(found.map((i) => [i.instanceId, i]))
  const problems: string[] = []
  for (const id of instanceIds) {
    const instance = byId.get(id)
    if (!instance) {
      problems.push(`${id} does not exist${region ? ` in ${region}` : ''}`)
    } else if (!REGISTRABLE_STATES.has(instance.state)) {
      problems.push(`${id} is ${instance.state} (only pending or running instances can be registered)`)
    } else if (vpcId && instance.vpcId !== vpcId) {
      problems.push(`${id} is in ${instance.vpcId ?? 'no VPC'}, not in the load balancer's VPC ${vpcId}`)
    }
  }
  return problems
}

/** All instance problems in one error (exit 1, code InvalidInstance), so the user fixes them in one go. */
export function instancesRefused(
  loadBalancerName: string,
  vpcId: string | undefined,
  instanceIds: string[],
  problems: string[],
): RuntimeError {
  return new RuntimeError(
    `Cannot register ${problems.length === 1 ? 'an instance' : `${problems.length} instances`} with ${loadBalancerName}: ${problems.join('; ')}.`,
    `Check the IDs and the region (--region); \`aws ec2 describe-instances --filters Name=vpc-id,Values=${vpcId ?? 'VPC'}\` lists the candidates.`,
    {
      code: 'InvalidInstance',
      instanceIds: instanceIds.filter((id) => problems.some((p) => p.startsWith(id))),
    },
  )
}

/** The load balancer's zones; derived from its subnets when the description leaves them out (moto does). */
async function servedZones(ec2: Ec2Gateway, lb: LoadBalancer): Promise<string[]> {
  if (lb.availabilityZones.length || lb.subnets.length === 0) return lb.availabilityZones
  const subnets = await ec2.describeSubnets({subnetIds: lb.subnets})
  return [...new Set(subnets.map((s) => s.availabilityZone))].sort()
}

/** Instances in zones the load balancer does not serve, one warning each with the fix. */
export function zoneWarnings(
  lb: Pick<LoadBalancer, 'name' | 'vpcId'>,
  zones: string[],
  instances: Instance[],
): string[] {
  const served = new Set(zones)
  if (served.size === 0) return []
  const warnings: string[] = []
  for (const instance of instances) {
    const zone = instance.availabilityZone
    if (!zone || served.has(zone)) continue
    const fix = lb.vpcId
      ? `attach a subnet of ${lb.vpcId} in ${zone} to the load balancer (\`aws elb attach-load-balancer-to-subnets --load-balancer-name ${lb.name} --subnets SUBNET\`)`
      : `enable ${zone} on the load balancer (\`aws elb enable-availability-zones-for-load-balancer --load-balancer-name ${lb.name} --availability-zones ${zone}\`)`
    warnings.push(
      `Instance ${instance.instanceId} is in ${zone}, which ${lb.name} does not serve (${[...served].join(', ')}): ` +
        `the load balancer will keep it OutOfService and send it no traffic, with or without cross-zone load balancing. ` +
        `To fix it, ${fix}, or register an instance in a zone it serves.`,
    )
  }
  return warnings
}

export interface RegisterResult {
  /** Instances this run registered. */
  registered: string[]
  /** Instances that were registered already (unchanged, not an error). */
  alreadyRegistered: string[]
}

/** Seed step 5: registers the instances that are not registered yet; a rerun changes nothing. */
export async function registerInstances(
  elb: ElbGateway,
  lb: LoadBalancer,
  instanceIds: string[],
): Promise<RegisterResult> {
  const current = new Set(lb.instanceIds)
  const alreadyRegistered = instanceIds.filter((id) => current.has(id))
  const registered = instanceIds.filter((id) => !current.has(id))
  if (registered.length) await elb.registerInstances(lb.name, registered)
  return {registered, alreadyRegistered}
}

export interface DeregisterResult {
  deregistered: string[]
  /** Instances that were not registered (unchanged, not an error). */
  notRegistered: string[]
}

/** Deregisters the instances that are registered; the others are reported as unchanged. */
export async function deregisterInstances(
  elb: ElbGateway,
  lb: LoadBalancer,
  instanceIds: string[],
): Promise<DeregisterResult> {
  const current = new Set(lb.instanceIds)
  const deregistered = instanceIds.filter((id) => current.has(id))
  const notRegistered = instanceIds.filter((id) => !current.has(id))
  if (deregistered.length) await elb.deregisterInstances(lb.name, deregistered)
  return {deregistered, notRegistered}
}

/** Running instances in the load balancer's VPC: the choices offered when --instances is missing. */
export async function registrableInstances(ec2: Ec2Gateway, lb: LoadBalancer): Promise<Instance[]> {
  const instances = await ec2.listInstances({
    ...(lb.vpcId ? {vpcId: lb.vpcId} : {}),
    states: ['running'],
  })
  return instances.sort(
    (a, b) =>
      (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.instanceId.localeCompare(b.instanceId),
  )
}
