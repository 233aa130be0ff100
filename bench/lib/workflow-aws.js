// The seed's "Create an HTTPS/SSL load balancer using the AWS CLI", one `aws` command at a time,
// as a shell script would run it, with the optional describe/verify commands left out.
import {assertOk, runTimed} from './process.js'

export const SSL_POLICY = 'ELBSecurityPolicy-TLS-1-2-2017-01'
export const HEALTH_TARGET = 'HTTP:80/ping'

/**
 * The requests the seed's sequence sends: one per command, and the waiter's DescribeInstanceHealth
 * (one poll when the instances are already InService, as on moto).
 */
export const SEED_SEQUENCE = [
  {command: 'iam upload-server-certificate', operation: 'UploadServerCertificate', requests: 1},
  {command: 'elb create-load-balancer', operation: 'CreateLoadBalancer', requests: 1},
  {
    command: 'elb create-load-balancer-policy (SSLNegotiationPolicyType)',
    operation: 'CreateLoadBalancerPolicy',
    requests: 1,
  },
  {
    command: 'elb set-load-balancer-policies-of-listener',
    operation: 'SetLoadBalancerPoliciesOfListener',
    requests: 1,
  },
  {command: 'openssl x509 -pubkey -noout', operation: '(local)', requests: 0},
  {
    command: 'elb create-load-balancer-policy (PublicKeyPolicyType)',
    operation: 'CreateLoadBalancerPolicy',
    requests: 1,
  },
  {
    command: 'elb create-load-balancer-policy (BackendServerAuthenticationPolicyType)',
    operation: 'CreateLoadBalancerPolicy',
    requests: 1,
  },
  {
    command: 'elb set-load-balancer-policies-for-backend-server',
    operation: 'SetLoadBalancerPoliciesForBackendServer',
    requests: 1,
  },
  {command: 'elb configure-health-check', operation: 'ConfigureHealthCheck', requests: 1},
  {
    command: 'elb register-instances-with-load-balancer',
    operation: 'RegisterInstancesWithLoadBalancer',
    requests: 1,
  },
  {command: 'elb wait instance-in-service', operation: 'DescribeInstanceHealth', requests: 1},
  {command: 'elb delete-load-balancer', operation: 'DeleteLoadBalancer', requests: 1},
  {command: 'iam delete-server-certificate', operation: 'DeleteServerCertificate', requests: 1},
]

/** `openssl x509 -pubkey -noout` without its first and last lines, as the seed tells the reader to do. */
async function publicKeyAttribute(certFile) {
  const out = assertOk(await runTimed('openssl', ['x509', '-in', certFile, '-pubkey', '-noout']))
  return {
    ms: out.ms,
    value: out.stdout
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join(''),
  }
}

/**
 * Runs the whole sequence once and returns its total and per-command wall time.
 * @param {{name: string, endpoint: string, env: Record<string,string>, cert: {certFile: string, keyFile: string}, subnetIds: string[], instanceIds: string[]}} world
 */
export async function runAwsWorkflow({name, endpoint, env, cert, subnetIds, instanceIds}) {
  const steps = []
  const aws = async (label, args) => {
    const result = assertOk(
      await runTimed('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], {
        env,
        timeoutMs: 60_000,
      }),
      `aws ${args.slice(0, 2).join(' ')}`,
    )
    steps.push({step: label, ms: Math.round(result.ms)})
    return result.stdout.trim() ? JSON.parse(result.stdout) : {}
  }
  const started = performance.now()
  const certName = `${name}-cert`
  const uploaded = await aws('iam upload-server-certificate', [
    'iam',
    'upload-server-certificate',
    '--server-certificate-name',
    certName,
    '--certificate-body',
    `file://${cert.certFile}`,
    '--private-key',
    `file://${cert.keyFile}`,
  ])
  const arn = uploaded.ServerCertificateMetadata.Arn
  await aws('elb create-load-balancer', [
    'elb',
    'create-load-balancer',
    '--load-balancer-name',
    name,
    '--listeners',
    'Protocol=http,LoadBalancerPort=80,InstanceProtocol=http,InstancePort=80',
    `Protocol=https,LoadBalancerPort=443,InstanceProtocol=https,InstancePort=443,SSLCertificateId=${arn}`,
    '--subnets',
    ...subnetIds,
  ])
  const lb = ['--load-balancer-name', name]
  await aws('elb create-load-balancer-policy (SSL)', [
    'elb',
    'create-load-balancer-policy',
    ...lb,
    '--policy-name',
    'my-SSLNegotiation-policy',
    '--policy-type-name',
    'SSLNegotiationPolicyType',
    '--policy-attributes',
    `AttributeName=Reference-Security-Policy,AttributeValue=${SSL_POLICY}`,
  ])
  await aws('elb set-load-balancer-policies-of-listener', [
    'elb',
    'set-load-balancer-policies-of-listener',
    ...lb,
    '--load-balancer-port',
    '443',
    '--policy-names',
    'my-SSLNegotiation-policy',
  ])
  const publicKey = await publicKeyAttribute(cert.certFile)
  steps.push({step: 'openssl x509 -pubkey', ms: Math.round(publicKey.ms)})
  await aws('elb create-load-balancer-policy (PublicKey)', [
    'elb',
    'create-load-balancer-policy',
    ...lb,
    '--policy-name',
    'my-PublicKey-policy',
    '--policy-type-name',
    'PublicKeyPolicyType',
    '--policy-attributes',
    `AttributeName=PublicKey,AttributeValue=${publicKey.value}`,
  ])
  await aws('elb create-load-balancer-policy (BackendServerAuthentication)', [
    'elb',
    'create-load-balancer-policy',
    ...lb,
    '--policy-name',
    'my-authentication-policy',
    '--policy-type-name',
    'BackendServerAuthenticationPolicyType',
    '--policy-attributes',
    'AttributeName=PublicKeyPolicyName,AttributeValue=my-PublicKey-policy',
  ])
  await aws('elb set-load-balancer-policies-for-backend-server', [
    'elb',
    'set-load-balancer-policies-for-backend-server',
    ...lb,
    '--instance-port',
    '443',
    '--policy-names',
    'my-authentication-policy',
  ])
  await aws('elb configure-health-check', [
    'elb',
    'configure-health-check',
    ...lb,
    '--health-check',
    `Target=${HEALTH_TARGET},Interval=30,UnhealthyThreshold=2,HealthyThreshold=2,Timeout=3`,
  ])
  await aws('elb register-instances-with-load-balancer', [
    'elb',
    'register-instances-with-load-balancer',
    ...lb,
    '--instances',
    ...instanceIds,
  ])
  await aws('elb wait instance-in-service', [
    'elb',
    'wait',
    'instance-in-service',
    ...lb,
    '--instances',
    ...instanceIds,
  ])
  await aws('elb delete-load-balancer', ['elb', 'delete-load-balancer', ...lb])
  await aws('iam delete-server-certificate', [
    'iam',
    'delete-server-certificate',
    '--server-certificate-name',
    certName,
  ])
  return {ms: performance.now() - started, steps}
}
