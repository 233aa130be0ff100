import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'

import {DryRunRecorder} from '../../../src/aws/dry-run.js'
import {checkObserved} from '../../../src/steps/engine/check.js'
import {observe} from '../../../src/steps/engine/observe.js'
import {planCreate} from '../../../src/steps/engine/plan.js'
import {recordPlan} from '../../../src/steps/engine/render.js'
import {seedListeners} from '../../../src/validate/listener.js'
import {WORKFLOW_WRITES} from '../../helpers/create-result.js'
import {makeCertificate} from '../../helpers/certs.js'
import {createRun} from '../../helpers/create-flow.js'
import {motoGateways, sdkClients, seedNetwork} from '../../helpers/moto.js'

const READ = /^(Describe|List|Get)/

describe('dry-run recorder against moto', () => {
  it('records mutating requests without sending them, and still sends reads', async () => {
    const net = await seedNetwork({instances: 0})
    const recorder = new DryRunRecorder()
    const aws = await motoGateways(undefined, undefined, {dryRun: recorder})
    try {
      const subnets = await aws.ec2.describeSubnets({vpcId: net.vpcId})
      expect(subnets).toHaveLength(2)
      const {dnsName} = await aws.elb.createLoadBalancer({
        name: 'dry-lb',
        listeners: [{protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80}],
        subnets: subnets.map((s) => s.subnetId),
      })
      expect(dnsName).toBe('dry-lb-dry-run.elb.amazonaws.com')
      const cert = await aws.iam.uploadServerCertificate({
        name: 'c1',
        certificateBody: 'CERT',
        privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      })
      expect(cert.arn).toBe('arn:aws:iam::000000000000:server-certificate/c1')
      // AWS does not know the planned load balancer: reads about it are answered from the plan.
      expect(await aws.elb.describeLoadBalancer('dry-lb')).toMatchObject({
        name: 'dry-lb',
        dnsName: 'dry-lb-dry-run.elb.amazonaws.com',
        subnets: subnets.map((s) => s.subnetId),
      })
      expect(recorder.plan.map((p) => `${p.service} ${p.operation}`)).toEqual([
        'elb CreateLoadBalancer',
        'iam UploadServerCertificate',
      ])
      expect(JSON.stringify(recorder.plan)).not.toContain('PRIVATE KEY')
      // Only the reads about what exists reached moto.
      expect(aws.requestLog.records.map((r) => r.operation)).toEqual(['DescribeSubnets'])
      // A load balancer the plan does not create is asked of AWS.
      expect(await aws.elb.describeLoadBalancer('not-planned')).toBeUndefined()
      expect(aws.requestLog.records.map((r) => r.operation)).toEqual([
        'DescribeSubnets',
        'DescribeLoadBalancers',
      ])
    } finally {
      aws.close()
    }
  })

  it('describes a planned load balancer as the recorded requests leave it', async () => {
    const recorder = new DryRunRecorder()
    const aws = await motoGateways(undefined, undefined, {dryRun: recorder})
    try {
      await aws.elb.createLoadBalancer({
        name: 'dry-plan',
        listeners: seedListeners({backendHttps: true}),
        availabilityZones: ['us-east-1a'],
      })
      await aws.elb.createPolicy('dry-plan', 'ssl', 'SSLNegotiationPolicyType', [
        {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
      ])
      await aws.elb.setListenerPolicies('dry-plan', 443, ['ssl'])
      await aws.elb.createPolicy('dry-plan', 'auth', 'BackendServerAuthenticationPolicyType', [
        {name: 'PublicKeyPolicyName', value: 'key'},
      ])
      await aws.elb.setBackendServerPolicies('dry-plan', 443, ['auth'])
      const healthCheck = {
        target: 'HTTP:80/ping',
        interval: 30,
        timeout: 3,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      }
      expect(await aws.elb.configureHealthCheck('dry-plan', healthCheck)).toEqual(healthCheck)
      await aws.elb.registerInstances('dry-plan', ['i-0123456789abcdef0'])

      const lb = await aws.elb.describeLoadBalancer('dry-plan')
      expect(lb).toMatchObject({
        availabilityZones: ['us-east-1a'],
        listeners: [
          {listener: {loadBalancerPort: 80}, policyNames: []},
          {listener: {loadBalancerPort: 443}, policyNames: ['ssl']},
        ],
        backendServers: [{instancePort: 443, policyNames: ['auth']}],
        healthCheck,
        instanceIds: ['i-0123456789abcdef0'],
      })
      expect((await aws.elb.describePolicies('dry-plan', ['ssl'])).map((p) => [p.name, p.typeName])).toEqual([
        ['ssl', 'SSLNegotiationPolicyType'],
      ])
      expect(await aws.elb.describeInstanceHealth('dry-plan')).toEqual([
        expect.objectContaining({instanceId: 'i-0123456789abcdef0', state: 'OutOfService'}),
      ])
      // Every answer came from the plan.
      expect(aws.requestLog.records).toEqual([])
    } finally {
      aws.close()
    }
  })

  it("plans the whole create workflow in the seed's order with reads only, and creates nothing", async () => {
    const net = await seedNetwork({instances: 2})
    const pair = makeCertificate()
    const recorder = new DryRunRecorder()
    const aws = await motoGateways(undefined, undefined, {dryRun: recorder})
    try {
      const {desired} = createRun(aws, 'dry-workflow', {
        create: {
          https: true,
          'backend-https': true,
          'certificate-file': pair.certFile,
          'private-key-file': pair.keyFile,
          subnets: net.subnets.map((s) => s.subnetId),
          tag: ['team=web'],
        },
        workflow: {
          'backend-auth-cert': [pair.certFile],
          'health-check': 'HTTP:80/ping',
          instances: net.instanceIds,
          verify: true,
        },
      })
      // What --dry-run does: every read, the plan, and the plan run against gateways that record.
      const observed = await observe(aws, desired)
      checkObserved(desired, observed)
      const requests = await recordPlan(planCreate(desired, observed).actions, desired, aws, recorder)
      expect(requests.map((p) => p.operation)).toEqual(WORKFLOW_WRITES)
      // The default policy, as the real run would set it; the key never in the plan.
      expect(requests[4]!.parameters).toMatchObject({
        PolicyTypeName: 'SSLNegotiationPolicyType',
        PolicyAttributes: [
          {AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
        ],
      })
      expect(requests[0]!.parameters.PrivateKey).toBe('[REDACTED]')
      expect(JSON.stringify(requests)).not.toContain(pair.key.split('\n')[1]!)
      expect(aws.requestLog.records.filter((r) => !READ.test(r.operation))).toEqual([])
    } finally {
      aws.close()
    }
    const {elb} = sdkClients()
    try {
      expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([])
    } finally {
      elb.destroy()
    }
  })
})
