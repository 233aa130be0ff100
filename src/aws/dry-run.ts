/**
 * --dry-run: the same step functions run against the real gateways, but every request that would
 * change something is recorded instead of sent, and answered with a plausible result so later
 * steps can go on. Read-only requests (Describe*, List*, Get*) still go to AWS, so the plan is
 * checked against the account as it is.
 */

/** One AWS request the run would make, in the API's own names (as the aws CLI and SDK take them). */
export interface PlannedRequest {
  /** elb, ec2, iam or acm: the aws CLI's service names. */
  service: string
  /** The API operation, e.g. CreateLoadBalancer. */
  operation: string
  parameters: Record<string, unknown>
}

const CLI_SERVICE: Record<string, string> = {
  ElasticLoadBalancing: 'elb',
  EC2: 'ec2',
  IAM: 'iam',
  ACM: 'acm',
}

const READ_ONLY = /^(Describe|List|Get)/

/** Parameters never to keep in a plan, even in memory: IAM gets the private key, nothing else may. */
const SECRET_PARAMETERS = new Set(['PrivateKey'])

export class DryRunRecorder {
  readonly plan: PlannedRequest[] = []

  /** True when the operation would change something and must not be sent. */
  intercepts(operation: string): boolean {
    return !READ_ONLY.test(operation)
  }

  /** Records the request and returns the SDK-shaped output a real call would have given. */
  record(clientName: string, operation: string, input: Record<string, unknown>): Record<string, unknown> {
    const parameters: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue
      parameters[key] = SECRET_PARAMETERS.has(key) ? '[REDACTED]' : value
    }
    this.plan.push({service: CLI_SERVICE[clientName] ?? clientName.toLowerCase(), operation, parameters})
    return {$metadata: {httpStatusCode: 200}, ...fakeOutput(operation, input)}
  }
}

/** What AWS would answer, as far as later steps need it. */
function fakeOutput(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  switch (operation) {
    case 'CreateLoadBalancer':
      return {DNSName: `${String(input.LoadBalancerName)}-dry-run.elb.amazonaws.com`}
    case 'CreateSecurityGroup':
      return {GroupId: 'sg-dry-run'}
    case 'UploadServerCertificate': {
      const name = String(input.ServerCertificateName)
      return {
        ServerCertificateMetadata: {
          ServerCertificateName: name,
          ServerCertificateId: 'ASCADRYRUN',
          Arn: `arn:aws:iam::000000000000:server-certificate/${name}`,
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
