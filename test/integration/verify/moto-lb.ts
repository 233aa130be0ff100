import {ACMClient, ImportCertificateCommand} from '@aws-sdk/client-acm'
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import type {CertificatePair} from '../../helpers/certs.js'
import {
  TEST_CREDENTIALS,
  TEST_REGION,
  ensureServerCertificate,
  motoEndpoint,
  sdkClients,
  seedNetwork,
} from '../../helpers/moto.js'

let uploads = 0

/** Uploads the certificate to moto's IAM (which keeps the real body) and returns its ARN. */
export async function uploadServerCertificate(pair: CertificatePair): Promise<string> {
  const {iam} = sdkClients()
  try {
    const out = await iam.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: `verify-test-${process.pid}-${++uploads}-${Date.now()}`,
        CertificateBody: pair.cert,
        PrivateKey: pair.key,
      }),
    )
    return out.ServerCertificateMetadata!.Arn!
  } finally {
    iam.destroy()
  }
}

/** Imports the certificate into moto's ACM and returns its ARN. */
export async function importAcmCertificate(pair: CertificatePair): Promise<string> {
  const acm = new ACMClient({region: TEST_REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS})
  try {
    const out = await acm.send(
      new ImportCertificateCommand({Certificate: Buffer.from(pair.cert), PrivateKey: Buffer.from(pair.key)}),
    )
    return out.CertificateArn!
  } finally {
    acm.destroy()
  }
}

/** Points the load balancer's HTTPS 443 listener at another certificate (SetLoadBalancerListenerSSLCertificate). */
export async function useListenerCertificate(name: string, arn: string, port = 443): Promise<void> {
  const {elb} = sdkClients()
  try {
    await elb.send(
      new SetLoadBalancerListenerSSLCertificateCommand({
        LoadBalancerName: name,
        LoadBalancerPort: port,
        SSLCertificateId: arn,
      }),
    )
  } finally {
    elb.destroy()
  }
}

export const TEST_CERTIFICATE_ARN = 'arn:aws:iam::123456789012:server-certificate/elbx-verify-test'

/**
 * A load balancer on moto as the seed builds it: HTTP 80 -> 80 and HTTPS 443 -> 80, an SSL
 * negotiation policy referencing a predefined policy on 443, a health check, and running instances registered.
 * With `certificate`, the HTTPS listener's certificate is that one, uploaded to IAM; otherwise a
 * certificate of its own under TEST_CERTIFICATE_ARN, which no local test server serves.
 * Arranged with the raw SDK so the test depends on no other elbx command. Returns its DNS name,
 * which (being moto's) does not resolve.
 */
export async function seedVerifiableLoadBalancer(
  name: string,
  options: {referencePolicy?: string; instances?: number; certificate?: CertificatePair} = {},
): Promise<{dnsName: string; instanceIds: string[]; certificateArn: string}> {
  const network = await seedNetwork({instances: options.instances ?? 2})
  // With a certificate, the listener names it in IAM, so verify can compare what is served;
  // without, a certificate of its own (IAM must hold the ARN a listener names).
  const certificateArn = options.certificate
    ? await uploadServerCertificate(options.certificate)
    : (await ensureServerCertificate(TEST_CERTIFICATE_ARN), TEST_CERTIFICATE_ARN)
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
            SSLCertificateId: certificateArn,
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
    return {dnsName: created.DNSName!, instanceIds: network.instanceIds, certificateArn}
  } finally {
    elb.destroy()
  }
}
