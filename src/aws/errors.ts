import {AwsStepError, ElbxError, RuntimeError} from '../errors.js'
import {redact} from '../redact.js'

/**
 * SDK v3 names a modelled error after its shape, which for the Classic ELB API is not the code
 * AWS documents and puts on the wire. elbx speaks in wire codes everywhere (messages, --json,
 * retry decisions), so every error is mapped here and nowhere else.
 */
const SHAPE_TO_WIRE: Record<string, string> = {
  AccessPointNotFoundException: 'LoadBalancerNotFound',
  DuplicateAccessPointNameException: 'DuplicateLoadBalancerName',
  TooManyAccessPointsException: 'TooManyLoadBalancers',
  InvalidEndPointException: 'InvalidInstance',
  ThrottlingException: 'Throttling',
}

/** The AWS wire error code of an SDK error (LoadBalancerNotFound, Throttling, DependencyViolation...). */
export function awsErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined
  const e = error as {name?: unknown; Code?: unknown; code?: unknown; $metadata?: unknown}
  if (typeof e.Code === 'string' && e.Code) return SHAPE_TO_WIRE[e.Code] ?? e.Code
  if (typeof e.name !== 'string') return undefined
  if (SHAPE_TO_WIRE[e.name]) return SHAPE_TO_WIRE[e.name]
  if (e.$metadata === undefined && !e.name.endsWith('Exception')) return undefined
  return e.name.endsWith('Exception') && e.name !== 'Exception'
    ? e.name.slice(0, -'Exception'.length)
    : e.name
}

/** True when the error carries the given wire code. */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error)
  return code !== undefined && codes.includes(code)
}

export function isThrottling(error: unknown): boolean {
  return isAwsError(error, 'Throttling', 'RequestLimitExceeded', 'TooManyRequests', 'DependencyThrottle')
}

function requestIdOf(error: unknown): string | undefined {
  const meta = (error as {$metadata?: {requestId?: string}})?.$metadata
  return meta?.requestId
}

/** What to try when AWS answers with a given code; the common causes users hit. */
const HINTS: Record<string, string> = {
  LoadBalancerNotFound:
    'Check the load balancer name and the region (--region); `aws elb describe-load-balancers` lists them.',
  CertificateNotFound:
    'Pass the full certificate ARN (arn:aws:acm:... or arn:aws:iam::ACCOUNT:server-certificate/NAME), not the ASCA... certificate ID. A certificate uploaded to IAM moments ago may not be visible to ELB yet.',
  DuplicateListener:
    'A listener already exists on that load balancer port with a different instance port, protocol or certificate. Use a free port, or change the existing listener.',
  DuplicateLoadBalancerName: 'A load balancer with this name already exists with a different configuration.',
  PolicyNotFound:
    'A predefined policy (ELBSecurityPolicy-...) cannot be set on a listener directly; `elbx policy ssl --ssl-policy NAME` creates the load-balancer policy that references it.',
  TooManyPolicies:
    'The load balancer holds too many policies. Delete unused ones (`aws elb describe-load-balancer-policies --load-balancer-name NAME` lists them).',
  InvalidConfigurationRequest:
    'AWS refused the configuration: a policy type may not fit the port it was set on, or the load balancer is changing; check the listener and instance port.',
  InvalidSubnet:
    "The subnet's VPC has no internet gateway: attach one, or create an internal load balancer (--scheme internal).",
  SubnetNotFound: 'Check the subnet IDs and the region (--region).',
  InvalidSecurityGroup: "Check the security group IDs: they must exist in the load balancer's VPC.",
  InvalidScheme: 'A scheme can only be set for a load balancer in a VPC (give --subnets).',
  TooManyLoadBalancers:
    'The account has reached its Classic Load Balancer quota for this region (default 20).',
  TooManyTags: "Too many tags: a load balancer takes at most 50, elbx's own elbx:run tag included.",
  RulesPerSecurityGroupLimitExceeded:
    'The security group elbx makes needs one inbound rule per --ingress-cidr and run of consecutive listener ports, and a group takes 60 by default. Pass --security-groups with groups that admit the listener ports, use fewer --ingress-cidr values or consecutive ports, or raise the quota.',
  InvalidInstance:
    "Check the instance IDs: they must be EC2 instances in the load balancer's VPC and region.",
  Throttling: 'AWS is rate-limiting requests and retries did not get through; try again in a minute.',
  DependencyViolation:
    "The resource is still in use (for a security group, usually by the load balancer's network interfaces, which take a few minutes to go away).",
  AccessDenied:
    'The credentials lack permission for this operation; check the IAM policy of the user or role.',
  UnauthorizedOperation:
    'The credentials lack permission for this operation; check the IAM policy of the user or role.',
  InvalidClientTokenId:
    'The access key is not valid for this account or region; check your credentials or --profile.',
  SignatureDoesNotMatch:
    'The secret access key does not match the access key; check your credentials or --profile.',
  ExpiredToken: 'The session token has expired; refresh your credentials (e.g. `aws sso login`).',
  ExpiredTokenException: 'The session token has expired; refresh your credentials (e.g. `aws sso login`).',
  EntityAlreadyExists:
    'An IAM server certificate with that name already exists; pass a different --certificate-name.',
  MalformedCertificate: 'IAM could not read the certificate; check that the files are PEM encoded.',
  KeyPairMismatch: 'The private key does not belong to the certificate.',
  DeleteConflict: 'The certificate is still in use by a load balancer.',
  NoSuchEntity: 'The IAM entity does not exist; check the name.',
}

export function hintFor(code: string | undefined): string | undefined {
  return code ? HINTS[code] : undefined
}

/** Network-level failures that never reached AWS (connection refused, DNS, timeouts). */
function networkErrorMessage(error: Error): string | undefined {
  const code = (error as {code?: unknown}).code
  if (
    typeof code === 'string' &&
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH)$/.test(code)
  ) {
    return `${code}: ${error.message}`
  }
  if (error.name === 'TimeoutError' || error.name === 'RequestTimeout') return error.message
  return undefined
}

/**
 * Turns anything a step threw into an ElbxError naming the step: AWS errors keep their wire code
 * and request ID and get a hint; credential and network problems get their own wording.
 */
export function toStepError(step: string, error: unknown): ElbxError {
  if (error instanceof ElbxError) return error
  // Like AwsStepError, every failure carries its step, so --json names it whatever went wrong.
  if (!(error instanceof Error))
    return new RuntimeError(`${step} failed: ${redact(String(error))}`, undefined, {step})
  if (error.name === 'CredentialsProviderError') {
    return new RuntimeError(
      `${step} failed: no AWS credentials found`,
      'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`, or pass --profile NAME.',
      {step},
    )
  }
  const network = networkErrorMessage(error)
  if (network) {
    return new RuntimeError(
      `${step} failed: could not reach AWS: ${redact(network)}`,
      'Check the network, the region and --endpoint-url.',
      {step},
    )
  }
  const code = awsErrorCode(error)
  if (code) {
    // SignatureDoesNotMatch echoes the canonical request; its first sentence is all the user needs.
    const message = code === 'SignatureDoesNotMatch' ? error.message.split('\n')[0]! : error.message
    return new AwsStepError(step, code, redact(message || code), hintFor(code), requestIdOf(error))
  }
  return new RuntimeError(`${step} failed: ${redact(error.message)}`, undefined, {step})
}

/** Runs one step's AWS work and maps whatever it throws to a step-named ElbxError. */
export async function inStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw toStepError(step, error)
  }
}
