/**
 * Rules about what the listeners carry: no secure listener at all, plain HTTP to the instances
 * behind HTTPS, and a health check that pings a port no listener sends traffic to.
 */
import type {Listener} from '../../../model.js'
import {parseHealthCheckTarget} from '../../../validate/health-check.js'
import {formatListener, isSecure} from '../../../validate/listener.js'
import {RULES, type RuleFinding} from '../finding.js'
import type {LoadBalancerFacts} from '../facts.js'

const listenersOf = (facts: LoadBalancerFacts): Listener[] =>
  facts.loadBalancer.listeners.map((d) => d.listener)

/** No HTTPS or SSL listener: every client connection is unencrypted. */
export function httpOnly(facts: LoadBalancerFacts): RuleFinding[] {
  const listeners = listenersOf(facts)
  if (listeners.length === 0 || listeners.some((l) => isSecure(l.protocol))) return []
  const name = facts.loadBalancer.name
  return [
    {
      rule: RULES.httpOnly,
      severity: 'warning',
      resource: `listeners ${listeners.map((l) => l.loadBalancerPort).join(', ')}`,
      message: `No HTTPS or SSL listener (${listeners.map(formatListener).join('; ')}): clients connect unencrypted.`,
      fix: `elbx listener add --name ${name} --listener https:443:http:${listeners[0]!.instancePort} --certificate CERTIFICATE_ARN`,
    },
  ]
}

/** HTTPS or SSL from clients, then plain HTTP or TCP to the instances: information, often deliberate. */
export function backendPlainHttp(facts: LoadBalancerFacts): RuleFinding[] {
  return listenersOf(facts)
    .filter((l) => isSecure(l.protocol) && !isSecure(l.instanceProtocol))
    .map((l) => ({
      rule: RULES.backendPlainHttp,
      severity: 'info' as const,
      resource: `listener ${l.loadBalancerPort}`,
      loadBalancerPort: l.loadBalancerPort,
      message: `${formatListener(l)}: traffic is decrypted at the load balancer and sent to the instances in plain ${l.instanceProtocol}.`,
      fix: `If the instances' network is not trusted, send ${l.protocol} to the instances (a listener ${l.protocol}:${l.loadBalancerPort} -> ${l.protocol}:${l.instancePort}) and enable back-end authentication with elbx policy backend-auth.`,
    }))
}

/** The health check pings a port no listener sends to: instances pass while the port that serves traffic is down. */
export function healthCheckPortUnused(facts: LoadBalancerFacts): RuleFinding[] {
  const {healthCheck, name} = facts.loadBalancer
  const listeners = listenersOf(facts)
  if (!healthCheck || listeners.length === 0) return []
  let port: number
  let path: string
  try {
    const target = parseHealthCheckTarget(healthCheck.target)
    port = target.port
    path = target.path ?? ''
  } catch {
    return []
  }
  if (listeners.some((l) => l.instancePort === port)) return []
  const first = listeners[0]!
  const ports = [...new Set(listeners.map((l) => l.instancePort))].sort((a, b) => a - b)
  const protocol = first.instanceProtocol
  const suggested = `${protocol}:${first.instancePort}${protocol === 'HTTP' || protocol === 'HTTPS' ? path || '/' : ''}`
  return [
    {
      rule: RULES.healthCheckPortUnused,
      severity: 'warning',
      resource: `health check ${healthCheck.target}`,
      message: `The health check pings instance port ${port}, but the listeners send traffic to instance port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}: an instance can pass while the port that serves traffic is down.`,
      fix: `elbx health --name ${name} --health-check ${suggested}`,
    },
  ]
}
