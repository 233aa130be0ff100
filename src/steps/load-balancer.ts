import type {ElbGateway} from '../aws/gateways.js'
import {isAwsError} from '../aws/errors.js'
import type {Listener, LoadBalancer, Scheme, Tag} from '../model.js'
import {formatListener} from '../validate/listener.js'
import {carriesRunMark, type Resource} from './rollback.js'

/** The load balancer as this run wants it (certificates already resolved to ARNs). */
export interface LoadBalancerSpec {
  name: string
  listeners: Listener[]
  scheme: Scheme
  subnets: string[]
  availabilityZones: string[]
  securityGroups: string[]
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

export const deleteLoadBalancerCommand = (name: string, region: string) =>
  `aws elb delete-load-balancer --load-balancer-name ${name} --region ${region}`
