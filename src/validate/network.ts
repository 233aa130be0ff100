import {isIP} from 'node:net'

import {InvalidInputError} from '../errors.js'
import type {Scheme} from '../model.js'

const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/
// us-east-1a, eu-central-2b, us-gov-west-1a, and Local Zones such as us-west-2-lax-1a.
const AVAILABILITY_ZONE = /^[a-z]{2}(?:-[a-z]+)+-\d(?:-[a-z]+-\d)?[a-z]$/

/** Where the load balancer goes, as the user asked (neither list: the default VPC). */
export interface NetworkRequest {
  subnets?: string[]
  availabilityZones?: string[]
}

/** Splits repeatable, comma-separated list flags and drops blanks and repeats. */
export function listValues(values: string[] | undefined): string[] {
  const out: string[] = []
  for (const v of values ?? []) {
    for (const item of v.split(',').map((s) => s.trim())) if (item && !out.includes(item)) out.push(item)
  }
  return out
}

function checkEach(flag: string, values: string[], pattern: RegExp, example: string): string[] {
  for (const v of values) {
    if (!pattern.test(v)) throw new InvalidInputError(`${flag} "${v}" is not ${example}.`)
  }
  return values
}

export function checkSubnetIds(values: string[]): string[] {
  return checkEach('--subnets', values, SUBNET_ID, 'a subnet ID (subnet-0123abcd...)')
}

export function checkSecurityGroupIds(values: string[]): string[] {
  checkEach('--security-groups', values, SECURITY_GROUP_ID, 'a security group ID (sg-0123abcd...)')
  if (values.length > 5) {
    throw new InvalidInputError(
      `--security-groups names ${values.length} groups; a load balancer takes at most 5.`,
    )
  }
  return values
}

export function checkAvailabilityZones(values: string[]): string[] {
  return checkEach(
    '--availability-zones',
    values,
    AVAILABILITY_ZONE,
    'an Availability Zone name (us-east-1a)',
  )
}

/**
 * Availability Zones carry their Region in their name (us-east-1a, us-west-2-lax-1a): a zone of
 * another Region than the load balancer's is known to fail before any request.
 */
export function checkAvailabilityZoneRegions(zones: readonly string[], region: string): void {
  const other = zones.find(
    (z) => !(z.startsWith(region) && /^(?:[a-z]|-[a-z]+-\d[a-z])$/.test(z.slice(region.length))),
  )
  if (other === undefined) return
  throw new InvalidInputError(
    `--availability-zones "${other}" is not a zone of ${region}, the Region the load balancer goes in.`,
    `Give zones of ${region} (e.g. ${region}a), or pass the zone's Region with --region.`,
  )
}

/** An IPv4 or IPv6 CIDR block, e.g. 0.0.0.0/0, 203.0.113.0/24, 2001:db8::/32. */
export function checkCidr(value: string, flag = '--ingress-cidr'): string {
  const [address, prefix, extra] = value.split('/')
  const family = address ? isIP(address) : 0
  const max = family === 6 ? 128 : 32
  if (
    !family ||
    extra !== undefined ||
    prefix === undefined ||
    !/^\d{1,3}$/.test(prefix) ||
    Number(prefix) > max
  ) {
    throw new InvalidInputError(
      `${flag} "${value}" is not a CIDR block.`,
      'Give an address and prefix length, e.g. 203.0.113.0/24 or 2001:db8::/32.',
    )
  }
  return value
}

/** --scheme internal needs subnets of a VPC (AWS: InvalidScheme otherwise). */
export function checkScheme(scheme: Scheme, network: NetworkRequest): Scheme {
  if (scheme === 'internal' && network.availabilityZones?.length) {
    throw new InvalidInputError(
      '--scheme internal needs the load balancer in a VPC; give --subnets (or neither, for the default VPC), not --availability-zones.',
    )
  }
  return scheme
}
