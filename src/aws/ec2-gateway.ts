import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type Filter,
  type Instance as SdkInstance,
  type IpPermission,
} from './sdk/ec2.js'

import type {
  Ec2InstanceState,
  Instance,
  IngressRule,
  NetworkInterface,
  SecurityGroup,
  Subnet,
  Tag,
  Vpc,
} from '../model.js'
import type {CreateSecurityGroupInput, Ec2Gateway} from './gateways.js'

/** EC2 accepts at most 200 values in one filter. */
const FILTER_VALUES_MAX = 200

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const fromSdkTags = (tags: {Key?: string; Value?: string}[] | undefined): Tag[] =>
  (tags ?? []).map((t) => ({key: t.Key ?? '', value: t.Value ?? ''}))

function fromSdkInstance(i: SdkInstance): Instance {
  const name = i.Tags?.find((t) => t.Key === 'Name')?.Value
  return {
    instanceId: i.InstanceId ?? '',
    state: (i.State?.Name ?? 'pending') as Ec2InstanceState,
    ...(i.VpcId ? {vpcId: i.VpcId} : {}),
    ...(i.SubnetId ? {subnetId: i.SubnetId} : {}),
    ...(i.Placement?.AvailabilityZone ? {availabilityZone: i.Placement.AvailabilityZone} : {}),
    ...(name ? {name} : {}),
    ...(i.PrivateIpAddress ? {privateIpAddress: i.PrivateIpAddress} : {}),
  }
}

/** Inbound rules as EC2's IpPermissions (IPv4 and IPv6 ranges), described as elbx's. */
export function toSdkIpPermissions(rules: IngressRule[]): IpPermission[] {
  return rules.map((r) => ({
    IpProtocol: r.protocol,
    FromPort: r.fromPort,
    ToPort: r.toPort,
    ...(r.cidr.includes(':')
      ? {Ipv6Ranges: [{CidrIpv6: r.cidr, Description: 'elbx listener'}]}
      : {IpRanges: [{CidrIp: r.cidr, Description: 'elbx listener'}]}),
  }))
}

/** The group's rules that admit TCP, as port ranges; "all traffic" (-1) admits every TCP port. */
function fromIpPermissions(perms: IpPermission[] | undefined): IngressRule[] {
  const rules: IngressRule[] = []
  for (const p of perms ?? []) {
    const ports =
      p.IpProtocol === '-1'
        ? {fromPort: 0, toPort: 65535}
        : p.IpProtocol === 'tcp' && p.FromPort !== undefined
          ? {fromPort: p.FromPort, toPort: p.ToPort ?? p.FromPort}
          : undefined
    if (!ports) continue
    for (const r of p.IpRanges ?? []) if (r.CidrIp) rules.push({protocol: 'tcp', ...ports, cidr: r.CidrIp})
    for (const r of p.Ipv6Ranges ?? [])
      if (r.CidrIpv6) rules.push({protocol: 'tcp', ...ports, cidr: r.CidrIpv6})
  }
  return rules
}

/** Ec2Gateway over the EC2 API: the network and instances a load balancer sits on. */
export class SdkEc2Gateway implements Ec2Gateway {
  constructor(private readonly client: EC2Client) {}

  async describeVpcs(filter: {vpcIds?: string[]; isDefault?: boolean}): Promise<Vpc[]> {
    const out = await this.client.send(
      new DescribeVpcsCommand({
        ...(filter.vpcIds?.length ? {VpcIds: filter.vpcIds} : {}),
        ...(filter.isDefault !== undefined
          ? {Filters: [{Name: 'is-default', Values: [String(filter.isDefault)]}]}
          : {}),
      }),
    )
    return (out.Vpcs ?? []).map((v) => ({
      vpcId: v.VpcId ?? '',
      isDefault: v.IsDefault ?? false,
      ...(v.CidrBlock ? {cidrBlock: v.CidrBlock} : {}),
    }))
  }

  async describeSubnets(filter: {subnetIds?: string[]; vpcId?: string}): Promise<Subnet[]> {
    const all: Subnet[] = []
    let token: string | undefined
    do {
      const out = await this.client.send(
        new DescribeSubnetsCommand({
          ...(filter.subnetIds?.length ? {SubnetIds: filter.subnetIds} : {}),
          ...(filter.vpcId ? {Filters: [{Name: 'vpc-id', Values: [filter.vpcId]}]} : {}),
          ...(filter.subnetIds?.length ? {} : {MaxResults: 1000}),
          NextToken: token,
        }),
      )
      for (const s of out.Subnets ?? []) {
        all.push({
          subnetId: s.SubnetId ?? '',
          vpcId: s.VpcId ?? '',
          availabilityZone: s.AvailabilityZone ?? '',
          ...(s.CidrBlock ? {cidrBlock: s.CidrBlock} : {}),
          defaultForAz: s.DefaultForAz ?? false,
        })
      }
      token = out.NextToken
    } while (token)
    return all
  }

  async describeAvailabilityZones(): Promise<string[]> {
    const out = await this.client.send(
      new DescribeAvailabilityZonesCommand({Filters: [{Name: 'state', Values: ['available']}]}),
    )
    return (out.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter(Boolean)
  }

  async describeRegions(): Promise<string[]> {
    const out = await this.client.send(new DescribeRegionsCommand({}))
    return (out.Regions ?? [])
      .map((r) => r.RegionName ?? '')
      .filter(Boolean)
      .sort()
  }

  private async instancesMatching(filters: Filter[]): Promise<Instance[]> {
    const all: Instance[] = []
    let token: string | undefined
    do {
      const out = await this.client.send(
        new DescribeInstancesCommand({Filters: filters, MaxResults: 1000, NextToken: token}),
      )
      for (const r of out.Reservations ?? []) all.push(...(r.Instances ?? []).map(fromSdkInstance))
      token = out.NextToken
    } while (token)
    return all
  }

  async describeInstances(instanceIds: string[]): Promise<Instance[]> {
    // A filter, unlike InstanceIds, leaves unknown IDs out instead of failing the whole request.
    const all: Instance[] = []
    for (const ids of chunks(instanceIds, FILTER_VALUES_MAX)) {
      all.push(...(await this.instancesMatching([{Name: 'instance-id', Values: ids}])))
    }
    return all
  }

  async listInstances(filter: {vpcId?: string; states?: string[]}): Promise<Instance[]> {
    const filters: Filter[] = []
    if (filter.vpcId) filters.push({Name: 'vpc-id', Values: [filter.vpcId]})
    if (filter.states?.length) filters.push({Name: 'instance-state-name', Values: filter.states})
    return this.instancesMatching(filters)
  }

  async createSecurityGroup(input: CreateSecurityGroupInput): Promise<string> {
    const out = await this.client.send(
      new CreateSecurityGroupCommand({
        GroupName: input.groupName,
        Description: input.description,
        VpcId: input.vpcId,
        TagSpecifications: [
          {ResourceType: 'security-group', Tags: input.tags.map((t) => ({Key: t.key, Value: t.value}))},
        ],
      }),
    )
    return out.GroupId ?? ''
  }

  async authorizeIngress(groupId: string, rules: IngressRule[]): Promise<void> {
    if (rules.length === 0) return
    await this.client.send(
      new AuthorizeSecurityGroupIngressCommand({GroupId: groupId, IpPermissions: toSdkIpPermissions(rules)}),
    )
  }

  async revokeIngress(groupId: string, rules: IngressRule[]): Promise<void> {
    if (rules.length === 0) return
    await this.client.send(
      new RevokeSecurityGroupIngressCommand({GroupId: groupId, IpPermissions: toSdkIpPermissions(rules)}),
    )
  }

  async describeSecurityGroups(filter: {
    groupIds?: string[]
    vpcId?: string
    tag?: Tag
    groupName?: string
  }): Promise<SecurityGroup[]> {
    const filters: Filter[] = []
    if (filter.vpcId) filters.push({Name: 'vpc-id', Values: [filter.vpcId]})
    if (filter.tag) filters.push({Name: `tag:${filter.tag.key}`, Values: [filter.tag.value]})
    if (filter.groupName) filters.push({Name: 'group-name', Values: [filter.groupName]})
    const out = await this.client.send(
      new DescribeSecurityGroupsCommand({
        ...(filter.groupIds?.length ? {GroupIds: filter.groupIds} : {}),
        ...(filters.length ? {Filters: filters} : {}),
      }),
    )
    return (out.SecurityGroups ?? []).map((g) => ({
      groupId: g.GroupId ?? '',
      groupName: g.GroupName ?? '',
      ...(g.VpcId ? {vpcId: g.VpcId} : {}),
      ...(g.Description ? {description: g.Description} : {}),
      tags: fromSdkTags(g.Tags),
      ingress: fromIpPermissions(g.IpPermissions),
    }))
  }

  async deleteSecurityGroup(groupId: string): Promise<void> {
    await this.client.send(new DeleteSecurityGroupCommand({GroupId: groupId}))
  }

  async describeLoadBalancerNetworkInterfaces(loadBalancerName: string): Promise<NetworkInterface[]> {
    const out = await this.client.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{Name: 'description', Values: [`ELB ${loadBalancerName}`]}],
      }),
    )
    return (out.NetworkInterfaces ?? []).map((n) => ({
      networkInterfaceId: n.NetworkInterfaceId ?? '',
      ...(n.Description ? {description: n.Description} : {}),
      ...(n.Status ? {status: n.Status} : {}),
    }))
  }
}
