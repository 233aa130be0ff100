import type {Gateways} from '../aws/gateways.js'
import type {LoadBalancer} from '../model.js'
import type {Task} from '../ui/tasks.js'
import {deleteServerCertificate} from './certificate.js'
import {observeForDestroy} from './engine/observe.js'
import type {Clock} from './retry.js'
import {deleteSecurityGroupWhenFree} from './security-group.js'

/** What `elbx destroy` will delete, found before asking to confirm. */
export interface DestroyPlan {
  name: string
  loadBalancer?: LoadBalancer
  /** Security groups elbx created for this load balancer (found by their tag). */
  securityGroups: string[]
  /**
   * IAM server certificates elbx uploaded for it: deleted with --delete-certificate, otherwise
   * kept and named in the result. Leftovers of a load balancer already gone are looked up only
   * with --delete-certificate.
   */
  certificates: {name: string; arn: string}[]
  /** Instances registered with it: they keep running (and costing money) after the delete. */
  instanceIds: string[]
  /** With --delete-certificate: the region's other load balancers, which may still serve a certificate. */
  otherLoadBalancers: LoadBalancer[]
}

export interface DestroyOptions {
  keepSecurityGroup: boolean
  deleteCertificate: boolean
}

/**
 * Finds the load balancer and what elbx made for it, all reads in one round (observeForDestroy).
 * Leftovers of an earlier, interrupted destroy are found too.
 */
export async function planDestroy(
  gateways: Gateways,
  name: string,
  options: DestroyOptions,
): Promise<DestroyPlan> {
  const observed = await observeForDestroy(gateways, name, options)
  const loadBalancer = observed.loadBalancer
  return {
    name,
    ...(loadBalancer ? {loadBalancer} : {}),
    securityGroups: observed.securityGroups.map((g) => g.groupId),
    certificates: observed.certificates.map((c) => ({name: c.name, arn: c.arn})),
    instanceIds: loadBalancer?.instanceIds ?? [],
    otherLoadBalancers: (observed.allLoadBalancers ?? []).filter((lb) => lb.name !== name),
  }
}

/** The aws CLI command that deletes a server certificate elbx kept (IAM is global: no Region). */
export const deleteCertificateCommand = (name: string) =>
  `aws iam delete-server-certificate --server-certificate-name ${name}`

/** State of a destroy run. */
export interface DestroyContext {
  plan: DestroyPlan
  gateways: Gateways
  options: DestroyOptions
  clock?: Clock
  signal?: AbortSignal
  deleted: {loadBalancer: boolean; securityGroups: string[]; certificates: string[]}
  /** Certificates left because another load balancer still serves them (name -> users). */
  certificatesInUse: Record<string, string[]>
  /** The deletions that wait only for the load balancer's, started together (see afterLoadBalancer). */
  after?: {securityGroups: Promise<void>; certificates: Promise<string[]>}
  /** Progress of the security group deletion (it may wait for network interfaces to go). */
  onSecurityGroupRetry?: (message: string) => void
}

/**
 * Starts the security group and certificate deletions at once: each needs only the load balancer
 * gone, not the other. The tasks that report them await these promises.
 */
function afterLoadBalancer(ctx: DestroyContext): NonNullable<DestroyContext['after']> {
  if (ctx.after) return ctx.after
  const retry = {...(ctx.clock ? {clock: ctx.clock} : {}), ...(ctx.signal ? {signal: ctx.signal} : {})}
  const securityGroups = ctx.options.keepSecurityGroup
    ? Promise.resolve()
    : Promise.all(
        ctx.plan.securityGroups.map(async (groupId) => {
          await deleteSecurityGroupWhenFree(ctx.gateways.ec2, groupId, {
            ...retry,
            onRetry: (ms) =>
              ctx.onSecurityGroupRetry?.(
                `${groupId} is still used by the load balancer's network interfaces; retrying in ${Math.round(ms / 1000)} s`,
              ),
          })
          ctx.deleted.securityGroups.push(groupId)
        }),
      ).then(() => undefined)
  const certificates = !ctx.options.deleteCertificate
    ? Promise.resolve([])
    : Promise.all(
        ctx.plan.certificates.map(async (cert) => {
          const users = ctx.plan.otherLoadBalancers
            .filter((lb) => lb.listeners.some((d) => d.listener.sslCertificateId === cert.arn))
            .map((lb) => lb.name)
          if (users.length) {
            ctx.certificatesInUse[cert.name] = users
            return `kept ${cert.name} (still used by ${users.join(', ')})`
          }
          await deleteServerCertificate(ctx.gateways.iam, cert.name, retry)
          ctx.deleted.certificates.push(cert.name)
          return `deleted ${cert.name}`
        }),
      )
  // Whichever task reports a failure, the other promise must not be an unhandled rejection.
  securityGroups.catch(() => {})
  certificates.catch(() => {})
  ctx.after = {securityGroups, certificates}
  return ctx.after
}

export function destroyTasks(): Task<DestroyContext>[] {
  return [
    {
      title: 'Delete load balancer',
      skip: (ctx) => (ctx.plan.loadBalancer ? false : 'not found'),
      async run(ctx) {
        await ctx.gateways.elb.deleteLoadBalancer(ctx.plan.name)
        ctx.deleted.loadBalancer = true
        return `deleted ${ctx.plan.name}`
      },
    },
    {
      title: 'Delete security group',
      skip: (ctx) =>
        ctx.options.keepSecurityGroup
          ? 'kept (--keep-security-group)'
          : ctx.plan.securityGroups.length
            ? false
            : 'none made by elbx',
      async run(ctx, progress) {
        ctx.onSecurityGroupRetry = progress
        await afterLoadBalancer(ctx).securityGroups
        return `deleted ${ctx.deleted.securityGroups.join(', ')}`
      },
    },
    {
      title: 'Delete certificate',
      skip: (ctx) =>
        ctx.plan.certificates.length === 0
          ? 'none uploaded by elbx'
          : ctx.options.deleteCertificate
            ? false
            : `kept ${ctx.plan.certificates.map((c) => c.name).join(', ')} (pass --delete-certificate to delete it)`,
      async run(ctx) {
        return (await afterLoadBalancer(ctx).certificates).join('; ')
      },
    },
  ]
}
