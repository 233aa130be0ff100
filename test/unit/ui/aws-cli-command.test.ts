import {kebab, shellQuote, toAwsCliCommand} from '../../../src/ui/aws-cli-command.js'

describe('toAwsCliCommand', () => {
  it("renders the guide's create-load-balancer command", () => {
    expect(
      toAwsCliCommand({
        service: 'elb',
        operation: 'CreateLoadBalancer',
        parameters: {
          LoadBalancerName: 'my-load-balancer',
          Listeners: [
            {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80},
            {
              Protocol: 'HTTPS',
              LoadBalancerPort: 443,
              InstanceProtocol: 'HTTP',
              InstancePort: 80,
              SSLCertificateId: 'ARN',
            },
          ],
          AvailabilityZones: ['us-west-2a'],
        },
      }),
    ).toBe(
      'aws elb create-load-balancer --load-balancer-name my-load-balancer --listeners ' +
        'Protocol=http,LoadBalancerPort=80,InstanceProtocol=http,InstancePort=80 ' +
        'Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80,SSLCertificateId=ARN ' +
        '--availability-zones us-west-2a',
    )
  })

  it("renders an empty policy list as '[]', which clears the list (a bare flag is a CLI syntax error)", () => {
    expect(
      toAwsCliCommand({
        service: 'elb',
        operation: 'SetLoadBalancerPoliciesForBackendServer',
        parameters: {LoadBalancerName: 'web', InstancePort: 9000, PolicyNames: []},
      }),
    ).toBe(
      "aws elb set-load-balancer-policies-for-backend-server --load-balancer-name web --instance-port 9000 --policy-names '[]'",
    )
  })

  it('renders policy attributes, listener policies, health checks and instances as the guide does', () => {
    expect(
      toAwsCliCommand({
        service: 'elb',
        operation: 'CreateLoadBalancerPolicy',
        parameters: {
          LoadBalancerName: 'my-loadbalancer',
          PolicyName: 'my-SSLNegotiation-policy',
          PolicyTypeName: 'SSLNegotiationPolicyType',
          PolicyAttributes: [
            {AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
          ],
        },
      }),
    ).toBe(
      'aws elb create-load-balancer-policy --load-balancer-name my-loadbalancer --policy-name my-SSLNegotiation-policy ' +
        '--policy-type-name SSLNegotiationPolicyType --policy-attributes AttributeName=Reference-Security-Policy,AttributeValue=ELBSecurityPolicy-TLS-1-2-2017-01',
    )
    expect(
      toAwsCliCommand({
        service: 'elb',
        operation: 'SetLoadBalancerPoliciesOfListener',
        parameters: {
          LoadBalancerName: 'my-loadbalancer',
          LoadBalancerPort: 443,
          PolicyNames: ['my-SSLNegotiation-policy'],
        },
      }),
    ).toBe(
      'aws elb set-load-balancer-policies-of-listener --load-balancer-name my-loadbalancer --load-balancer-port 443 --policy-names my-SSLNegotiation-policy',
    )
    expect(
      toAwsCliCommand({
        service: 'elb',
        operation: 'ConfigureHealthCheck',
        parameters: {
          LoadBalancerName: 'my-loadbalancer',
          HealthCheck: {
            Target: 'HTTP:80/ping',
            Interval: 30,
            UnhealthyThreshold: 2,
            HealthyThreshold: 2,
            Timeout: 3,
          },
        },
      }),
    ).toBe(
      'aws elb configure-health-check --load-balancer-name my-loadbalancer --health-check Target=HTTP:80/ping,Interval=30,UnhealthyThreshold=2,HealthyThreshold=2,Timeout=3',
    )
    expect(
      toAwsCliCommand({
        service: 'elb',
        operation: 'RegisterInstancesWithLoadBalancer',
        parameters: {
          LoadBalancerName: 'my-loadbalancer',
          Instances: [{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}],
        },
      }),
    ).toBe(
      'aws elb register-instances-with-load-balancer --load-balancer-name my-loadbalancer --instances i-4f8cf126 i-0bb7ca62',
    )
  })

  it('falls back to quoted JSON for nested structures', () => {
    const cmd = toAwsCliCommand({
      service: 'ec2',
      operation: 'AuthorizeSecurityGroupIngress',
      parameters: {
        GroupId: 'sg-1',
        IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0'}]}],
      },
    })
    expect(cmd).toBe(
      `aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    )
  })

  it('converts names and quotes words', () => {
    expect(kebab('SSLCertificateId')).toBe('ssl-certificate-id')
    expect(kebab('RegisterInstancesWithLoadBalancer')).toBe('register-instances-with-load-balancer')
    expect(shellQuote('a b')).toBe("'a b'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('file://cert.pem')).toBe('file://cert.pem')
  })
})
