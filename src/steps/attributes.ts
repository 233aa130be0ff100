import type {LoadBalancerAttributes} from '../model.js'
import type {DesiredAttributes} from '../validate/attributes.js'

const crossZoneText = (enabled: boolean) => `cross-zone ${enabled ? 'on' : 'off'}`
const drainingText = (d: DesiredAttributes['connectionDraining']) =>
  d.enabled ? `connection draining ${d.timeout ?? 300} s` : 'connection draining off'
const idleTimeoutText = (seconds: number) => `idle timeout ${seconds} s`

/** The differences between the load balancer's attributes and the wanted ones, as modify-ready parts. */
export function attributeChanges(
  current: LoadBalancerAttributes,
  desired: DesiredAttributes,
): {changes: Partial<LoadBalancerAttributes>; described: string[]} {
  const changes: Partial<LoadBalancerAttributes> = {}
  const described: string[] = []
  if (current.crossZoneLoadBalancing !== desired.crossZoneLoadBalancing) {
    changes.crossZoneLoadBalancing = desired.crossZoneLoadBalancing
    described.push(crossZoneText(desired.crossZoneLoadBalancing))
  }
  const d = desired.connectionDraining
  const c = current.connectionDraining
  if (c.enabled !== d.enabled || (d.enabled && c.timeout !== d.timeout)) {
    changes.connectionDraining = d
    described.push(drainingText(d))
  }
  if (current.idleTimeout !== desired.idleTimeout) {
    changes.idleTimeout = desired.idleTimeout
    described.push(idleTimeoutText(desired.idleTimeout))
  }
  return {changes, described}
}

const describeEach = (a: DesiredAttributes) => [
  crossZoneText(a.crossZoneLoadBalancing),
  drainingText(a.connectionDraining),
  idleTimeoutText(a.idleTimeout),
]

/** "cross-zone on, connection draining 300 s, idle timeout 60 s" */
export function describeAttributes(a: DesiredAttributes): string {
  return describeEach(a).join(', ')
}
