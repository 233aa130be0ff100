import {Flags} from '@oclif/core'

import {LOAD_BALANCER, required, type Needs} from '../../base-command.js'
import {ChangeCommand, dryRunFlag, type ChangeDryRunResult, type ChangeResult} from '../../change-command.js'
import {loadBalancerNameFlag} from '../../flags.js'
import {planProxyProtocol, type ProxyProtocolState} from '../../steps/engine/changes/proxy-protocol.js'
import {parsePort} from '../../validate/ranges.js'

export type PolicyProxyProtocolResult = ChangeResult<ProxyProtocolState> | ChangeDryRunResult

export default class PolicyProxyProtocol extends ChangeCommand<typeof PolicyProxyProtocol> {
  static override summary = 'Enable or disable proxy protocol on one instance port (TCP/SSL listeners).'

  static override description = `With proxy protocol (version 1) the load balancer sends a PROXY line with the client's address and port before each connection's data, so instances behind TCP or SSL listeners learn who connected. The AWS console cannot enable it. elbx creates the policy elbx-proxy-protocol (ProxyProtocolPolicyType) and adds it to the instance port's back-end policies; back-end authentication and every other policy there stay (AWS's set call replaces the whole list, so elbx sends the observed list with the policy added or taken out). AWS enables it only where TCP or SSL listeners send TCP or SSL. A rerun changes nothing. See docs/policies.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --instance-port 9000 --yes',
    '<%= config.bin %> <%= command.id %> --name my-lb --instance-port 9000 --dry-run',
    '<%= config.bin %> <%= command.id %> --name my-lb --instance-port 9000 --off --yes --json',
  ]

  static override needs: Needs = {
    flags: {name: LOAD_BALANCER, 'instance-port': required('which instance port')},
    example: '--name my-lb --instance-port 9000',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    'instance-port': Flags.string({
      description: 'Instance port that TCP/SSL listeners send to (1-65535).',
    }),
    off: Flags.boolean({
      description: 'Disable proxy protocol on the port (its other back-end policies stay).',
    }),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<PolicyProxyProtocolResult> {
    const instancePort = parsePort('--instance-port', this.flags['instance-port']!)
    const loadBalancerName = await this.loadBalancerName()
    const enabled = !this.flags.off
    return this.runChange({
      loadBalancerName,
      reads: {policies: true},
      title: `Proxy protocol on instance port ${instancePort}`,
      plan: (observed) => planProxyProtocol({instancePort, enabled}, observed),
      dryRun: this.flags['dry-run'],
      describe: (s) => [
        `  instance port ${s.instancePort}: proxy protocol ${s.enabled ? 'on' : 'off'}${s.listeners.length ? ` (from ${s.listeners.join(', ')})` : ''}`,
        `  policies ${s.policyNames.join(', ') || 'none'}`,
      ],
    })
  }
}
