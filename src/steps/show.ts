/**
 * `elbx show` and `elbx list` as plain data: what the engine's observe layer read, said in the
 * seed's language (each listener's certificate read from its body, its policies resolved to what
 * they enable, who admits which listener port). The field names are the --json surface, documented
 * in docs/show.md; add fields, never rename them.
 */
import type {Gateways} from '../aws/gateways.js'
import type {
  HealthCheck,
  InstanceHealth,
  IngressRule,
  Listener,
  LoadBalancer,
  LoadBalancerAttributes,
  Scheme,
  Tag,
} from '../model.js'
import {certificateInfoFromPem, daysUntil, type CertificateInfo} from '../pem/certificate-info.js'
import {
  placePolicies,
  type BackendPolicies,
  type EffectiveSslNegotiation,
  type Stickiness,
} from '../policy/listener-policies.js'
import {AWS_DEFAULT_SSL_POLICY} from '../policy/predefined-ssl-policies.js'
import {weaknessWarnings} from '../policy/ssl-attributes.js'
import {formatListener} from '../validate/listener.js'
import {
  observeLoadBalancer,
  observeRegion,
  type ObserveOptions,
  type ObservedListenerCertificate,
  type ObservedLoadBalancer,
  type ObservedRegion,
} from './engine/observe.js'
import {loadBalancerNotFound} from './find-load-balancer.js'
import {hintForInstanceHealth} from './wait-for-in-service.js'

/** A certificate expiring within this many days is warned about (ACM renews at 60; IAM never does). */
export const CERTIFICATE_EXPIRY_WARNING_DAYS = 30

/** A listener's certificate: where it lives and what its body says. */
export type CertificateReport = {
  arn: string
  source: 'iam' | 'acm' | 'unknown'
  /** IAM's name for it. */
  name?: string
  /** ACM's status (ISSUED, EXPIRED...) and type (IMPORTED, AMAZON_ISSUED). */
  status?: string
  type?: string
  /** Where notAfter came from: the body itself, or ACM's DescribeCertificate when there is no body. */
  notAfterSource?: 'certificate' | 'acm'
  notAfter?: string
  daysToExpiry?: number
  /** Set when the certificate could not be read (and then most fields are absent). */
  problem?: string
} & Partial<Omit<CertificateInfo, 'notAfter' | 'daysToExpiry'>>

/** What a certificate read said, reduced to the report; the body is never copied into it. */
export function certificateReport(observed: ObservedListenerCertificate, now: Date): CertificateReport {
  const info = observed.certificateBody ? certificateInfoFromPem(observed.certificateBody, now) : undefined
  const base = {
    arn: observed.arn,
    source: observed.source,
    ...(observed.iam?.name ? {name: observed.iam.name} : {}),
    ...(observed.acm?.status ? {status: observed.acm.status} : {}),
    ...(observed.acm?.type ? {type: observed.acm.type} : {}),
  }
  if (info) return {...base, ...info, notAfterSource: 'certificate'}
  const acmNotAfter = observed.acm?.notAfter
  const problem =
    observed.problem ??
    (observed.certificateBody ? 'its body is not a certificate elbx can parse' : undefined)
  return {
    ...base,
    ...(observed.acm?.domainName ? {commonName: observed.acm.domainName} : {}),
    ...(acmNotAfter
      ? {
          notAfterSource: 'acm' as const,
          notAfter: acmNotAfter,
          daysToExpiry: daysUntil(acmNotAfter, now),
          expired: new Date(acmNotAfter).getTime() <= now.getTime(),
        }
      : {}),
    ...(problem ? {problem} : {}),
  }
}

function certificateWarnings(port: number, c: CertificateReport): string[] {
  const what = `The certificate of the listener on port ${port} (${c.name ?? c.commonName ?? c.arn})`
  if (c.problem) return [`${what} could not be read: ${c.problem}.`]
  const warnings: string[] = []
  if (c.daysToExpiry !== undefined) {
    if (c.expired) warnings.push(`${what} expired on ${c.notAfter}: clients refuse the connection.`)
    else if (c.daysToExpiry < CERTIFICATE_EXPIRY_WARNING_DAYS)
      warnings.push(`${what} expires in ${c.daysToExpiry} days (${c.notAfter}).`)
  }
  for (const w of c.weaknesses ?? []) warnings.push(`${what}: ${w}.`)
  return warnings
}

export interface ListenerReport extends Listener {
  policyNames: string[]
  certificate?: CertificateReport
  /** HTTPS and SSL listeners only. */
  sslNegotiation?: EffectiveSslNegotiation
  stickiness?: Stickiness
  otherPolicies: {policyName: string; typeName?: string}[]
}

export interface SecurityGroupReport {
  groupId: string
  groupName?: string
  /** False when the load balancer names a group EC2 no longer has. */
  found: boolean
  /** The group's inbound TCP rules that admit at least one listener port, with the ports they admit. */
  inboundRules: (IngressRule & {listenerPorts: number[]})[]
}

/** The --json document of `elbx show`. */
export interface ShowResult {
  loadBalancerName: string
  region: string
  dnsName: string
  scheme: Scheme
  createdTime?: string
  /** Absent for a load balancer in EC2-Classic. */
  vpcId?: string
  availabilityZones: string[]
  subnets: {subnetId: string; availabilityZone?: string; cidrBlock?: string}[]
  securityGroups: SecurityGroupReport[]
  /** Listener ports no security group of the load balancer admits from anywhere. */
  closedListenerPorts: number[]
  listeners: ListenerReport[]
  backendServers: BackendPolicies[]
  healthCheck?: HealthCheck
  instances: (InstanceHealth & {hint?: string})[]
  instanceCounts: {inService: number; registered: number}
  attributes: LoadBalancerAttributes
  tags: Tag[]
  /** The load balancer's policies no listener or instance port uses. */
  unattachedPolicies: string[]
  warnings: string[]
}

const admits = (rule: IngressRule, port: number) => rule.fromPort <= port && port <= rule.toPort

/** Pure: the observed load balancer said as `elbx show` says it. */
export function describeObservedLoadBalancer(
  observed: ObservedLoadBalancer,
  now: Date = new Date(),
): ShowResult {
  const lb = observed.loadBalancer
  const placed = placePolicies(lb, observed.policies)
  const certificates = new Map(observed.certificates.map((c) => [c.arn, certificateReport(c, now)]))
  const warnings: string[] = []

  const listeners = lb.listeners.map(({listener, policyNames}, i): ListenerReport => {
    const policies = placed.listeners[i]!
    const certificate = listener.sslCertificateId ? certificates.get(listener.sslCertificateId) : undefined
    if (certificate) warnings.push(...certificateWarnings(listener.loadBalancerPort, certificate))
    const ssl = policies.sslNegotiation
    if (ssl) {
      const what = ssl.awsDefaultInForce
        ? `AWS's default ${AWS_DEFAULT_SSL_POLICY} on the listener on port ${listener.loadBalancerPort} (no policy was chosen)`
        : `The SSL negotiation policy of the listener on port ${listener.loadBalancerPort} (${ssl.policyName})`
      warnings.push(...weaknessWarnings(what, ssl.protocols, ssl.ciphers))
    }
    return {
      ...listener,
      policyNames,
      ...(certificate ? {certificate} : {}),
      ...(ssl ? {sslNegotiation: ssl} : {}),
      ...(policies.stickiness ? {stickiness: policies.stickiness} : {}),
      otherPolicies: policies.otherPolicies,
    }
  })

  const ports = lb.listeners.map((l) => l.listener.loadBalancerPort)
  const foundGroups = new Map(observed.securityGroups.map((g) => [g.groupId, g]))
  const securityGroups = lb.securityGroups.map((groupId): SecurityGroupReport => {
    const group = foundGroups.get(groupId)
    if (!group) return {groupId, found: false, inboundRules: []}
    return {
      groupId,
      groupName: group.groupName,
      found: true,
      inboundRules: group.ingress
        .map((rule) => ({...rule, listenerPorts: ports.filter((p) => admits(rule, p))}))
        .filter((rule) => rule.listenerPorts.length > 0),
    }
  })
  for (const g of securityGroups.filter((s) => !s.found))
    warnings.push(`Security group ${g.groupId} of the load balancer was not found in EC2.`)
  // EC2-Classic load balancers have no security groups to judge.
  const closedListenerPorts = lb.vpcId
    ? ports.filter(
        (p) => !securityGroups.some((g) => g.inboundRules.some((r) => r.listenerPorts.includes(p))),
      )
    : []
  if (closedListenerPorts.length)
    warnings.push(
      `No security group of the load balancer admits listener port${closedListenerPorts.length > 1 ? 's' : ''} ${closedListenerPorts.join(', ')}: clients cannot connect.`,
    )

  const instances = observed.instanceHealth.map((h) => {
    const hint = hintForInstanceHealth(h, lb.name)
    return hint ? {...h, hint} : h
  })
  const subnets = new Map(observed.subnets.map((s) => [s.subnetId, s]))
  return {
    loadBalancerName: lb.name,
    region: observed.region,
    dnsName: lb.dnsName,
    scheme: lb.scheme,
    ...(lb.createdTime ? {createdTime: lb.createdTime} : {}),
    ...(lb.vpcId ? {vpcId: lb.vpcId} : {}),
    availabilityZones: lb.availabilityZones,
    subnets: lb.subnets.map((subnetId) => {
      const s = subnets.get(subnetId)
      return {
        subnetId,
        ...(s?.availabilityZone ? {availabilityZone: s.availabilityZone} : {}),
        ...(s?.cidrBlock ? {cidrBlock: s.cidrBlock} : {}),
      }
    }),
    securityGroups,
    closedListenerPorts,
    listeners,
    backendServers: placed.backendServers,
    ...(lb.healthCheck ? {healthCheck: lb.healthCheck} : {}),
    instances,
    instanceCounts: instanceCounts(lb, observed.instanceHealth),
    attributes: observed.attributes,
    tags: observed.tags,
    unattachedPolicies: placed.unattached,
    warnings,
  }
}

/** InService out of registered (an instance ELB reports no health for counts as registered only). */
function instanceCounts(lb: LoadBalancer, health: InstanceHealth[]) {
  return {
    inService: health.filter((h) => h.state === 'InService').length,
    registered: lb.instanceIds.length,
  }
}

/** Reads and describes one load balancer; LoadBalancerNotFound (exit 1) when there is none of that name. */
export async function showLoadBalancer(
  gateways: Gateways,
  name: string,
  options: ObserveOptions & {now?: Date} = {},
): Promise<ShowResult> {
  const observed = await observeLoadBalancer(gateways, name, options)
  if (!observed) throw loadBalancerNotFound(name)
  return describeObservedLoadBalancer(observed, options.now)
}

/** One line of `elbx list`. */
export interface ListedLoadBalancer {
  loadBalancerName: string
  scheme: Scheme
  dnsName: string
  vpcId?: string
  /** "HTTPS 443 -> HTTP 80", as elbx writes listeners everywhere. */
  listeners: string[]
  instanceCounts: {inService: number; registered: number}
  /** The listener certificate that expires first (an unreadable one is named in problems). */
  nearestCertificateExpiry?: {arn: string; notAfter: string; daysToExpiry: number}
  /** Certificates of its listeners that could not be read, with why. */
  certificateProblems: {arn: string; problem: string}[]
  tags: Tag[]
}

/** The --json document of `elbx list`. */
export interface ListResult {
  region: string
  loadBalancers: ListedLoadBalancer[]
  warnings: string[]
}

/** Pure: the observed Region as `elbx list` says it, sorted by name. */
export function describeObservedRegion(observed: ObservedRegion, now: Date = new Date()): ListResult {
  const certificates = new Map(observed.certificates.map((c) => [c.arn, certificateReport(c, now)]))
  const loadBalancers = observed.loadBalancers
    .map(({loadBalancer: lb, tags, instanceHealth}): ListedLoadBalancer => {
      const served = [...new Set(lb.listeners.map((l) => l.listener.sslCertificateId).filter(Boolean))]
        .map((arn) => certificates.get(arn!))
        .filter((c): c is CertificateReport => c !== undefined)
      const nearest = served
        .filter((c) => c.notAfter !== undefined && c.daysToExpiry !== undefined)
        .sort((a, b) => a.notAfter!.localeCompare(b.notAfter!))[0]
      return {
        loadBalancerName: lb.name,
        scheme: lb.scheme,
        dnsName: lb.dnsName,
        ...(lb.vpcId ? {vpcId: lb.vpcId} : {}),
        listeners: lb.listeners.map((l) => formatListener(l.listener)),
        instanceCounts: instanceCounts(lb, instanceHealth),
        ...(nearest
          ? {
              nearestCertificateExpiry: {
                arn: nearest.arn,
                notAfter: nearest.notAfter!,
                daysToExpiry: nearest.daysToExpiry!,
              },
            }
          : {}),
        certificateProblems: served.flatMap((c) => (c.problem ? [{arn: c.arn, problem: c.problem}] : [])),
        tags,
      }
    })
    .sort((a, b) => a.loadBalancerName.localeCompare(b.loadBalancerName))
  const warnings = loadBalancers.flatMap((lb) => {
    const lines = lb.certificateProblems.map(
      (p) => `${lb.loadBalancerName}: its certificate ${p.arn} could not be read: ${p.problem}.`,
    )
    const soon = lb.nearestCertificateExpiry
    if (soon && soon.daysToExpiry < CERTIFICATE_EXPIRY_WARNING_DAYS)
      lines.push(
        soon.daysToExpiry < 0
          ? `${lb.loadBalancerName}: its certificate ${soon.arn} expired on ${soon.notAfter}.`
          : `${lb.loadBalancerName}: its certificate ${soon.arn} expires in ${soon.daysToExpiry} days.`,
      )
    return lines
  })
  return {region: observed.region, loadBalancers, warnings}
}

/** Reads and describes every load balancer of the Region. */
export async function listLoadBalancers(
  gateways: Gateways,
  options: ObserveOptions & {now?: Date} = {},
): Promise<ListResult> {
  return describeObservedRegion(await observeRegion(gateways, options), options.now)
}
