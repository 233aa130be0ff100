// The bench's world in moto: a VPC with an internet gateway, a subnet in each of two Availability
// Zones, two running web instances, and a self-signed certificate made with openssl.
import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2'
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  ElasticLoadBalancingClient,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {DeleteServerCertificateCommand, IAMClient, ListServerCertificatesCommand} from '@aws-sdk/client-iam'

import {REGION} from './environment.js'

/** Raw SDK clients on the bench's moto, for arranging state outside the timed parts. */
export function sdkClients(endpoint) {
  const config = {
    region: REGION,
    endpoint,
    credentials: {accessKeyId: 'AKIAELBXBENCH0000001', secretAccessKey: 'moto'},
  }
  const clients = {
    ec2: new EC2Client(config),
    elb: new ElasticLoadBalancingClient(config),
    iam: new IAMClient(config),
  }
  return {...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy())}
}

/** @returns {Promise<{vpcId: string, subnetIds: string[], instanceIds: string[]}>} */
export async function seedNetwork(clients, {instances = 2} = {}) {
  const {ec2} = clients
  const vpc = await ec2.send(new CreateVpcCommand({CidrBlock: '10.30.0.0/16'}))
  const vpcId = vpc.Vpc.VpcId
  const igw = await ec2.send(new CreateInternetGatewayCommand({}))
  await ec2.send(
    new AttachInternetGatewayCommand({
      InternetGatewayId: igw.InternetGateway.InternetGatewayId,
      VpcId: vpcId,
    }),
  )
  const subnetIds = []
  for (const [i, zone] of [`${REGION}a`, `${REGION}b`].entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({VpcId: vpcId, CidrBlock: `10.30.${i}.0/24`, AvailabilityZone: zone}),
    )
    subnetIds.push(subnet.Subnet.SubnetId)
  }
  const instanceIds = []
  for (let i = 0; i < instances; i++)
    instanceIds.push(await runInstance(clients, subnetIds[i % subnetIds.length]))
  return {vpcId, subnetIds, instanceIds}
}

export async function runInstance({ec2}, subnetId) {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      SubnetId: subnetId,
      TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'Name', Value: 'elbx-bench-web'}]}],
    }),
  )
  return out.Instances[0].InstanceId
}

export const stopInstance = ({ec2}, id) => ec2.send(new StopInstancesCommand({InstanceIds: [id]}))
export const startInstance = ({ec2}, id) => ec2.send(new StartInstancesCommand({InstanceIds: [id]}))

/** A load balancer with one HTTP listener, for the wait measurements. */
export async function createPlainLoadBalancer({elb}, name, subnetIds, instanceIds = []) {
  await elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: name,
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
      Subnets: subnetIds,
    }),
  )
  if (instanceIds.length)
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: name,
        Instances: instanceIds.map((InstanceId) => ({InstanceId})),
      }),
    )
}

/**
 * Removes what a workflow run may have left (a failed or partial run): the load balancer and every
 * uploaded server certificate. Outside the timed part; errors are ignored.
 */
export async function cleanUp({elb, iam}, loadBalancerName) {
  await elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: loadBalancerName})).catch(() => {})
  const certificates = await iam.send(new ListServerCertificatesCommand({})).catch(() => undefined)
  for (const c of certificates?.ServerCertificateMetadataList ?? [])
    await iam
      .send(new DeleteServerCertificateCommand({ServerCertificateName: c.ServerCertificateName}))
      .catch(() => {})
}

/** A self-signed RSA certificate for www.example.com and its key, as an operator would make them. */
export function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-bench-cert-'))
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile],
    {
      stdio: 'pipe',
    },
  )
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/CN=www.example.com',
      '-days',
      '365',
      '-addext',
      'subjectAltName=DNS:www.example.com',
      '-out',
      certFile,
    ],
    {stdio: 'pipe'},
  )
  return {dir, certFile, keyFile}
}
