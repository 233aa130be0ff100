// The bench's world in moto: a VPC with an internet gateway, a subnet in each of two Availability
// Zones, two running web instances, and a self-signed certificate made with openssl.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {EC2Client, StartInstancesCommand, StopInstancesCommand} from '@aws-sdk/client-ec2'
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  ElasticLoadBalancingClient,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {DeleteServerCertificateCommand, IAMClient, ListServerCertificatesCommand} from '@aws-sdk/client-iam'

import {
  makeSelfSignedCertificate,
  runInstance as runWorldInstance,
  seedNetwork as seedWorld,
} from '../../scripts/lib/world.js'
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
export function seedNetwork({ec2}, {instances = 2} = {}) {
  return seedWorld(ec2, {
    cidrPrefix: '10.30',
    zones: [`${REGION}a`, `${REGION}b`],
    instances,
    nameTag: 'elbx-bench-web',
  })
}

export const runInstance = ({ec2}, subnetId) => runWorldInstance(ec2, subnetId, {nameTag: 'elbx-bench-web'})

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
  return {dir, ...makeSelfSignedCertificate(dir)}
}
