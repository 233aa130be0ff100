/**
 * The seed's workflow as `create` runs it on the engine (observe, plan, apply, then wait), over an
 * in-memory AWS that behaves as AWS documents (a new HTTPS listener carries AWS's default SSL policy,
 * listeners keep their instance protocol), for what moto cannot show: the order of the requests,
 * what runs at once, and rollback after injected failures. The same paths run over HTTP against the
 * patched moto in test/integration and test/e2e.
 */
import type {Gateways} from '../../../src/aws/gateways.js'
import type {HealthCheck, Instance, InstanceHealth, Policy} from '../../../src/model.js'
import {runWithRollback} from '../../../src/steps/rollback.js'
import {applyTasks, observeTask, watchTasks, type CreateRun} from '../../../src/steps/engine/create-flow.js'
import type {TaskOutcome} from '../../../src/ui/tasks.js'
import type {WorkflowFlagValues} from '../../../src/validate/workflow-input.js'
import {makeCertificate} from '../../helpers/certs.js'
import {createRun, runCreateFlow} from '../../helpers/create-flow.js'
import {AwsWorld} from './create-world.js'
import {FakeClock, fakeEc2, fakeElb, sdkError} from './fakes.js'

const pair = makeCertificate()
const AWS_DEFAULT_POLICY = 'ELBSecurityPolicy-2016-08'
const WRITE = /^(Create|Set|Register|Upload|Authorize|Modify|Add|Configure|Delete|Apply)/

/** AwsWorld plus what the later steps touch: policies, the health check, instances. */
class WorkflowWorld extends AwsWorld {
  policies = new Map<string, Map<string, Policy>>()
  running = new Map<string, Instance>([
    [
      'i-0aaaaaaaaaaaaaaa1',
      {
        instanceId: 'i-0aaaaaaaaaaaaaaa1',
        state: 'running',
        vpcId: 'vpc-11111111',
        availabilityZone: 'us-east-1a',
      },
    ],
    [
      'i-0bbbbbbbbbbbbbbb2',
      {
        instanceId: 'i-0bbbbbbbbbbbbbbb2',
        state: 'running',
        vpcId: 'vpc-11111111',
        availabilityZone: 'us-east-1b',
      },
    ],
  ])

  private op(name: string): void {
    this.calls.push(name)
    const queued = this.failures[name]
    if (queued?.length) throw queued.shift()
  }

  private lb(name: string) {
    const lb = this.loadBalancers.get(name)
    if (!lb)
      throw sdkError('AccessPointNotFoundException', `There is no ACTIVE Load Balancer named '${name}'`)
    return lb
  }

  override gateways(): Gateways {
    const base = super.gateways()
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the fakes close over the world
    const world = this
    const elb = fakeElb({
      ...(base.elb as object),
      async createLoadBalancer(input) {
        const out = await base.elb.createLoadBalancer(input)
        // AWS puts its default predefined policy on every new HTTPS/SSL listener.
        const lb = world.lb(input.name)
        lb.listeners = lb.listeners.map((d) =>
          d.listener.protocol === 'HTTPS' ? {...d, policyNames: [AWS_DEFAULT_POLICY]} : d,
        )
        lb.healthCheck = {
          target: 'TCP:80',
          interval: 30,
          timeout: 5,
          healthyThreshold: 10,
          unhealthyThreshold: 2,
        }
        world.policies.set(
          input.name,
          new Map([
            [
              AWS_DEFAULT_POLICY,
              {name: AWS_DEFAULT_POLICY, typeName: 'SSLNegotiationPolicyType', attributes: []},
            ],
          ]),
        )
        return out
      },
      async describePolicies(name, names) {
        world.op('DescribeLoadBalancerPolicies')
        const all = [...(world.policies.get(name!) ?? new Map<string, Policy>()).values()]
        return names ? all.filter((p) => names.includes(p.name)) : all
      },
      async createPolicy(name, policyName, typeName, attributes) {
        world.op('CreateLoadBalancerPolicy')
        world.lb(name)
        world.policies.get(name)!.set(policyName, {name: policyName, typeName, attributes})
      },
      async deletePolicy(name, policyName) {
        world.op('DeleteLoadBalancerPolicy')
        world.policies.get(name)!.delete(policyName)
      },
      async setListenerPolicies(name, port, policyNames) {
        world.op('SetLoadBalancerPoliciesOfListener')
        const lb = world.lb(name)
        lb.listeners = lb.listeners.map((d) =>
          d.listener.loadBalancerPort === port ? {...d, policyNames} : d,
        )
      },
      async setBackendServerPolicies(name, instancePort, policyNames) {
        world.op('SetLoadBalancerPoliciesForBackendServer')
        const lb = world.lb(name)
        lb.backendServers = [
          ...lb.backendServers.filter((b) => b.instancePort !== instancePort),
          {instancePort, policyNames},
        ]
      },
      async configureHealthCheck(name, healthCheck: HealthCheck) {
        world.op('ConfigureHealthCheck')
        world.lb(name).healthCheck = healthCheck
        return healthCheck
      },
      async registerInstances(name, ids) {
        world.op('RegisterInstancesWithLoadBalancer')
        const lb = world.lb(name)
        lb.instanceIds = [...new Set([...lb.instanceIds, ...ids])]
        return lb.instanceIds
      },
      async describeInstanceHealth(name, ids): Promise<InstanceHealth[]> {
        world.op('DescribeInstanceHealth')
        return (ids ?? world.lb(name).instanceIds).map((instanceId) => ({instanceId, state: 'InService'}))
      },
    })
    const ec2 = fakeEc2({
      ...(base.ec2 as object),
      async describeInstances(ids) {
        world.op('DescribeInstances')
        return ids.flatMap((id) => world.running.get(id) ?? [])
      },
    })
    return {...base, elb, ec2}
  }
}

function context(
  world: WorkflowWorld,
  flags: {create?: Record<string, unknown>; workflow?: Partial<WorkflowFlagValues>} = {},
): CreateRun {
  return createRun(world.gateways(), 'web', {
    create: {
      https: true,
      'certificate-file': pair.certFile,
      'private-key-file': pair.keyFile,
      tag: ['team=web'],
      ...flags.create,
    },
    workflow: {
      'health-check': 'HTTP:80/ping',
      instances: ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'],
      'wait-timeout': '60',
      ...flags.workflow,
    },
    clock: new FakeClock(),
  })
}

const create = runCreateFlow

const outcomeOf = (outcomes: TaskOutcome[], title: string) => outcomes.find((o) => o.title === title)

describe("create's tasks", () => {
  it("report the seed's steps in the guide's order", () => {
    expect([observeTask, ...applyTasks(), ...watchTasks()].map((t) => t.title)).toEqual([
      'Resolve network',
      'Upload certificate to IAM',
      'Security group',
      'Create load balancer and listeners',
      'SSL negotiation policy',
      'Back-end instance authentication',
      'Health check',
      'Attributes (cross-zone, connection draining, idle timeout)',
      'Tags',
      'Register instances',
      'Wait for InService',
      'Verify',
    ])
  })

  it('say why they skip a step', () => {
    const world = new WorkflowWorld()
    const run = context(world, {
      create: {
        https: false,
        listener: ['http:80:http:80'],
        'certificate-file': undefined,
        'private-key-file': undefined,
      },
      workflow: {'health-check': undefined, instances: undefined},
    })
    const skips = Object.fromEntries(
      [...applyTasks(), ...watchTasks()].map((t) => [t.title, t.skip?.(run) ?? false]),
    )
    expect(skips).toMatchObject({
      'SSL negotiation policy': 'no HTTPS or SSL listener',
      'Back-end instance authentication': 'no --backend-auth-cert given',
      'Health check': "no --health-check given (AWS's default stays)",
      'Register instances': 'no --instances given',
      'Wait for InService': 'not waiting (--wait none)',
      Verify: 'not asked (--verify)',
    })
  })
})

describe('the workflow over an AWS-like world', () => {
  it("replaces AWS's default SSL policy with TLS 1.2, and a rerun of the seed's HTTPS 443 -> HTTP 80 changes nothing", async () => {
    const world = new WorkflowWorld()
    const first = context(world)
    await create(first)
    const lb = world.loadBalancers.get('web')!
    expect(lb.listeners.find((d) => d.listener.loadBalancerPort === 443)!.policyNames).toEqual([
      'elbx-ssl-TLS-1-2-2017-01',
    ])
    expect(world.policies.get('web')!.get('elbx-ssl-TLS-1-2-2017-01')!.attributes).toEqual([
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-TLS-1-2-2017-01'},
    ])
    expect(first.plan!.outcome.sslPolicies).toMatchObject([
      {loadBalancerPort: 443, status: 'created', isDefault: true},
    ])
    expect(lb.healthCheck).toMatchObject({target: 'HTTP:80/ping', interval: 30, timeout: 5})
    expect(lb.instanceIds).toEqual(['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'])
    expect(first.wait?.states.map((s) => s.state)).toEqual(['InService', 'InService'])
    // A new load balancer has no policies but AWS's: nothing to describe before the policy steps.
    expect(world.calls.filter((c) => c === 'DescribeLoadBalancerPolicies')).toEqual([])

    world.calls = []
    const again = context(world)
    const outcomes = await create(again)
    expect(world.calls.filter((c) => WRITE.test(c))).toEqual([])
    expect(outcomeOf(outcomes, 'SSL negotiation policy')!.outcome).toMatch(
      /443: elbx-ssl-TLS-1-2-2017-01 unchanged/,
    )
    expect(outcomeOf(outcomes, 'Health check')!.outcome).toMatch(/^unchanged/)
    expect(outcomeOf(outcomes, 'Register instances')!.outcome).toBe('unchanged (already registered)')
    // The rerun reads the policies once, in its observe round.
    expect(world.calls.filter((c) => c === 'DescribeLoadBalancerPolicies')).toHaveLength(1)
  })

  it('sets back-end authentication on instance port 443 with --backend-https', async () => {
    const world = new WorkflowWorld()
    const ctx = context(world, {
      create: {'backend-https': true},
      workflow: {'backend-auth-cert': [pair.certFile]},
    })
    await create(ctx)
    const [auth] = ctx.plan!.outcome.backendAuthentication
    expect(auth).toMatchObject({instancePort: 443, status: 'created'})
    expect(world.loadBalancers.get('web')!.backendServers).toEqual([
      {instancePort: 443, policyNames: [auth!.policyName]},
    ])
    expect(world.policies.get('web')!.get(auth!.publicKeyPolicies[0]!)!.typeName).toBe('PublicKeyPolicyType')
  })

  it('a failure after CreateLoadBalancer deletes what the run created; the policies went with the load balancer', async () => {
    const world = new WorkflowWorld()
    world.failures.RegisterInstancesWithLoadBalancer = [sdkError('InvalidEndPointException', 'not running')]
    const ctx = context(world)
    const lines: string[] = []
    await expect(
      runWithRollback(ctx.rollback, () => create(ctx), {
        enabled: true,
        step: 'create',
        report: (l) => lines.push(...l),
      }),
    ).rejects.toThrow(/^Register instances failed: InvalidInstance: not running/)
    expect(world.loadBalancers.size).toBe(0)
    expect(world.groups.size).toBe(0)
    expect(world.certificates.size).toBe(0)
    expect(lines[0]).toMatch(
      /^Rolled back: deleted load-balancer web, security-group sg-\w+, server-certificate elbx-web-/,
    )
  })

  it('policy changes on an existing load balancer are not rolled back (they are journaled), and a rerun converges', async () => {
    const world = new WorkflowWorld()
    // The load balancer exists from an earlier run, without a health check or instances asked for.
    await create(context(world, {workflow: {'health-check': undefined, instances: undefined}}))
    // Now with another SSL policy and instances; the policy swap fails once.
    world.failures.SetLoadBalancerPoliciesOfListener = [sdkError('Throttling', 'slow down')]
    const ctx = context(world, {workflow: {'ssl-policy': 'ELBSecurityPolicy-TLS-1-1-2017-01'}})
    const lines: string[] = []
    await expect(
      runWithRollback(ctx.rollback, () => create(ctx), {
        enabled: true,
        step: 'create',
        report: (l) => lines.push(...l),
      }),
    ).rejects.toThrow(/SSL negotiation policy failed/)
    // This run created nothing, so nothing is deleted; what it changed in place is journaled.
    expect(lines).toEqual([])
    expect(ctx.applied!.done.map((a) => a.call.operation)).toEqual(
      expect.arrayContaining(['CreateLoadBalancerPolicy', 'RegisterInstancesWithLoadBalancer']),
    )
    expect(world.loadBalancers.get('web')!.instanceIds).toHaveLength(2)
    // create removes nothing it was not told to: the policy it would replace stays.
    expect(world.policies.get('web')!.has('elbx-ssl-TLS-1-2-2017-01')).toBe(true)

    world.calls = []
    const rerun = context(world, {workflow: {'ssl-policy': 'ELBSecurityPolicy-TLS-1-1-2017-01'}})
    const outcomes = await create(rerun)
    expect(outcomeOf(outcomes, 'SSL negotiation policy')!.outcome).toMatch(/elbx-ssl-TLS-1-1-2017-01 reused/)
    // Only what is left: the policy exists and the instances are registered.
    expect(world.calls.filter((c) => WRITE.test(c))).toEqual(['SetLoadBalancerPoliciesOfListener'])
    const on443 = world.loadBalancers.get('web')!.listeners.find((d) => d.listener.loadBalancerPort === 443)!
    expect(on443.policyNames).toEqual(['elbx-ssl-TLS-1-1-2017-01'])
    expect(world.loadBalancers.get('web')!.instanceIds).toHaveLength(2)
  })
})
