/**
 * The audit's reads, for one account (profile) in one Region, over injected gateways: every load
 * balancer (DescribeLoadBalancers page by page, following Marker), their tags (DescribeTags, 20
 * names a call), and for each one the policies its listeners and instance ports name (by name),
 * its attributes and its instances' health; the security groups of the Region's load balancers
 * in a few batched calls; each certificate ARN once for the whole run. Requests run concurrently
 * within a bound; the SDK's retries back off on throttling. A read that fails about one load
 * balancer is recorded with it (a finding, not a crash); only DescribeLoadBalancers failing
 * fails the Region.
 */
import {awsErrorCode, toStepError} from '../../aws/errors.js'
import {DESCRIBE_TAGS_MAX_NAMES, type Gateways} from '../../aws/gateways.js'
import {throwIfInterrupted} from '../../errors.js'
import type {LoadBalancer, SecurityGroup} from '../../model.js'
import {limitConcurrency} from '../engine/limit.js'
import {
  describeNamedPolicies,
  observeListenerCertificates,
  servedCertificateArns,
  type ObservedListenerCertificate,
} from '../engine/observe.js'
import type {CertificateFacts, LoadBalancerFacts} from './facts.js'

/** Security groups described per DescribeSecurityGroups call. */
export const GROUPS_PER_CALL = 100

/**
 * Certificates read once per account and ARN for the whole run (IAM is global, so every Region of
 * a profile serves the same IAM certificates; an ACM ARN names its Region).
 */
export type CertificateCache = Map<string, Promise<ObservedListenerCertificate>>

export interface CollectOptions {
  /** Which account this is, for the certificate cache: the profile name. */
  profile: string
  namePrefix?: string
  /** Requests in flight at once in this Region. */
  concurrency: number
  /** DescribeLoadBalancers PageSize (AWS allows up to 400). */
  pageSize?: number
  certificates: CertificateCache
  /** Reads a certificate's body into facts (src/pem does the X.509 part). */
  certificateFacts: (read: ObservedListenerCertificate) => CertificateFacts
  signal?: AbortSignal
  /** Told as load balancers are found and as each one has been read. */
  onProgress?: (event: {found: number; read: number}) => void
}

/** What the collector read in one Region. */
export interface RegionFacts {
  loadBalancers: LoadBalancerFacts[]
  /** DescribeLoadBalancers pages read (more than one when the Region has more than a page of load balancers). */
  pages: number
}

const problemOf = (operation: string, error: unknown) => toStepError(operation, error).message

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Every read about one Region's load balancers. Throws only when DescribeLoadBalancers fails (the Region is then a finding). */
export async function collectRegion(gateways: Gateways, options: CollectOptions): Promise<RegionFacts> {
  const run = limitConcurrency(options.concurrency)
  const {elb, ec2} = gateways
  const found: LoadBalancer[] = []
  const perLoadBalancer: Promise<LoadBalancerFacts>[] = []
  let read = 0
  let pages = 0
  const progress = () => options.onProgress?.({found: found.length, read})

  const readOne = async (lb: LoadBalancer): Promise<LoadBalancerFacts> => {
    const readErrors: LoadBalancerFacts['readErrors'] = []
    const attempt = async <T>(operation: string, work: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await work()
      } catch (error) {
        throwIfInterrupted(options.signal)
        if (!awsErrorCode(error) && !(error instanceof Error)) throw error
        readErrors.push({operation, message: problemOf(operation, error)})
        return undefined
      }
    }
    const arns = servedCertificateArns(lb)
    const [policies, attributes, instanceHealth, certificates] = await Promise.all([
      attempt('DescribeLoadBalancerPolicies', () => describeNamedPolicies(gateways, lb, run)),
      attempt('DescribeLoadBalancerAttributes', () => run(() => elb.describeAttributes(lb.name))),
      lb.instanceIds.length
        ? attempt('DescribeInstanceHealth', () => run(() => elb.describeInstanceHealth(lb.name)))
        : Promise.resolve([]),
      Promise.all(arns.map((arn) => certificateOnce(arn))),
    ])
    read++
    progress()
    return {
      loadBalancer: lb,
      tags: [],
      policies: policies ?? [],
      ...(attributes ? {attributes} : {}),
      ...(instanceHealth ? {instanceHealth} : {}),
      securityGroups: [],
      certificates,
      readErrors,
    }
  }

  const certificateOnce = async (arn: string): Promise<CertificateFacts> => {
    const key = `${options.profile}|${arn}`
    let body = options.certificates.get(key)
    if (!body) {
      body = observeListenerCertificates(gateways, [arn], run, {acmBody: true}).then(([read]) => read!)
      options.certificates.set(key, body)
    }
    return options.certificateFacts(await body)
  }

  // Pages follow one another (each names the next); the reads about a page's load balancers start at once.
  let marker: string | undefined
  do {
    throwIfInterrupted(options.signal)
    const page = await run(() =>
      elb.describeLoadBalancerPage({
        ...(marker ? {marker} : {}),
        ...(options.pageSize ? {pageSize: options.pageSize} : {}),
      }),
    )
    pages++
    const wanted = page.loadBalancers.filter(
      (lb) => !options.namePrefix || lb.name.startsWith(options.namePrefix),
    )
    found.push(...wanted)
    progress()
    for (const lb of wanted) perLoadBalancer.push(readOne(lb))
    marker = page.nextMarker
  } while (marker)

  const tagged = Promise.all(
    chunks(
      found.map((lb) => lb.name),
      DESCRIBE_TAGS_MAX_NAMES,
    ).map((names) =>
      run(() => elb.describeTagsOf(names)).catch((error: unknown) => {
        throwIfInterrupted(options.signal)
        return {failed: problemOf('DescribeTags', error), names}
      }),
    ),
  )
  const groupIds = [...new Set(found.flatMap((lb) => lb.securityGroups))]
  const grouped = Promise.all(
    chunks(groupIds, GROUPS_PER_CALL).map((ids) =>
      run(() => ec2.describeSecurityGroups({groupIds: ids})).catch((error: unknown) => {
        throwIfInterrupted(options.signal)
        return {failed: problemOf('DescribeSecurityGroups', error), ids}
      }),
    ),
  )
  const [facts, tagResults, groupResults] = await Promise.all([Promise.all(perLoadBalancer), tagged, grouped])

  const tags = new Map<string, LoadBalancerFacts['tags']>()
  const tagFailures = new Map<string, string>()
  for (const r of tagResults)
    if (r instanceof Map) for (const [name, t] of r) tags.set(name, t)
    else for (const name of r.names) tagFailures.set(name, r.failed)
  const groups = new Map<string, SecurityGroup>()
  const groupFailures = new Map<string, string>()
  for (const r of groupResults)
    if (Array.isArray(r)) for (const g of r) groups.set(g.groupId, g)
    else for (const id of r.ids) groupFailures.set(id, r.failed)

  return {
    pages,
    loadBalancers: facts.map((f) => {
      const name = f.loadBalancer.name
      const readErrors = [...f.readErrors]
      const tagFailure = tagFailures.get(name)
      if (tagFailure) readErrors.push({operation: 'DescribeTags', message: tagFailure})
      const groupFailure = f.loadBalancer.securityGroups.map((id) => groupFailures.get(id)).find(Boolean)
      if (groupFailure) readErrors.push({operation: 'DescribeSecurityGroups', message: groupFailure})
      return {
        ...f,
        tags: tags.get(name) ?? [],
        securityGroups: f.loadBalancer.securityGroups.flatMap((id) =>
          groups.has(id) ? [groups.get(id)!] : [],
        ),
        readErrors,
      }
    }),
  }
}
