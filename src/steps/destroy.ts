import type {Gateways} from '../aws/gateways.js'
import type {LoadBalancer} from '../model.js'
import type {Task} from '../ui/tasks.js'
import {serverCertificateNameOf} from '../validate/certificate-arn.js'
import {ELBX_TAG_KEY, deleteServerCertificate} from './certificate.js'
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

/** Finds the load balancer and what elbx made for it. Leftovers of an earlier, interrupted destroy are found too. */
export async function planDestroy(
  gateways: Gateways,
  name: string,
  options: DestroyOptions,
): Promise<DestroyPlan> {
  // With --delete-certificate every load balancer is needed (who else serves the certificate?):
  // one DescribeLoadBalancers of them all finds this one too.
  const all = options.deleteCertificate ? await gateways.elb.listLoadBalancers() : undefined
  const loadBalancer = all
    ? all.find((lb) => lb.name === name)
    : await gateways.elb.describeLoadBalancer(name)
  const securityGroups = options.keepSecurityGroup
    ? []
    : (await gateways.ec2.describeSecurityGroups({tag: {key: ELBX_TAG_KEY, value: name}})).map(
        (g) => g.groupId,
      )
  const certificates: DestroyPlan['certificates'] = []
  // Looked up with or without --delete-certificate: one that is kept is named in the result.
  const served = (loadBalancer?.listeners ?? [])
    .map((d) => d.listener.sslCertificateId)
    .filter((arn): arn is string => Boolean(arn && serverCertificateNameOf(arn)))
  for (const arn of [...new Set(served)]) {
    const cert = await gateways.iam.getServerCertificate(serverCertificateNameOf(arn)!)
    if (cert && madeForLoadBalancer(cert, name)) certificates.push({name: cert.name, arn: cert.arn})
  }
  if (!loadBalancer && options.deleteCertificate) {
    // The load balancer is gone already: pick up certificates elbx uploaded for it by their name.
    for (const cert of await gateways.iam.listServerCertificates()) {
      if (cert.name.startsWith(`elbx-${name}-`)) certificates.push({name: cert.name, arn: cert.arn})
    }
  }
  return {
    name,
    ...(loadBalancer ? {loadBalancer} : {}),
    securityGroups,
    certificates,
    instanceIds: loadBalancer?.instanceIds ?? [],
    otherLoadBalancers: (all ?? []).filter((lb) => lb.name !== name),
  }
}

/** The aws CLI command that deletes a server certificate elbx kept (IAM is global: no Region). */
export const deleteCertificateCommand = (name: string) =>
  `aws iam delete-server-certificate --server-certificate-name ${name}`

/** elbx tags what it uploads; names of its default form (elbx-<lb>-<fingerprint>) count too, as not every IAM API returns tags. */
function madeForLoadBalancer(
  cert: {name: string; tags: {key: string; value: string}[]},
  name: string,
): boolean {
  return (
    cert.tags.some((t) => t.key === ELBX_TAG_KEY && t.value === name) || cert.name.startsWith(`elbx-${name}-`)
  )
}

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
        for (const groupId of ctx.plan.securityGroups) {
          await deleteSecurityGroupWhenFree(ctx.gateways.ec2, groupId, {
            ...(ctx.clock ? {clock: ctx.clock} : {}),
            ...(ctx.signal ? {signal: ctx.signal} : {}),
            onRetry: (ms) =>
              progress(
                `${groupId} is still used by the load balancer's network interfaces; retrying in ${Math.round(ms / 1000)} s`,
              ),
          })
          ctx.deleted.securityGroups.push(groupId)
        }
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
        const others = ctx.plan.otherLoadBalancers
        const notes: string[] = []
        for (const cert of ctx.plan.certificates) {
          const users = others
            .filter((lb) => lb.listeners.some((d) => d.listener.sslCertificateId === cert.arn))
            .map((lb) => lb.name)
          if (users.length) {
            ctx.certificatesInUse[cert.name] = users
            notes.push(`kept ${cert.name} (still used by ${users.join(', ')})`)
            continue
          }
          await deleteServerCertificate(ctx.gateways.iam, cert.name, {
            ...(ctx.clock ? {clock: ctx.clock} : {}),
            ...(ctx.signal ? {signal: ctx.signal} : {}),
          })
          ctx.deleted.certificates.push(cert.name)
          notes.push(`deleted ${cert.name}`)
        }
        return notes.join('; ')
      },
    },
  ]
}
