import {formatRequestRecord} from '../../../src/aws/request-log.js'
import {TEST_CREDENTIALS, ensureServerCertificate, motoGateways, seedNetwork} from '../../helpers/moto.js'

describe('gateways against moto', () => {
  it('creates and describes a load balancer with HTTP and HTTPS listeners, counting each request', async () => {
    const net = await seedNetwork({instances: 0})
    await ensureServerCertificate('arn:aws:iam::123456789012:server-certificate/test')
    const aws = await motoGateways()
    try {
      const {dnsName} = await aws.elb.createLoadBalancer({
        name: 'gw-lb',
        listeners: [
          {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
          {
            protocol: 'HTTPS',
            loadBalancerPort: 443,
            instanceProtocol: 'HTTP',
            instancePort: 80,
            sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/test',
          },
        ],
        subnets: net.subnets.map((s) => s.subnetId),
        tags: [{key: 'team', value: 'web'}],
      })
      expect(dnsName).toContain('gw-lb')

      const lb = await aws.elb.describeLoadBalancer('gw-lb')
      expect(lb).toMatchObject({name: 'gw-lb', vpcId: net.vpcId, dnsName})
      expect(lb!.subnets.sort()).toEqual(net.subnets.map((s) => s.subnetId).sort())
      expect(lb!.listeners.map((l) => l.listener)).toEqual(
        expect.arrayContaining([
          {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
          expect.objectContaining({protocol: 'HTTPS', loadBalancerPort: 443, instancePort: 80}),
        ]),
      )
      expect(await aws.elb.describeTags('gw-lb')).toEqual([{key: 'team', value: 'web'}])
      expect(await aws.elb.describeLoadBalancer('no-such-lb')).toBeUndefined()

      const operations = aws.requestLog.records.map((r) => `${r.service}:${r.operation}:${r.status}`)
      expect(operations).toEqual([
        'ElasticLoadBalancing:CreateLoadBalancer:200',
        'ElasticLoadBalancing:DescribeLoadBalancers:200',
        'ElasticLoadBalancing:DescribeTags:200',
        'ElasticLoadBalancing:DescribeLoadBalancers:400',
      ])
      const lines = aws.requestLog.records.map(formatRequestRecord).join('\n')
      expect(lines).toMatch(/\[aws\] ElasticLoadBalancing CreateLoadBalancer 200 \d+ms/)
      expect(lines).not.toContain(TEST_CREDENTIALS.secretAccessKey)
      expect(lines).not.toContain(TEST_CREDENTIALS.sessionToken)
    } finally {
      aws.close()
    }
  })

  it('lists instances and subnets of a seeded VPC', async () => {
    const net = await seedNetwork({instances: 2})
    const aws = await motoGateways()
    try {
      const subnets = await aws.ec2.describeSubnets({vpcId: net.vpcId})
      expect(subnets.map((s) => s.availabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b'])
      const instances = await aws.ec2.describeInstances([...net.instanceIds, 'i-0123456789abcdef0'])
      expect(instances.map((i) => i.instanceId).sort()).toEqual([...net.instanceIds].sort())
      expect(
        instances.every((i) => i.state === 'running' && i.vpcId === net.vpcId && i.name === 'elbx-test-web'),
      ).toBe(true)
    } finally {
      aws.close()
    }
  })
})
