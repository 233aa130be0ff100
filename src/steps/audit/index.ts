/**
 * `elbx audit` as a plain function: every Region of every profile collected concurrently (within a
 * bound), every rule applied to every load balancer, the findings sorted for the report. A Region
 * that cannot be read is one finding; only an audit in which no Region could be read fails.
 */
import {toStepError} from '../../aws/errors.js'
import type {Gateways} from '../../aws/gateways.js'
import {throwIfInterrupted} from '../../errors.js'
import type {Tag} from '../../model.js'
import {limitConcurrency} from '../engine/limit.js'
import {certificateFacts} from './certificate-facts.js'
import {collectRegion, type CertificateCache} from './collect.js'
import type {AuditRuleOptions, LoadBalancerFacts} from './facts.js'
import {RULES, countBySeverity, sortFindings, type Finding, type Severity} from './finding.js'
import {AUDIT_RULES} from './rules/index.js'

/** One account in one Region, connected. */
export interface AuditTarget {
  profile: string
  region: string
  gateways: Gateways
}

export interface AuditOptions extends AuditRuleOptions {
  namePrefix?: string
  /** Requests in flight at once per Region and account (ELB's request rate is per account and Region). */
  concurrency: number
  /** Regions (and accounts) audited at once. */
  regionsAtOnce: number
  pageSize?: number
  now: Date
  signal?: AbortSignal
  /** Told as each Region's counts change (the progress bar). */
  onProgress?: (target: AuditTarget, counts: {found: number; read: number; done: boolean}) => void
}

/** One audited load balancer in the report. */
export interface AuditedLoadBalancer {
  profile: string
  region: string
  name: string
  dnsName: string
  tags: Tag[]
  findings: number
}

export interface AuditedRegion {
  profile: string
  region: string
  loadBalancers: number
  pages: number
  /** Set when the Region could not be audited (its finding says why). */
  failed?: string
}

export interface AuditReport {
  regions: AuditedRegion[]
  loadBalancers: AuditedLoadBalancer[]
  findings: Finding[]
  counts: Record<Severity, number>
}

/** Every rule over one load balancer, with where it was found, and its failed reads as findings. */
export function evaluate(
  facts: LoadBalancerFacts,
  where: {profile: string; region: string},
  options: AuditRuleOptions,
): Finding[] {
  const loadBalancerName = facts.loadBalancer.name
  const found = AUDIT_RULES.flatMap((rule) => rule(facts, options))
  const readFailures = facts.readErrors.map((e) => ({
    rule: RULES.readFailed,
    severity: 'warning' as const,
    resource: `load balancer ${loadBalancerName}`,
    message: `${e.message} (what depends on it was not judged).`,
    fix: `Allow ${where.profile === 'default' ? 'these credentials' : `profile ${where.profile}`} ${e.operation} (read-only) and audit again.`,
  }))
  return [...found, ...readFailures].map((f) => ({...where, loadBalancerName, ...f}))
}

/** A load balancer's facts with where they were read (what --fix plans from). */
export type LocatedFacts = LoadBalancerFacts & {profile: string; region: string}

/** The report, and the facts behind it. */
export interface AuditRun {
  report: AuditReport
  facts: LocatedFacts[]
}

const key = (profile: string, region: string, name = '') => `${profile}\u0000${region}\u0000${name}`

export async function runAudit(targets: AuditTarget[], options: AuditOptions): Promise<AuditRun> {
  const atOnce = limitConcurrency(Math.max(1, options.regionsAtOnce))
  const certificates: CertificateCache = new Map()
  const failures: unknown[] = []
  const results = await Promise.all(
    targets.map((target) =>
      atOnce(async () => {
        const where = {profile: target.profile, region: target.region}
        let last = {found: 0, read: 0}
        try {
          const facts = await collectRegion(target.gateways, {
            profile: target.profile,
            concurrency: options.concurrency,
            certificates,
            certificateFacts: (body) => certificateFacts(body, options.now),
            ...(options.namePrefix ? {namePrefix: options.namePrefix} : {}),
            ...(options.pageSize ? {pageSize: options.pageSize} : {}),
            ...(options.signal ? {signal: options.signal} : {}),
            onProgress: (c) => {
              last = c
              options.onProgress?.(target, {...c, done: false})
            },
          })
          return {
            region: {...where, loadBalancers: facts.loadBalancers.length, pages: facts.pages},
            facts: facts.loadBalancers,
            findings: facts.loadBalancers.flatMap((f) => evaluate(f, where, options)),
          }
        } catch (error) {
          throwIfInterrupted(options.signal)
          failures.push(error)
          const message = toStepError(`Audit of ${target.region}`, error).message
          const finding: Finding = {
            ...where,
            rule: RULES.regionFailed,
            severity: 'error',
            resource: `Region ${target.region}`,
            message,
            fix: `Check that ${target.profile === 'default' ? 'these credentials' : `profile ${target.profile}`} can call elasticloadbalancing:DescribeLoadBalancers in ${target.region} (or leave the Region out of --regions).`,
          }
          return {
            region: {...where, loadBalancers: 0, pages: 0, failed: message},
            facts: [],
            findings: [finding],
          }
        } finally {
          options.onProgress?.(target, {...last, done: true})
        }
      }),
    ),
  )
  // Not one Region could be read: nothing was audited, which is an error, not a report.
  if (targets.length && failures.length === targets.length) throw failures[0]
  const findings = sortFindings(results.flatMap((r) => r.findings))
  const perLoadBalancer = new Map<string, number>()
  for (const f of findings) {
    const k = key(f.profile, f.region, f.loadBalancerName)
    perLoadBalancer.set(k, (perLoadBalancer.get(k) ?? 0) + 1)
  }
  const facts: LocatedFacts[] = results.flatMap((r) =>
    r.facts.map((f) => ({...f, profile: r.region.profile, region: r.region.region})),
  )
  return {
    report: {
      regions: results.map((r) => r.region),
      loadBalancers: facts.map((f) => ({
        profile: f.profile,
        region: f.region,
        name: f.loadBalancer.name,
        dnsName: f.loadBalancer.dnsName,
        tags: f.tags,
        findings: perLoadBalancer.get(key(f.profile, f.region, f.loadBalancer.name)) ?? 0,
      })),
      findings,
      counts: countBySeverity(findings),
    },
    facts,
  }
}
