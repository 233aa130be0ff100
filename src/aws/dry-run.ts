/**
 * --dry-run: the same step functions run against the real gateways, but every request that would
 * change something is recorded instead of sent, and answered with a plausible result so later
 * steps can go on. Read-only requests (Describe*, List*, Get*) still go to AWS, so the plan is
 * checked against the account as it is; reads about a load balancer this plan would create are
 * answered from the plan, since AWS does not know it yet.
 */

/** One AWS request the run would make, in the API's own names (as the aws CLI and SDK take them). */
export interface PlannedRequest {
  /** elb, ec2, iam or acm: the aws CLI's service names. */
  service: string
  /** The API operation, e.g. CreateLoadBalancer. */
  operation: string
  parameters: Record<string, unknown>
}

type Input = Record<string, unknown>
type Output = Record<string, unknown>

const CLI_SERVICE: Record<string, string> = {
  ElasticLoadBalancing: 'elb',
  EC2: 'ec2',
  IAM: 'iam',
  ACM: 'acm',
}

const READ_ONLY = /^(Describe|List|Get)/

/** Parameters never to keep in a plan, even in memory: IAM gets the private key, nothing else may. */
const SECRET_PARAMETERS = new Set(['PrivateKey'])

/** A load balancer as this plan would leave it. */
interface PlannedLoadBalancer {
  create: Input
  policies: Map<string, Input>
  listenerPolicies: Map<number, string[]>
  backendPolicies: Map<number, string[]>
  healthCheck?: unknown
  instances: string[]
}

const loadBalancerNameOf = (input: Input): string | undefined => {
  if (typeof input.LoadBalancerName === 'string') return input.LoadBalancerName
  const names = input.LoadBalancerNames
  return Array.isArray(names) && names.length === 1 && typeof names[0] === 'string' ? names[0] : undefined
}

export class DryRunRecorder {
  readonly plan: PlannedRequest[] = []
  private readonly loadBalancers = new Map<string, PlannedLoadBalancer>()

  /** True when the operation would change something and must not be sent. */
  intercepts(operation: string): boolean {
    return !READ_ONLY.test(operation)
  }

  /** Records the request and returns the SDK-shaped output a real call would have given. */
  record(clientName: string, operation: string, input: Input): Output {
    const parameters: Input = {}
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue
      parameters[key] = SECRET_PARAMETERS.has(key) ? '[REDACTED]' : value
    }
    this.plan.push({service: CLI_SERVICE[clientName] ?? clientName.toLowerCase(), operation, parameters})
    this.apply(operation, input)
    return {$metadata: {httpStatusCode: 200}, ...fakeOutput(operation, input)}
  }

  /** The answer to a read about a load balancer this plan creates, or undefined to ask AWS. */
  answerRead(operation: string, input: Input): Output | undefined {
    const name = loadBalancerNameOf(input)
    const lb = name ? this.loadBalancers.get(name) : undefined
    if (!name || !lb) return undefined
    const answer = (output: Output) => ({$metadata: {httpStatusCode: 200}, ...output})
    switch (operation) {
      case 'DescribeLoadBalancers':
        return answer({LoadBalancerDescriptions: [this.describe(name, lb)]})
      case 'DescribeLoadBalancerPolicies': {
        const wanted = (input.PolicyNames as string[] | undefined) ?? [...lb.policies.keys()]
        return answer({
          PolicyDescriptions: wanted
            .filter((p) => lb.policies.has(p))
            .map((p) => {
              const policy = lb.policies.get(p)!
              return {
                PolicyName: p,
                PolicyTypeName: policy.PolicyTypeName,
                PolicyAttributeDescriptions: policy.PolicyAttributes ?? [],
              }
            }),
        })
      }
      case 'DescribeLoadBalancerAttributes':
        return answer({
          LoadBalancerAttributes: {
            CrossZoneLoadBalancing: {Enabled: false},
            ConnectionDraining: {Enabled: false, Timeout: 300},
            ConnectionSettings: {IdleTimeout: 60},
            AccessLog: {Enabled: false},
          },
        })
      case 'DescribeTags':
        return answer({TagDescriptions: [{LoadBalancerName: name, Tags: lb.create.Tags ?? []}]})
      case 'DescribeInstanceHealth':
        return answer({
          InstanceStates: lb.instances.map((id) => ({
            InstanceId: id,
            State: 'OutOfService',
            ReasonCode: 'ELB',
            Description: 'Dry run: nothing was registered.',
          })),
        })
      default:
        return undefined
    }
  }

  /** Keeps the planned load balancer's state in step with the recorded requests. */
  private apply(operation: string, input: Input): void {
    const name = loadBalancerNameOf(input)
    if (!name) return
    if (operation === 'CreateLoadBalancer') {
      this.loadBalancers.set(name, {
        create: input,
        policies: new Map(),
        listenerPolicies: new Map(),
        backendPolicies: new Map(),
        instances: [],
      })
      return
    }
    const lb = this.loadBalancers.get(name)
    if (!lb) return
    switch (operation) {
      case 'CreateLoadBalancerPolicy':
        lb.policies.set(String(input.PolicyName), input)
        break
      case 'SetLoadBalancerPoliciesOfListener':
        lb.listenerPolicies.set(Number(input.LoadBalancerPort), (input.PolicyNames as string[]) ?? [])
        break
      case 'SetLoadBalancerPoliciesForBackendServer':
        lb.backendPolicies.set(Number(input.InstancePort), (input.PolicyNames as string[]) ?? [])
        break
      case 'ConfigureHealthCheck':
        lb.healthCheck = input.HealthCheck
        break
      case 'RegisterInstancesWithLoadBalancer':
        lb.instances.push(...((input.Instances as {InstanceId: string}[]) ?? []).map((i) => i.InstanceId))
        break
      case 'DeleteLoadBalancer':
        this.loadBalancers.delete(name)
        break
    }
  }

  private describe(name: string, lb: PlannedLoadBalancer): Output {
    const listeners = (lb.create.Listeners as Input[] | undefined) ?? []
    return {
      LoadBalancerName: name,
      DNSName: fakeOutput('CreateLoadBalancer', lb.create).DNSName,
      Scheme: lb.create.Scheme ?? 'internet-facing',
      Subnets: lb.create.Subnets ?? [],
      AvailabilityZones: lb.create.AvailabilityZones ?? [],
      SecurityGroups: lb.create.SecurityGroups ?? [],
      ListenerDescriptions: listeners.map((l) => ({
        Listener: l,
        PolicyNames: lb.listenerPolicies.get(Number(l.LoadBalancerPort)) ?? [],
      })),
      BackendServerDescriptions: [...lb.backendPolicies].map(([port, names]) => ({
        InstancePort: port,
        PolicyNames: names,
      })),
      ...(lb.healthCheck ? {HealthCheck: lb.healthCheck} : {}),
      Instances: lb.instances.map((id) => ({InstanceId: id})),
      Policies: {
        AppCookieStickinessPolicies: [],
        LBCookieStickinessPolicies: [],
        OtherPolicies: [...lb.policies.keys()],
      },
    }
  }
}

/** The IDs a dry run makes up for what AWS would assign; the plan's printer replaces them with lookups. */
export const DRY_RUN_SECURITY_GROUP_ID = 'sg-dry-run'
export const dryRunCertificateArn = (name: string) => `arn:aws:iam::000000000000:server-certificate/${name}`

/** What AWS would answer, as far as later steps need it. */
function fakeOutput(operation: string, input: Input): Output {
  switch (operation) {
    case 'CreateLoadBalancer':
      return {DNSName: `${String(input.LoadBalancerName)}-dry-run.elb.amazonaws.com`}
    case 'CreateSecurityGroup':
      return {GroupId: DRY_RUN_SECURITY_GROUP_ID}
    case 'UploadServerCertificate': {
      const name = String(input.ServerCertificateName)
      return {
        ServerCertificateMetadata: {
          ServerCertificateName: name,
          ServerCertificateId: 'ASCADRYRUN',
          Arn: dryRunCertificateArn(name),
          Path: '/',
        },
      }
    }
    case 'ConfigureHealthCheck':
      return {HealthCheck: input.HealthCheck}
    case 'RegisterInstancesWithLoadBalancer':
      return {Instances: input.Instances}
    case 'DeregisterInstancesFromLoadBalancer':
      return {Instances: []}
    case 'ApplySecurityGroupsToLoadBalancer':
      return {SecurityGroups: input.SecurityGroups}
    default:
      return {}
  }
}
