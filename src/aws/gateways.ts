/**
 * The typed gateways steps work through. Interfaces only (no SDK import), so steps and their unit
 * tests depend on these shapes, and fakes implement them without the SDK.
 */
import type {
  AcmCertificate,
  HealthCheck,
  Instance,
  InstanceHealth,
  IngressRule,
  Listener,
  LoadBalancer,
  LoadBalancerAttributes,
  NetworkInterface,
  Policy,
  PolicyAttribute,
  PolicyType,
  Scheme,
  SecurityGroup,
  ServerCertificate,
  Subnet,
  Tag,
  Vpc,
} from '../model.js'

export interface CreateLoadBalancerInput {
  name: string
  listeners: Listener[]
  subnets?: string[]
  availabilityZones?: string[]
  securityGroups?: string[]
  scheme?: Scheme
  tags?: Tag[]
}

/** DescribeTags takes at most 20 load balancer names per call. */
export const DESCRIBE_TAGS_MAX_NAMES = 20

export interface ElbGateway {
  /** The load balancer, or undefined when none has that name (LoadBalancerNotFound). */
  describeLoadBalancer(name: string): Promise<LoadBalancer | undefined>
  listLoadBalancers(): Promise<LoadBalancer[]>
  /** One page of DescribeLoadBalancers (PageSize at most 400); nextMarker is absent on the last page. */
  describeLoadBalancerPage(options: {
    marker?: string
    pageSize?: number
  }): Promise<{loadBalancers: LoadBalancer[]; nextMarker?: string}>
  createLoadBalancer(input: CreateLoadBalancerInput): Promise<{dnsName: string}>
  deleteLoadBalancer(name: string): Promise<void>
  createListeners(name: string, listeners: Listener[]): Promise<void>
  deleteListeners(name: string, loadBalancerPorts: number[]): Promise<void>
  /** Swaps the certificate of an HTTPS/SSL listener in place (no delete and recreate). */
  setListenerCertificate(name: string, loadBalancerPort: number, certificateArn: string): Promise<void>
  applySecurityGroups(name: string, securityGroups: string[]): Promise<string[]>

  describeAttributes(name: string): Promise<LoadBalancerAttributes>
  modifyAttributes(name: string, attributes: Partial<LoadBalancerAttributes>): Promise<void>

  describeTags(name: string): Promise<Tag[]>
  /** Tags of up to DESCRIBE_TAGS_MAX_NAMES load balancers in one DescribeTags, by name (a name AWS does not answer for is absent). */
  describeTagsOf(names: string[]): Promise<Map<string, Tag[]>>
  addTags(name: string, tags: Tag[]): Promise<void>
  removeTags(name: string, keys: string[]): Promise<void>

  createPolicy(
    loadBalancerName: string,
    policyName: string,
    policyTypeName: string,
    attributes: PolicyAttribute[],
  ): Promise<void>
  /** Duration-based stickiness (the load balancer's own cookie); no period: for the browser session. */
  createLbCookieStickinessPolicy(
    loadBalancerName: string,
    policyName: string,
    cookieExpirationPeriod: number | undefined,
  ): Promise<void>
  /** Stickiness that follows the application's own cookie. */
  createAppCookieStickinessPolicy(
    loadBalancerName: string,
    policyName: string,
    cookieName: string,
  ): Promise<void>
  /** Policies of a load balancer (all of them when policyNames is empty); without a name, the sample/predefined ones. */
  describePolicies(loadBalancerName: string | undefined, policyNames?: string[]): Promise<Policy[]>
  describePolicyTypes(policyTypeNames?: string[]): Promise<PolicyType[]>
  deletePolicy(loadBalancerName: string, policyName: string): Promise<void>
  /** Replaces the listener's whole policy list (AWS semantics): pass every policy to keep. */
  setListenerPolicies(
    loadBalancerName: string,
    loadBalancerPort: number,
    policyNames: string[],
  ): Promise<void>
  /** Replaces the instance port's whole back-end policy list (AWS semantics). */
  setBackendServerPolicies(
    loadBalancerName: string,
    instancePort: number,
    policyNames: string[],
  ): Promise<void>

  configureHealthCheck(loadBalancerName: string, healthCheck: HealthCheck): Promise<HealthCheck>
  /** Returns the instances registered after the call. */
  registerInstances(loadBalancerName: string, instanceIds: string[]): Promise<string[]>
  /** Returns the instances still registered after the call. */
  deregisterInstances(loadBalancerName: string, instanceIds: string[]): Promise<string[]>
  /** Health of the given instances, or of every registered instance when none are given. */
  describeInstanceHealth(loadBalancerName: string, instanceIds?: string[]): Promise<InstanceHealth[]>
}

export interface CreateSecurityGroupInput {
  groupName: string
  description: string
  vpcId: string
  tags: Tag[]
}

export interface Ec2Gateway {
  describeVpcs(filter: {vpcIds?: string[]; isDefault?: boolean}): Promise<Vpc[]>
  describeSubnets(filter: {subnetIds?: string[]; vpcId?: string}): Promise<Subnet[]>
  describeAvailabilityZones(): Promise<string[]>
  /** The Regions enabled for the account (DescribeRegions). */
  describeRegions(): Promise<string[]>
  /** Instances by ID; unknown IDs are omitted from the result, not an error. */
  describeInstances(instanceIds: string[]): Promise<Instance[]>
  listInstances(filter: {vpcId?: string; states?: string[]}): Promise<Instance[]>
  createSecurityGroup(input: CreateSecurityGroupInput): Promise<string>
  authorizeIngress(groupId: string, rules: IngressRule[]): Promise<void>
  /** Removes exactly these inbound rules (each must exist as written). */
  revokeIngress(groupId: string, rules: IngressRule[]): Promise<void>
  describeSecurityGroups(filter: {
    groupIds?: string[]
    vpcId?: string
    tag?: Tag
    groupName?: string
  }): Promise<SecurityGroup[]>
  deleteSecurityGroup(groupId: string): Promise<void>
  /** ELB network interfaces, which outlive the load balancer by minutes and block deleting its security group. */
  describeLoadBalancerNetworkInterfaces(loadBalancerName: string): Promise<NetworkInterface[]>
}

export interface UploadServerCertificateInput {
  name: string
  certificateBody: string
  /** Private key PEM: sent to IAM and nowhere else; never logged. */
  privateKey: string
  certificateChain?: string
  tags?: Tag[]
}

export interface IamGateway {
  uploadServerCertificate(input: UploadServerCertificateInput): Promise<ServerCertificate>
  getServerCertificate(
    name: string,
  ): Promise<(ServerCertificate & {certificateBody?: string; tags: Tag[]}) | undefined>
  listServerCertificates(): Promise<ServerCertificate[]>
  deleteServerCertificate(name: string): Promise<void>
}

export interface AcmGateway {
  listCertificates(): Promise<AcmCertificate[]>
  describeCertificate(arn: string): Promise<AcmCertificate | undefined>
  /** The certificate's PEM body (GetCertificate), undefined when ACM has no such certificate. */
  getCertificateBody(arn: string): Promise<string | undefined>
}

/** Everything a command may need, built from the global flags. */
export interface Gateways {
  elb: ElbGateway
  ec2: Ec2Gateway
  iam: IamGateway
  acm: AcmGateway
  region: string
  /**
   * Loads these services' clients now rather than on their first request, so that reads meant to
   * leave together do (a client loading while another's answer is back splits one round in two).
   */
  prepare?(services: readonly LazyService[]): Promise<void>
}

/** The services whose clients load on first use (ELB's is always loaded). */
export type LazyService = 'ec2' | 'iam' | 'acm'
