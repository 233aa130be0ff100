// The small world the demo and the benchmarks build in moto: a VPC with an internet gateway, one
// subnet in each of two Availability Zones, running instances spread over them, and a
// self-signed certificate made with openssl as an operator would. One copy, used by both.
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2'

/**
 * Seeds the network. `onStep` receives the aws CLI command each step corresponds to (the demo
 * prints them).
 * @param {import('@aws-sdk/client-ec2').EC2Client} ec2
 * @param {{cidrPrefix?: string, zones?: string[], instances?: number, nameTag?: string, onStep?: (command: string) => void}} options
 * @returns {Promise<{vpcId: string, subnetIds: string[], instanceIds: string[]}>}
 */
export async function seedNetwork(ec2, options = {}) {
  const {
    cidrPrefix = '10.20',
    zones = ['us-east-1a', 'us-east-1b'],
    instances = 2,
    nameTag = 'elbx-web',
  } = options
  const onStep = options.onStep ?? (() => {})
  onStep(`aws ec2 create-vpc --cidr-block ${cidrPrefix}.0.0/16`)
  const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: `${cidrPrefix}.0.0/16`}))).Vpc.VpcId
  onStep('aws ec2 create-internet-gateway && aws ec2 attach-internet-gateway ...')
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway.InternetGatewayId
  await ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: igw, VpcId: vpcId}))
  const subnetIds = []
  for (const [i, zone] of zones.entries()) {
    onStep(
      `aws ec2 create-subnet --vpc-id ${vpcId} --cidr-block ${cidrPrefix}.${i}.0/24 --availability-zone ${zone}`,
    )
    const subnet = await ec2.send(
      new CreateSubnetCommand({VpcId: vpcId, CidrBlock: `${cidrPrefix}.${i}.0/24`, AvailabilityZone: zone}),
    )
    subnetIds.push(subnet.Subnet.SubnetId)
  }
  const instanceIds = []
  for (let i = 0; i < instances; i++)
    instanceIds.push(await runInstance(ec2, subnetIds[i % subnetIds.length], {nameTag, onStep}))
  return {vpcId, subnetIds, instanceIds}
}

/** Runs one instance in a subnet, tagged with a Name. */
export async function runInstance(ec2, subnetId, {nameTag = 'elbx-web', onStep = () => {}} = {}) {
  onStep(`aws ec2 run-instances --image-id ami-12c6146b --instance-type t3.micro --subnet-id ${subnetId}`)
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      SubnetId: subnetId,
      TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'Name', Value: nameTag}]}],
    }),
  )
  return out.Instances[0].InstanceId
}

/**
 * A self-signed RSA certificate for www.example.com and its key, in `dir`. `onStep` receives the
 * openssl command.
 * @returns {{certFile: string, keyFile: string}}
 */
export function makeSelfSignedCertificate(dir, {days = 365, onStep = () => {}} = {}) {
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  const args = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    String(days),
    '-subj',
    '/CN=www.example.com',
    '-addext',
    'subjectAltName=DNS:www.example.com',
  ]
  onStep(`openssl ${args.join(' ')}`)
  execFileSync('openssl', args, {stdio: 'pipe'})
  return {certFile, keyFile}
}
