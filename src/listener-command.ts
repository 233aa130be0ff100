import type {Command} from '@oclif/core'

import {DryRunRecorder} from './aws/dry-run.js'
import {ChangeCommand, type ChangePlanResult} from './change-command.js'
import type {IngressRule, ListenerDescription} from './model.js'
import {answered} from './steps/engine/create-flow.js'
import {newChangeRun} from './steps/engine/change-run.js'
import {
  checkListeners,
  observeListeners,
  planListeners,
  type DesiredListenerChange,
  type ListenerPlan,
} from './steps/engine/changes/listeners.js'
import type {Action} from './steps/engine/plan.js'
import {planEntry, type PlanEntry} from './steps/engine/render.js'
import {Rollback} from './steps/rollback.js'
import {formatPortRange} from './steps/security-group.js'
import {runTasks} from './ui/tasks.js'
import {formatListener} from './validate/listener.js'

/** `--json` result of `elbx listener add` and `elbx listener remove`. */
export interface ListenerChangeResult {
  loadBalancerName: string
  status: 'changed' | 'unchanged'
  /** The listeners after the run, each with its policies. */
  listeners: ListenerDescription[]
  /** One phrase per port asked for: "8443: added", "8443: removed", "8443: unchanged". */
  changes: string[]
  /** The rules opened or closed in the security group elbx made for the load balancer. */
  securityGroup: {groupId: string; opened: IngressRule[]; closed: IngressRule[]} | null
  warnings: string[]
  /** What this run created (an uploaded certificate). */
  createdResources: {kind: string; id: string}[]
  /** What this run sent: each action of the plan (empty when nothing changed). */
  plan: PlanEntry[]
}

/** `listener add` and `listener remove`: the same reads, plan, confirmation, apply and result. */
export abstract class ListenerCommand<T extends typeof Command> extends ChangeCommand<T> {
  protected async change(
    desired: DesiredListenerChange,
    dryRun: boolean,
    checkRegion: (region: string) => void = () => {},
  ): Promise<ListenerChangeResult | ChangePlanResult> {
    const recorder = dryRun ? new DryRunRecorder() : undefined
    const gateways = await this.aws(recorder ? {dryRun: recorder} : {})
    checkRegion(gateways.region)
    const certificate = desired.kind === 'add' ? desired.certificate : undefined
    const state: {plan?: ListenerPlan} = {}
    await runTasks(
      this.ui,
      [
        {
          title: 'Read the load balancer',
          run: async (s) => {
            const observed = await observeListeners(gateways, desired)
            checkListeners(desired, observed)
            s.plan = planListeners(desired, observed)
            const n = s.plan.actions.length
            return n ? `${n} change(s) planned` : 'nothing to change'
          },
        },
      ],
      state,
      this.interrupt.signal,
    )
    const plan = state.plan!
    for (const w of plan.outcome.warnings) this.ui.warn(w)
    const run = newChangeRun(gateways, certificate ? {certificate} : {}, new Rollback(), {
      signal: this.interrupt.signal,
    })
    if (recorder) return this.printDryRun(plan.actions, run, recorder, `change the listeners`)
    if (plan.actions.length) {
      await this.confirm(
        plan.actions,
        `${this.id?.replace(':', ' ')} changes ${desired.loadBalancerName} in ${gateways.region}:`,
        `Change the listeners of ${desired.loadBalancerName}?`,
      )
      await this.applyChanges(run, plan.actions, {
        step: `elbx ${this.id?.replace(':', ' ')}`,
        restored: [],
        describe: (done) => done.map((a) => `${a.call.operation} ${a.target}`).join(', '),
      })
    }
    const listeners = plan.outcome.listeners.map((d) =>
      d.listener.sslCertificateId
        ? {...d, listener: {...d.listener, sslCertificateId: answered(d.listener.sslCertificateId, run)}}
        : d,
    )
    const sg = plan.outcome.securityGroup
    const result: ListenerChangeResult = {
      loadBalancerName: desired.loadBalancerName,
      status: plan.actions.length ? 'changed' : 'unchanged',
      listeners,
      changes: plan.outcome.changes,
      securityGroup: sg ?? null,
      warnings: plan.outcome.warnings,
      createdResources: run.rollback.created.map((r) => ({kind: r.kind, id: r.id})),
      plan: plan.actions.map(planEntry),
    }
    this.printSummary(result, plan.actions)
    return result
  }

  private printSummary(r: ListenerChangeResult, actions: Action[]): void {
    this.log(
      `Load balancer ${r.loadBalancerName}: ${r.status === 'changed' ? r.changes.join(', ') : `unchanged; ${r.changes.join(', ')}`}.`,
    )
    for (const d of r.listeners)
      this.log(
        `  listener  ${formatListener(d.listener)}${d.listener.sslCertificateId ? `  ${d.listener.sslCertificateId}` : ''}${d.policyNames.length ? `  [${d.policyNames.join(', ')}]` : ''}`,
      )
    const rules = (list: IngressRule[]) => [...new Set(list.map(formatPortRange))].join(', ')
    if (r.securityGroup?.opened.length)
      this.log(`  security group ${r.securityGroup.groupId}: opened TCP ${rules(r.securityGroup.opened)}`)
    if (r.securityGroup?.closed.length)
      this.log(`  security group ${r.securityGroup.groupId}: closed TCP ${rules(r.securityGroup.closed)}`)
    if (actions.some((a) => a.interruptsTraffic))
      this.log('  (a replaced listener stopped its traffic until it was created again)')
  }
}
