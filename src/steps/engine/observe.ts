/**
 * Every read create's plan needs, issued together (bounded) before the first write, so that what
 * AWS can tell us (an instance that does not exist, a certificate of another Region, a policy name
 * taken) is known before anything changes. Two rounds at most: the load balancer's policies,
 * attributes and tags are read only when the first round found it.
 */
import {awsErrorCode, isAwsError} from '../../aws/errors.js'
import {DESCRIBE_TAGS_MAX_NAMES, type Gateways, type LazyService} from '../../aws/gateways.js'
import type {
  AcmCertificate,
  Instance,
  InstanceHealth,
  LoadBalancer,
  LoadBalancerAttributes,
  Policy,
  SecurityGroup,
  ServerCertificate,
  Subnet,
  Tag,
} from '../../model.js'
import {policyNamesOf} from '../../policy/listener-policies.js'
import {serverCertificateNameOf} from '../../validate/certificate-arn.js'
import {isSecure} from '../../validate/listener.js'
import {ELBX_TAG_KEY} from '../certificate.js'
import {resolveNetwork, type ResolvedNetwork} from '../network.js'
import type {DesiredLoadBalancer} from './desired.js'
import {DEFAULT_CONCURRENCY, limitConcurrency} from './limit.js'

/** An IAM server certificate as GetServerCertificate describes it (the body, to compare with an upload). */
export type IamCertificate = ServerCertificate & {certificateBody?: string; tags: Tag[]}

/** What AWS said about one certificate the listeners name. */
export type ObservedCertificate =
  {kind: 'iam'; arn: string; found?: IamCertificate} | {kind: 'acm'; arn: string; found?: AcmCertificate}

export interface Observed {
  region: string
  network: ResolvedNetwork
  loadBalancer?: LoadBalancer
  /** The load balancer's own policies (none when it does not exist yet). */
  policies: Policy[]
  /** Read only for an existing load balancer. */
  attributes?: LoadBalancerAttributes
  /** Read only for an existing load balancer, and only when tags are wanted. */
  tags?: Tag[]
  /** The group elbx made for this load balancer in its VPC (found by tag), when elbx is to use its own. */
  elbxSecurityGroup?: SecurityGroup
  /** The groups the user named, as found (missing ones are absent). */
  givenSecurityGroups: SecurityGroup[]
  /** The instances asked for, as found (unknown IDs are absent). */
  instances: Instance[]
  /** What IAM holds under the name elbx would upload the certificate as (undefined: nothing). */
  uploadTarget?: IamCertificate
  /** The certificates the listeners name by ARN. */
  certificates: ObservedCertificate[]
}

/** The ARNs the listeners name (given with --certificate or in a --listener). */
export function certificateArns(desired: DesiredLoadBalancer): string[] {
  const arns = desired.listeners
    .filter((l) => isSecure(l.protocol))
    .map(
      (l) =>
        l.sslCertificateId ?? (desired.certificate?.kind === 'arn' ? desired.certificate.arn : undefined),
    )
  return [...new Set(arns.filter((a): a is string => Boolean(a)))]
}

/** The Region in an ACM ARN (arn:aws:acm:REGION:...). */
export const acmRegionOf = (arn: string): string | undefined =>
  arn.startsWith('arn:') && arn.split(':')[2] === 'acm' ? arn.split(':')[3] : undefined

/** What IAM (GetServerCertificate) or ACM (DescribeCertificate) holds for a certificate ARN. */
export async function observeCertificate(
  gateways: Pick<Gateways, 'iam' | 'acm' | 'region'>,
  arn: string,
  run: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<ObservedCertificate> {
  const iamName = serverCertificateNameOf(arn)
  if (iamName) {
    const found = await run(() => gateways.iam.getServerCertificate(iamName))
    return {kind: 'iam', arn, ...(found ? {found} : {})}
  }
  // Another Region's certificate is refused by checkObserved without asking this Region.
  if (acmRegionOf(arn) !== gateways.region) return {kind: 'acm', arn}
  const found = await run(() => gateways.acm.describeCertificate(arn))
  return {kind: 'acm', arn, ...(found ? {found} : {})}
}

export interface ObserveOptions {
  concurrency?: number
  /** Read the policies and tags of an existing load balancer even when the desired state names none (a spec's --prune removes them). */
  whole?: boolean
}

/**
 * Reads the account as create's plan needs it. Throws only what the reads themselves refuse
 * (subnets not found, no default VPC); what the reads find is judged by checkObserved().
 */
export async function observe(
  gateways: Gateways,
  desired: DesiredLoadBalancer,
  options: ObserveOptions = {},
): Promise<Observed> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const {elb, ec2, iam, region} = gateways
  const ownGroup = desired.securityGroups.length === 0
  const arns = certificateArns(desired)
  // Every read below leaves in one round: load the clients they need first.
  await gateways.prepare?.([
    'ec2',
    ...(desired.certificate?.kind === 'upload' || arns.some((a) => serverCertificateNameOf(a))
      ? (['iam'] as const)
      : []),
    ...(arns.some((a) => acmRegionOf(a) === region) ? (['acm'] as const) : []),
  ])
  const [loadBalancer, network, taggedGroups, givenSecurityGroups, instances, uploadTarget, certificates] =
    await Promise.all([
      run(() => elb.describeLoadBalancer(desired.name)),
      // Its own one or two reads, in the same round as the rest.
      resolveNetwork(ec2, desired.network),
      // By tag alone, not by VPC: the VPC is known only once the network is resolved.
      ownGroup
        ? run(() => ec2.describeSecurityGroups({tag: {key: ELBX_TAG_KEY, value: desired.name}}))
        : Promise.resolve([]),
      ownGroup
        ? Promise.resolve([])
        : run(() => ec2.describeSecurityGroups({groupIds: desired.securityGroups})),
      desired.instances.length ? run(() => ec2.describeInstances(desired.instances)) : Promise.resolve([]),
      desired.certificate?.kind === 'upload'
        ? run(() => iam.getServerCertificate((desired.certificate as {name: string}).name))
        : Promise.resolve(undefined),
      Promise.all(arns.map((arn) => observeCertificate(gateways, arn, run))),
    ])
  const wantsPolicies =
    options.whole || desired.sslPolicies.length > 0 || desired.backendAuthentication.length > 0
  const [policies, attributes, tags] = loadBalancer
    ? await Promise.all([
        !wantsPolicies
          ? Promise.resolve([])
          : options.whole
            ? describeNamedPolicies(gateways, loadBalancer, run)
            : run(() => elb.describePolicies(desired.name)),
        run(() => elb.describeAttributes(desired.name)),
        options.whole || desired.tags.length
          ? run(() => elb.describeTags(desired.name))
          : Promise.resolve(undefined),
      ])
    : [[], undefined, undefined]
  const vpcId = loadBalancer?.vpcId ?? network.vpcId
  const elbxSecurityGroup = taggedGroups.find((g) => g.vpcId === vpcId)
  return {
    region,
    network,
    ...(loadBalancer ? {loadBalancer} : {}),
    policies,
    ...(attributes ? {attributes} : {}),
    ...(tags ? {tags} : {}),
    ...(elbxSecurityGroup ? {elbxSecurityGroup} : {}),
    givenSecurityGroups,
    instances,
    ...(uploadTarget ? {uploadTarget} : {}),
    certificates,
  }
}

/** What `elbx destroy` needs to know, read before it asks to confirm. */
export interface ObservedForDestroy {
  loadBalancer?: LoadBalancer
  /** Every load balancer of the Region, read only with --delete-certificate (who else serves the certificate?). */
  allLoadBalancers?: LoadBalancer[]
  /** Groups elbx made for the load balancer (by tag). */
  securityGroups: SecurityGroup[]
  /** IAM certificates elbx uploaded for it that it serves (or, once it is gone, that carry elbx's name for it). */
  certificates: ServerCertificate[]
}

/**
 * Destroy's reads in one round: the load balancer (all of them with --delete-certificate), elbx's
 * security groups for it, and IAM's certificates. A served certificate of elbx's default name is
 * recognised from the list; only one under another name needs GetServerCertificate for its tags.
 */
export async function observeForDestroy(
  gateways: Gateways,
  name: string,
  options: {keepSecurityGroup: boolean; deleteCertificate: boolean; concurrency?: number},
): Promise<ObservedForDestroy> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const {elb, ec2, iam} = gateways
  await gateways.prepare?.(options.keepSecurityGroup ? ['iam'] : ['iam', 'ec2'])
  const [all, single, securityGroups, listed] = await Promise.all([
    options.deleteCertificate ? run(() => elb.listLoadBalancers()) : Promise.resolve(undefined),
    options.deleteCertificate ? Promise.resolve(undefined) : run(() => elb.describeLoadBalancer(name)),
    options.keepSecurityGroup
      ? Promise.resolve([])
      : run(() => ec2.describeSecurityGroups({tag: {key: ELBX_TAG_KEY, value: name}})),
    // Listed with or without --delete-certificate: one that is kept is named in the result.
    run(() => iam.listServerCertificates()),
  ])
  const loadBalancer = all ? all.find((lb) => lb.name === name) : single
  const certificates: ServerCertificate[] = []
  // Served ones are checked; when the load balancer is gone already, with --delete-certificate,
  // the certificates elbx uploaded for it are known by their name.
  if (loadBalancer || options.deleteCertificate) {
    const served = new Set(
      (loadBalancer?.listeners ?? []).map((d) => d.listener.sslCertificateId).filter(Boolean),
    )
    const byName = (c: ServerCertificate) => c.name.startsWith(`elbx-${name}-`)
    const candidates = loadBalancer ? listed.filter((c) => served.has(c.arn)) : listed.filter(byName)
    const checked = await Promise.all(
      candidates.map(async (c) => {
        if (byName(c)) return c
        const found = await run(() => iam.getServerCertificate(c.name))
        return found && madeForLoadBalancer(found, name) ? c : undefined
      }),
    )
    certificates.push(...checked.filter((c): c is ServerCertificate => c !== undefined))
  }
  return {
    ...(loadBalancer ? {loadBalancer} : {}),
    ...(all ? {allLoadBalancers: all} : {}),
    securityGroups,
    certificates,
  }
}

/** elbx tags what it uploads; names of its default form (elbx-<lb>-<fingerprint>) count too, as not every IAM API returns tags. */
export function madeForLoadBalancer(cert: {name: string; tags: Tag[]}, name: string): boolean {
  return (
    cert.tags.some((t) => t.key === ELBX_TAG_KEY && t.value === name) || cert.name.startsWith(`elbx-${name}-`)
  )
}

/** A certificate a listener serves, read once per ARN. */
export interface ObservedListenerCertificate {
  arn: string
  source: 'iam' | 'acm' | 'unknown'
  /** The certificate PEM as IAM GetServerCertificate or ACM GetCertificate returned it. */
  certificateBody?: string
  /** IAM's metadata (moto hard-codes its Expiration: read dates from the body). */
  iam?: ServerCertificate
  /** ACM's DescribeCertificate (NotAfter, InUseBy, status). */
  acm?: AcmCertificate
  /** Why it could not be read: not found, another Region's ACM certificate, access denied... */
  problem?: string
}

export interface ObserveCertificateOptions {
  /** ACM: GetCertificate for the body as well as DescribeCertificate (list needs only NotAfter). */
  acmBody: boolean
}

/**
 * Reads each ARN once (several listeners often serve one certificate): IAM GetServerCertificate
 * (body included), ACM DescribeCertificate and, for the body, GetCertificate. A read AWS refuses is
 * recorded as the certificate's problem, not thrown: one unreadable certificate should not hide
 * the rest of the load balancer.
 */
export async function observeListenerCertificates(
  gateways: Gateways,
  arns: readonly string[],
  run: <T>(work: () => Promise<T>) => Promise<T>,
  options: ObserveCertificateOptions,
): Promise<ObservedListenerCertificate[]> {
  const {iam, acm, region} = gateways
  const refused = (arn: string, source: ObservedListenerCertificate['source'], error: unknown) => {
    const code = awsErrorCode(error)
    if (!code) throw error
    return {arn, source, problem: `${code}: ${(error as Error).message}`}
  }
  return Promise.all(
    [...new Set(arns)].map(async (arn): Promise<ObservedListenerCertificate> => {
      const iamName = serverCertificateNameOf(arn)
      if (iamName) {
        try {
          const found = await run(() => iam.getServerCertificate(iamName))
          if (!found) return {arn, source: 'iam', problem: 'IAM has no server certificate of that name'}
          const {certificateBody, tags: _tags, ...metadata} = found
          return {arn, source: 'iam', iam: metadata, ...(certificateBody ? {certificateBody} : {})}
        } catch (error) {
          return refused(arn, 'iam', error)
        }
      }
      const acmRegion = acmRegionOf(arn)
      if (!acmRegion) return {arn, source: 'unknown', problem: 'not an ACM or IAM certificate ARN'}
      if (acmRegion !== region)
        return {arn, source: 'acm', problem: `an ACM certificate of ${acmRegion}, not ${region}`}
      try {
        const [described, body] = await Promise.all([
          run(() => acm.describeCertificate(arn)),
          // A certificate ACM has not issued yet has no body (RequestInProgress): DescribeCertificate still says what it is.
          options.acmBody
            ? run(() => acm.getCertificateBody(arn)).catch((error: unknown) => {
                if (!awsErrorCode(error)) throw error
                return undefined
              })
            : Promise.resolve(undefined),
        ])
        if (!described) return {arn, source: 'acm', problem: 'ACM has no certificate with that ARN'}
        return {arn, source: 'acm', acm: described, ...(body ? {certificateBody: body} : {})}
      } catch (error) {
        return refused(arn, 'acm', error)
      }
    }),
  )
}

/** The clients the certificate reads need, loaded before the round so its requests leave together. */
const certificateServices = (arns: readonly string[], region: string): LazyService[] => [
  ...(arns.some((a) => serverCertificateNameOf(a)) ? (['iam'] as const) : []),
  ...(arns.some((a) => acmRegionOf(a) === region) ? (['acm'] as const) : []),
]

/** The certificate ARNs a load balancer's listeners serve. */
export const servedCertificateArns = (lb: LoadBalancer): string[] => [
  ...new Set(lb.listeners.map((l) => l.listener.sslCertificateId).filter((a): a is string => Boolean(a))),
]

/**
 * The load balancer's policies by name (moto refuses DescribeLoadBalancerPolicies without names).
 * A name that is not the load balancer's own (a predefined one set on a listener) makes AWS refuse
 * the whole request with PolicyNotFound: then each name is asked alone and the missing ones left out.
 */
export async function describeNamedPolicies(
  gateways: Gateways,
  lb: LoadBalancer,
  run: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<Policy[]> {
  const names = policyNamesOf(lb)
  if (names.length === 0) return []
  try {
    return await run(() => gateways.elb.describePolicies(lb.name, names))
  } catch (error) {
    if (!isAwsError(error, 'PolicyNotFound') || names.length === 1) {
      if (isAwsError(error, 'PolicyNotFound')) return []
      throw error
    }
    const each = await Promise.all(
      names.map((n) =>
        run(() => gateways.elb.describePolicies(lb.name, [n])).catch((e: unknown) => {
          if (isAwsError(e, 'PolicyNotFound')) return []
          throw e
        }),
      ),
    )
    return each.flat()
  }
}

/** Everything `elbx show` says about one load balancer, read in two rounds and nothing twice. */
export interface ObservedLoadBalancer {
  region: string
  loadBalancer: LoadBalancer
  policies: Policy[]
  attributes: LoadBalancerAttributes
  tags: Tag[]
  instanceHealth: InstanceHealth[]
  /** The load balancer's security groups as found (a group that no longer exists is absent). */
  securityGroups: SecurityGroup[]
  subnets: Subnet[]
  certificates: ObservedListenerCertificate[]
}

/**
 * One load balancer and everything around it: DescribeLoadBalancers first (undefined when there is
 * none of that name), then, together and bounded, its policies by name, attributes, tags, instance
 * health, security groups, subnets, and each certificate its listeners serve.
 */
export async function observeLoadBalancer(
  gateways: Gateways,
  name: string,
  options: ObserveOptions = {},
): Promise<ObservedLoadBalancer | undefined> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const {elb, ec2, region} = gateways
  // EC2's client loads while the first read is out; IAM's and ACM's only when a listener needs them.
  const [loadBalancer] = await Promise.all([
    run(() => elb.describeLoadBalancer(name)),
    gateways.prepare?.(['ec2']),
  ])
  if (!loadBalancer) return undefined
  await gateways.prepare?.(certificateServices(servedCertificateArns(loadBalancer), region))
  const [policies, attributes, tags, instanceHealth, securityGroups, subnets, certificates] =
    await Promise.all([
      describeNamedPolicies(gateways, loadBalancer, run),
      run(() => elb.describeAttributes(name)),
      run(() => elb.describeTags(name)),
      loadBalancer.instanceIds.length
        ? run(() => elb.describeInstanceHealth(name))
        : Promise.resolve([] as InstanceHealth[]),
      loadBalancer.securityGroups.length
        ? run(() => ec2.describeSecurityGroups({groupIds: loadBalancer.securityGroups}))
        : Promise.resolve([] as SecurityGroup[]),
      loadBalancer.subnets.length
        ? run(() => ec2.describeSubnets({subnetIds: loadBalancer.subnets}))
        : Promise.resolve([] as Subnet[]),
      observeListenerCertificates(gateways, servedCertificateArns(loadBalancer), run, {acmBody: true}),
    ])
  return {
    region,
    loadBalancer,
    policies,
    attributes,
    tags,
    instanceHealth,
    securityGroups,
    subnets,
    certificates,
  }
}

/** Every load balancer of a Region with what `elbx list` says about each. */
export interface ObservedRegion {
  region: string
  loadBalancers: {loadBalancer: LoadBalancer; tags: Tag[]; instanceHealth: InstanceHealth[]}[]
  /** Each certificate any listener serves, once. */
  certificates: ObservedListenerCertificate[]
}

/**
 * The Region's load balancers (DescribeLoadBalancers, page by page), then together and bounded:
 * DescribeTags 20 names at a time, each load balancer's instance health, and each served
 * certificate once (ACM's NotAfter from DescribeCertificate; IAM's from the body, as moto
 * hard-codes IAM's Expiration).
 */
export async function observeRegion(
  gateways: Gateways,
  options: ObserveOptions = {},
): Promise<ObservedRegion> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const {elb, region} = gateways
  const all = await run(() => elb.listLoadBalancers())
  await gateways.prepare?.(certificateServices(all.flatMap(servedCertificateArns), region))
  const names = all.map((lb) => lb.name)
  const batches: string[][] = []
  for (let i = 0; i < names.length; i += DESCRIBE_TAGS_MAX_NAMES)
    batches.push(names.slice(i, i + DESCRIBE_TAGS_MAX_NAMES))
  const [tagMaps, health, certificates] = await Promise.all([
    Promise.all(batches.map((batch) => run(() => elb.describeTagsOf(batch)))),
    Promise.all(
      all.map((lb) =>
        lb.instanceIds.length
          ? run(() => elb.describeInstanceHealth(lb.name)).catch((error: unknown) => {
              // Deleted between the list and this read: it is listed as AWS listed it.
              if (isAwsError(error, 'LoadBalancerNotFound')) return []
              throw error
            })
          : Promise.resolve([]),
      ),
    ),
    observeListenerCertificates(gateways, all.flatMap(servedCertificateArns), run, {acmBody: false}),
  ])
  const tags = new Map(tagMaps.flatMap((m) => [...m]))
  return {
    region,
    loadBalancers: all.map((loadBalancer, i) => ({
      loadBalancer,
      tags: tags.get(loadBalancer.name) ?? [],
      instanceHealth: health[i]!,
    })),
    certificates,
  }
}
