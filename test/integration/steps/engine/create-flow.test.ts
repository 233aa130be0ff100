/**
 * create on the engine (observe, plan, apply as a dependency graph) against the patched moto over
 * HTTP: what a failed run leaves (nothing), a rerun (no write), and destroy removing what it made.
 */
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2'
import {ListServerCertificatesCommand} from '@aws-sdk/client-iam'

import type {Gateways} from '../../../../src/aws/gateways.js'
import {destroyTasks, planDestroy, type DestroyPlan} from '../../../../src/steps/destroy.js'
import {runWithRollback} from '../../../../src/steps/rollback.js'
import {runTasks} from '../../../../src/ui/tasks.js'
import {makeCertificate} from '../../../helpers/certs.js'
import {createRun, runCreateFlow, silentUi} from '../../../helpers/create-flow.js'
import {motoGateways, motoOptions, sdkClients, seedNetwork} from '../../../helpers/moto.js'

const ui = silentUi()
const pair = makeCertificate()
const READ = /^(Describe|List|Get)/

async function leftovers(name: string) {
  const {elb, ec2, iam} = sdkClients()
  try {
    return {
      loadBalancers: (
        (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions ?? []
      ).map((d) => d.LoadBalancerName),
      securityGroups: (
        (
          await ec2.send(
            new DescribeSecurityGroupsCommand({Filters: [{Name: 'tag:elbx:load-balancer', Values: [name]}]}),
          )
        ).SecurityGroups ?? []
      ).map((g) => g.GroupId),
      certificates: (
        (await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []
      ).map((c) => c.ServerCertificateName),
    }
  } finally {
    elb.destroy()
    ec2.destroy()
    iam.destroy()
  }
}

describe('create on the engine against moto', () => {
  let aws: Awaited<ReturnType<typeof motoGateways>>
  beforeAll(async () => {
    aws = await motoGateways()
  })
  afterAll(() => aws.close())

  const context = (gateways: Gateways, name: string, subnets: string) =>
    createRun(gateways, name, {
      create: {
        // The guide's HTTPS 443 -> HTTP 80, which the patched moto reads back as AWS does.
        https: true,
        'certificate-file': pair.certFile,
        'private-key-file': pair.keyFile,
        subnets: [subnets],
        tag: ['team=web'],
      },
    })
  const options = {keepSecurityGroup: false, deleteCertificate: true}
  /** `elbx destroy --yes --delete-certificate` after its plan. */
  const destroy = (plan: DestroyPlan) =>
    runTasks(ui, destroyTasks(), {
      plan,
      gateways: aws,
      options,
      deleted: {loadBalancer: false, securityGroups: [], certificates: []},
      certificatesInUse: {},
    })

  it('a failure after CreateLoadBalancer leaves nothing behind', async () => {
    const net = await seedNetwork({instances: 0})
    // Attributes fail after the load balancer exists: a gateway that refuses ModifyLoadBalancerAttributes.
    const failing: Gateways = {
      ...aws,
      elb: Object.assign(Object.create(aws.elb) as typeof aws.elb, {
        modifyAttributes: async () => {
          throw Object.assign(new Error('The load balancer is being modified'), {
            name: 'InvalidConfigurationRequestException',
            $metadata: {httpStatusCode: 409},
          })
        },
      }),
    }
    const ctx = context(failing, 'rollback-web', net.subnets.map((s) => s.subnetId).join(','))
    const lines: string[] = []
    const error = await runWithRollback(ctx.rollback, () => runCreateFlow(ctx), {
      enabled: true,
      step: 'create',
      report: (l) => lines.push(...l),
    }).then(
      () => undefined as never,
      (e: unknown) => e as Error & {exitCode: number; details: {rollback: {removed: {kind: string}[]}}},
    )

    expect(error.exitCode).toBe(1)
    expect(error.message).toMatch(/InvalidConfigurationRequest: The load balancer is being modified/)
    expect(error.details.rollback.removed.map((r) => r.kind)).toEqual([
      'load-balancer',
      'security-group',
      'server-certificate',
    ])
    expect(lines[0]).toMatch(/^Rolled back: deleted load-balancer rollback-web, security-group sg-/)
    expect(await leftovers('rollback-web')).toEqual({loadBalancers: [], securityGroups: [], certificates: []})
  })

  it('creates, reruns unchanged, and destroys everything it made', async () => {
    const net = await seedNetwork({instances: 0})
    const subnets = net.subnets.map((s) => s.subnetId).join(',')
    const ctx = context(aws, 'steps-web', subnets)
    await runCreateFlow(ctx)
    const arn = ctx.outputs.get('upload-certificate')
    const groupId = ctx.outputs.get('create-security-group')
    expect(arn).toMatch(/server-certificate\/elbx-steps-web-/)
    expect(ctx.rollback.created.map((r) => r.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])
    const state = await leftovers('steps-web')
    expect(state.loadBalancers).toEqual(['steps-web'])
    expect(state.securityGroups).toEqual([groupId])

    aws.requestLog.records.length = 0
    const again = context(aws, 'steps-web', subnets)
    await runCreateFlow(again)
    expect(again.plan!.actions).toEqual([])
    expect(again.rollback.created).toEqual([])
    expect(aws.requestLog.records.filter((r) => !READ.test(r.operation))).toEqual([])
    expect(await leftovers('steps-web')).toEqual(state)

    const plan = await planDestroy(aws, 'steps-web', options)
    expect(plan.securityGroups).toEqual([groupId])
    expect(plan.certificates.map((c) => c.arn)).toEqual([arn])
    await destroy(plan)
    expect(await leftovers('steps-web')).toEqual({loadBalancers: [], securityGroups: [], certificates: []})
  })

  it('keeps a certificate another load balancer still serves', async () => {
    const net = await seedNetwork({instances: 0})
    const subnets = net.subnets.map((s) => s.subnetId).join(',')
    const ctx = context(aws, 'shared-a', subnets)
    await runCreateFlow(ctx)
    const arn = ctx.outputs.get('upload-certificate')!
    await aws.elb.createLoadBalancer({
      name: 'shared-b',
      listeners: [
        {
          protocol: 'HTTPS',
          loadBalancerPort: 443,
          instanceProtocol: 'HTTPS',
          instancePort: 443,
          sslCertificateId: arn,
        },
      ],
      subnets: net.subnets.map((s) => s.subnetId),
    })
    const outcomes = await destroy(await planDestroy(aws, 'shared-a', options))
    expect(outcomes[2]!.outcome).toMatch(/^kept elbx-shared-a-[0-9a-f]+ \(still used by shared-b\)$/)
    expect((await leftovers('shared-a')).certificates).toHaveLength(1)
  })

  it('retries CreateLoadBalancer while the certificate it just uploaded is still CertificateNotFound', async () => {
    const net = await seedNetwork({instances: 0})
    // The patched moto plays IAM's eventual consistency: ELB does not see the upload for 1.5 s.
    await motoOptions({certificatePropagationMs: 1500})
    try {
      aws.requestLog.records.length = 0
      const ctx = context(aws, 'fresh-cert', net.subnets.map((s) => s.subnetId).join(','))
      await runCreateFlow(ctx)
      const creates = aws.requestLog.records.filter((r) => r.operation === 'CreateLoadBalancer')
      expect(creates.map((r) => r.status)).toEqual([400, 200])
      expect((await leftovers('fresh-cert')).loadBalancers).toContain('fresh-cert')
    } finally {
      await motoOptions({certificatePropagationMs: 0})
    }
  })
})
