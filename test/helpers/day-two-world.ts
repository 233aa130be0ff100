import {
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  DescribeLoadBalancersCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
  type ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing'

import {ensureServerCertificate} from './moto.js'

export const DAY_TWO_CERT_ARN = 'arn:aws:iam::123456789012:server-certificate/web'

/**
 * A load balancer for the change commands, made with the raw SDK on moto: HTTP 80, HTTPS 443 with
 * the SSL negotiation policy `sslPolicy` (its attributes as given), TCP 9000 and SSL 9443 -> SSL
 * 9443, tagged team=web. Every change must keep what it does not touch.
 */
export async function createDayTwoLoadBalancer(
  elb: ElasticLoadBalancingClient,
  name: string,
  sslPolicy: {name: string; attributes: Record<string, string>},
): Promise<void> {
  await ensureServerCertificate(DAY_TWO_CERT_ARN)
  const cert = {SSLCertificateId: DAY_TWO_CERT_ARN}
  await elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: name,
      AvailabilityZones: ['us-east-1a'],
      Listeners: [
        {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80},
        {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 80, ...cert},
        {Protocol: 'TCP', LoadBalancerPort: 9000, InstanceProtocol: 'TCP', InstancePort: 9000},
        {Protocol: 'SSL', LoadBalancerPort: 9443, InstanceProtocol: 'SSL', InstancePort: 9443, ...cert},
      ],
      Tags: [{Key: 'team', Value: 'web'}],
    }),
  )
  await elb.send(
    new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: name,
      PolicyName: sslPolicy.name,
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: Object.entries(sslPolicy.attributes).map(([AttributeName, AttributeValue]) => ({
        AttributeName,
        AttributeValue,
      })),
    }),
  )
  await elb.send(
    new SetLoadBalancerPoliciesOfListenerCommand({
      LoadBalancerName: name,
      LoadBalancerPort: 443,
      PolicyNames: [sslPolicy.name],
    }),
  )
}

/** The load balancer's description as moto gives it. */
export async function describeDayTwo(elb: ElasticLoadBalancingClient, name: string) {
  const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
  return out.LoadBalancerDescriptions![0]!
}

/** The policies of one listener. */
export const listenerPolicyNames = async (elb: ElasticLoadBalancingClient, name: string, port: number) =>
  (await describeDayTwo(elb, name)).ListenerDescriptions!.find((l) => l.Listener!.LoadBalancerPort === port)!
    .PolicyNames
