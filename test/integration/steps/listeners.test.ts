import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'

import {applyChange} from '../../../src/steps/engine/change-flow.js'
import {
  checkListeners,
  observeListeners,
  planListeners,
  type DesiredListenerChange,
} from '../../../src/steps/engine/changes/listeners.js'
import {Rollback} from '../../../src/steps/rollback.js'
import {toAwsCliCommand} from '../../../src/ui/aws-cli-command.js'
import {createLoadBalancerWithPolicies, motoGateways, sdkClients} from '../../helpers/moto.js'

const CERT = 'arn:aws:iam::123456789012:server-certificate/listeners-it'

async function listeners(name: string) {
  const {elb} = sdkClients()
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
    return out
      .LoadBalancerDescriptions![0]!.ListenerDescriptions!.map((d) => ({
        port: d.Listener!.LoadBalancerPort!,
        policies: [...(d.PolicyNames ?? [])].sort(),
      }))
      .sort((a, b) => a.port - b.port)
  } finally {
    elb.destroy()
  }
}

async function apply(desired: DesiredListenerChange, rollback = new Rollback()) {
  const aws = await motoGateways()
  const observed = await observeListeners(aws, desired)
  checkListeners(desired, observed)
  const plan = planListeners(desired, observed)
  await applyChange(plan.actions, {gateways: aws, rollback, commandFor: toAwsCliCommand})
  aws.close()
  return plan
}

describe('listener add/remove on the engine against moto', () => {
  it("adds and removes listeners one port per request; 443's custom SSL policy and stickiness stay throughout", async () => {
    const {elb} = sdkClients()
    await createLoadBalancerWithPolicies(elb, 'lst-it', CERT)
    elb.destroy()
    await apply({
      kind: 'add',
      loadBalancerName: 'lst-it',
      listeners: [
        {
          protocol: 'HTTPS',
          loadBalancerPort: 8443,
          instanceProtocol: 'HTTP',
          instancePort: 8080,
          sslCertificateId: CERT,
        },
        {protocol: 'TCP', loadBalancerPort: 5000, instanceProtocol: 'TCP', instancePort: 5000},
      ],
    })
    expect(await listeners('lst-it')).toEqual([
      {port: 80, policies: []},
      {port: 443, policies: ['custom-ssl', 'sticky']},
      {port: 5000, policies: []},
      {port: 8443, policies: ['elbx-ssl-TLS-1-2-2017-01']},
    ])
    // Two ports in one run: moto keeps the list whole because each is its own request.
    await apply({kind: 'remove', loadBalancerName: 'lst-it', loadBalancerPorts: [8443, 5000]})
    expect(await listeners('lst-it')).toEqual([
      {port: 80, policies: []},
      {port: 443, policies: ['custom-ssl', 'sticky']},
    ])
  })

  it('an undo creates a removed listener again with its policies', async () => {
    const {elb} = sdkClients()
    await createLoadBalancerWithPolicies(elb, 'lst-undo', CERT)
    elb.destroy()
    const rollback = new Rollback()
    await apply({kind: 'remove', loadBalancerName: 'lst-undo', loadBalancerPorts: [443]}, rollback)
    expect((await listeners('lst-undo')).map((l) => l.port)).toEqual([80])
    const undone = await rollback.undo()
    expect(undone.errors).toEqual([])
    expect(await listeners('lst-undo')).toEqual([
      {port: 80, policies: []},
      {port: 443, policies: ['custom-ssl', 'sticky']},
    ])
  })
})
