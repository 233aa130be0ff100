import {Flags} from '@oclif/core'

import {ElbxCommand, LOAD_BALANCER, type Needs} from '../base-command.js'
import {ConfirmationDeclinedError, InvalidInputError} from '../errors.js'
import {loadBalancerNameFlag} from '../flags.js'
import {confirmAction} from '../prompts/confirm.js'
import {
  deleteCertificateCommand,
  destroyTasks,
  planDestroy,
  type DestroyContext,
  type DestroyPlan,
} from '../steps/destroy.js'
import {runTasks} from '../ui/tasks.js'

/** `--json` result of `elbx destroy`. */
export interface DestroyResult {
  name: string
  /** deleted, or not-found (nothing to do: destroy is idempotent). */
  loadBalancer: 'deleted' | 'not-found'
  dnsName: string | null
  securityGroups: {id: string; status: 'deleted' | 'kept'}[]
  /**
   * IAM server certificates elbx uploaded for it. Without --delete-certificate they are kept, and
   * deleteCommand is the aws CLI command that deletes one; in-use: another load balancer serves it.
   */
  certificates: {
    name: string
    arn: string
    status: 'deleted' | 'kept' | 'in-use'
    usedBy?: string[]
    deleteCommand?: string
  }[]
  /** Instances that were registered: they keep running, and keep costing money. */
  instancesStillRunning: string[]
}

export default class Destroy extends ElbxCommand<typeof Destroy> {
  static override summary =
    'Delete a load balancer and the security group (and optionally the certificate) elbx made for it.'
  static override description =
    'Shows what will be deleted and asks to confirm (in a terminal; --yes otherwise). The registered EC2 instances are not touched: they keep running and keep costing money. A name that does not exist is not an error.'
  static override examples = [
    '<%= config.bin %> destroy --name my-loadbalancer',
    '<%= config.bin %> destroy -n my-loadbalancer --yes --delete-certificate',
  ]
  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb --yes'}
  static override flags = {
    name: loadBalancerNameFlag(),
    'keep-security-group': Flags.boolean({
      description: 'Keep the security group elbx created for the load balancer.',
    }),
    'delete-certificate': Flags.boolean({
      description:
        'Also delete the IAM server certificate elbx uploaded for it, when no other load balancer uses it.',
    }),
  }

  public async run(): Promise<DestroyResult> {
    const name = await this.loadBalancerName()
    // Refuse before any request: without a terminal nobody can confirm.
    if (!this.flags.yes && !this.ui.interactive) {
      throw new InvalidInputError(
        `Refusing to delete ${name} without confirmation: there is no terminal to ask in.`,
        'Pass --yes to delete without asking.',
      )
    }
    const options = {
      keepSecurityGroup: this.flags['keep-security-group'],
      deleteCertificate: this.flags['delete-certificate'],
    }
    const gateways = await this.aws()
    const plan = await planDestroy(gateways, name, options)
    const nothing = !plan.loadBalancer && plan.securityGroups.length === 0 && plan.certificates.length === 0
    if (nothing) {
      this.ui.info(`Load balancer ${name} does not exist in ${gateways.region}; nothing to delete.`)
      return this.result(plan, undefined)
    }
    this.showPlan(plan, gateways.region)
    if (!this.flags.yes && !(await confirmAction(`Delete ${name}?`, this.interrupt.signal))) {
      throw new ConfirmationDeclinedError('Not confirmed: nothing was deleted.')
    }
    const ctx: DestroyContext = {
      plan,
      gateways,
      options,
      signal: this.interrupt.signal,
      deleted: {loadBalancer: false, securityGroups: [], certificates: []},
      certificatesInUse: {},
    }
    await runTasks(this.ui, destroyTasks(), ctx, this.interrupt.signal)
    const result = this.result(plan, ctx)
    const others = [
      ...ctx.deleted.securityGroups.map((g) => `security group ${g}`),
      ...ctx.deleted.certificates.map((c) => `server certificate ${c}`),
    ]
    if (result.loadBalancer === 'deleted')
      this.log(`Deleted load balancer ${name}${others.length ? `, ${others.join(', ')}` : ''}.`)
    else
      this.log(
        `Load balancer ${name} was already gone; deleted what elbx had left: ${others.join(', ') || 'nothing'}.`,
      )
    this.printKeptCertificates(result.certificates)
    this.printInstancesNote(result.instancesStillRunning)
    return result
  }

  /** What destroy left in IAM on purpose, and how to delete it: the result says it, not only the task list. */
  private printKeptCertificates(certificates: DestroyResult['certificates']): void {
    for (const c of certificates) {
      if (c.status === 'kept')
        this.log(
          `Kept server certificate ${c.name} (${c.arn}), which elbx uploaded for this load balancer. Delete it with \`${c.deleteCommand}\`, or pass --delete-certificate next time.`,
        )
      if (c.status === 'in-use')
        this.log(
          `Kept server certificate ${c.name}: ${c.usedBy!.join(', ')} still ${c.usedBy!.length === 1 ? 'uses' : 'use'} it.`,
        )
    }
  }

  private showPlan(plan: DestroyPlan, region: string): void {
    const lines = [`This deletes, in ${region}:`]
    if (plan.loadBalancer) lines.push(`  load balancer       ${plan.name} (${plan.loadBalancer.dnsName})`)
    for (const g of plan.securityGroups) lines.push(`  security group      ${g} (made by elbx)`)
    for (const c of plan.certificates)
      lines.push(
        this.flags['delete-certificate']
          ? `  server certificate  ${c.name} (uploaded by elbx; kept if another load balancer uses it)`
          : `  (keeping server certificate ${c.name}, uploaded by elbx: pass --delete-certificate to delete it too)`,
      )
    if (this.flags['keep-security-group']) lines.push('  (keeping the security group: --keep-security-group)')
    // Said before the confirmation too; the full note (with what to do) follows the result.
    if (plan.instanceIds.length)
      lines.push(`  (not the registered instances: ${plan.instanceIds.join(', ')} keep running)`)
    this.ui.info(lines.join('\n'))
  }

  private printInstancesNote(instanceIds: string[]): void {
    if (instanceIds.length === 0) return
    this.log(
      `The registered instances (${instanceIds.join(', ')}) are not deleted: they keep running and you keep paying for them. Stop or terminate them with \`aws ec2 stop-instances\` or \`aws ec2 terminate-instances --instance-ids ...\`.`,
    )
  }

  private result(plan: DestroyPlan, ctx: DestroyContext | undefined): DestroyResult {
    return {
      name: plan.name,
      loadBalancer: ctx?.deleted.loadBalancer ? 'deleted' : 'not-found',
      dnsName: plan.loadBalancer?.dnsName ?? null,
      securityGroups: this.flags['keep-security-group']
        ? (plan.loadBalancer?.securityGroups ?? []).map((id) => ({id, status: 'kept' as const}))
        : plan.securityGroups.map((id) => ({
            id,
            status: ctx?.deleted.securityGroups.includes(id) ? ('deleted' as const) : ('kept' as const),
          })),
      certificates: plan.certificates.map((c) => {
        const usedBy = ctx?.certificatesInUse[c.name]
        const status = ctx?.deleted.certificates.includes(c.name) ? 'deleted' : usedBy ? 'in-use' : 'kept'
        return {
          ...c,
          status,
          ...(usedBy ? {usedBy} : {}),
          ...(status === 'kept' ? {deleteCommand: deleteCertificateCommand(c.name)} : {}),
        }
      }),
      instancesStillRunning: plan.instanceIds,
    }
  }
}
