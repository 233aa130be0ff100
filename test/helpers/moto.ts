import {
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  CreateVpcCommand,
  CreateSubnetCommand,
  CreateInternetGatewayCommand,
  AttachInternetGatewayCommand,
  CreateTagsCommand,
} from '@aws-sdk/client-ec2'
import {
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  ElasticLoadBalancingClient,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {GetServerCertificateCommand, IAMClient, UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import {setMotoOptions, type MotoOptions} from '../../scripts/lib/moto.js'
import type {DryRunRecorder} from '../../src/aws/dry-run.js'
import {RequestLog} from '../../src/aws/request-log.js'
import {connect, type Connection} from '../../src/aws/index.js'
import {makeCertificate} from './certs.js'

export const TEST_REGION = 'us-east-1'
/** Fake credentials for moto. The secret is long and distinctive so leak scans can look for it. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIAELBXTESTKEY00001',
  secretAccessKey: 'elbxTestSecretKeyThatMustNeverBePrinted0001',
  sessionToken: 'elbxTestSessionTokenThatMustNeverBePrinted0001',
}

/** The moto_server of this jest worker. */
export function motoEndpoint(): string {
  const endpoints = (process.env.ELBX_TEST_MOTO_ENDPOINTS ?? '').split(',').filter(Boolean)
  if (endpoints.length === 0)
    throw new Error('moto is not running: ELBX_TEST_MOTO_ENDPOINTS is unset (jest globalSetup)')
  const worker = Number(process.env.JEST_WORKER_ID ?? '1')
  return endpoints[(worker - 1) % endpoints.length]!
}

/**
 * Switches on the patched moto's optional AWS behaviour for this test file (a reset between files
 * switches it off again).
 */
export async function motoOptions(options: MotoOptions): Promise<void> {
  await setMotoOptions(motoEndpoint(), options)
}

/** Environment for the elbx binary and the SDK pointing at this worker's moto. */
export function motoEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
    AWS_REGION: TEST_REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    // Fail fast instead of looking for instance metadata or a shared config.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extra,
  }
}

/** Raw SDK clients on moto, for arranging and checking state in tests. */
export function sdkClients() {
  const config = {region: TEST_REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS}
  return {
    elb: new ElasticLoadBalancingClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
  }
}

/**
 * elbx's own gateways on moto, with a request log to count requests. `endpointUrl` puts something
 * between them and moto (the fault proxy of test/helpers/fault-proxy.ts).
 */
export async function motoGateways(
  requestLog = new RequestLog(undefined),
  endpointUrl = motoEndpoint(),
  options: {dryRun?: DryRunRecorder} = {},
): Promise<Connection & {requestLog: RequestLog}> {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey
  process.env.AWS_SESSION_TOKEN = TEST_CREDENTIALS.sessionToken
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  const connection = await connect({
    region: TEST_REGION,
    endpointUrl,
    requestLog,
    userAgent: 'elbx/test',
    ...(options.dryRun ? {dryRun: options.dryRun} : {}),
  })
  return Object.assign(connection, {requestLog})
}

export interface SeededNetwork {
  vpcId: string
  subnets: {subnetId: string; availabilityZone: string}[]
  instanceIds: string[]
}

/**
 * A VPC with an internet gateway, one subnet in each of two Availability Zones, and running
 * instances spread across them (moto reports running instances InService at once).
 */
export async function seedNetwork(options: {instances?: number} = {}): Promise<SeededNetwork> {
  const {ec2} = sdkClients()
  try {
    const vpc = await ec2.send(new CreateVpcCommand({CidrBlock: '10.20.0.0/16'}))
    const vpcId = vpc.Vpc!.VpcId!
    const igw = await ec2.send(new CreateInternetGatewayCommand({}))
    await ec2.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: igw.InternetGateway!.InternetGatewayId!,
        VpcId: vpcId,
      }),
    )
    const subnets = []
    for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries()) {
      const s = await ec2.send(
        new CreateSubnetCommand({VpcId: vpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: az}),
      )
      subnets.push({subnetId: s.Subnet!.SubnetId!, availabilityZone: az})
    }
    const instanceIds: string[] = []
    const count = options.instances ?? 2
    for (let i = 0; i < count; i++) {
      const subnet = subnets[i % subnets.length]!
      const out = await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.micro',
          SubnetId: subnet.subnetId,
        }),
      )
      instanceIds.push(out.Instances![0]!.InstanceId!)
    }
    if (instanceIds.length) {
      await ec2.send(
        new CreateTagsCommand({Resources: instanceIds, Tags: [{Key: 'Name', Value: 'elbx-test-web'}]}),
      )
    }
    return {vpcId, subnets, instanceIds}
  } finally {
    ec2.destroy()
  }
}

/** Stops instances (moto then reports them OutOfService). */
export async function stopInstances(instanceIds: string[]): Promise<void> {
  const {ec2} = sdkClients()
  try {
    await ec2.send(new StopInstancesCommand({InstanceIds: instanceIds}))
  } finally {
    ec2.destroy()
  }
}

/**
 * Makes sure moto's IAM holds the server certificate an ARN of moto's account names
 * (arn:aws:iam::123456789012:server-certificate/NAME), uploading a self-signed one if not: the
 * patched moto, like AWS, refuses a listener on a certificate that does not exist.
 */
export async function ensureServerCertificate(arn: string): Promise<void> {
  const name = arn.split('/').at(-1)!
  const {iam} = sdkClients()
  try {
    await iam.send(new GetServerCertificateCommand({ServerCertificateName: name}))
  } catch {
    const pair = makeCertificate()
    const out = await iam.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: name,
        CertificateBody: pair.cert,
        PrivateKey: pair.key,
      }),
    )
    if (out.ServerCertificateMetadata!.Arn !== arn)
      throw new Error(`uploaded ${out.ServerCertificateMetadata!.Arn}, not ${arn}`)
  } finally {
    iam.destroy()
  }
}

/** Arranges a load balancer in us-east-1a with HTTP 80 -> HTTP 80 and HTTPS 443 -> HTTPS 443 on `certificateArn`. */
export async function createHttpAndHttpsLoadBalancer(
  elb: ElasticLoadBalancingClient,
  name: string,
  certificateArn: string,
): Promise<void> {
  await ensureServerCertificate(certificateArn)
  await elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: name,
      AvailabilityZones: ['us-east-1a'],
      Listeners: [
        {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80},
        {
          Protocol: 'HTTPS',
          LoadBalancerPort: 443,
          InstanceProtocol: 'HTTPS',
          InstancePort: 443,
          SSLCertificateId: certificateArn,
        },
      ],
    }),
  )
}

/** A custom SSL negotiation policy's attributes: TLS 1.2, one cipher, the server's order. */
export const CUSTOM_SSL_ATTRIBUTES = [
  {AttributeName: 'Protocol-TLSv1.2', AttributeValue: 'true'},
  {AttributeName: 'ECDHE-RSA-AES128-GCM-SHA256', AttributeValue: 'true'},
  {AttributeName: 'Server-Defined-Cipher-Order', AttributeValue: 'true'},
]

/**
 * createHttpAndHttpsLoadBalancer, with two policies on HTTPS 443 that a change must keep: a custom
 * SSL negotiation policy (custom-ssl) and LB cookie stickiness (sticky).
 */
export async function createLoadBalancerWithPolicies(
  elb: ElasticLoadBalancingClient,
  name: string,
  certificateArn: string,
): Promise<void> {
  await createHttpAndHttpsLoadBalancer(elb, name, certificateArn)
  await elb.send(
    new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: name,
      PolicyName: 'custom-ssl',
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: CUSTOM_SSL_ATTRIBUTES,
    }),
  )
  await elb.send(
    new CreateLBCookieStickinessPolicyCommand({
      LoadBalancerName: name,
      PolicyName: 'sticky',
      CookieExpirationPeriod: 300,
    }),
  )
  await elb.send(
    new SetLoadBalancerPoliciesOfListenerCommand({
      LoadBalancerName: name,
      LoadBalancerPort: 443,
      PolicyNames: ['custom-ssl', 'sticky'],
    }),
  )
}
