/**
 * Rules about the load balancer's attributes. The API's defaults are not the console's: a load
 * balancer made with the CLI or an SDK has cross-zone load balancing and connection draining off.
 */
import {RULES, type RuleFinding} from '../finding.js'
import type {LoadBalancerFacts} from '../facts.js'

const attributesCommand = (name: string, flags: string) => `elbx attributes --name ${name} ${flags} --yes`

export function attributes(facts: LoadBalancerFacts): RuleFinding[] {
  const a = facts.attributes
  if (!a) return []
  const name = facts.loadBalancer.name
  const resource = `load balancer ${name}`
  const out: RuleFinding[] = []
  if (!a.crossZoneLoadBalancing && facts.loadBalancer.availabilityZones.length > 1)
    out.push({
      rule: RULES.crossZoneDisabled,
      severity: 'warning',
      resource,
      message: `Cross-zone load balancing is off: each of its ${facts.loadBalancer.availabilityZones.length} Availability Zones gets an equal share of traffic, however many instances it has.`,
      fix: attributesCommand(name, '--cross-zone'),
    })
  if (!a.connectionDraining.enabled)
    out.push({
      rule: RULES.connectionDrainingDisabled,
      severity: 'warning',
      resource,
      message: 'Connection draining is off: deregistering an instance cuts its requests in flight.',
      fix: attributesCommand(name, '--connection-draining 300'),
    })
  if (!a.accessLog?.enabled)
    out.push({
      rule: RULES.accessLogsDisabled,
      severity: 'info',
      resource,
      message: 'Access logs are off: requests leave no record to investigate later.',
      fix: `${attributesCommand(name, '--access-logs s3://BUCKET/PREFIX')} (the bucket policy must allow the Region's ELB account)`,
    })
  return out
}
