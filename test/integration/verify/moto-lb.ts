import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'

import {ensureServerCertificate, sdkClients, seedNetwork} from '../../helpers/moto.js'

export const TEST_CERTIFICATE_ARN = 'arn:aws:iam::123456789012:server-certificate/elbx-verify-test'

/**
 * A load balancer on moto as the seed builds it: HTTP 80 -> 80 and HTTPS 443 -> 80, an SSL
 * negotiation policy referencing a predefined policy on 443, a health check, and running instances registered.
 * Arranged with the raw SDK so the test depends on no other elbx command. Returns its DNS name,
 * which (being moto's) does not resolve.
 */
export async function seedVerifiableLoadBalancer(
  name: string,
  options: {referencePolicy?: string; instances?: number} = {},
): Promise<{dnsName: string; instanceIds: string[]}> {
  const network = await seedNetwork({instances: options.instances ?? 2})
  await ensureServerCertificate(TEST_CERTIFICATE_ARN)
  const {elb} = sdkClients()
  try {
    const created = await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: name,
        Listeners: [
          {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80},
          {
            Protocol: 'HTTPS',
            LoadBalancerPort: 443,
            InstanceProtocol: 'HTTP',
            InstancePort: 80,
            SSLCertificateId: TEST_CERTIFICATE_ARN,
          },
        ],
        Subnets: network.subnets.map((s) => s.subnetId),
      }),
    )
    await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: name,
        HealthCheck: {
          Target: 'HTTP:80/',
          Interval: 30,
          Timeout: 5,
          HealthyThreshold: 2,
          UnhealthyThreshold: 2,
        },
      }),
    )
    const policyName = 'verify-test-ssl'
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: name,
        PolicyName: policyName,
        PolicyTypeName: 'SSLNegotiationPolicyType',
        PolicyAttributes: [
          {
            AttributeName: 'Reference-Security-Policy',
            AttributeValue: options.referencePolicy ?? 'ELBSecurityPolicy-TLS-1-2-2017-01',
          },
        ],
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 443,
        PolicyNames: [policyName],
      }),
    )
    if (network.instanceIds.length) {
      await elb.send(
        new RegisterInstancesWithLoadBalancerCommand({
          LoadBalancerName: name,
          Instances: network.instanceIds.map((InstanceId) => ({InstanceId})),
        }),
      )
    }
    return {dnsName: created.DNSName!, instanceIds: network.instanceIds}
  } finally {
    elb.destroy()
  }
}
