/**
 * What `elbx diff -f` and `elbx apply -f` share: one load balancer of a spec file, from its checked
 * spec to the plan, with every read before anything is decided (observe reads the policies and
 * tags whole, as --prune may remove them).
 */
import type {Gateways} from '../../aws/gateways.js'
import {checkCreateInputRegion} from '../../validate/create-input.js'
import type {CheckedSpec} from '../../validate/spec.js'
import {checkDesired, type DesiredLoadBalancer} from './desired.js'
import {differences, planSpec, type Difference, type SpecPlan} from './drift.js'
import {observe, type Observed} from './observe.js'
import {desiredFromSpec, settleDesired} from './spec.js'

export interface SpecRun {
  spec: CheckedSpec
  /** The desired state as the spec gives it. */
  named: DesiredLoadBalancer
  /** As the plan sees it: what is already so by content left out. */
  desired: DesiredLoadBalancer
  observed: Observed
  plan: SpecPlan
  differences: Difference[]
}

/** Observes, settles and plans one load balancer of a spec. */
export async function planFromSpec(
  gateways: Gateways,
  spec: CheckedSpec,
  options: {prune: boolean; now?: Date},
): Promise<SpecRun> {
  const named = checkDesired(desiredFromSpec(spec))
  // The Region is known: an ACM certificate or an Availability Zone of another is refused before any request.
  checkCreateInputRegion(named, gateways.region)
  const observed = await observe(gateways, named, {whole: true})
  const desired = settleDesired(named, spec, observed)
  const plan = planSpec(desired, named, observed, options)
  return {spec, named, desired, observed, plan, differences: differences(plan, observed, named.name)}
}
