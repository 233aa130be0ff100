import type {Gateways, IamGateway} from '../../../src/aws/gateways.js'
import type {
  LoadBalancer,
  LoadBalancerAttributes,
  SecurityGroup,
  ServerCertificate,
  Tag,
} from '../../../src/model.js'
import {fakeEc2, fakeElb, sdkError} from './fakes.js'

/**
 * A small in-memory AWS that behaves as AWS documents (not as moto does): listeners are described
 * with the instance protocol they were created with. Tests inject failures through `failures`.
 */
export class AwsWorld {
  loadBalancers = new Map<string, LoadBalancer>()
  attributes = new Map<string, LoadBalancerAttributes>()
  tags = new Map<string, Tag[]>()
  groups = new Map<string, SecurityGroup>()
  certificates = new Map<string, ServerCertificate & {certificateBody: string; tags: Tag[]}>()
  calls: string[] = []
  /** Operation name -> errors to throw, one per call, before it works. */
  failures: Record<string, Error[]> = {}
  private nextId = 1

  private call(op: string): void {
    this.calls.push(op)
    const queued = this.failures[op]
    if (queued?.length) throw queued.shift()
  }

  gateways(): Gateways {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the fakes are plain objects that close over the world
    const world = this
    const elb = fakeElb({
      async describeLoadBalancer(name) {
        world.call('DescribeLoadBalancers')
        return world.loadBalancers.get(name)
      },
      async listLoadBalancers() {
        world.call('DescribeLoadBalancers')
        return [...world.loadBalancers.values()]
      },
      async createLoadBalancer(input) {
        world.call('CreateLoadBalancer')
        const dnsName = `${input.name}-123.us-east-1.elb.amazonaws.com`
        world.loadBalancers.set(input.name, {
          name: input.name,
          dnsName,
          scheme: input.scheme ?? 'internet-facing',
          vpcId: 'vpc-11111111',
          subnets: input.subnets ?? [],
          availabilityZones: input.availabilityZones ?? ['us-east-1a', 'us-east-1b'],
          securityGroups: input.securityGroups ?? [],
          listeners: input.listeners.map((listener) => ({listener, policyNames: []})),
          backendServers: [],
          instanceIds: [],
          policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
        })
        world.attributes.set(input.name, {
          crossZoneLoadBalancing: false,
          connectionDraining: {enabled: false, timeout: 300},
          idleTimeout: 60,
        })
        world.tags.set(input.name, input.tags ?? [])
        return {dnsName}
      },
      async deleteLoadBalancer(name) {
        world.call('DeleteLoadBalancer')
        world.loadBalancers.delete(name)
      },
      async describeAttributes(name) {
        world.call('DescribeLoadBalancerAttributes')
        return world.attributes.get(name)!
      },
      async modifyAttributes(name, changes) {
        world.call('ModifyLoadBalancerAttributes')
        world.attributes.set(name, {...world.attributes.get(name)!, ...changes})
      },
      async describeTags(name) {
        world.call('DescribeTags')
        return world.tags.get(name) ?? []
      },
      async addTags(name, tags) {
        world.call('AddTags')
        const current = (world.tags.get(name) ?? []).filter((t) => !tags.some((n) => n.key === t.key))
        world.tags.set(name, [...current, ...tags])
      },
    })
    const ec2 = fakeEc2({
      async describeVpcs() {
        world.call('DescribeVpcs')
        return [{vpcId: 'vpc-11111111', isDefault: true}]
      },
      async describeSubnets() {
        world.call('DescribeSubnets')
        return [
          {
            subnetId: 'subnet-aaaaaaaa',
            vpcId: 'vpc-11111111',
            availabilityZone: 'us-east-1a',
            defaultForAz: true,
          },
          {
            subnetId: 'subnet-bbbbbbbb',
            vpcId: 'vpc-11111111',
            availabilityZone: 'us-east-1b',
            defaultForAz: true,
          },
        ]
      },
      async describeSecurityGroups(filter) {
        world.call('DescribeSecurityGroups')
        return [...world.groups.values()].filter(
          (g) =>
            (!filter.vpcId || g.vpcId === filter.vpcId) &&
            (!filter.tag || g.tags.some((t) => t.key === filter.tag!.key && t.value === filter.tag!.value)),
        )
      },
      async createSecurityGroup(input) {
        world.call('CreateSecurityGroup')
        const groupId = `sg-0000000${world.nextId++}`
        world.groups.set(groupId, {
          groupId,
          groupName: input.groupName,
          vpcId: input.vpcId,
          tags: input.tags,
          ingress: [],
        })
        return groupId
      },
      async authorizeIngress(groupId, rules) {
        world.call('AuthorizeSecurityGroupIngress')
        world.groups.get(groupId)!.ingress.push(...rules)
      },
      async deleteSecurityGroup(groupId) {
        world.call('DeleteSecurityGroup')
        if (!world.groups.delete(groupId)) throw sdkError('InvalidGroup.NotFound')
      },
    })
    const iam: IamGateway = {
      async uploadServerCertificate(input) {
        world.call('UploadServerCertificate')
        const cert = {
          name: input.name,
          id: 'ASCAEXAMPLE000000001',
          arn: `arn:aws:iam::123456789012:server-certificate/${input.name}`,
          certificateBody: input.certificateBody,
          tags: input.tags ?? [],
        }
        world.certificates.set(input.name, cert)
        return cert
      },
      async getServerCertificate(name) {
        world.call('GetServerCertificate')
        return world.certificates.get(name)
      },
      async listServerCertificates() {
        world.call('ListServerCertificates')
        return [...world.certificates.values()]
      },
      async deleteServerCertificate(name) {
        world.call('DeleteServerCertificate')
        if (!world.certificates.delete(name)) throw sdkError('NoSuchEntity')
      },
    }
    return {elb, ec2, iam, acm: {} as Gateways['acm'], region: 'us-east-1'}
  }
}
