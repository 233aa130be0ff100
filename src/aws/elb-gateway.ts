import {
  AddTagsCommand,
  ApplySecurityGroupsToLoadBalancerCommand,
  ConfigureHealthCheckCommand,
  CreateAppCookieStickinessPolicyCommand,
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  CreateLoadBalancerPolicyCommand,
  DeleteLoadBalancerCommand,
  DeleteLoadBalancerListenersCommand,
  DeleteLoadBalancerPolicyCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancerPolicyTypesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type ElasticLoadBalancingClient,
  type Listener as SdkListener,
  type LoadBalancerDescription,
  ModifyLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
  RemoveTagsCommand,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from './sdk/elb.js'

import {
  DESYNC_MITIGATION_MODES,
  type DesyncMitigationMode,
  type HealthCheck,
  type InstanceHealth,
  type InstanceState,
  type Listener,
  type LoadBalancer,
  type LoadBalancerAttributes,
  type Policy,
  type PolicyAttribute,
  type PolicyType,
  type Protocol,
  type Scheme,
  type Tag,
} from '../model.js'
import {isAwsError} from './errors.js'
import type {CreateLoadBalancerInput, ElbGateway} from './gateways.js'

const toProtocol = (value: string | undefined): Protocol => (value ?? 'HTTP').toUpperCase() as Protocol

function fromSdkListener(l: SdkListener): Listener {
  return {
    protocol: toProtocol(l.Protocol),
    loadBalancerPort: l.LoadBalancerPort ?? 0,
    instanceProtocol: toProtocol(l.InstanceProtocol ?? l.Protocol),
    instancePort: l.InstancePort ?? 0,
    ...(l.SSLCertificateId ? {sslCertificateId: l.SSLCertificateId} : {}),
  }
}

/** A listener as the ELB API spells it (the restore commands use these shapes too). */
export function toSdkListener(l: Listener): SdkListener {
  return {
    Protocol: l.protocol,
    LoadBalancerPort: l.loadBalancerPort,
    InstanceProtocol: l.instanceProtocol,
    InstancePort: l.instancePort,
    ...(l.sslCertificateId ? {SSLCertificateId: l.sslCertificateId} : {}),
  }
}

function fromSdkLoadBalancer(d: LoadBalancerDescription): LoadBalancer {
  const hc = d.HealthCheck
  return {
    name: d.LoadBalancerName ?? '',
    dnsName: d.DNSName ?? '',
    scheme: (d.Scheme as Scheme | undefined) ?? 'internet-facing',
    ...(d.VPCId ? {vpcId: d.VPCId} : {}),
    subnets: d.Subnets ?? [],
    availabilityZones: d.AvailabilityZones ?? [],
    securityGroups: d.SecurityGroups ?? [],
    listeners: (d.ListenerDescriptions ?? []).map((ld) => ({
      listener: fromSdkListener(ld.Listener ?? {InstancePort: 0, Protocol: 'HTTP', LoadBalancerPort: 0}),
      policyNames: ld.PolicyNames ?? [],
    })),
    backendServers: (d.BackendServerDescriptions ?? []).map((b) => ({
      instancePort: b.InstancePort ?? 0,
      policyNames: b.PolicyNames ?? [],
    })),
    ...(hc?.Target
      ? {
          healthCheck: {
            target: hc.Target,
            interval: hc.Interval ?? 30,
            timeout: hc.Timeout ?? 5,
            unhealthyThreshold: hc.UnhealthyThreshold ?? 2,
            healthyThreshold: hc.HealthyThreshold ?? 10,
          },
        }
      : {}),
    instanceIds: (d.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean),
    policies: {
      appCookieStickiness: (d.Policies?.AppCookieStickinessPolicies ?? []).map((p) => p.PolicyName ?? ''),
      lbCookieStickiness: (d.Policies?.LBCookieStickinessPolicies ?? []).map((p) => p.PolicyName ?? ''),
      other: d.Policies?.OtherPolicies ?? [],
    },
    stickinessPolicies: [
      ...(d.Policies?.LBCookieStickinessPolicies ?? []).map((p) => ({
        kind: 'lb-cookie' as const,
        policyName: p.PolicyName ?? '',
        // AWS reports an absent period as 0: the cookie lasts for the browser session.
        ...(p.CookieExpirationPeriod ? {cookieExpirationPeriod: p.CookieExpirationPeriod} : {}),
      })),
      ...(d.Policies?.AppCookieStickinessPolicies ?? []).map((p) => ({
        kind: 'app-cookie' as const,
        policyName: p.PolicyName ?? '',
        cookieName: p.CookieName ?? '',
      })),
    ],
    ...(d.CreatedTime ? {createdTime: d.CreatedTime.toISOString()} : {}),
  }
}

export const toSdkTags = (tags: Tag[]) => tags.map((t) => ({Key: t.key, Value: t.value}))

export const toSdkHealthCheck = (hc: HealthCheck) => ({
  Target: hc.target,
  Interval: hc.interval,
  Timeout: hc.timeout,
  UnhealthyThreshold: hc.unhealthyThreshold,
  HealthyThreshold: hc.healthyThreshold,
})

/** The attributes given (and only those), as ModifyLoadBalancerAttributes takes them. */
export const toSdkAttributes = (attributes: Partial<LoadBalancerAttributes>) => ({
  ...(attributes.crossZoneLoadBalancing !== undefined
    ? {CrossZoneLoadBalancing: {Enabled: attributes.crossZoneLoadBalancing}}
    : {}),
  ...(attributes.connectionDraining
    ? {
        ConnectionDraining: {
          Enabled: attributes.connectionDraining.enabled,
          ...(attributes.connectionDraining.timeout !== undefined
            ? {Timeout: attributes.connectionDraining.timeout}
            : {}),
        },
      }
    : {}),
  ...(attributes.idleTimeout !== undefined
    ? {ConnectionSettings: {IdleTimeout: attributes.idleTimeout}}
    : {}),
  ...(attributes.accessLog
    ? {
        AccessLog: {
          Enabled: attributes.accessLog.enabled,
          ...(attributes.accessLog.s3BucketName !== undefined
            ? {S3BucketName: attributes.accessLog.s3BucketName}
            : {}),
          ...(attributes.accessLog.emitInterval !== undefined
            ? {EmitInterval: attributes.accessLog.emitInterval}
            : {}),
          ...(attributes.accessLog.s3BucketPrefix !== undefined
            ? {S3BucketPrefix: attributes.accessLog.s3BucketPrefix}
            : {}),
        },
      }
    : {}),
  ...(attributes.desyncMitigationMode !== undefined
    ? {AdditionalAttributes: [{Key: DESYNC_MITIGATION_KEY, Value: attributes.desyncMitigationMode}]}
    : {}),
})

/** The additional attribute that holds the desync mitigation mode. */
const DESYNC_MITIGATION_KEY = 'elb.http.desyncmitigationmode'

/** The desync mitigation mode among the additional attributes, when AWS reports a known one. */
function desyncModeOf(additional: {Key?: string; Value?: string}[] | undefined): {
  desyncMitigationMode?: DesyncMitigationMode
} {
  const value = additional?.find((a) => a.Key === DESYNC_MITIGATION_KEY)?.Value
  return value && (DESYNC_MITIGATION_MODES as readonly string[]).includes(value)
    ? {desyncMitigationMode: value as DesyncMitigationMode}
    : {}
}

/** DescribeLoadBalancers' largest page (API reference: PageSize 1-400). */
const MAX_PAGE_SIZE = 400

/** ElbGateway over the Classic ELB API (2012-06-01). */
export class SdkElbGateway implements ElbGateway {
  constructor(private readonly client: ElasticLoadBalancingClient) {}

  async describeLoadBalancer(name: string): Promise<LoadBalancer | undefined> {
    try {
      const out = await this.client.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
      const found = out.LoadBalancerDescriptions?.[0]
      return found ? fromSdkLoadBalancer(found) : undefined
    } catch (error) {
      if (isAwsError(error, 'LoadBalancerNotFound')) return undefined
      throw error
    }
  }

  async listLoadBalancers(): Promise<LoadBalancer[]> {
    const all: LoadBalancer[] = []
    let marker: string | undefined
    do {
      const page = await this.describeLoadBalancerPage(marker ? {marker} : {})
      all.push(...page.loadBalancers)
      marker = page.nextMarker
    } while (marker)
    return all
  }

  async describeLoadBalancerPage(options: {
    marker?: string
    pageSize?: number
  }): Promise<{loadBalancers: LoadBalancer[]; nextMarker?: string}> {
    const out = await this.client.send(
      new DescribeLoadBalancersCommand({
        ...(options.marker ? {Marker: options.marker} : {}),
        PageSize: options.pageSize ?? MAX_PAGE_SIZE,
      }),
    )
    return {
      loadBalancers: (out.LoadBalancerDescriptions ?? []).map(fromSdkLoadBalancer),
      ...(out.NextMarker ? {nextMarker: out.NextMarker} : {}),
    }
  }

  async createLoadBalancer(input: CreateLoadBalancerInput): Promise<{dnsName: string}> {
    const out = await this.client.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: input.name,
        Listeners: input.listeners.map(toSdkListener),
        ...(input.subnets?.length ? {Subnets: input.subnets} : {}),
        ...(input.availabilityZones?.length ? {AvailabilityZones: input.availabilityZones} : {}),
        ...(input.securityGroups?.length ? {SecurityGroups: input.securityGroups} : {}),
        ...(input.scheme === 'internal' ? {Scheme: 'internal'} : {}),
        ...(input.tags?.length ? {Tags: toSdkTags(input.tags)} : {}),
      }),
    )
    return {dnsName: out.DNSName ?? ''}
  }

  async deleteLoadBalancer(name: string): Promise<void> {
    await this.client.send(new DeleteLoadBalancerCommand({LoadBalancerName: name}))
  }

  async createListeners(name: string, listeners: Listener[]): Promise<void> {
    await this.client.send(
      new CreateLoadBalancerListenersCommand({
        LoadBalancerName: name,
        Listeners: listeners.map(toSdkListener),
      }),
    )
  }

  async deleteListeners(name: string, loadBalancerPorts: number[]): Promise<void> {
    await this.client.send(
      new DeleteLoadBalancerListenersCommand({LoadBalancerName: name, LoadBalancerPorts: loadBalancerPorts}),
    )
  }

  async setListenerCertificate(
    name: string,
    loadBalancerPort: number,
    certificateArn: string,
  ): Promise<void> {
    await this.client.send(
      new SetLoadBalancerListenerSSLCertificateCommand({
        LoadBalancerName: name,
        LoadBalancerPort: loadBalancerPort,
        SSLCertificateId: certificateArn,
      }),
    )
  }

  async applySecurityGroups(name: string, securityGroups: string[]): Promise<string[]> {
    const out = await this.client.send(
      new ApplySecurityGroupsToLoadBalancerCommand({LoadBalancerName: name, SecurityGroups: securityGroups}),
    )
    return out.SecurityGroups ?? []
  }

  async describeAttributes(name: string): Promise<LoadBalancerAttributes> {
    const out = await this.client.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: name}))
    const a = out.LoadBalancerAttributes ?? {}
    return {
      crossZoneLoadBalancing: a.CrossZoneLoadBalancing?.Enabled ?? false,
      connectionDraining: {
        enabled: a.ConnectionDraining?.Enabled ?? false,
        ...(a.ConnectionDraining?.Timeout !== undefined ? {timeout: a.ConnectionDraining.Timeout} : {}),
      },
      idleTimeout: a.ConnectionSettings?.IdleTimeout ?? 60,
      ...(a.AccessLog
        ? {
            accessLog: {
              enabled: a.AccessLog.Enabled ?? false,
              ...(a.AccessLog.S3BucketName ? {s3BucketName: a.AccessLog.S3BucketName} : {}),
              ...(a.AccessLog.EmitInterval ? {emitInterval: a.AccessLog.EmitInterval} : {}),
              ...(a.AccessLog.S3BucketPrefix ? {s3BucketPrefix: a.AccessLog.S3BucketPrefix} : {}),
            },
          }
        : {}),
      ...desyncModeOf(a.AdditionalAttributes),
    }
  }

  async modifyAttributes(name: string, attributes: Partial<LoadBalancerAttributes>): Promise<void> {
    await this.client.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerName: name,
        LoadBalancerAttributes: toSdkAttributes(attributes),
      }),
    )
  }

  async removeTags(name: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return
    await this.client.send(
      new RemoveTagsCommand({LoadBalancerNames: [name], Tags: keys.map((Key) => ({Key}))}),
    )
  }

  async createLbCookieStickinessPolicy(
    loadBalancerName: string,
    policyName: string,
    cookieExpirationPeriod: number | undefined,
  ): Promise<void> {
    await this.client.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: loadBalancerName,
        PolicyName: policyName,
        ...(cookieExpirationPeriod !== undefined ? {CookieExpirationPeriod: cookieExpirationPeriod} : {}),
      }),
    )
  }

  async createAppCookieStickinessPolicy(
    loadBalancerName: string,
    policyName: string,
    cookieName: string,
  ): Promise<void> {
    await this.client.send(
      new CreateAppCookieStickinessPolicyCommand({
        LoadBalancerName: loadBalancerName,
        PolicyName: policyName,
        CookieName: cookieName,
      }),
    )
  }

  async describeTags(name: string): Promise<Tag[]> {
    const out = await this.client.send(new DescribeTagsCommand({LoadBalancerNames: [name]}))
    return (out.TagDescriptions?.[0]?.Tags ?? []).map((t) => ({key: t.Key ?? '', value: t.Value ?? ''}))
  }

  async describeTagsOf(names: string[]): Promise<Map<string, Tag[]>> {
    if (names.length === 0) return new Map()
    const out = await this.client.send(new DescribeTagsCommand({LoadBalancerNames: names}))
    return new Map(
      (out.TagDescriptions ?? []).map((d) => [
        d.LoadBalancerName ?? '',
        (d.Tags ?? []).map((t) => ({key: t.Key ?? '', value: t.Value ?? ''})),
      ]),
    )
  }

  async addTags(name: string, tags: Tag[]): Promise<void> {
    if (tags.length === 0) return
    await this.client.send(new AddTagsCommand({LoadBalancerNames: [name], Tags: toSdkTags(tags)}))
  }

  async createPolicy(
    loadBalancerName: string,
    policyName: string,
    policyTypeName: string,
    attributes: PolicyAttribute[],
  ): Promise<void> {
    await this.client.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: loadBalancerName,
        PolicyName: policyName,
        PolicyTypeName: policyTypeName,
        PolicyAttributes: attributes.map((a) => ({AttributeName: a.name, AttributeValue: a.value})),
      }),
    )
  }

  async describePolicies(
    loadBalancerName: string | undefined,
    policyNames: string[] = [],
  ): Promise<Policy[]> {
    const out = await this.client.send(
      new DescribeLoadBalancerPoliciesCommand({
        ...(loadBalancerName ? {LoadBalancerName: loadBalancerName} : {}),
        ...(policyNames.length ? {PolicyNames: policyNames} : {}),
      }),
    )
    return (out.PolicyDescriptions ?? []).map((p) => ({
      name: p.PolicyName ?? '',
      typeName: p.PolicyTypeName ?? '',
      attributes: (p.PolicyAttributeDescriptions ?? []).map((a) => ({
        name: a.AttributeName ?? '',
        value: a.AttributeValue ?? '',
      })),
    }))
  }

  async describePolicyTypes(policyTypeNames: string[] = []): Promise<PolicyType[]> {
    const out = await this.client.send(
      new DescribeLoadBalancerPolicyTypesCommand(
        policyTypeNames.length ? {PolicyTypeNames: policyTypeNames} : {},
      ),
    )
    return (out.PolicyTypeDescriptions ?? []).map((t) => ({
      name: t.PolicyTypeName ?? '',
      ...(t.Description ? {description: t.Description} : {}),
      attributes: (t.PolicyAttributeTypeDescriptions ?? []).map((a) => ({
        name: a.AttributeName ?? '',
        ...(a.AttributeType ? {type: a.AttributeType} : {}),
        ...(a.DefaultValue !== undefined ? {defaultValue: a.DefaultValue} : {}),
        ...(a.Cardinality ? {cardinality: a.Cardinality} : {}),
      })),
    }))
  }

  async deletePolicy(loadBalancerName: string, policyName: string): Promise<void> {
    await this.client.send(
      new DeleteLoadBalancerPolicyCommand({LoadBalancerName: loadBalancerName, PolicyName: policyName}),
    )
  }

  async setListenerPolicies(
    loadBalancerName: string,
    loadBalancerPort: number,
    policyNames: string[],
  ): Promise<void> {
    await this.client.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: loadBalancerName,
        LoadBalancerPort: loadBalancerPort,
        PolicyNames: policyNames,
      }),
    )
  }

  async setBackendServerPolicies(
    loadBalancerName: string,
    instancePort: number,
    policyNames: string[],
  ): Promise<void> {
    await this.client.send(
      new SetLoadBalancerPoliciesForBackendServerCommand({
        LoadBalancerName: loadBalancerName,
        InstancePort: instancePort,
        PolicyNames: policyNames,
      }),
    )
  }

  async configureHealthCheck(loadBalancerName: string, hc: HealthCheck): Promise<HealthCheck> {
    const out = await this.client.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: loadBalancerName,
        HealthCheck: toSdkHealthCheck(hc),
      }),
    )
    const r = out.HealthCheck
    return {
      target: r?.Target ?? hc.target,
      interval: r?.Interval ?? hc.interval,
      timeout: r?.Timeout ?? hc.timeout,
      unhealthyThreshold: r?.UnhealthyThreshold ?? hc.unhealthyThreshold,
      healthyThreshold: r?.HealthyThreshold ?? hc.healthyThreshold,
    }
  }

  async registerInstances(loadBalancerName: string, instanceIds: string[]): Promise<string[]> {
    const out = await this.client.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: loadBalancerName,
        Instances: instanceIds.map((InstanceId) => ({InstanceId})),
      }),
    )
    return (out.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean)
  }

  async deregisterInstances(loadBalancerName: string, instanceIds: string[]): Promise<string[]> {
    const out = await this.client.send(
      new DeregisterInstancesFromLoadBalancerCommand({
        LoadBalancerName: loadBalancerName,
        Instances: instanceIds.map((InstanceId) => ({InstanceId})),
      }),
    )
    return (out.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean)
  }

  async describeInstanceHealth(
    loadBalancerName: string,
    instanceIds: string[] = [],
  ): Promise<InstanceHealth[]> {
    const out = await this.client.send(
      new DescribeInstanceHealthCommand({
        LoadBalancerName: loadBalancerName,
        ...(instanceIds.length ? {Instances: instanceIds.map((InstanceId) => ({InstanceId}))} : {}),
      }),
    )
    return (out.InstanceStates ?? []).map((s) => ({
      instanceId: s.InstanceId ?? '',
      state: (s.State as InstanceState | undefined) ?? 'Unknown',
      ...(s.ReasonCode ? {reasonCode: s.ReasonCode} : {}),
      ...(s.Description ? {description: s.Description} : {}),
    }))
  }
}
