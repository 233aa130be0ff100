import type {Gateways, IamGateway} from '../../../../src/aws/gateways.js'
import {ExitCode, type ElbxError} from '../../../../src/errors.js'
import {ApplyFailure, applyPlan, resolvePending} from '../../../../src/steps/engine/apply.js'
import {planCreate, pending} from '../../../../src/steps/engine/plan.js'
import {Rollback} from '../../../../src/steps/rollback.js'
import {FakeClock, fakeEc2, fakeElb, sdkError} from '../fakes.js'
import {CERT_B, desired, desiredInPlace, observedInPlace, observedNothing} from './fixtures.js'

/** A promise to settle by hand, so a test decides when each fake request answers. */
function gate<T = void>() {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return {promise, open}
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** Gateways that answer the AWS guide's create, logging each request as it starts. */
function world(overrides: {onCreateLoadBalancer?: () => Promise<void>} = {}) {
  const log: string[] = []
  const inFlight = {now: 0, max: 0}
  const call = async <T>(name: string, answer: T, wait?: Promise<unknown>): Promise<T> => {
    log.push(name)
    inFlight.now++
    inFlight.max = Math.max(inFlight.max, inFlight.now)
    await (wait ?? tick())
    inFlight.now--
    return answer
  }
  const created: Record<string, unknown> = {}
  const gateways: Gateways = {
    region: 'us-east-1',
    iam: {
      uploadServerCertificate: (input) =>
        call('UploadServerCertificate', {
          name: input.name,
          id: 'ASCA1',
          arn: `arn:aws:iam::123456789012:server-certificate/${input.name}`,
        }),
      deleteServerCertificate: (name) => call(`DeleteServerCertificate ${name}`, undefined),
    } as Partial<IamGateway> as IamGateway,
    ec2: fakeEc2({
      createSecurityGroup: () => call('CreateSecurityGroup', 'sg-0new'),
      authorizeIngress: () => call('AuthorizeSecurityGroupIngress', undefined),
      deleteSecurityGroup: (id) => call(`DeleteSecurityGroup ${id}`, undefined),
    }),
    elb: fakeElb({
      createLoadBalancer: async (input) => {
        created.createLoadBalancer = input
        if (overrides.onCreateLoadBalancer) {
          log.push('CreateLoadBalancer')
          await overrides.onCreateLoadBalancer()
          return {dnsName: 'web.elb'}
        }
        return call('CreateLoadBalancer', {dnsName: 'web.elb'})
      },
      createPolicy: (_lb, name) => call(`CreateLoadBalancerPolicy ${name}`, undefined),
      setListenerPolicies: () => call('SetLoadBalancerPoliciesOfListener', undefined),
      setBackendServerPolicies: () => call('SetLoadBalancerPoliciesForBackendServer', undefined),
      configureHealthCheck: (_lb, hc) => call('ConfigureHealthCheck', hc),
      modifyAttributes: () => call('ModifyLoadBalancerAttributes', undefined),
      registerInstances: (_lb, ids) => call('RegisterInstancesWithLoadBalancer', ids),
      setListenerCertificate: () => call('SetLoadBalancerListenerSSLCertificate', undefined),
      deleteLoadBalancer: (name) => call(`DeleteLoadBalancer ${name}`, undefined),
    }),
    acm: {} as Gateways['acm'],
  }
  return {gateways, log, inFlight, created}
}

describe('applyPlan', () => {
  it('runs independent actions at once and dependent ones after, with the answers filled in', async () => {
    const w = world()
    const plan = planCreate(desired(), observedNothing())
    const applied = await applyPlan(plan.actions, {
      gateways: w.gateways,
      desired: desired(),
      rollback: new Rollback(),
    })
    expect(applied.done).toHaveLength(plan.actions.length)
    // The upload and the group went out together, before anything else.
    expect(w.log.slice(0, 2).sort()).toEqual(['CreateSecurityGroup', 'UploadServerCertificate'])
    expect(w.inFlight.max).toBeGreaterThanOrEqual(5)
    expect(w.created.createLoadBalancer).toMatchObject({
      securityGroups: ['sg-0new'],
      listeners: [
        {},
        {sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/elbx-web-0123456789abcdef'},
      ],
    })
    expect(w.log.indexOf('SetLoadBalancerPoliciesForBackendServer')).toBeGreaterThan(
      w.log.findIndex((l) => l.startsWith('CreateLoadBalancerPolicy elbx-backend-auth-')),
    )
    expect(applied.outputs.get('create-load-balancer')).toBe('web.elb')
  })

  it('keeps concurrency within its bound', async () => {
    const w = world()
    const plan = planCreate(desired(), observedNothing())
    await applyPlan(plan.actions, {
      gateways: w.gateways,
      desired: desired(),
      rollback: new Rollback(),
      concurrency: 2,
    })
    expect(w.inFlight.max).toBe(2)
  })

  it('on failure lets requests in flight finish, starts no more, and rolls back in plan order whatever finished first', async () => {
    const w = world({
      onCreateLoadBalancer: async () => {
        throw sdkError('TooManyAccessPointsException', 'too many')
      },
    })
    const plan = planCreate(desired(), observedNothing())
    const rollback = new Rollback()
    const failure = await applyPlan(plan.actions, {gateways: w.gateways, desired: desired(), rollback}).catch(
      (e) => e,
    )
    expect(failure).toBeInstanceOf(ApplyFailure)
    const error = (failure as ApplyFailure).error as ElbxError
    expect(error.message).toMatch(/^Create load balancer and listeners failed: TooManyLoadBalancers/)
    expect(error.exitCode).toBe(ExitCode.Failure)
    expect(w.log).not.toContain('ConfigureHealthCheck')
    expect(rollback.created.map((r) => r.kind)).toEqual(['server-certificate', 'security-group'])
    const report = await rollback.undo()
    expect(report.removed.map((r) => r.kind)).toEqual(['security-group', 'server-certificate'])
  })

  it('records a resource as soon as it exists, so Ctrl-C during a later request rolls it back', async () => {
    const held = gate()
    const controller = new AbortController()
    const w = world({
      onCreateLoadBalancer: async () => {
        controller.abort()
        await held.promise
      },
    })
    const rollback = new Rollback()
    const plan = planCreate(desired(), observedNothing())
    const applying = applyPlan(plan.actions, {
      gateways: w.gateways,
      desired: desired(),
      rollback,
      signal: controller.signal,
    })
    await tick()
    await tick()
    held.open()
    const failure = (await applying.catch((e) => e)) as ApplyFailure
    expect((failure.error as ElbxError).exitCode).toBe(ExitCode.Interrupted)
    // The load balancer answered after Ctrl-C: it exists, so it is recorded too, and nothing else started.
    expect(rollback.created.map((r) => r.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])
    expect(w.log).not.toContain('ConfigureHealthCheck')
  })

  it("marks what it creates with the run's mark, and rolls back a load balancer only while it carries that mark", async () => {
    const w = world()
    const rollback = new Rollback()
    // AWS accepted an identical CreateLoadBalancer from another run, whose mark the load balancer carries.
    const gateways = {
      ...w.gateways,
      elb: {...w.gateways.elb, describeTags: async () => [{key: rollback.mark.key, value: 'another run'}]},
    }
    const plan = planCreate(desired(), observedNothing())
    await applyPlan(plan.actions, {gateways, desired: desired(), rollback, runMark: rollback.mark})
    expect((w.created.createLoadBalancer as {tags: unknown[]}).tags).toContainEqual(rollback.mark)
    const report = await rollback.undo()
    expect(report.leftToOtherRun.map((r) => r.kind)).toEqual(['load-balancer'])
    expect(report.removed.map((r) => r.kind)).toEqual(['security-group', 'server-certificate'])
  })

  it('puts no mark on what a dry run would create', async () => {
    const w = world()
    const plan = planCreate(desired(), observedNothing())
    await applyPlan(plan.actions, {gateways: w.gateways, desired: desired(), rollback: new Rollback()})
    const tags = (w.created.createLoadBalancer as {tags?: {key: string}[]}).tags ?? []
    expect(tags.map((t) => t.key)).not.toContain('elbx:run')
  })

  it('journals changes made in place with the requests that restore them', async () => {
    const w = world()
    const plan = planCreate(desiredInPlace({certificate: {kind: 'arn', arn: CERT_B}}), observedInPlace())
    const applied = await applyPlan(plan.actions, {
      gateways: w.gateways,
      desired: desiredInPlace(),
      rollback: new Rollback(),
    })
    expect(applied.changedInPlace.map((a) => a.restore)).toEqual([
      [
        expect.objectContaining({
          operation: 'SetLoadBalancerListenerSSLCertificate',
          certificateArn: observedInPlace().loadBalancer!.listeners[1]!.listener.sslCertificateId,
        }),
      ],
    ])
  })
})

describe('resolvePending', () => {
  it('replaces pending values deep inside a call, and refuses one not answered yet', () => {
    const outputs = new Map([['create-security-group', 'sg-1']])
    expect(resolvePending({a: [pending('create-security-group'), 'x'], n: 1}, outputs)).toEqual({
      a: ['sg-1', 'x'],
      n: 1,
    })
    expect(() => resolvePending(pending('upload-certificate'), outputs)).toThrow(/has not answered/)
  })
})

describe('applyPlan and what AWS is known for', () => {
  /** The plan's CreateLoadBalancer alone, for a load balancer with the given groups (nothing to create first). */
  const createOnly = (overrides: Parameters<typeof desired>[0] = {}) => {
    const d = desired({securityGroups: ['sg-0given'], ...overrides})
    const action = planCreate(d, observedNothing()).actions.find(
      (a) => a.call.operation === 'CreateLoadBalancer',
    )!
    return {d, actions: [{...action, dependsOn: []}]}
  }

  it('retries CertificateNotFound with growing delays only when the listeners name an uploaded certificate', async () => {
    const failing = (times: number) => {
      let calls = 0
      const elb = fakeElb({
        createLoadBalancer: async () => {
          calls++
          if (calls <= times) throw sdkError('CertificateNotFoundException', 'not yet')
          return {dnsName: 'web.elb'}
        },
      })
      return {elb, calls: () => calls}
    }
    const gateways = (elb: Gateways['elb']): Gateways => ({
      region: 'us-east-1',
      elb,
      ec2: fakeEc2({}),
      iam: {} as IamGateway,
      acm: {} as Gateways['acm'],
    })

    const uploaded = createOnly()
    const retries: number[] = []
    const fresh = failing(2)
    const clock = new FakeClock()
    const applied = await applyPlan(uploaded.actions, {
      gateways: gateways(fresh.elb),
      desired: uploaded.d,
      rollback: new Rollback(),
      clock,
      outputs: new Map([['upload-certificate', 'arn:aws:iam::123456789012:server-certificate/new']]),
      onRetry: (_action, ms) => retries.push(ms),
    })
    expect(applied.outputs.get('create-load-balancer')).toBe('web.elb')
    expect(retries).toEqual([5000, 10000])
    expect(clock.sleeps).toEqual([5000, 10000])

    // A certificate given by ARN is not new: CertificateNotFound is an answer, not a delay.
    const byArn = createOnly({certificate: {kind: 'arn', arn: CERT_B}})
    const old = failing(1)
    const failure = (await applyPlan(byArn.actions, {
      gateways: gateways(old.elb),
      desired: byArn.d,
      rollback: new Rollback(),
      clock: new FakeClock(),
    }).catch((e) => e)) as ApplyFailure
    expect((failure.error as Error).message).toMatch(/CertificateNotFound/)
    expect(old.calls()).toBe(1)
  })

  it('tags a new security group for its load balancer, with its name and the run mark', async () => {
    const tagged: unknown[] = []
    const d = desired()
    const actions = planCreate(d, observedNothing()).actions.filter((a) =>
      ['CreateSecurityGroup', 'AuthorizeSecurityGroupIngress'].includes(a.call.operation),
    )
    const rollback = new Rollback()
    await applyPlan(actions, {
      gateways: {
        region: 'us-east-1',
        elb: fakeElb({}),
        ec2: fakeEc2({
          createSecurityGroup: async (input) => (tagged.push(...input.tags), 'sg-0new'),
          authorizeIngress: async () => {},
        }),
        iam: {} as IamGateway,
        acm: {} as Gateways['acm'],
      },
      desired: d,
      rollback,
      runMark: rollback.mark,
    })
    expect(tagged).toEqual([
      {key: 'elbx:load-balancer', value: 'web'},
      {key: 'Name', value: 'elbx-web'},
      rollback.mark,
    ])
    expect(rollback.created.map((r) => r.id)).toEqual(['sg-0new'])
  })
})
