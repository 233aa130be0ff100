import type {Command} from '@oclif/core'

import {ChangeCommand, type ChangeDryRunResult, type ChangeResult} from './change-command.js'
import type {IngressRule, ListenerDescription} from './model.js'
import {
  checkListeners,
  observeListeners,
  planListeners,
  type DesiredListenerChange,
} from './steps/engine/changes/listeners.js'
import {formatPortRange} from './steps/security-group.js'
import {formatListener} from './validate/listener.js'

/** What `listener add` and `listener remove` report of the load balancer after the change. */
export interface ListenerState {
  /** Every listener, with the policies it carries. */
  listeners: ListenerDescription[]
  /** The rules opened or closed in the security group elbx made for the load balancer. */
  securityGroup: {groupId: string; opened: IngressRule[]; closed: IngressRule[]} | null
}

export type ListenerChangeResult = ChangeResult<ListenerState> | ChangeDryRunResult

/** `listener add` and `listener remove`: the same reads, plan and summary on the shared change runner. */
export abstract class ListenerCommand<T extends typeof Command> extends ChangeCommand<T> {
  protected change(
    desired: DesiredListenerChange,
    dryRun: boolean,
    checkRegion: (region: string) => void = () => {},
  ): Promise<ListenerChangeResult> {
    const certificate = desired.kind === 'add' ? desired.certificate : undefined
    return this.runChange<ListenerState>({
      loadBalancerName: desired.loadBalancerName,
      observePlan: async (gateways) => {
        checkRegion(gateways.region)
        const observed = await observeListeners(gateways, desired)
        checkListeners(desired, observed)
        const plan = planListeners(desired, observed)
        const changed = plan.actions.length > 0
        return {
          actions: plan.actions,
          state: {listeners: plan.outcome.listeners, securityGroup: plan.outcome.securityGroup ?? null},
          changes: changed
            ? plan.outcome.changes.filter((c) => !/: (unchanged|no listener there)$/.test(c))
            : [],
          warnings: plan.outcome.warnings,
        }
      },
      ...(certificate ? {desired: {certificate}} : {}),
      title: 'Listeners',
      dryRun,
      describe: (state) => describeListeners(state),
    })
  }
}

/** The listeners and the security group rules, one line each. */
function describeListeners(state: ListenerState): string[] {
  const rules = (list: IngressRule[]) => [...new Set(list.map(formatPortRange))].join(', ')
  const sg = state.securityGroup
  return [
    ...state.listeners.map(
      (d) =>
        `  listener  ${formatListener(d.listener)}${d.listener.sslCertificateId ? `  ${d.listener.sslCertificateId}` : ''}${d.policyNames.length ? `  [${d.policyNames.join(', ')}]` : ''}`,
    ),
    ...(sg?.opened.length ? [`  security group ${sg.groupId}: opened TCP ${rules(sg.opened)}`] : []),
    ...(sg?.closed.length ? [`  security group ${sg.groupId}: closed TCP ${rules(sg.closed)}`] : []),
  ]
}
