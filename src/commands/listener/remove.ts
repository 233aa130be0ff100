import {Flags} from '@oclif/core'

import {LOAD_BALANCER, required, type Needs} from '../../base-command.js'
import {dryRunFlag} from '../../change-command.js'
import {InvalidInputError} from '../../errors.js'
import {loadBalancerNameFlag} from '../../flags.js'
import {ListenerCommand, type ListenerChangeResult} from '../../listener-command.js'
import {parsePort} from '../../validate/ranges.js'

export default class ListenerRemove extends ListenerCommand<typeof ListenerRemove> {
  static override summary =
    'Remove a listener from a load balancer, keeping the other listeners and their policies.'

  static override description = `Each --port is removed with its own DeleteLoadBalancerListeners request; the other listeners and their policies are left exactly as they are. The port is closed again in the security group elbx made for the load balancer (a rule that admits other ports too stays; a group elbx did not make is never changed). Removing the last listener is refused: \`elbx destroy\` deletes the load balancer. The plan is shown first and applied once confirmed (--yes without a terminal). A port without a listener is unchanged, so a rerun changes nothing. See docs/listener.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --port 8443',
    '<%= config.bin %> <%= command.id %> --name my-lb --port 8443 --port 8444 --yes --json',
  ]

  static override needs: Needs = {
    flags: {name: LOAD_BALANCER, port: required('which listener to remove (its load balancer port)')},
    example: '--name my-lb --port 8443',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    port: Flags.string({
      char: 'p',
      multiple: true,
      description: 'Load balancer port of the listener to remove, repeatable.',
    }),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<ListenerChangeResult> {
    const ports = (this.flags.port ?? []).map((p) => parsePort('--port', p))
    const twice = ports.find((p, i) => ports.indexOf(p) !== i)
    if (twice !== undefined) throw new InvalidInputError(`--port ${twice} is given twice.`)
    const loadBalancerName = await this.loadBalancerName()
    return this.change({kind: 'remove', loadBalancerName, loadBalancerPorts: ports}, this.flags['dry-run'])
  }
}
