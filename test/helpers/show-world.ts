import {X509Certificate, createHash} from 'node:crypto'

import {ACMClient, ImportCertificateCommand} from '@aws-sdk/client-acm'
import {AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand} from '@aws-sdk/client-ec2'
import {
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import {makeCertificate, opensslPublicKeyAttribute} from './certs.js'
import {TEST_CREDENTIALS, TEST_REGION, motoEndpoint, sdkClients, seedNetwork} from './moto.js'

export interface ShowWorld {
  name: string
  vpcId: string
  groupId: string
  iamArn: string
  acmArn: string
  iamFingerprint: string
  backendKeyFingerprint: string
  instanceIds: string[]
}

/**
 * A load balancer with something of everything `elbx show` reports, made with the raw SDK on moto:
 * HTTP 80 with LB-cookie stickiness, HTTPS 443 on an IAM certificate with no SSL policy (AWS's
 * default), SSL 8443 on an ACM certificate with a TLS 1.2 policy, back-end authentication on
 * instance port 443, a security group admitting 80 and 443 (not 8443), two instances, a tag.
 */
export async function arrangeShowWorld(name: string): Promise<ShowWorld> {
  const net = await seedNetwork({instances: 2})
  const {elb, ec2, iam} = sdkClients()
  const acm = new ACMClient({region: TEST_REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS})
  try {
    const group = await ec2.send(
      new CreateSecurityGroupCommand({GroupName: `${name}-sg`, Description: 'show test', VpcId: net.vpcId}),
    )
    const groupId = group.GroupId!
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [80, 443, 22].map((port) => ({
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          IpRanges: [{CidrIp: port === 22 ? '10.0.0.0/8' : '0.0.0.0/0'}],
        })),
      }),
    )
    const iamPair = makeCertificate({
      commonName: 'www.example.com',
      altNames: ['www.example.com', 'example.com'],
      days: 20,
    })
    const uploaded = await iam.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: `${name}-cert`,
        CertificateBody: iamPair.cert,
        PrivateKey: iamPair.key,
      }),
    )
    const iamArn = uploaded.ServerCertificateMetadata!.Arn!
    const acmPair = makeCertificate({commonName: 'api.example.com', days: 200})
    const imported = await acm.send(
      new ImportCertificateCommand({
        Certificate: Buffer.from(acmPair.cert),
        PrivateKey: Buffer.from(acmPair.key),
      }),
    )
    const acmArn = imported.CertificateArn!
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: name,
        Subnets: net.subnets.map((s) => s.subnetId),
        SecurityGroups: [groupId],
        Listeners: [
          {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80},
          {
            Protocol: 'HTTPS',
            LoadBalancerPort: 443,
            InstanceProtocol: 'HTTPS',
            InstancePort: 443,
            SSLCertificateId: iamArn,
          },
          {
            Protocol: 'SSL',
            LoadBalancerPort: 8443,
            InstanceProtocol: 'TCP',
            InstancePort: 8080,
            SSLCertificateId: acmArn,
          },
        ],
        Tags: [{Key: 'team', Value: 'web'}],
      }),
    )
    await elb.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'sticky-300',
        CookieExpirationPeriod: 300,
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 80,
        PolicyNames: ['sticky-300'],
      }),
    )
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'tls12',
        PolicyTypeName: 'SSLNegotiationPolicyType',
        PolicyAttributes: [
          {AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
        ],
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 8443,
        PolicyNames: ['tls12'],
      }),
    )
    const backendPair = makeCertificate({commonName: 'backend.internal'})
    const publicKey = opensslPublicKeyAttribute(backendPair.certFile)
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'backend-key',
        PolicyTypeName: 'PublicKeyPolicyType',
        PolicyAttributes: [{AttributeName: 'PublicKey', AttributeValue: publicKey}],
      }),
    )
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'backend-auth',
        PolicyTypeName: 'BackendServerAuthenticationPolicyType',
        PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'backend-key'}],
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesForBackendServerCommand({
        LoadBalancerName: name,
        InstancePort: 443,
        PolicyNames: ['backend-auth'],
      }),
    )
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: name,
        Instances: net.instanceIds.map((InstanceId) => ({InstanceId})),
      }),
    )
    const spki = new X509Certificate(backendPair.cert).publicKey.export({type: 'spki', format: 'der'})
    return {
      name,
      vpcId: net.vpcId,
      groupId,
      iamArn,
      acmArn,
      iamFingerprint: new X509Certificate(iamPair.cert).fingerprint256.replace(/:/g, '').toLowerCase(),
      backendKeyFingerprint: createHash('sha256').update(spki).digest('hex'),
      instanceIds: net.instanceIds,
    }
  } finally {
    elb.destroy()
    ec2.destroy()
    iam.destroy()
    acm.destroy()
  }
}
