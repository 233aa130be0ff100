/**
 * `elbx export`: reads load balancers whole (description, policies by name, attributes, tags) and
 * writes each as a spec. One load balancer takes two rounds of requests; --all lists the Region
 * once, then reads every load balancer's policies and attributes together (bounded) and the tags
 * 20 names a request.
 */
import {DESCRIBE_TAGS_MAX_NAMES, type Gateways} from '../aws/gateways.js'
import type {LoadBalancer} from '../model.js'
import type {LoadBalancerSpec} from '../validate/spec-schema.js'
import {describeNamedPolicies} from './engine/observe.js'
import {DEFAULT_CONCURRENCY, limitConcurrency} from './engine/limit.js'
import {specFromObserved} from './engine/spec.js'
import {loadBalancerNotFound} from './find-load-balancer.js'

/** The named load balancer as a spec; LoadBalancerNotFound (exit 1) when there is none. */
export async function exportSpec(gateways: Gateways, name: string): Promise<LoadBalancerSpec> {
  const lb = await gateways.elb.describeLoadBalancer(name)
  if (!lb) throw loadBalancerNotFound(name)
  const [spec] = await exportLoadBalancers(gateways, [lb])
  return spec!
}

/** Every load balancer of the Region as a spec, by name. */
export async function exportAll(gateways: Gateways): Promise<LoadBalancerSpec[]> {
  const all = await gateways.elb.listLoadBalancers()
  return exportLoadBalancers(
    gateways,
    [...all].sort((a, b) => a.name.localeCompare(b.name)),
  )
}

async function exportLoadBalancers(gateways: Gateways, lbs: LoadBalancer[]): Promise<LoadBalancerSpec[]> {
  const run = limitConcurrency(DEFAULT_CONCURRENCY)
  const batches: string[][] = []
  for (let i = 0; i < lbs.length; i += DESCRIBE_TAGS_MAX_NAMES)
    batches.push(lbs.slice(i, i + DESCRIBE_TAGS_MAX_NAMES).map((lb) => lb.name))
  const [tagMaps, read] = await Promise.all([
    Promise.all(batches.map((batch) => run(() => gateways.elb.describeTagsOf(batch)))),
    Promise.all(
      lbs.map((lb) =>
        Promise.all([
          describeNamedPolicies(gateways, lb, run),
          run(() => gateways.elb.describeAttributes(lb.name)),
        ]),
      ),
    ),
  ])
  const tags = new Map(tagMaps.flatMap((m) => [...m]))
  return lbs.map((loadBalancer, i) =>
    specFromObserved({
      loadBalancer,
      policies: read[i]![0],
      attributes: read[i]![1],
      tags: tags.get(loadBalancer.name) ?? [],
    }),
  )
}
