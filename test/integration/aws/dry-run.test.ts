import {DryRunRecorder} from '../../../src/aws/dry-run.js'
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'

import {motoGateways, sdkClients, seedNetwork} from '../../helpers/moto.js'

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
      // Reads about the planned load balancer are answered from the plan; moto never saw it.
      expect(await aws.elb.describeLoadBalancer('dry-lb')).toMatchObject({name: 'dry-lb', dnsName})
      const {elb} = sdkClients()
      await expect(
        elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['dry-lb']})),
      ).rejects.toThrow()
      elb.destroy()
      expect(recorder.plan.map((p) => `${p.service} ${p.operation}`)).toEqual([
        'elb CreateLoadBalancer',
        'iam UploadServerCertificate',
      ])
      expect(JSON.stringify(recorder.plan)).not.toContain('PRIVATE KEY')
      // Only the one read about existing state reached moto.
      expect(aws.requestLog.records.map((r) => r.operation)).toEqual(['DescribeSubnets'])
    } finally {
      aws.close()
    }
  })
})
