import type {Gateways} from '../aws/gateways.js'
import type {Listener, Scheme, Tag} from '../model.js'
import type {Task} from '../ui/tasks.js'
import type {DesiredAttributes} from '../validate/attributes.js'
import type {CreateInput} from '../validate/create-input.js'
import {applyAttributes} from './attributes.js'
import {deleteServerCertificate, deleteServerCertificateCommand, uploadCertificate} from './certificate.js'
import {listenersWithCertificate} from './engine/plan.js'
import {ensureLoadBalancer, loadBalancerResource, type EnsuredLoadBalancer} from './load-balancer.js'
import {resolveNetwork, type ResolvedNetwork} from './network.js'
import type {Clock} from './retry.js'
import type {Rollback} from './rollback.js'
import {
  deleteSecurityGroupCommand,
  deleteSecurityGroupWhenFree,
  ensureSecurityGroup,
  formatPortRange,
} from './security-group.js'
import {applyTags} from './tags.js'

/** State shared by create's tasks; later tasks (SSL policy, health check...) read what earlier ones found. */
export interface CreateContext {
  input: CreateInput
  gateways: Gateways
  rollback: Rollback
  clock?: Clock
  signal?: AbortSignal
  network?: ResolvedNetwork
  certificate?: {arn: string; name?: string; justUploaded: boolean}
  securityGroups?: string[]
  loadBalancer?: EnsuredLoadBalancer
  /** The listeners as created, certificates filled in. */
  listeners?: Listener[]
  attributes?: DesiredAttributes
  tags?: Tag[]
  /** --dry-run: the writes are recorded as a plan, not sent. */
  dryRun?: boolean
}

/**
 * The mark this run's creations carry. A --dry-run plan leaves it out: its commands are for a
 * person to read or run, and the mark means something only to the run that made it.
 */
const runMark = (ctx: CreateContext): Tag | undefined => (ctx.dryRun ? undefined : ctx.rollback.mark)

/** `--json` result of `elbx create`. */
export interface CreateResult {
  name: string
  dnsName: string
  scheme: Scheme
  vpcId: string | null
  subnets: string[]
  availabilityZones: string[]
  securityGroups: string[]
  listeners: Listener[]
  attributes: DesiredAttributes
  tags: Tag[]
  /** What this run created (empty on a rerun that changed nothing). */
  createdResources: {kind: string; id: string}[]
}

/** A value an earlier task must have set; its absence is a bug in the task order, not user input. */
export const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`internal: ${what} is not known yet`)
  return value
}

export const resolveNetworkTask: Task<CreateContext> = {
  title: 'Resolve network',
  async run(ctx) {
    const network = await resolveNetwork(ctx.gateways.ec2, ctx.input.network)
    ctx.network = network
    const where = network.subnets.length
      ? network.subnets.map((s, i) => `${s} (${network.availabilityZones[i]})`).join(', ')
      : network.availabilityZones.join(', ')
    return network.defaultVpc
      ? `default VPC ${network.vpcId}: ${where}`
      : network.vpcId
        ? `${network.vpcId}: ${where}`
        : where
  },
}

export const certificateTask: Task<CreateContext> = {
  title: 'Upload certificate to IAM',
  skip: (ctx) => (ctx.input.certificate?.kind === 'upload' ? false : 'no certificate files given'),
  async run(ctx) {
    const source = ctx.input.certificate
    if (source?.kind !== 'upload') return 'skipped'
    const {iam} = ctx.gateways
    const uploaded = await uploadCertificate(iam, {
      name: source.name,
      loadBalancerName: ctx.input.name,
      certificate: source.checked,
      runMark: runMark(ctx),
    })
    if (uploaded.created) {
      ctx.rollback.record({
        kind: 'server-certificate',
        id: uploaded.name,
        remove: () => deleteServerCertificate(iam, uploaded.name, ctx.clock ? {clock: ctx.clock} : {}),
        removeCommand: deleteServerCertificateCommand(uploaded.name, ctx.gateways.region),
      })
    }
    // Even an existing upload may be minutes old: ELB can still answer CertificateNotFound.
    ctx.certificate = {arn: uploaded.arn, name: uploaded.name, justUploaded: true}
    return uploaded.created ? `uploaded ${uploaded.name}` : `unchanged (${uploaded.name} already in IAM)`
  },
}

export const securityGroupTask: Task<CreateContext> = {
  title: 'Security group',
  skip: (ctx) =>
    ctx.input.securityGroups.length
      ? `using ${ctx.input.securityGroups.join(', ')}`
      : !ctx.network?.vpcId
        ? 'no VPC given (Availability Zones only)'
        : false,
  async run(ctx) {
    const {ec2, region} = ctx.gateways
    const ensured = await ensureSecurityGroup(
      ec2,
      {
        loadBalancerName: ctx.input.name,
        vpcId: need(ctx.network?.vpcId, 'the VPC'),
        ports: ctx.input.listeners.map((l) => l.loadBalancerPort),
        cidrs: ctx.input.ingressCidrs,
        runMark: runMark(ctx),
      },
      (groupId) =>
        ctx.rollback.record({
          kind: 'security-group',
          id: groupId,
          remove: () => deleteSecurityGroupWhenFree(ec2, groupId, ctx.clock ? {clock: ctx.clock} : {}),
          removeCommand: deleteSecurityGroupCommand(groupId, region),
        }),
    )
    ctx.securityGroups = [ensured.groupId]
    const ports = [...new Set(ensured.added.map(formatPortRange))].join(', ')
    if (ensured.created)
      return `created ${ensured.groupId} (inbound TCP ${ports} from ${ctx.input.ingressCidrs.join(', ')})`
    return ensured.added.length ? `${ensured.groupId}: opened TCP ${ports}` : `unchanged (${ensured.groupId})`
  },
}

export const loadBalancerTask: Task<CreateContext> = {
  title: 'Create load balancer and listeners',
  async run(ctx, progress) {
    const {elb, region} = ctx.gateways
    const network = need(ctx.network, 'the network')
    const certificateArn =
      ctx.certificate?.arn ?? (ctx.input.certificate?.kind === 'arn' ? ctx.input.certificate.arn : undefined)
    const listeners = listenersWithCertificate(ctx.input.listeners, certificateArn)
    const securityGroups = ctx.input.securityGroups.length
      ? ctx.input.securityGroups
      : (ctx.securityGroups ?? [])
    const name = ctx.input.name
    const ensured = await ensureLoadBalancer(
      elb,
      {
        name,
        listeners,
        scheme: ctx.input.scheme,
        subnets: network.subnets,
        availabilityZones: network.subnets.length ? [] : network.availabilityZones,
        securityGroups,
        tags: ctx.input.tags,
      },
      {
        certificateJustUploaded: ctx.certificate?.justUploaded ?? false,
        ...(ctx.clock ? {clock: ctx.clock} : {}),
        ...(ctx.signal ? {signal: ctx.signal} : {}),
        onRetry: (ms) =>
          progress(`IAM certificate not visible to ELB yet; retrying in ${Math.round(ms / 1000)} s`),
        runMark: runMark(ctx),
        onCreated: () => ctx.rollback.record(loadBalancerResource(elb, name, region, ctx.rollback.mark)),
      },
    )
    ctx.loadBalancer = ensured
    ctx.listeners = listeners
    ctx.securityGroups = securityGroups
    return ensured.created ? `created ${ensured.dnsName}` : `unchanged (${ensured.dnsName})`
  },
}

export const attributesTask: Task<CreateContext> = {
  title: 'Attributes (cross-zone, connection draining, idle timeout)',
  async run(ctx) {
    const applied = await applyAttributes(ctx.gateways.elb, ctx.input.name, ctx.input.attributes, {
      justCreated: ctx.loadBalancer?.created ?? false,
    })
    ctx.attributes = applied.attributes
    return applied.changed.length ? `set ${applied.changed.join(', ')}` : 'unchanged'
  },
}

export const tagsTask: Task<CreateContext> = {
  title: 'Tags',
  async run(ctx) {
    const applied = await applyTags(ctx.gateways.elb, ctx.input.name, ctx.input.tags, {
      justCreated: ctx.loadBalancer?.created ?? false,
    })
    ctx.tags = applied.tags
    if (ctx.input.tags.length === 0) return 'none given'
    const given = ctx.input.tags.map((t) => `${t.key}=${t.value}`).join(', ')
    if (ctx.loadBalancer?.created) return `set ${given}`
    return applied.added.length
      ? `added ${applied.added.map((t) => `${t.key}=${t.value}`).join(', ')}`
      : 'unchanged'
  },
}

/**
 * The tasks of `elbx create`, in the seed's order: network, certificate, security group, load
 * balancer and listeners, attributes, tags. Callers may insert or append tasks (SSL policy,
 * health check, register, wait, verify) that read the same context.
 */
export function createTasks(): Task<CreateContext>[] {
  return [resolveNetworkTask, certificateTask, securityGroupTask, loadBalancerTask, attributesTask, tagsTask]
}

/** The --json result (and the summary's data) once the tasks have run. */
export function createResult(ctx: CreateContext): CreateResult {
  const network = need(ctx.network, 'the network')
  return {
    name: ctx.input.name,
    dnsName: need(ctx.loadBalancer, 'the load balancer').dnsName,
    scheme: ctx.input.scheme,
    vpcId: network.vpcId ?? null,
    subnets: network.subnets,
    availabilityZones: network.availabilityZones,
    securityGroups: ctx.securityGroups ?? [],
    listeners: ctx.listeners ?? ctx.input.listeners,
    attributes: ctx.attributes ?? ctx.input.attributes,
    tags: ctx.tags ?? ctx.input.tags,
    createdResources: ctx.rollback.created.map((r) => ({kind: r.kind, id: r.id})),
  }
}
