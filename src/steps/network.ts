import type {Ec2Gateway} from '../aws/gateways.js'
import {isAwsError} from '../aws/errors.js'
import {InvalidInputError, RuntimeError} from '../errors.js'
import type {Subnet} from '../model.js'
import type {NetworkRequest} from '../validate/network.js'

/** Where the load balancer goes, resolved against the account. */
export interface ResolvedNetwork {
  /** The VPC; undefined when only Availability Zones were given (AWS picks the default VPC). */
  vpcId?: string
  subnets: string[]
  availabilityZones: string[]
  /** True when elbx chose the default VPC's subnets because neither --subnets nor --availability-zones was given. */
  defaultVpc: boolean
}

async function describeGivenSubnets(ec2: Ec2Gateway, ids: string[]): Promise<Subnet[]> {
  try {
    const found = await ec2.describeSubnets({subnetIds: ids})
    const missing = ids.filter((id) => !found.some((s) => s.subnetId === id))
    if (missing.length)
      throw new InvalidInputError(`--subnets: ${missing.join(', ')} not found in this region.`)
    return ids.map((id) => found.find((s) => s.subnetId === id)!)
  } catch (error) {
    if (isAwsError(error, 'InvalidSubnetID.NotFound')) {
      const named = ids.filter((id) => String((error as Error).message).includes(id))
      throw new InvalidInputError(
        `--subnets: ${(named.length ? named : ids).join(', ')} not found in this region.`,
        'Check the subnet IDs and --region; `aws ec2 describe-subnets` lists them.',
      )
    }
    throw error
  }
}

/** Subnets must share one VPC and hold at most one per Availability Zone (AWS's rule for a load balancer). */
export function checkSubnetPlacement(subnets: Subnet[]): void {
  const vpcs = [...new Set(subnets.map((s) => s.vpcId))]
  if (vpcs.length > 1) {
    throw new InvalidInputError(
      `--subnets are in different VPCs (${subnets.map((s) => `${s.subnetId} in ${s.vpcId}`).join(', ')}); a load balancer lives in one VPC.`,
    )
  }
  const byZone = new Map<string, string>()
  for (const s of subnets) {
    const other = byZone.get(s.availabilityZone)
    if (other) {
      throw new InvalidInputError(
        `--subnets ${other} and ${s.subnetId} are both in ${s.availabilityZone}; a load balancer takes at most one subnet per Availability Zone.`,
        'Keep one subnet for each Availability Zone.',
      )
    }
    byZone.set(s.availabilityZone, s.subnetId)
  }
}

/**
 * Resolves the network the way the console does: the subnets given (one VPC, one per zone), or the
 * zones given, or else the region's default VPC with its default subnet in each zone.
 */
export async function resolveNetwork(ec2: Ec2Gateway, request: NetworkRequest): Promise<ResolvedNetwork> {
  if (request.subnets?.length) {
    const subnets = await describeGivenSubnets(ec2, request.subnets)
    checkSubnetPlacement(subnets)
    return {
      vpcId: subnets[0]!.vpcId,
      subnets: subnets.map((s) => s.subnetId),
      availabilityZones: subnets.map((s) => s.availabilityZone),
      defaultVpc: false,
    }
  }
  if (request.availabilityZones?.length) {
    const zones = await ec2.describeAvailabilityZones()
    const unknown = request.availabilityZones.filter((z) => !zones.includes(z))
    if (unknown.length) {
      throw new InvalidInputError(
        `--availability-zones: ${unknown.join(', ')} is not an available zone in this region (${zones.join(', ')}).`,
      )
    }
    return {subnets: [], availabilityZones: request.availabilityZones, defaultVpc: false}
  }
  const [vpc] = await ec2.describeVpcs({isDefault: true})
  if (!vpc) {
    throw new RuntimeError(
      'This region has no default VPC, so elbx cannot pick subnets for the load balancer.',
      'Pass --subnets with one subnet per Availability Zone of your VPC.',
    )
  }
  const subnets = (await ec2.describeSubnets({vpcId: vpc.vpcId}))
    .filter((s) => s.defaultForAz)
    .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone))
  const oneEach = subnets.filter(
    (s, i) => subnets.findIndex((o) => o.availabilityZone === s.availabilityZone) === i,
  )
  if (oneEach.length === 0) {
    throw new RuntimeError(
      `The default VPC ${vpc.vpcId} has no default subnets.`,
      'Pass --subnets with one subnet per Availability Zone.',
    )
  }
  return {
    vpcId: vpc.vpcId,
    subnets: oneEach.map((s) => s.subnetId),
    availabilityZones: oneEach.map((s) => s.availabilityZone),
    defaultVpc: true,
  }
}
