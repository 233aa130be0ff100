/**
 * The domain types elbx works with, in the seed's language. Gateways in src/aws/ translate the
 * SDK's shapes into these, so steps, validation and UI never see @aws-sdk types.
 */

export const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'SSL'] as const
export type Protocol = (typeof PROTOCOLS)[number]

/** A listener: front-end protocol and port to back-end (instance) protocol and port. */
export interface Listener {
  protocol: Protocol
  loadBalancerPort: number
  instanceProtocol: Protocol
  instancePort: number
  /** ARN of the ACM certificate or IAM server certificate for HTTPS/SSL listeners. */
  sslCertificateId?: string
}

export interface ListenerDescription {
  listener: Listener
  policyNames: string[]
}

export interface BackendServerDescription {
  instancePort: number
  policyNames: string[]
}

export interface HealthCheck {
  /** e.g. HTTP:80/ping, TCP:443 */
  target: string
  interval: number
  timeout: number
  unhealthyThreshold: number
  healthyThreshold: number
}

export type Scheme = 'internet-facing' | 'internal'

export interface LoadBalancer {
  name: string
  dnsName: string
  scheme: Scheme
  vpcId?: string
  subnets: string[]
  availabilityZones: string[]
  securityGroups: string[]
  listeners: ListenerDescription[]
  backendServers: BackendServerDescription[]
  healthCheck?: HealthCheck
  instanceIds: string[]
  policies: {appCookieStickiness: string[]; lbCookieStickiness: string[]; other: string[]}
  /** The stickiness policies with their settings, as DescribeLoadBalancers reports them. */
  stickinessPolicies?: StickinessPolicy[]
  createdTime?: string
}

/** A stickiness policy of the load balancer: duration-based (its AWSELB cookie) or following the application's cookie. */
export type StickinessPolicy =
  /** No period: the cookie lasts for the browser session. */
  | {kind: 'lb-cookie'; policyName: string; cookieExpirationPeriod?: number}
  | {kind: 'app-cookie'; policyName: string; cookieName: string}

export interface PolicyAttribute {
  name: string
  value: string
}

export interface Policy {
  name: string
  typeName: string
  attributes: PolicyAttribute[]
}

export interface PolicyTypeAttribute {
  name: string
  type?: string
  defaultValue?: string
  cardinality?: string
}

export interface PolicyType {
  name: string
  description?: string
  attributes: PolicyTypeAttribute[]
}

export type InstanceState = 'InService' | 'OutOfService' | 'Unknown'

export interface InstanceHealth {
  instanceId: string
  state: InstanceState
  /** ELB | Instance | N/A */
  reasonCode?: string
  description?: string
}

export interface LoadBalancerAttributes {
  crossZoneLoadBalancing: boolean
  connectionDraining: {enabled: boolean; timeout?: number}
  idleTimeout: number
  accessLog?: {enabled: boolean; s3BucketName?: string; emitInterval?: number; s3BucketPrefix?: string}
  /** How the load balancer treats requests that may be HTTP desync attacks (AWS's default: defensive). */
  desyncMitigationMode?: DesyncMitigationMode
}

export const DESYNC_MITIGATION_MODES = ['monitor', 'defensive', 'strictest'] as const
export type DesyncMitigationMode = (typeof DESYNC_MITIGATION_MODES)[number]

export interface Tag {
  key: string
  value: string
}

export interface Vpc {
  vpcId: string
  isDefault: boolean
  cidrBlock?: string
}

export interface Subnet {
  subnetId: string
  vpcId: string
  availabilityZone: string
  cidrBlock?: string
  defaultForAz: boolean
}

export type Ec2InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped'

export interface Instance {
  instanceId: string
  state: Ec2InstanceState
  vpcId?: string
  subnetId?: string
  availabilityZone?: string
  name?: string
  privateIpAddress?: string
}

/** Inbound TCP from a CIDR to a range of ports (one port when fromPort equals toPort). */
export interface IngressRule {
  protocol: 'tcp'
  fromPort: number
  toPort: number
  cidr: string
}

export interface SecurityGroup {
  groupId: string
  groupName: string
  vpcId?: string
  description?: string
  tags: Tag[]
  ingress: IngressRule[]
}

export interface NetworkInterface {
  networkInterfaceId: string
  description?: string
  status?: string
}

export interface ServerCertificate {
  name: string
  id: string
  arn: string
  path?: string
  expiration?: string
  uploadDate?: string
}

export interface AcmCertificate {
  arn: string
  domainName?: string
  status?: string
  type?: string
  notAfter?: string
  inUseBy: string[]
}

/** What a command waits for after registering instances: any one InService (the load balancer is usable), all, or nothing. */
export const WAIT_MODES = ['any', 'all', 'none'] as const
export type WaitMode = (typeof WAIT_MODES)[number]

/** AWS's CLI waiter gives up after 10 minutes; elbx keeps that default and lets the user change it. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600

/** ELB's connection draining timeout when draining is enabled without one. */
export const DEFAULT_CONNECTION_DRAINING_SECONDS = 300
