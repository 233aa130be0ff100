/** Rules about the registered instances: none at all, or none InService (the load balancer serves nothing). */
import {RULES, type RuleFinding} from '../finding.js'
import type {LoadBalancerFacts} from '../facts.js'

export function instances(facts: LoadBalancerFacts): RuleFinding[] {
  const {name, instanceIds} = facts.loadBalancer
  if (instanceIds.length === 0)
    return [
      {
        rule: RULES.noInstances,
        severity: 'warning',
        resource: `load balancer ${name}`,
        message: 'No instances are registered: the load balancer answers every request with 503.',
        fix: `elbx register --name ${name} --instances INSTANCE_ID (or delete it with elbx destroy --name ${name})`,
      },
    ]
  const health = facts.instanceHealth
  if (!health || health.some((h) => h.state === 'InService')) return []
  const states = health.map(
    (h) =>
      `${h.instanceId} ${h.state}${h.description && h.description !== 'N/A' ? ` (${h.description})` : ''}`,
  )
  return [
    {
      rule: RULES.noInstanceInService,
      severity: 'error',
      resource: `load balancer ${name}`,
      message: `None of the ${health.length} registered instance(s) is InService: ${states.join('; ')}.`,
      fix: `elbx health --name ${name} shows why; fix the instances or the health check target.`,
    },
  ]
}
