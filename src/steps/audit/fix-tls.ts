/**
 * `elbx audit --fix tls`: for the listeners the audit found below --min-tls, on weak ciphers or on
 * AWS's default policy, the in-place change `elbx policy ssl` makes, planned on the engine: a
 * policy of the load balancer's own that references the predefined policy (created once per load
 * balancer), then each listener's policy list with its SSL negotiation policy swapped and every
 * other policy kept. Plain data in, actions out; applying is per load balancer, so one that fails
 * does not stop the others.
 */
import type {PlannedRequest} from '../../aws/dry-run.js'
import {toStepError} from '../../aws/errors.js'
import type {Gateways} from '../../aws/gateways.js'
import {InvalidInputError} from '../../errors.js'
import {isSslNegotiationPolicy} from '../../policy/listener-policies.js'
import {RECOMMENDED_SSL_POLICY, findPredefinedSslPolicy} from '../../policy/predefined-ssl-policies.js'
import {SSL_NEGOTIATION_POLICY_TYPE} from '../../policy/ssl-attributes.js'
import {applyChange} from '../engine/change-flow.js'
import {limitConcurrency} from '../engine/limit.js'
import {STEP, type Action} from '../engine/plan.js'
import {Rollback, runWithRollback} from '../rollback.js'
import {
  defaultSslPolicyName,
  policyMatchesSpec,
  sslPolicyAttributes,
  type SslPolicySpec,
} from '../ssl-policy.js'
import {RULES, type Finding} from './finding.js'
import type {TlsVersion} from './facts.js'
import type {LocatedFacts} from './index.js'
import {protocolsBelow} from './rules/tls.js'

/** The findings --fix tls acts on. */
export const TLS_FIX_RULES: ReadonlySet<string> = new Set([
  RULES.tlsBelowMinimum,
  RULES.weakCipher,
  RULES.awsDefaultSslPolicy,
])

/** One load balancer's part of the plan. */
export interface TlsFixPlan {
  profile: string
  region: string
  loadBalancerName: string
  loadBalancerPorts: number[]
  policyName: string
  actions: Action[]
  /** Why the load balancer cannot be changed (the plan is then empty). */
  refused?: string
}

/** The listener ports of each load balancer that a TLS finding names. */
export function listenersToFix(findings: readonly Finding[]): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const f of findings) {
    if (!TLS_FIX_RULES.has(f.rule) || !f.loadBalancerName || f.loadBalancerPort === undefined) continue
    const key = fixKey(f.profile, f.region, f.loadBalancerName)
    const ports = out.get(key) ?? []
    if (!ports.includes(f.loadBalancerPort)) ports.push(f.loadBalancerPort)
    out.set(key, ports)
  }
  return out
}

export const fixKey = (profile: string, region: string, name: string) => `${profile}/${region}/${name}`

/** The actions that put `spec` on the given listeners of one load balancer, keeping their other policies. */
export function planTlsFix(facts: LocatedFacts, ports: readonly number[], spec: SslPolicySpec): TlsFixPlan {
  const lb = facts.loadBalancer
  const policyName = defaultSslPolicyName(spec)
  const base = {
    profile: facts.profile,
    region: facts.region,
    loadBalancerName: lb.name,
    loadBalancerPorts: [...ports].sort((a, b) => a - b),
    policyName,
  }
  const byName = new Map(facts.policies.map((p) => [p.name, p]))
  const existing = byName.get(policyName)
  if (existing && !policyMatchesSpec(existing, spec))
    return {
      ...base,
      actions: [],
      refused: `it already has a policy named ${policyName} with other settings (AWS policies cannot be changed in place)`,
    }
  const exists = existing !== undefined || lb.policies.other.includes(policyName)
  const createId = `create-policy:${policyName}`
  const actions: Action[] = []
  if (!exists)
    actions.push({
      id: createId,
      step: STEP.sslPolicy,
      call: {
        operation: 'CreateLoadBalancerPolicy',
        loadBalancerName: lb.name,
        policyName,
        policyTypeName: SSL_NEGOTIATION_POLICY_TYPE,
        attributes: sslPolicyAttributes(spec),
      },
      target: `policy ${policyName} (${SSL_NEGOTIATION_POLICY_TYPE})`,
      why:
        spec.kind === 'predefined'
          ? `reference the predefined ${spec.name} from a policy of ${lb.name}`
          : 'the custom protocols and ciphers',
      dependsOn: [],
    })
  for (const port of base.loadBalancerPorts) {
    const before = lb.listeners.find((d) => d.listener.loadBalancerPort === port)?.policyNames
    if (!before) continue
    const ssl = before.filter((n) => isSslNegotiationPolicy(n, byName))
    if (ssl.length === 1 && ssl[0] === policyName) continue
    const kept = before.filter((n) => !ssl.includes(n))
    actions.push({
      id: `set-listener-policies:${port}`,
      step: STEP.sslPolicy,
      call: {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: lb.name,
        loadBalancerPort: port,
        policyNames: [...kept, policyName],
      },
      target: `listener ${port} of ${lb.name}`,
      why: `its SSL negotiation policy is ${ssl.join(', ') || "AWS's default"}, not ${policyName}${kept.length ? ` (keeping ${kept.join(', ')})` : ''}`,
      dependsOn: exists ? [] : [createId],
      restore: [
        {
          operation: 'SetLoadBalancerPoliciesOfListener',
          loadBalancerName: lb.name,
          loadBalancerPort: port,
          policyNames: before,
        },
      ],
    })
  }
  return {...base, actions}
}

/** The plan for every load balancer the findings name. */
export function planTlsFixes(
  facts: readonly LocatedFacts[],
  findings: readonly Finding[],
  spec: SslPolicySpec,
): TlsFixPlan[] {
  const wanted = listenersToFix(findings)
  return facts.flatMap((f) => {
    const ports = wanted.get(fixKey(f.profile, f.region, f.loadBalancer.name))
    return ports ? [planTlsFix(f, ports, spec)] : []
  })
}

/** What --fix did to one load balancer. */
export interface TlsFixOutcome {
  profile: string
  region: string
  loadBalancerName: string
  status: 'changed' | 'unchanged' | 'failed'
  loadBalancerPorts: number[]
  policyName: string
  /** Why it failed, or why it was refused. */
  reason?: string
  /** After a failure: what of this load balancer's change was undone, and what could not be (with its command). */
  rollback?: string[]
}

/**
 * Applies each load balancer's plan on its own gateways through the engine's change runner: a
 * failure undoes that load balancer's own requests (the created policy deleted, each listener's
 * policies set back) and is its outcome, not the run's.
 */
export async function applyTlsFixes(
  plans: readonly TlsFixPlan[],
  gatewaysFor: (profile: string, region: string) => Gateways,
  options: {
    concurrency: number
    /** The aws CLI command for a request, printed for whatever a failed undo leaves behind. */
    commandFor: (request: PlannedRequest) => string
    signal?: AbortSignal
    onDone?: (outcome: TlsFixOutcome) => void
  },
): Promise<TlsFixOutcome[]> {
  // One load balancer's requests follow its plan; several load balancers change at once, within the bound.
  const atOnce = limitConcurrency(options.concurrency)
  return Promise.all(
    plans.map((plan) =>
      atOnce(async (): Promise<TlsFixOutcome> => {
        const base = {
          profile: plan.profile,
          region: plan.region,
          loadBalancerName: plan.loadBalancerName,
          loadBalancerPorts: plan.loadBalancerPorts,
          policyName: plan.policyName,
        }
        let outcome: TlsFixOutcome
        if (plan.refused) outcome = {...base, status: 'failed', reason: plan.refused}
        else if (plan.actions.length === 0) outcome = {...base, status: 'unchanged'}
        else {
          const rollback = new Rollback()
          const undone: string[] = []
          try {
            await runWithRollback(
              rollback,
              () =>
                applyChange(plan.actions, {
                  gateways: gatewaysFor(plan.profile, plan.region),
                  rollback,
                  commandFor: options.commandFor,
                  ...(options.signal ? {signal: options.signal} : {}),
                }).catch((failure: {error?: unknown}) => {
                  throw failure.error ?? failure
                }),
              {enabled: true, step: `Fix TLS on ${plan.loadBalancerName}`, report: (l) => undone.push(...l)},
            )
            outcome = {...base, status: 'changed'}
          } catch (error) {
            if (options.signal?.aborted) throw error
            outcome = {
              ...base,
              status: 'failed',
              reason: toStepError(`Fix TLS on ${plan.loadBalancerName}`, error).message,
              ...(undone.length ? {rollback: undone} : {}),
            }
          }
        }
        options.onDone?.(outcome)
        return outcome
      }),
    ),
  )
}

/**
 * The --to policy, checked before any request: one of AWS's predefined policies whose protocols
 * elbx knows, none of them below --min-tls (or a rerun would find the same listeners again).
 */
export function checkFixTarget(name: string, minTls: TlsVersion): {kind: 'predefined'; name: string} {
  const entry = findPredefinedSslPolicy(name)
  if (!entry)
    throw new InvalidInputError(
      `--to ${name} is not one of AWS's predefined SSL security policies.`,
      `Use e.g. --to ${RECOMMENDED_SSL_POLICY} (elbx policy ssl --list shows them).`,
    )
  if (!entry.protocols)
    throw new InvalidInputError(
      `--to ${entry.name}: AWS no longer documents which protocols it enables, so elbx cannot tell that it passes the audit.`,
      `Use e.g. --to ${RECOMMENDED_SSL_POLICY} (elbx policy ssl --list shows them).`,
    )
  const below = protocolsBelow(entry.protocols, minTls)
  if (below.length)
    throw new InvalidInputError(
      `--to ${entry.name} enables ${below.join(', ')}, older than --min-tls ${minTls}: the listeners would still fail the audit.`,
      `Use --to ${RECOMMENDED_SSL_POLICY}, or lower --min-tls.`,
    )
  return {kind: 'predefined', name: entry.name}
}
