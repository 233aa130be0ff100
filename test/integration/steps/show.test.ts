import {listLoadBalancers, showLoadBalancer} from '../../../src/steps/show.js'
import {motoGateways} from '../../helpers/moto.js'
import {arrangeShowWorld} from '../../helpers/show-world.js'

const operations = (log: {records: {operation: string}[]}) => log.records.map((r) => r.operation)

describe('show and list against moto', () => {
  it('shows every part of a load balancer, reading each thing once', async () => {
    const world = await arrangeShowWorld('show-all')
    const aws = await motoGateways()
    try {
      const shown = await showLoadBalancer(aws, 'show-all')
      expect(shown).toMatchObject({
        loadBalancerName: 'show-all',
        scheme: 'internet-facing',
        vpcId: world.vpcId,
      })
      expect(shown.subnets).toHaveLength(2)
      expect(shown.securityGroups).toEqual([
        expect.objectContaining({
          groupId: world.groupId,
          found: true,
          inboundRules: [
            expect.objectContaining({fromPort: 80, listenerPorts: [80]}),
            expect.objectContaining({fromPort: 443, listenerPorts: [443]}),
          ],
        }),
      ])
      expect(shown.closedListenerPorts).toEqual([8443])
      const [http, https, ssl] = shown.listeners
      // moto describes the policy without its CookieExpirationPeriod.
      expect(http!.stickiness).toMatchObject({policyName: 'sticky-300', kind: 'lb-cookie'})
      expect(https!.certificate).toMatchObject({
        source: 'iam',
        name: 'show-all-cert',
        subject: 'CN=www.example.com',
        subjectAlternativeNames: ['www.example.com', 'example.com'],
        notAfterSource: 'certificate',
        daysToExpiry: 19,
        fingerprint: world.iamFingerprint,
      })
      expect(https!.sslNegotiation).toMatchObject({kind: 'aws-default', awsDefaultInForce: true})
      expect(ssl!.certificate).toMatchObject({
        source: 'acm',
        subject: 'CN=api.example.com',
        notAfterSource: 'certificate',
      })
      expect(ssl!.sslNegotiation).toMatchObject({policyName: 'tls12', protocols: ['TLSv1.2']})
      expect(shown.backendServers.find((b) => b.instancePort === 443)).toMatchObject({
        backendAuthentication: {
          policyName: 'backend-auth',
          publicKeys: [
            {
              policyName: 'backend-key',
              keyType: 'rsa',
              keyBits: 2048,
              fingerprint: world.backendKeyFingerprint,
            },
          ],
        },
      })
      expect(shown.instanceCounts).toEqual({inService: 2, registered: 2})
      expect(shown.tags).toEqual([{key: 'team', value: 'web'}])
      expect(shown.warnings).toEqual(
        expect.arrayContaining([
          expect.stringContaining('expires in 19 days'),
          expect.stringContaining(
            "AWS's default ELBSecurityPolicy-2016-08 on the listener on port 443 (no policy was chosen) enables TLSv1.1, TLSv1",
          ),
          'No security group of the load balancer admits listener port 8443: clients cannot connect.',
        ]),
      )
      const ops = operations(aws.requestLog)
      expect(ops[0]).toBe('DescribeLoadBalancers')
      expect(ops.slice(1).sort()).toEqual(
        [
          'DescribeLoadBalancerPolicies',
          'DescribeLoadBalancerAttributes',
          'DescribeTags',
          'DescribeInstanceHealth',
          'DescribeSecurityGroups',
          'DescribeSubnets',
          'GetServerCertificate',
          'DescribeCertificate',
          'GetCertificate',
        ].sort(),
      )
    } finally {
      aws.close()
    }
  })

  it('lists every load balancer of the Region with one DescribeLoadBalancers and one DescribeTags for up to 20', async () => {
    await arrangeShowWorld('list-a')
    await arrangeShowWorld('list-b')
    const aws = await motoGateways()
    try {
      const listed = await listLoadBalancers(aws)
      const names = listed.loadBalancers.map((l) => l.loadBalancerName)
      expect(names).toEqual([...names].sort())
      expect(listed.loadBalancers.find((l) => l.loadBalancerName === 'list-a')).toMatchObject({
        listeners: ['HTTP 80 -> HTTP 80', 'HTTPS 443 -> HTTPS 443', 'SSL 8443 -> TCP 8080'],
        instanceCounts: {inService: 2, registered: 2},
        nearestCertificateExpiry: {daysToExpiry: 19},
        tags: [{key: 'team', value: 'web'}],
      })
      const ops = operations(aws.requestLog)
      const count = (op: string) => ops.filter((o) => o === op).length
      expect(count('DescribeLoadBalancers')).toBe(1)
      expect(count('DescribeTags')).toBe(Math.ceil(names.length / 20))
      expect(count('DescribeInstanceHealth')).toBe(
        listed.loadBalancers.filter((l) => l.instanceCounts.registered).length,
      )
      expect(count('GetCertificate')).toBe(0)
    } finally {
      aws.close()
    }
  })
})
