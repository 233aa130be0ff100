/**
 * Faults between elbx and AWS: the fault proxy (test/helpers/fault-proxy.ts) sits between the
 * built binary and moto and answers chosen requests with Throttling, 500, 503, a reset connection
 * or a delay. Transient faults must be retried until the run succeeds; persistent ones must end in
 * exit 1 naming the step, with the rollback leaving nothing behind in moto; a fault during the
 * rollback must be reported with what remains and the commands that remove it (which the test runs).
 *
 * A create whose answer is lost after AWS acted (the SDK retries, and the retry meets what the
 * first attempt made) must still be known as this run's: it carries the run's mark, so the run
 * claims it, and a later failure rolls it back with the rest.
 *
 * Retries use the SDK's standard mode (5 attempts, jittered backoff from 100 ms, 500 ms for
 * throttling). Persistent-fault runs set AWS_MAX_ATTEMPTS=2 so they end in about a second instead
 * of spending the full backoff: the count is what elbx honours from the environment, and the
 * behaviour after the last attempt is the same.
 */
import {execFileSync} from 'node:child_process'

import {makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {motoEnv} from '../helpers/moto.js'
import {motoState, NOTHING} from './moto-state.js'
import {createArgs, reportFigures, subnetList, useFaultProxy} from './support.js'

const pair = makeCertificate()
// IAM as AWS has it: a lost UploadServerCertificate answer is then retried into EntityAlreadyExists.
const world = useFaultProxy({instances: 2, serverCertificatesLikeAws: true})

/** How many HTTP attempts elbx made per operation (its own request log, retries included). */
function attempts(result: CliResult): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of result.requests) counts[r.operation] = (counts[r.operation] ?? 0) + 1
  return counts
}

interface JsonError {
  error: {
    message: string
    exitCode: number
    code?: string
    step?: string
    hint?: string
    details?: {
      rollback?: {
        performed: boolean
        removed: {kind: string}[]
        remaining: {kind: string; id: string; removeCommand: string}[]
      }
    }
  }
}

describe('transient faults are retried and the workflow succeeds', () => {
  it('create survives throttling, 500, 503 and a reset connection on ELB, EC2 and IAM', async () => {
    world.proxy.inject({operation: 'DescribeSubnets', fault: 'reset', times: 1})
    world.proxy.inject({operation: 'UploadServerCertificate', fault: 'error-500', times: 1})
    world.proxy.inject({operation: 'CreateSecurityGroup', fault: 'error-503', times: 1})
    world.proxy.inject({operation: 'AuthorizeSecurityGroupIngress', fault: 'throttling', times: 1})
    world.proxy.inject({operation: 'CreateLoadBalancer', fault: 'throttling', times: 2})
    world.proxy.inject({operation: 'ModifyLoadBalancerAttributes', fault: 'error-503', times: 2})
    const started = Date.now()
    const result = await runCli([...createArgs('flaky-create', pair, world.net), '--json'], world.through())
    const elapsedMs = Date.now() - started
    expect({exitCode: result.exitCode, stderr: result.stderr}).toEqual({exitCode: 0, stderr: ''})
    expect(parseJson(result)).toMatchObject({name: 'flaky-create'})

    // Every spoiled request was tried again, once per fault, and nothing was done twice.
    const faulted = world.proxy.seen.filter((s) => s.fault)
    expect(faulted).toHaveLength(8)
    const a = attempts(result)
    expect(a).toMatchObject({
      DescribeSubnets: 2,
      UploadServerCertificate: 2,
      CreateSecurityGroup: 2,
      AuthorizeSecurityGroupIngress: 2,
      CreateLoadBalancer: 3,
      ModifyLoadBalancerAttributes: 3,
    })
    const state = await motoState('flaky-create')
    expect(state.loadBalancer).toBe(true)
    expect(state.securityGroups).toHaveLength(1)
    expect(state.serverCertificates).toHaveLength(1)
    // Figures for docs/reliability.md.
    reportFigures(
      `transient create: ${faulted.length} faults, ${result.requests.length} requests (${result.requests.length - faulted.length} without faults), ${elapsedMs} ms`,
    )
  })

  it('register and its wait survive throttling of RegisterInstances and DescribeInstanceHealth', async () => {
    const created = await runCli([
      'create',
      '-n',
      'flaky-register',
      '--listener',
      'http:80:http:80',
      '--subnets',
      subnetList(world.net),
    ])
    expect(created.exitCode).toBe(0)
    // Two attempts per request: the first DescribeInstanceHealth fails for the SDK as a whole, so
    // the waiter's own throttling backoff has to carry the wait on.
    world.proxy.inject({operation: 'RegisterInstancesWithLoadBalancer', fault: 'throttling', times: 1})
    world.proxy.inject({operation: 'DescribeInstanceHealth', fault: 'throttling', times: 2})
    const result = await runCli(
      [
        'register',
        '-n',
        'flaky-register',
        '--instances',
        world.net.instanceIds.join(','),
        '--wait',
        'all',
        '--json',
      ],
      world.through({AWS_MAX_ATTEMPTS: '2'}),
    )
    expect(result.exitCode).toBe(0)
    expect(parseJson(result)).toMatchObject({
      registered: world.net.instanceIds,
      instances: [{state: 'InService'}, {state: 'InService'}],
    })
    expect(world.proxy.seenFor('RegisterInstancesWithLoadBalancer').map((s) => s.status)).toEqual([400, 200])
    expect(world.proxy.seenFor('DescribeInstanceHealth').map((s) => s.status)).toEqual([400, 400, 200])
  })

  it('policy ssl survives a 503 on CreateLoadBalancerPolicy and a reset on SetLoadBalancerPoliciesOfListener', async () => {
    const created = await runCli([
      'create',
      '-n',
      'flaky-policy',
      '--listener',
      'tcp:443:tcp:443',
      '--subnets',
      subnetList(world.net),
    ])
    expect(created.exitCode).toBe(0)
    // An SSL listener so the policy has somewhere to go.
    const withSsl = await runCli(createArgs('flaky-ssl', pair, world.net, ['--listener', 'ssl:443:ssl:443']))
    expect(withSsl.exitCode).toBe(0)
    world.proxy.inject({operation: 'CreateLoadBalancerPolicy', fault: 'error-503', times: 1})
    world.proxy.inject({operation: 'SetLoadBalancerPoliciesOfListener', fault: 'reset', times: 1})
    const result = await runCli(
      // Not TLS-1-2-2017-01: create already enables that one by default.
      ['policy', 'ssl', '-n', 'flaky-ssl', '--ssl-policy', 'TLS-1-1-2017-01', '--json'],
      world.through(),
    )
    expect(result.exitCode).toBe(0)
    const set = parseJson<{mode: string; status: string; policyName: string}>(result)
    expect(set).toMatchObject({mode: 'set', status: 'created'})
    expect(attempts(result)).toMatchObject({
      CreateLoadBalancerPolicy: 2,
      SetLoadBalancerPoliciesOfListener: 2,
    })
    // Created once, although its CreateLoadBalancerPolicy was sent twice.
    expect((await motoState('flaky-ssl')).policies.filter((p) => p === set.policyName)).toHaveLength(1)
  })
})

describe('persistent faults end in exit 1 naming the step, and the rollback leaves nothing', () => {
  it.each([
    [
      'a throttled CreateLoadBalancer',
      'CreateLoadBalancer',
      'throttling',
      'Create load balancer and listeners',
      ['security-group', 'server-certificate'],
    ],
    [
      'a reset connection on every CreateLoadBalancer',
      'CreateLoadBalancer',
      'reset',
      'Create load balancer and listeners',
      ['security-group', 'server-certificate'],
    ],
    [
      'a 503 on every ModifyLoadBalancerAttributes',
      'ModifyLoadBalancerAttributes',
      'error-503',
      'Attributes',
      ['load-balancer', 'security-group', 'server-certificate'],
    ],
    [
      'a 500 on every AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupIngress',
      'error-500',
      'Security group',
      // CreateLoadBalancer needs the group, not its rules: it went out beside them, and is undone too.
      ['load-balancer', 'security-group', 'server-certificate'],
    ],
  ] as const)('%s', async (_what, operation, fault, step, removed) => {
    const name = `stuck-${operation.toLowerCase().slice(0, 20)}-${fault}`.slice(0, 32).replace(/-$/, '')
    world.proxy.inject({operation, fault})
    const result = await runCli(
      [...createArgs(name, pair, world.net), '--json'],
      world.through({AWS_MAX_ATTEMPTS: '2'}),
    )
    expect(result.exitCode).toBe(1)
    const {error} = parseJson<JsonError>(result)
    expect(error.message).toMatch(new RegExp(`^${step}.* failed: `))
    expect(error.step).toMatch(new RegExp(`^${step}`))
    expect(error.details?.rollback).toMatchObject({performed: true, remaining: []})
    expect(error.details!.rollback!.removed.map((r) => r.kind)).toEqual(removed)
    // The SDK tried exactly AWS_MAX_ATTEMPTS times, then elbx gave up.
    expect(world.proxy.seenFor(operation)).toHaveLength(2)
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(await motoState(name)).toEqual(NOTHING)
  })

  it('destroy with a persistent fault on DeleteLoadBalancer: exit 1 naming the step, and a rerun finishes the job', async () => {
    const created = await runCli([
      'create',
      '-n',
      'stuck-destroy',
      '--listener',
      'http:80:http:80',
      '--subnets',
      subnetList(world.net),
    ])
    expect(created.exitCode).toBe(0)
    world.proxy.inject({operation: 'DeleteLoadBalancer', fault: 'error-503'})
    const failed = await runCli(
      ['destroy', '-n', 'stuck-destroy', '--yes'],
      world.through({AWS_MAX_ATTEMPTS: '2'}),
    )
    expect(failed.exitCode).toBe(1)
    expect(failed.stderr).toMatch(/^Error: Delete load balancer.* failed: ServiceUnavailable/m)
    expect((await motoState('stuck-destroy')).loadBalancer).toBe(true)
    world.proxy.clear()
    const rerun = await runCli(['destroy', '-n', 'stuck-destroy', '--yes'], world.through())
    expect(rerun.exitCode).toBe(0)
    expect(await motoState('stuck-destroy')).toEqual(NOTHING)
  })
})

describe('a fault during the rollback is reported with what remains and how to remove it', () => {
  it('lists the load balancer it could not delete with the exact aws command, which removes it', async () => {
    const name = 'stuck-rollback'
    world.proxy.inject({operation: 'ModifyLoadBalancerAttributes', fault: 'error-503'})
    world.proxy.inject({operation: 'DeleteLoadBalancer', fault: 'error-500'})
    world.proxy.inject({operation: 'DeleteServerCertificate', fault: 'throttling'})
    const result = await runCli(createArgs(name, pair, world.net), world.through({AWS_MAX_ATTEMPTS: '2'}))
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/^Error: Attributes.* failed: ServiceUnavailable/m)
    expect(result.stderr).toMatch(new RegExp(`Could not delete load-balancer ${name}: .*InternalFailure`))
    expect(result.stderr).toMatch(/Could not delete server-certificate elbx-stuck-rollback-\w+: .*Throttling/)
    expect(result.stderr).toMatch(/Rolled back: deleted security-group sg-\w+\./)
    expect(result.stderr).toMatch(/These resources remain; delete them with:/)
    expect(result.stderr).toMatch(/Some resources could not be deleted; the commands above remove them\./)
    const commands = result.stderr
      .split('\n')
      .filter((l) => /^\s+aws /.test(l))
      .map((l) => l.trim())
    expect(commands).toEqual([
      `aws elb delete-load-balancer --load-balancer-name ${name} --region us-east-1`,
      expect.stringMatching(
        /^aws iam delete-server-certificate --server-certificate-name elbx-stuck-rollback-\w+ --region us-east-1$/,
      ),
    ])

    // moto holds exactly what the report says remains.
    const before = await motoState(name)
    expect(before).toMatchObject({loadBalancer: true, securityGroups: []})
    expect(before.serverCertificates).toHaveLength(1)

    // The printed commands, run as printed with the AWS CLI, remove all of it.
    for (const command of commands) {
      const [bin, ...args] = command.split(' ')
      execFileSync(bin!, args, {
        env: {...process.env, ...motoEnv()},
        stdio: 'pipe',
      })
    }
    expect(await motoState(name)).toEqual(NOTHING)
  })

  it('carries the same report in the --json error details', async () => {
    const name = 'stuck-rollback-json'
    world.proxy.inject({operation: 'ModifyLoadBalancerAttributes', fault: 'error-503'})
    world.proxy.inject({operation: 'DeleteLoadBalancer', fault: 'reset'})
    const result = await runCli(
      [...createArgs(name, pair, world.net), '--json'],
      world.through({AWS_MAX_ATTEMPTS: '2'}),
    )
    expect(result.exitCode).toBe(1)
    const {error} = parseJson<JsonError>(result)
    expect(error.details?.rollback?.remaining).toEqual([
      {
        kind: 'load-balancer',
        id: name,
        removeCommand: `aws elb delete-load-balancer --load-balancer-name ${name} --region us-east-1`,
      },
    ])
    expect(error.details!.rollback!.removed.map((r) => r.kind)).toEqual([
      'security-group',
      'server-certificate',
    ])
    expect(error.hint).toMatch(/Some resources could not be deleted/)
    world.proxy.clear()
    const destroyed = await runCli(['destroy', '-n', name, '--yes'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })
})

describe('a create whose answer is lost after AWS acted is still rolled back', () => {
  // HTTPS to the instances: moto describes HTTPS 443 -> HTTP 80 as -> HTTPS 80, which the retried
  // CreateLoadBalancer's comparison would take for a different configuration (docs/create.md).
  const args = (name: string) => [...createArgs(name, pair, world.net), '--backend-https']

  it.each([
    ['CreateSecurityGroup', 'InvalidGroup.Duplicate', 'lost-sg'],
    ['UploadServerCertificate', 'EntityAlreadyExists', 'lost-cert'],
    // As on AWS, an identical CreateLoadBalancer (the same run's mark included) succeeds again.
    ['CreateLoadBalancer', 'the load balancer it made, and succeeds', 'lost-lb'],
  ])(
    '%s answer lost: the retry meets %s; a later failure still removes it',
    async (operation, _retryMeets, name) => {
      world.proxy.inject({operation, fault: 'drop-answer', times: 1})
      world.proxy.inject({operation: 'ModifyLoadBalancerAttributes', fault: 'error-503'})
      const result = await runCli([...args(name), '--json'], world.through({AWS_MAX_ATTEMPTS: '2'}))
      expect(result.exitCode).toBe(1)
      // The first attempt reached moto and its answer was lost; the SDK's retry met the duplicate.
      expect(world.proxy.seenFor(operation).map((s) => s.fault ?? s.status)).toEqual([
        'drop-answer',
        expect.any(Number),
      ])
      const {error} = parseJson<JsonError>(result)
      expect(error.message).toMatch(/^Attributes.* failed: ServiceUnavailable/)
      expect(error.details?.rollback).toMatchObject({performed: true, remaining: []})
      expect(error.details!.rollback!.removed.map((r) => r.kind)).toEqual([
        'load-balancer',
        'security-group',
        'server-certificate',
      ])
      expect(await motoState(name)).toEqual(NOTHING)
    },
  )

  it('every create answer lost: the run succeeds, names all three as created, and a rerun writes nothing', async () => {
    const name = 'lost-all'
    for (const operation of ['UploadServerCertificate', 'CreateSecurityGroup', 'CreateLoadBalancer'])
      world.proxy.inject({operation, fault: 'drop-answer', times: 1})
    const result = await runCli([...args(name), '--json'], world.through())
    expect({exitCode: result.exitCode, stderr: result.stderr}).toEqual({exitCode: 0, stderr: ''})
    const created = parseJson<{createdResources: {kind: string}[]; tags: unknown[]}>(result)
    expect(created.createdResources.map((r) => r.kind)).toEqual([
      'server-certificate',
      'security-group',
      'load-balancer',
    ])
    // The run mark is elbx's bookkeeping, not a tag the user gave.
    expect(created.tags).toEqual([])
    const state = await motoState(name)
    expect(state).toMatchObject({loadBalancer: true, securityGroups: [expect.any(String)]})
    expect(state.serverCertificates).toHaveLength(1)

    // The mark is set at creation and never compared: a rerun converges with no write at all.
    world.proxy.clear()
    const rerun = await runCli([...args(name), '--json'], world.through())
    expect(rerun.exitCode).toBe(0)
    expect(parseJson<{createdResources: unknown[]; tags: unknown[]}>(rerun)).toMatchObject({
      createdResources: [],
      tags: [],
    })
    expect(rerun.requests.map((r) => r.operation).filter((o) => !/^(Describe|Get|List)/.test(o))).toEqual([])
    expect(await motoState(name)).toEqual(state)

    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })
})
