import {
  CreateLoadBalancerPolicyCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
} from '@aws-sdk/client-elastic-load-balancing'

import type {Gateways} from '../../../src/aws/gateways.js'
import {
  applyChange,
  observeExisting,
  type ChangePlan,
  type ExistingReads,
  type ObservedExisting,
} from '../../../src/steps/engine/change-flow.js'
import {planAttributes} from '../../../src/steps/engine/changes/attributes.js'
import {
  ELBX_PROXY_PROTOCOL_POLICY,
  planProxyProtocol,
} from '../../../src/steps/engine/changes/proxy-protocol.js'
import {planStickiness} from '../../../src/steps/engine/changes/stickiness.js'
import {planTags} from '../../../src/steps/engine/changes/tags.js'
import {Rollback} from '../../../src/steps/rollback.js'
import {toAwsCliCommand} from '../../../src/ui/aws-cli-command.js'
import {createDayTwoLoadBalancer, describeDayTwo, listenerPolicyNames} from '../../helpers/day-two-world.js'
import {motoGateways, sdkClients} from '../../helpers/moto.js'

let gateways: Gateways & {close(): void}
const {elb} = sdkClients()

beforeAll(async () => {
  gateways = await motoGateways()
})
afterAll(() => {
  gateways.close()
  elb.destroy()
})

/**
 * HTTP 80, HTTPS 443 with a custom SSL negotiation policy, TCP 9000 with a back-end policy on
 * instance port 9000: the policies each change must keep.
 */
async function arrange(name: string) {
  await createDayTwoLoadBalancer(elb, name, {
    name: 'custom-ssl',
    attributes: {'Protocol-TLSv1.2': 'true', 'ECDHE-RSA-AES128-GCM-SHA256': 'true'},
  })
  await elb.send(
    new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: name,
      PolicyName: 'keep-on-9000',
      PolicyTypeName: 'ProxyProtocolPolicyType',
      PolicyAttributes: [{AttributeName: 'ProxyProtocol', AttributeValue: 'false'}],
    }),
  )
  await elb.send(
    new SetLoadBalancerPoliciesForBackendServerCommand({
      LoadBalancerName: name,
      InstancePort: 9000,
      PolicyNames: ['keep-on-9000'],
    }),
  )
}

/** Observes, plans and applies one change as a command does; returns the plan. */
async function change<S>(name: string, reads: ExistingReads, plan: (o: ObservedExisting) => ChangePlan<S>) {
  const planned = plan(await observeExisting(gateways, name, reads))
  await applyChange(planned.actions, {gateways, rollback: new Rollback(), commandFor: toAwsCliCommand})
  return planned
}

const listenerPolicies = (name: string, port: number) => listenerPolicyNames(elb, name, port)
const backendPolicies = async (name: string, port: number) =>
  (await describeDayTwo(elb, name)).BackendServerDescriptions!.find((b) => b.InstancePort === port)
    ?.PolicyNames ?? []

describe('changes to an existing load balancer against moto', () => {
  it('stickiness on one listener keeps its custom SSL policy, swaps kinds in place, and a rerun plans nothing', async () => {
    await arrange('sticky')
    const lb = (s: Parameters<typeof planStickiness>[0]['stickiness']) => (o: ObservedExisting) =>
      planStickiness({loadBalancerPort: 443, stickiness: s}, o)
    await change('sticky', {}, lb({kind: 'lb-cookie', cookieExpirationPeriod: 300}))
    expect(await listenerPolicies('sticky', 443)).toEqual(['custom-ssl', 'elbx-lb-cookie-300'])
    expect(await listenerPolicies('sticky', 80)).toEqual([])
    // DescribeLoadBalancers reports the period; that is what the rerun compares.
    expect(
      (await change('sticky', {}, lb({kind: 'lb-cookie', cookieExpirationPeriod: 300}))).actions,
    ).toEqual([])

    const app = await change('sticky', {}, lb({kind: 'app-cookie', cookieName: 'JSESSIONID'}))
    expect(app.state.stickiness).toMatchObject({kind: 'app-cookie', cookieName: 'JSESSIONID'})
    expect(await listenerPolicies('sticky', 443)).toEqual(['custom-ssl', app.state.stickiness!.policyName])
    // The replaced elbx policy is used nowhere now: deleted, so policies do not pile up.
    expect(app.actions.map((a) => a.call.operation)).toContain('DeleteLoadBalancerPolicy')
    const lbPolicies = (await describeDayTwo(elb, 'sticky')).Policies!
    expect(lbPolicies.LBCookieStickinessPolicies!.map((p) => p.PolicyName)).not.toContain(
      'elbx-lb-cookie-300',
    )
    expect((await change('sticky', {}, lb({kind: 'app-cookie', cookieName: 'JSESSIONID'}))).actions).toEqual(
      [],
    )

    await change('sticky', {}, lb({kind: 'off'}))
    expect(await listenerPolicies('sticky', 443)).toEqual(['custom-ssl'])
    expect((await change('sticky', {}, lb({kind: 'off'}))).actions).toEqual([])
  })

  it('proxy protocol on an instance port keeps the other back-end policy there', async () => {
    await arrange('proxied')
    const plan = (enabled: boolean) => (o: ObservedExisting) =>
      planProxyProtocol({instancePort: 9000, enabled}, o)
    await change('proxied', {policies: true}, plan(true))
    expect(await backendPolicies('proxied', 9000)).toEqual(['keep-on-9000', ELBX_PROXY_PROTOCOL_POLICY])
    expect((await change('proxied', {policies: true}, plan(true))).actions).toEqual([])
    await change('proxied', {policies: true}, plan(false))
    expect(await backendPolicies('proxied', 9000)).toEqual(['keep-on-9000'])
    expect(await listenerPolicies('proxied', 443)).toEqual(['custom-ssl'])
  })

  it('attributes: only what is asked changes, access logs and desync mitigation included; a rerun plans nothing', async () => {
    await arrange('attrs')
    const request = {
      idleTimeout: 120,
      accessLog: {
        enabled: true as const,
        s3BucketName: 'my-logs',
        s3BucketPrefix: 'elb',
        emitInterval: 5 as const,
      },
      desyncMitigationMode: 'strictest' as const,
    }
    const before = (await elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: 'attrs'})))
      .LoadBalancerAttributes!
    await change('attrs', {attributes: true}, (o) => planAttributes(request, o))
    const after = (await elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: 'attrs'})))
      .LoadBalancerAttributes!
    expect(after.ConnectionSettings?.IdleTimeout).toBe(120)
    expect(after.AccessLog).toMatchObject({
      Enabled: true,
      S3BucketName: 'my-logs',
      S3BucketPrefix: 'elb',
      EmitInterval: 5,
    })
    expect(after.AdditionalAttributes).toContainEqual({
      Key: 'elb.http.desyncmitigationmode',
      Value: 'strictest',
    })
    expect(after.CrossZoneLoadBalancing).toEqual(before.CrossZoneLoadBalancing)
    expect(after.ConnectionDraining).toEqual(before.ConnectionDraining)
    expect((await change('attrs', {attributes: true}, (o) => planAttributes(request, o))).actions).toEqual([])
  })

  it('tags: added and removed in place, the others kept', async () => {
    await arrange('tagged')
    const planned = await change('tagged', {tags: true}, (o) =>
      planTags({add: [{key: 'env', value: 'prod'}], remove: []}, o),
    )
    expect(planned.state.tags).toEqual([
      {key: 'team', value: 'web'},
      {key: 'env', value: 'prod'},
    ])
    await change('tagged', {tags: true}, (o) =>
      planTags({add: [{key: 'owner', value: 'ops'}], remove: ['team']}, o),
    )
    const tags = (await elb.send(new DescribeTagsCommand({LoadBalancerNames: ['tagged']})))
      .TagDescriptions![0]!.Tags
    expect(tags).toEqual(
      expect.arrayContaining([
        {Key: 'env', Value: 'prod'},
        {Key: 'owner', Value: 'ops'},
      ]),
    )
    expect(tags).toHaveLength(2)
  })
})
