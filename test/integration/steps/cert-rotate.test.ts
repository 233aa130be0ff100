import {
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {GetServerCertificateCommand} from '@aws-sdk/client-iam'

import {checkCertificateFiles} from '../../../src/pem/certificate.js'
import {applyChange} from '../../../src/steps/engine/change-flow.js'
import {toAwsCliCommand} from '../../../src/ui/aws-cli-command.js'
import {
  checkRotation,
  observeRotation,
  planRotation,
  type DesiredRotation,
} from '../../../src/steps/engine/changes/certificate.js'
import {Rollback} from '../../../src/steps/rollback.js'
import {makeCertificate} from '../../helpers/certs.js'
import {
  CUSTOM_SSL_ATTRIBUTES,
  createLoadBalancerWithPolicies,
  motoGateways,
  motoOptions,
  sdkClients,
} from '../../helpers/moto.js'

const OLD = 'arn:aws:iam::123456789012:server-certificate/rotate-old'
/** HTTPS 443 on OLD with a custom SSL negotiation policy and LB cookie stickiness, made with the raw SDK. */
async function arrange(name: string) {
  const {elb} = sdkClients()
  await createLoadBalancerWithPolicies(elb, name, OLD)
  return elb
}

const listener443 = async (elb: ReturnType<typeof sdkClients>['elb'], name: string) => {
  const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
  return out.LoadBalancerDescriptions![0]!.ListenerDescriptions!.find(
    (l) => l.Listener!.LoadBalancerPort === 443,
  )!
}

function uploadOf(name: string): DesiredRotation['certificate'] {
  const pair = makeCertificate()
  return {
    kind: 'upload',
    name,
    checked: checkCertificateFiles({certificateFile: pair.certFile, privateKeyFile: pair.keyFile}),
  }
}

describe('cert rotate on the engine against moto', () => {
  it('uploads, retries while IAM propagates, swaps in place: the stickiness and custom SSL policies survive; a rerun plans nothing', async () => {
    const elb = await arrange('rotate-keep')
    const aws = await motoGateways()
    const desired: DesiredRotation = {
      loadBalancerName: 'rotate-keep',
      certificate: uploadOf('rotate-new'),
      listeners: {kind: 'port', loadBalancerPort: 443},
      deleteOld: false,
    }
    // The patched moto plays IAM's eventual consistency: ELB does not see the upload for 1.5 s.
    await motoOptions({certificatePropagationMs: 1500})
    try {
      const observed = await observeRotation(aws, desired)
      checkRotation(desired, observed)
      const plan = planRotation(desired, observed)
      aws.requestLog.records.length = 0
      await applyChange(plan.actions, {
        gateways: aws,
        rollback: new Rollback(),
        commandFor: toAwsCliCommand,
        desired,
      })
      const swaps = aws.requestLog.records.filter(
        (r) => r.operation === 'SetLoadBalancerListenerSSLCertificate',
      )
      expect(swaps.map((r) => r.status)).toEqual([400, 200])
      expect(aws.requestLog.records.map((r) => r.operation)).not.toContain(
        'SetLoadBalancerPoliciesOfListener',
      )
      expect(aws.requestLog.records.map((r) => r.operation)).not.toContain('DeleteLoadBalancerListeners')
    } finally {
      await motoOptions({certificatePropagationMs: 0})
    }
    const after = await listener443(elb, 'rotate-keep')
    expect(after.Listener!.SSLCertificateId).toBe('arn:aws:iam::123456789012:server-certificate/rotate-new')
    expect([...after.PolicyNames!].sort()).toEqual(['custom-ssl', 'sticky'])
    const custom = await elb.send(
      new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: 'rotate-keep', PolicyNames: ['custom-ssl']}),
    )
    const enabled = custom.PolicyDescriptions![0]!.PolicyAttributeDescriptions!.filter(
      (a) => a.AttributeValue === 'true',
    )
    expect(enabled.map((a) => a.AttributeName).sort()).toEqual(
      CUSTOM_SSL_ATTRIBUTES.map((a) => a.AttributeName).sort(),
    )

    const again = planRotation(desired, await observeRotation(aws, desired))
    expect(again.actions).toEqual([])
    aws.close()
    elb.destroy()
  })

  it('an undo puts the old certificate back, then deletes the uploaded one', async () => {
    const elb = await arrange('rotate-undo')
    const aws = await motoGateways()
    const desired: DesiredRotation = {
      loadBalancerName: 'rotate-undo',
      certificate: uploadOf('rotate-undo-new'),
      listeners: {kind: 'all-ports'},
      deleteOld: false,
    }
    const plan = planRotation(desired, await observeRotation(aws, desired))
    const rollback = new Rollback()
    await applyChange(plan.actions, {gateways: aws, rollback, commandFor: toAwsCliCommand, desired})
    expect((await listener443(elb, 'rotate-undo')).Listener!.SSLCertificateId).toMatch(/rotate-undo-new$/)

    // Undone newest first: the listener gets its old certificate back, then the upload goes.
    const undone = await rollback.undo()
    expect(undone.errors).toEqual([])
    expect(undone.removed.map((r) => r.kind)).toEqual(['change to', 'server-certificate'])
    const back = await listener443(elb, 'rotate-undo')
    expect(back.Listener!.SSLCertificateId).toBe(OLD)
    expect([...back.PolicyNames!].sort()).toEqual(['custom-ssl', 'sticky'])
    const {iam} = sdkClients()
    await expect(
      iam.send(new GetServerCertificateCommand({ServerCertificateName: 'rotate-undo-new'})),
    ).rejects.toMatchObject({name: 'NoSuchEntityException'})
    iam.destroy()
    aws.close()
    elb.destroy()
  })
})
