import {X509Certificate} from 'node:crypto'

/**
 * Judges what observe() found, before any write: a missing or unusable resource, or a load balancer
 * that cannot be changed into the desired one in place, ends the run with nothing changed (exit 1;
 * exit 2 for what the input alone gets wrong). Pure: plain data in, an error or warnings out.
 */
import {ElbxError, InvalidInputError, RuntimeError} from '../../errors.js'
import type {Instance, LoadBalancer} from '../../model.js'
import {parsePemBlocks} from '../../pem/pem-file.js'
import {instanceProblems, instancesRefused, zoneWarnings} from '../instances.js'
import type {DesiredLoadBalancer} from './desired.js'
import {acmRegionOf, type Observed} from './observe.js'

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join()

const der = (pem: string | undefined) => (pem ? parsePemBlocks(pem)[0]?.der : undefined)

/** The end of validity the certificate itself states (truer than metadata some endpoints fill in). */
function notAfterOf(pem: string | undefined): string | undefined {
  const block = der(pem)
  if (!block) return undefined
  try {
    return new Date(new X509Certificate(block).validTo).toISOString()
  } catch {
    return undefined
  }
}

/**
 * What about an existing load balancer cannot be changed in place by create (scheme, network,
 * security groups), one phrase each. Listeners, certificates, policies and settings that differ
 * are the plan's business, not a conflict.
 */
export function loadBalancerConflicts(
  existing: LoadBalancer,
  desired: DesiredLoadBalancer,
  observed: Observed,
): string[] {
  const out: string[] = []
  if (existing.scheme !== desired.scheme) out.push(`scheme is ${existing.scheme}, not ${desired.scheme}`)
  const network = observed.network
  if (network.subnets.length && !sameSet(existing.subnets, network.subnets))
    out.push(`subnets are ${existing.subnets.join(', ') || 'none'}, not ${network.subnets.join(', ')}`)
  else if (
    !network.subnets.length &&
    network.availabilityZones.length &&
    !sameSet(existing.availabilityZones, network.availabilityZones)
  )
    out.push(
      `Availability Zones are ${existing.availabilityZones.join(', ')}, not ${network.availabilityZones.join(', ')}`,
    )
  if (desired.securityGroups.length && !sameSet(existing.securityGroups, desired.securityGroups))
    out.push(
      `security groups are ${existing.securityGroups.join(', ') || 'none'}, not ${desired.securityGroups.join(', ')}`,
    )
  return out
}

/**
 * What stops a certificate from being served: a different one under the upload's IAM name, an ACM
 * certificate of another Region, missing, not issued or expired, an IAM one missing or expired.
 */
export function certificateProblem(
  desired: Pick<DesiredLoadBalancer, 'certificate'>,
  observed: Pick<Observed, 'uploadTarget' | 'certificates' | 'region'>,
  now: Date,
): ElbxError | undefined {
  const source = desired.certificate
  if (source?.kind === 'upload' && observed.uploadTarget) {
    const same = der(observed.uploadTarget.certificateBody)?.equals(der(source.checked.certificateBody)!)
    if (!same)
      return new RuntimeError(
        `IAM already holds a different server certificate named "${source.name}".`,
        'Pass another --certificate-name, or --certificate with the ARN of the existing one.',
      )
  }
  for (const c of observed.certificates) {
    if (c.kind === 'acm') {
      const region = acmRegionOf(c.arn)
      if (region !== observed.region)
        return new InvalidInputError(
          `Certificate ${c.arn} is in ${region}, but the load balancer is in ${observed.region}: ELB uses ACM certificates of its own Region only.`,
          `Request or import the certificate in ${observed.region}, or pass --region ${region}.`,
        )
      if (!c.found)
        return new RuntimeError(
          `ACM certificate ${c.arn} does not exist in ${observed.region}.`,
          '`aws acm list-certificates` lists the certificates of the Region.',
        )
      if (c.found.status && c.found.status !== 'ISSUED')
        return new RuntimeError(
          `ACM certificate ${c.arn} is ${c.found.status}, not ISSUED: ELB cannot serve it.`,
          'Finish its validation (or pick an issued certificate), then run elbx again.',
        )
      if (c.found.notAfter && new Date(c.found.notAfter) <= now)
        return new RuntimeError(
          `ACM certificate ${c.arn} expired on ${c.found.notAfter}.`,
          'Renew it or pick another.',
        )
    } else {
      if (!c.found)
        return new RuntimeError(
          `IAM server certificate ${c.arn} does not exist.`,
          '`aws iam list-server-certificates` lists them; or pass --certificate-file and --private-key-file to upload one.',
        )
      const expiration = notAfterOf(c.found.certificateBody) ?? c.found.expiration
      if (expiration && new Date(expiration) <= now)
        return new RuntimeError(
          `IAM server certificate ${c.arn} expired on ${expiration}.`,
          'Upload a current one (--certificate-file, --private-key-file).',
        )
    }
  }
  return undefined
}

/**
 * Everything the reads found that stops the run before its first write, first problem first:
 * the certificate, then a conflicting load balancer, security groups, then the instances (all of
 * them in one error, so they are fixed in one go).
 */
export function checkObserved(
  desired: DesiredLoadBalancer,
  observed: Observed,
  now: Date = new Date(),
): void {
  const certificate = certificateProblem(desired, observed, now)
  if (certificate) throw certificate
  const lb = observed.loadBalancer
  if (lb) {
    const conflicts = loadBalancerConflicts(lb, desired, observed)
    if (conflicts.length)
      throw new RuntimeError(
        `Load balancer ${desired.name} already exists with a different configuration: ${conflicts.join('; ')}.`,
        'Use another --name, change the flags to match it, or `elbx destroy --name ' +
          desired.name +
          '` first.',
        {differences: conflicts},
      )
  }
  const missingGroups = desired.securityGroups.filter(
    (id) => !observed.givenSecurityGroups.some((g) => g.groupId === id),
  )
  if (missingGroups.length)
    throw new RuntimeError(
      `Security group${missingGroups.length > 1 ? 's' : ''} ${missingGroups.join(', ')} not found in ${observed.region}.`,
      '`aws ec2 describe-security-groups` lists them; or leave --security-groups out and elbx makes one.',
    )
  const vpcId = lb?.vpcId ?? observed.network.vpcId
  const elsewhere = observed.givenSecurityGroups.filter((g) => vpcId && g.vpcId && g.vpcId !== vpcId)
  if (elsewhere.length)
    throw new RuntimeError(
      `Security group ${elsewhere.map((g) => `${g.groupId} is in ${g.vpcId}`).join(', ')}, not in the load balancer's VPC ${vpcId}.`,
    )
  const registered = new Set(lb?.instanceIds ?? [])
  // Already registered: nothing to send, so nothing to refuse.
  const fresh = desired.instances.filter((id) => !registered.has(id))
  const problems = instanceProblems(fresh, observed.instances, vpcId, observed.region)
  if (problems.length) throw instancesRefused(desired.name, vpcId, fresh, problems)
}

/** Instances asked for in Availability Zones the load balancer does not serve (AWS keeps them OutOfService). */
export function instanceZoneWarnings(desired: DesiredLoadBalancer, observed: Observed): string[] {
  const lb = observed.loadBalancer
  const zones = lb?.availabilityZones.length ? lb.availabilityZones : observed.network.availabilityZones
  const registered = new Set(lb?.instanceIds ?? [])
  const instances = desired.instances
    .filter((id) => !registered.has(id))
    .map((id) => observed.instances.find((i) => i.instanceId === id))
    .filter((i): i is Instance => i !== undefined)
  const vpcId = lb?.vpcId ?? observed.network.vpcId
  return zoneWarnings({name: desired.name, ...(vpcId ? {vpcId} : {})}, zones, instances)
}
