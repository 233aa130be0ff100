/** A security group that admits the whole internet on ports no listener uses: open for no reason. */
import type {IngressRule} from '../../../model.js'
import {formatPortRange} from '../../security-group.js'
import {RULES, type RuleFinding} from '../finding.js'
import type {LoadBalancerFacts} from '../facts.js'

const ANYWHERE = new Set(['0.0.0.0/0', '::/0'])

/** The parts of a port range that are not listener ports, as ranges. */
export function portsBesides(
  rule: Pick<IngressRule, 'fromPort' | 'toPort'>,
  used: readonly number[],
): {fromPort: number; toPort: number}[] {
  const out: {fromPort: number; toPort: number}[] = []
  let start = rule.fromPort
  for (const port of [...new Set(used)].sort((a, b) => a - b)) {
    if (port < start || port > rule.toPort) continue
    if (port > start) out.push({fromPort: start, toPort: port - 1})
    start = port + 1
  }
  if (start <= rule.toPort) out.push({fromPort: start, toPort: rule.toPort})
  return out
}

const ALL_PORTS = (r: Pick<IngressRule, 'fromPort' | 'toPort'>) => r.fromPort === 0 && r.toPort === 65535

/** The aws CLI command that removes the rule (the group's ingress is then re-admitted for the listener ports only). */
function revokeCommand(groupId: string, rule: IngressRule): string {
  const protocol = ALL_PORTS(rule)
    ? 'IpProtocol=-1'
    : `IpProtocol=tcp,FromPort=${rule.fromPort},ToPort=${rule.toPort}`
  const range = rule.cidr.includes(':')
    ? `Ipv6Ranges=[{CidrIpv6=${rule.cidr}}]`
    : `IpRanges=[{CidrIp=${rule.cidr}}]`
  return `aws ec2 revoke-security-group-ingress --group-id ${groupId} --ip-permissions '${protocol},${range}'`
}

export function openPortsUnused(facts: LoadBalancerFacts): RuleFinding[] {
  const used = [...new Set(facts.loadBalancer.listeners.map((d) => d.listener.loadBalancerPort))].sort(
    (a, b) => a - b,
  )
  const out: RuleFinding[] = []
  for (const group of facts.securityGroups) {
    for (const rule of group.ingress) {
      if (!ANYWHERE.has(rule.cidr)) continue
      const extra = portsBesides(rule, used)
      if (extra.length === 0) continue
      const ranges = extra.map((r) => formatPortRange({...rule, ...r})).join(', ')
      out.push({
        rule: RULES.openPortUnused,
        severity: 'warning',
        resource: `security group ${group.groupId}`,
        message: `${group.groupId} (${group.groupName}) admits ${rule.cidr} on ${ALL_PORTS(rule) ? 'all traffic' : `TCP ${formatPortRange(rule)}`}, including ${ranges} where no listener listens (listener ports: ${used.join(', ') || 'none'}).`,
        fix: `${revokeCommand(group.groupId, rule)}, then admit ${rule.cidr} on the listener ports only`,
      })
    }
  }
  return out
}
