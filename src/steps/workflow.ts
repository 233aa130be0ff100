import type {InstanceHealth, LoadBalancer, Policy} from '../model.js'
import type {Task} from '../ui/tasks.js'
import {SSL_NEGOTIATION_POLICY_TYPE} from '../policy/ssl-attributes.js'
import type {WorkflowInput} from '../validate/workflow-input.js'
import {WORKFLOW_HEALTH_FLAG_NAMES} from '../validate/workflow-input.js'
import {
  BACKEND_AUTH_POLICY_TYPE,
  PUBLIC_KEY_POLICY_TYPE,
  ensureBackendAuthentication,
  type EnsureBackendAuthResult,
} from './backend-auth.js'
import {createTasks, need, type CreateContext} from './create.js'
import {configureHealthCheck, type ConfigureHealthCheckResult} from './health-check.js'
import {checkInstances, registerInstances, type RegisterResult} from './instances.js'
import {
  DEFAULT_SSL_POLICY,
  ensureListenerSslPolicy,
  sslPolicyAttributes,
  type EnsureSslPolicyResult,
  type SslPolicySpec,
} from './ssl-policy.js'
import {isSecure} from '../validate/listener.js'
import {runVerification, type VerifyReport} from './verify/index.js'
import {waitForInService, type WaitResult} from './wait-for-in-service.js'

/** The whole seed workflow's state: create's, plus what the later steps found and did. */
export interface WorkflowContext extends CreateContext {
  workflow: WorkflowInput
  /** --dry-run: mutating requests are recorded, and the wait and verification are not run. */
  dryRun: boolean
  /** The load balancer as the steps have left it so far: described on a rerun, derived from the spec otherwise. */
  current?: LoadBalancer
  /** Its policies as the steps have left them: described once on a rerun, none on a new load balancer. */
  policies?: Policy[]
  sslPolicies: (EnsureSslPolicyResult & {loadBalancerPort: number; spec: SslPolicySpec; isDefault: boolean})[]
  backendAuthentication: (EnsureBackendAuthResult & {instancePort: number})[]
  healthCheck?: ConfigureHealthCheckResult
  registration?: RegisterResult
  warnings: string[]
  wait?: WaitResult
  verification?: VerifyReport
  /** Live instance states while waiting (the task list shows them). */
  onInstanceChange?: (states: InstanceHealth[]) => void
}

/**
 * The load balancer after "Create load balancer and listeners": the description AWS gave on a
 * rerun, or, for one this run created, the one the spec implies. Deriving it saves a describe
 * (and works under --dry-run, where nothing was created).
 */
function loadBalancerAfterCreate(ctx: WorkflowContext): LoadBalancer {
  const ensured = need(ctx.loadBalancer, 'the load balancer')
  if (ensured.existing) return ensured.existing
  const network = need(ctx.network, 'the network')
  return {
    name: ctx.input.name,
    dnsName: ensured.dnsName,
    scheme: ctx.input.scheme,
    ...(network.vpcId ? {vpcId: network.vpcId} : {}),
    subnets: network.subnets,
    // AWS describes a VPC load balancer with its subnets' zones too; knowing them here spares the
    // register step a second DescribeSubnets.
    availabilityZones: network.availabilityZones,
    securityGroups: ctx.securityGroups ?? [],
    // A new HTTPS listener carries AWS's default policy; elbx replaces it in the next step anyway.
    listeners: (ctx.listeners ?? ctx.input.listeners).map((listener) => ({listener, policyNames: []})),
    backendServers: [],
    instanceIds: [],
    policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
  }
}

const current = (ctx: WorkflowContext): LoadBalancer => (ctx.current ??= loadBalancerAfterCreate(ctx))

/** The policies of the load balancer: one DescribeLoadBalancerPolicies for both policy steps, none when it is new. */
async function policies(ctx: WorkflowContext): Promise<Policy[]> {
  if (!ctx.policies) {
    ctx.policies = need(ctx.loadBalancer, 'the load balancer').existing
      ? await ctx.gateways.elb.describePolicies(ctx.input.name)
      : []
  }
  return ctx.policies
}

export const sslPolicyTask: Task<WorkflowContext> = {
  title: 'SSL negotiation policy',
  skip: (ctx) => (ctx.input.listeners.some((l) => isSecure(l.protocol)) ? false : 'no HTTPS or SSL listener'),
  async run(ctx) {
    const {elb} = ctx.gateways
    // Secure by default: the seed recommends the latest predefined policy.
    const isDefault = ctx.workflow.ssl.spec === undefined
    const spec: SslPolicySpec = ctx.workflow.ssl.spec ?? {kind: 'predefined', name: DEFAULT_SSL_POLICY}
    const outcomes: string[] = []
    for (const {listener} of current(ctx).listeners.filter((d) => isSecure(d.listener.protocol))) {
      const port = listener.loadBalancerPort
      const result = await ensureListenerSslPolicy(elb, {
        loadBalancerName: ctx.input.name,
        loadBalancerPort: port,
        spec,
        loadBalancer: current(ctx),
        policies: await policies(ctx),
        ...(ctx.workflow.ssl.policyName ? {policyName: ctx.workflow.ssl.policyName} : {}),
      })
      if (result.status === 'created') {
        ctx.policies!.push({
          name: result.policyName,
          typeName: SSL_NEGOTIATION_POLICY_TYPE,
          attributes: sslPolicyAttributes(spec),
        })
      }
      ctx.sslPolicies.push({...result, loadBalancerPort: port, spec, isDefault})
      const lb = current(ctx)
      ctx.current = {
        ...lb,
        listeners: lb.listeners.map((d) =>
          d.listener.loadBalancerPort === port
            ? {...d, policyNames: [...result.keptPolicies, result.policyName]}
            : d,
        ),
      }
      outcomes.push(`${port}: ${result.policyName} ${result.status}`)
    }
    const what = spec.kind === 'predefined' ? spec.name : 'custom policy'
    return `${what}${isDefault ? " (elbx's default, the latest predefined policy)" : ''}; ${outcomes.join(', ')}`
  },
}

export const backendAuthenticationTask: Task<WorkflowContext> = {
  title: 'Back-end instance authentication',
  skip: (ctx) => (ctx.workflow.backendAuth.length ? false : 'no --backend-auth-cert given'),
  async run(ctx) {
    const outcomes: string[] = []
    for (const instancePort of ctx.workflow.backendAuthPorts) {
      const result = await ensureBackendAuthentication(ctx.gateways.elb, {
        loadBalancerName: ctx.input.name,
        instancePort,
        publicKeys: ctx.workflow.backendAuth.map((k) => k.publicKey),
        loadBalancer: current(ctx),
        policies: await policies(ctx),
      })
      for (const name of result.createdPolicies) {
        const typeName = name === result.policyName ? BACKEND_AUTH_POLICY_TYPE : PUBLIC_KEY_POLICY_TYPE
        ctx.policies!.push({name, typeName, attributes: []})
      }
      ctx.backendAuthentication.push({...result, instancePort})
      const lb = current(ctx)
      ctx.current = {
        ...lb,
        backendServers: [
          ...lb.backendServers.filter((b) => b.instancePort !== instancePort),
          {instancePort, policyNames: [result.policyName]},
        ],
      }
      outcomes.push(`port ${instancePort}: ${result.policyName} ${result.status}`)
    }
    return `${ctx.workflow.backendAuth.length} key(s); ${outcomes.join(', ')}`
  },
}

export const healthCheckTask: Task<WorkflowContext> = {
  title: 'Health check',
  skip: (ctx) =>
    Object.keys(ctx.workflow.healthCheck).length ? false : "no --health-check given (AWS's default stays)",
  async run(ctx) {
    const result = await configureHealthCheck(
      ctx.gateways.elb,
      current(ctx),
      ctx.workflow.healthCheck,
      WORKFLOW_HEALTH_FLAG_NAMES,
    )
    ctx.healthCheck = result
    ctx.warnings.push(...result.warnings)
    ctx.current = {...current(ctx), healthCheck: result.healthCheck}
    const hc = result.healthCheck
    const text = `${hc.target} every ${hc.interval} s, timeout ${hc.timeout} s, healthy ${hc.healthyThreshold}, unhealthy ${hc.unhealthyThreshold}`
    return result.changed ? text : `unchanged (${text})`
  },
}

export const registerTask: Task<WorkflowContext> = {
  title: 'Register instances',
  skip: (ctx) => (ctx.workflow.instances.length ? false : 'no --instances given'),
  async run(ctx) {
    const lb = current(ctx)
    const fresh = ctx.workflow.instances.filter((id) => !lb.instanceIds.includes(id))
    if (fresh.length) {
      const checked = await checkInstances(ctx.gateways.ec2, lb, fresh, ctx.gateways.region)
      ctx.warnings.push(...checked.warnings)
    }
    const result = await registerInstances(ctx.gateways.elb, lb, ctx.workflow.instances)
    ctx.registration = result
    ctx.current = {...lb, instanceIds: [...new Set([...lb.instanceIds, ...result.registered])]}
    return result.registered.length
      ? `registered ${result.registered.join(', ')}`
      : 'unchanged (already registered)'
  },
}

export const waitTask: Task<WorkflowContext> = {
  title: 'Wait for InService',
  skip: (ctx) =>
    ctx.dryRun
      ? 'dry run'
      : ctx.workflow.wait.mode === 'none' || ctx.workflow.instances.length === 0
        ? 'not waiting (--wait none)'
        : false,
  async run(ctx, progress) {
    const mode = ctx.workflow.wait.mode === 'all' ? 'all' : 'any'
    const interval = current(ctx).healthCheck?.interval
    ctx.wait = await waitForInService(ctx.gateways.elb, {
      loadBalancerName: ctx.input.name,
      instanceIds: ctx.workflow.instances,
      mode,
      timeoutMs: ctx.workflow.wait.timeoutMs,
      ...(interval ? {healthCheckIntervalSec: interval} : {}),
      ...(ctx.signal ? {signal: ctx.signal} : {}),
      ...(ctx.clock ? {clock: ctx.clock} : {}),
      onChange: (states) => {
        progress(
          states
            .map(
              (s) =>
                `${s.instanceId} ${s.state}${s.description && s.description !== 'N/A' ? ` (${s.description})` : ''}`,
            )
            .join('; '),
        )
        ctx.onInstanceChange?.(states)
      },
    })
    const inService = ctx.wait.states.filter((s) => s.state === 'InService').length
    return `${inService} of ${ctx.wait.states.length} InService after ${Math.round(ctx.wait.elapsedMs / 1000)} s`
  },
}

export const verifyTask: Task<WorkflowContext> = {
  title: 'Verify',
  skip: (ctx) => (ctx.dryRun ? 'dry run' : ctx.workflow.verify ? false : 'not asked (--verify)'),
  async run(ctx, progress) {
    const verify = need(ctx.workflow.verify, '--verify')
    ctx.verification = await runVerification(
      {elb: ctx.gateways.elb, iam: ctx.gateways.iam, acm: ctx.gateways.acm},
      {
        loadBalancerName: ctx.input.name,
        // create has no --host: present a name the certificate covers (no certificate covers the DNS name).
        guessHost: true,
        // The wait step already waited; verify only looks.
        waitTimeoutMs: Math.max(1000, ctx.workflow.wait.timeoutMs),
        all: ctx.workflow.wait.mode === 'all',
        connectTo: verify.connectTo,
        insecure: verify.insecure,
        ...(ctx.signal ? {signal: ctx.signal} : {}),
        onProgress: progress,
      },
    )
    const {counts} = ctx.verification
    return `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warnings, ${counts.skip} skipped`
  },
}

/**
 * The seed's whole workflow in its order: create's tasks up to the load balancer and listeners,
 * then SSL negotiation policy, back-end authentication, health check, attributes and tags,
 * register, wait for InService, verify. Every task is a step other commands run on its own.
 */
export function workflowTasks(): Task<WorkflowContext>[] {
  const create = createTasks() as Task<WorkflowContext>[]
  const upToLoadBalancer = create.findIndex((t) => t.title === 'Create load balancer and listeners') + 1
  return [
    ...create.slice(0, upToLoadBalancer),
    sslPolicyTask,
    backendAuthenticationTask,
    healthCheckTask,
    ...create.slice(upToLoadBalancer),
    registerTask,
    waitTask,
    verifyTask,
  ]
}
