import type {ElbGateway} from '../aws/gateways.js'
import {isAwsError} from '../aws/errors.js'
import {RuntimeError} from '../errors.js'
import type {Listener, LoadBalancer, Scheme, Tag} from '../model.js'
import {formatListener} from '../validate/listener.js'
import {retryWhileCertificatePropagates} from './certificate.js'
import type {Clock} from './retry.js'
import {carriesRunMark, type Resource} from './rollback.js'

/** The load balancer as this run wants it (certificates already resolved to ARNs). */
export interface LoadBalancerSpec {
  name: string
  listeners: Listener[]
  scheme: Scheme
  subnets: string[]
  availabilityZones: string[]
  securityGroups: string[]
  tags: Tag[]
}

export interface EnsuredLoadBalancer {
  dnsName: string
  created: boolean
  /** The description of a load balancer that was already there (a rerun); later steps start from it. */
  existing?: LoadBalancer
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join()
const listenerText = (l: Listener) =>
  `${formatListener(l)}${l.sslCertificateId ? ` (certificate ${l.sslCertificateId})` : ''}`

/** How an existing load balancer differs from the spec, one readable phrase per difference. */
export function loadBalancerDifferences(existing: LoadBalancer, spec: LoadBalancerSpec): string[] {
  const out: string[] = []
  if (existing.scheme !== spec.scheme) out.push(`scheme is ${existing.scheme}, not ${spec.scheme}`)
  const current = existing.listeners.map((d) => d.listener)
  for (const want of spec.listeners) {
    const have = current.find((l) => l.loadBalancerPort === want.loadBalancerPort)
    if (!have) out.push(`no listener on port ${want.loadBalancerPort} (wanted ${listenerText(want)})`)
    else if (
      have.protocol !== want.protocol ||
      have.instanceProtocol !== want.instanceProtocol ||
      have.instancePort !== want.instancePort ||
      (want.sslCertificateId !== undefined && have.sslCertificateId !== want.sslCertificateId)
    ) {
      const certDiffers =
        want.sslCertificateId !== undefined && have.sslCertificateId !== want.sslCertificateId
      const text = certDiffers ? listenerText : formatListener
      out.push(`listener on port ${want.loadBalancerPort} is ${text(have)}, not ${text(want)}`)
    }
  }
  for (const have of current) {
    if (!spec.listeners.some((l) => l.loadBalancerPort === have.loadBalancerPort))
      out.push(`it has another listener, ${listenerText(have)}`)
  }
  if (spec.subnets.length && !sameSet(existing.subnets, spec.subnets))
    out.push(`subnets are ${existing.subnets.join(', ') || 'none'}, not ${spec.subnets.join(', ')}`)
  else if (
    !spec.subnets.length &&
    spec.availabilityZones.length &&
    !sameSet(existing.availabilityZones, spec.availabilityZones)
  )
    out.push(
      `Availability Zones are ${existing.availabilityZones.join(', ')}, not ${spec.availabilityZones.join(', ')}`,
    )
  if (spec.securityGroups.length && !sameSet(existing.securityGroups, spec.securityGroups))
    out.push(
      `security groups are ${existing.securityGroups.join(', ') || 'none'}, not ${spec.securityGroups.join(', ')}`,
    )
  return out
}

function differentConfiguration(name: string, differences: string[]): RuntimeError {
  return new RuntimeError(
    `Load balancer ${name} already exists with a different configuration: ${differences.join('; ')}.`,
    'Use another --name, change the flags to match it, or `elbx destroy --name ' + name + '` first.',
    {differences},
  )
}

export interface EnsureLoadBalancerOptions {
  /** The listeners name a certificate uploaded moments ago: retry CertificateNotFound while IAM propagates it. */
  certificateJustUploaded?: boolean
  clock?: Clock
  signal?: AbortSignal
  onRetry?: (delayMs: number) => void
  /** Told as soon as CreateLoadBalancer succeeds, so anything failing after it rolls the load balancer back. */
  onCreated?: () => void
  /** This run's mark (Rollback.mark): set as a tag at creation, never compared on a rerun. */
  runMark?: Tag | undefined
}

/**
 * True when the load balancer carries this run's mark. AWS accepts an identical CreateLoadBalancer
 * from two runs at once, so both believe they created it; the mark it carries names the one that
 * may roll it back. A load balancer already gone is nothing to roll back, so it counts as ours.
 */
export async function loadBalancerMadeByRun(elb: ElbGateway, name: string, mark: Tag): Promise<boolean> {
  try {
    return carriesRunMark(await elb.describeTags(name), mark)
  } catch (error) {
    if (isAwsError(error, 'LoadBalancerNotFound')) return true
    throw error
  }
}

/**
 * The rollback journal's entry for a load balancer this run created: removed only while it still
 * carries this run's mark (another run's identical CreateLoadBalancer may have made it its own).
 */
export function loadBalancerResource(elb: ElbGateway, name: string, region: string, mark: Tag): Resource {
  return {
    kind: 'load-balancer',
    id: name,
    remove: () => elb.deleteLoadBalancer(name),
    removeCommand: deleteLoadBalancerCommand(name, region),
    stillOurs: () => loadBalancerMadeByRun(elb, name, mark),
  }
}

/**
 * CreateLoadBalancer with its listeners, or nothing when a load balancer of that name already has
 * this configuration ("unchanged"). A different configuration is an error naming each difference.
 */
export async function ensureLoadBalancer(
  elb: ElbGateway,
  spec: LoadBalancerSpec,
  options: EnsureLoadBalancerOptions = {},
): Promise<EnsuredLoadBalancer> {
  const existing = await elb.describeLoadBalancer(spec.name)
  if (existing) return unchangedOrError(existing, spec)
  const tags = [...spec.tags, ...(options.runMark ? [options.runMark] : [])]
  const create = () =>
    elb.createLoadBalancer({
      name: spec.name,
      listeners: spec.listeners,
      ...(spec.subnets.length ? {subnets: spec.subnets} : {availabilityZones: spec.availabilityZones}),
      ...(spec.securityGroups.length ? {securityGroups: spec.securityGroups} : {}),
      scheme: spec.scheme,
      ...(tags.length ? {tags} : {}),
    })
  try {
    const {dnsName} = options.certificateJustUploaded
      ? await retryWhileCertificatePropagates(create, {
          ...(options.clock ? {clock: options.clock} : {}),
          ...(options.signal ? {signal: options.signal} : {}),
          ...(options.onRetry ? {onRetry: options.onRetry} : {}),
        })
      : await create()
    options.onCreated?.()
    return {dnsName, created: true}
  } catch (error) {
    // Someone created it between our describe and create. AWS accepts an identical
    // CreateLoadBalancer (and then we never get here: both runs believe they created it, and
    // loadBalancerResource lets only the one whose mark it carries roll it back); a different one
    // is DuplicateLoadBalancerName, as is any retry on an endpoint that refuses identical ones.
    if (!isAwsError(error, 'DuplicateLoadBalancerName')) throw error
    const raced = await elb.describeLoadBalancer(spec.name)
    if (!raced) throw error
    const unchanged = unchangedOrError(raced, spec)
    // This run's first attempt made it and its answer was lost (the SDK retried): ours to finish
    // and, on failure, to roll back.
    if (options.runMark && (await loadBalancerMadeByRun(elb, spec.name, options.runMark))) {
      options.onCreated?.()
      return {dnsName: raced.dnsName, created: true}
    }
    return unchanged
  }
}

function unchangedOrError(existing: LoadBalancer, spec: LoadBalancerSpec): EnsuredLoadBalancer {
  const differences = loadBalancerDifferences(existing, spec)
  if (differences.length) throw differentConfiguration(spec.name, differences)
  return {dnsName: existing.dnsName, created: false, existing}
}

export const deleteLoadBalancerCommand = (name: string, region: string) =>
  `aws elb delete-load-balancer --load-balancer-name ${name} --region ${region}`
