/**
 * Rules about the load balancer's attributes. The API's defaults are not the console's: a load
 * balancer made with the CLI or an SDK has cross-zone load balancing and connection draining off.
 */
import {RULES, type RuleFinding} from '../finding.js'
import type {LoadBalancerFacts} from '../facts.js'

const modify = (name: string, json: string) =>
  `aws elb modify-load-balancer-attributes --load-balancer-name ${name} --load-balancer-attributes '${json}'`

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
      fix: modify(name, '{"CrossZoneLoadBalancing":{"Enabled":true}}'),
    })
  if (!a.connectionDraining.enabled)
    out.push({
      rule: RULES.connectionDrainingDisabled,
      severity: 'warning',
      resource,
      message: 'Connection draining is off: deregistering an instance cuts its requests in flight.',
      fix: modify(name, '{"ConnectionDraining":{"Enabled":true,"Timeout":300}}'),
    })
  if (!a.accessLog?.enabled)
    out.push({
      rule: RULES.accessLogsDisabled,
      severity: 'info',
      resource,
      message: 'Access logs are off: requests leave no record to investigate later.',
      fix:
        modify(name, '{"AccessLog":{"Enabled":true,"S3BucketName":"BUCKET","EmitInterval":60}}') +
        " (the bucket policy must allow the Region's ELB account)",
    })
  return out
}
