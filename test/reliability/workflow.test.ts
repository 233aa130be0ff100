/**
 * create's whole workflow (SSL policy, back-end authentication, health check, register, wait)
 * under faults and Ctrl-C: the steps issue 7 added after the load balancer. Same bar as
 * faults.test.ts and interrupts.test.ts: transient faults retried, persistent ones exit 1 naming the
 * step, Ctrl-C exits 130, and a first run's rollback leaves nothing in moto (policies, health check
 * and registrations go with the load balancer).
 */
import type {ChildProcess} from 'node:child_process'

import {makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {motoState, NOTHING, policiesBesidesAwsDefault} from './moto-state.js'
import {createArgs, useFaultProxy} from './support.js'

const pair = makeCertificate()
const backend = makeCertificate({commonName: 'backend.internal'})
const world = useFaultProxy({instances: 2})

const workflowArgs = (name: string) => [
  ...createArgs(name, pair, world.net),
  '--backend-https',
  '--ssl-policy',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  '--backend-auth-cert',
  backend.certFile,
  '--health-check',
  'HTTPS:443/health',
  '--instances',
  world.net.instanceIds.join(','),
  '--wait',
  'all',
]

interface JsonError {
  error: {
    message: string
    exitCode: number
    step?: string
    details?: {rollback?: {removed: {kind: string}[]; remaining: unknown[]}}
  }
}

describe("faults in create's workflow steps", () => {
  it('transient faults in the SSL policy, back-end authentication, health check and register steps are retried', async () => {
    const name = 'wf-flaky'
    world.proxy.inject({operation: 'CreateLoadBalancerPolicy', fault: 'throttling', times: 2})
    world.proxy.inject({operation: 'SetLoadBalancerPoliciesOfListener', fault: 'error-503', times: 1})
    world.proxy.inject({operation: 'SetLoadBalancerPoliciesForBackendServer', fault: 'reset', times: 1})
    world.proxy.inject({operation: 'ConfigureHealthCheck', fault: 'error-500', times: 1})
    world.proxy.inject({operation: 'RegisterInstancesWithLoadBalancer', fault: 'throttling', times: 1})
    const result = await runCli([...workflowArgs(name), '--json'], world.through())
    expect({exitCode: result.exitCode, stdout: result.stdout}).toMatchObject({exitCode: 0})
    expect(world.proxy.seen.filter((s) => s.fault)).toHaveLength(6)
    const state = await motoState(name)
    expect(state.loadBalancer).toBe(true)
    // One SSL negotiation policy, one public key policy, one back-end authentication policy.
    expect(policiesBesidesAwsDefault(state)).toHaveLength(3)
    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'])
    expect(destroyed.exitCode).toBe(0)
  })

  it.each([
    ['the SSL policy step', 'SetLoadBalancerPoliciesOfListener', /SSL/],
    ['the back-end authentication step', 'SetLoadBalancerPoliciesForBackendServer', /[Bb]ack-end/],
    ['the register step', 'RegisterInstancesWithLoadBalancer', /[Rr]egister/],
  ] as const)(
    'a persistent fault in %s: exit 1 naming it, and nothing left',
    async (_what, operation, step) => {
      const name = `wf-stuck-${operation.slice(3, 20).toLowerCase()}`
      world.proxy.inject({operation, fault: 'error-503'})
      const result = await runCli([...workflowArgs(name), '--json'], world.through({AWS_MAX_ATTEMPTS: '2'}))
      expect(result.exitCode).toBe(1)
      const {error} = parseJson<JsonError>(result)
      expect(error.step).toMatch(step)
      expect(error.message).toMatch(/ServiceUnavailable/)
      expect(error.details?.rollback?.remaining).toEqual([])
      expect(error.details!.rollback!.removed.map((r) => r.kind)).toEqual([
        'load-balancer',
        'security-group',
        'server-certificate',
      ])
      expect(await motoState(name)).toEqual(NOTHING)
    },
  )
})

describe("Ctrl-C during create's wait", () => {
  it('exits 130 and keeps the load balancer it completed, with each instance and the command that resumes the wait', async () => {
    const name = 'wf-sigint-wait'
    // Hold the first InService poll: the run is then inside its wait when SIGINT arrives.
    world.proxy.inject({operation: 'DescribeInstanceHealth', fault: 'delay', delayMs: 1500, times: 1})
    let child: ChildProcess | undefined
    let sent = false
    const timer = setInterval(() => {
      if (child && !sent && world.proxy.seenFor('DescribeInstanceHealth').length > 0)
        sent = child.kill('SIGINT')
    }, 20)
    let result: CliResult
    try {
      result = await runCli(workflowArgs(name), {...world.through(), onSpawn: (c) => (child = c)})
    } finally {
      clearInterval(timer)
    }
    expect(sent).toBe(true)
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toMatch(/Interrupted/)
    // Waiting only watches: the load balancer was complete before it, so it stays.
    expect(world.proxy.seenFor('RegisterInstancesWithLoadBalancer')).toHaveLength(1)
    expect(result.stderr).not.toMatch(/Rolled back/)
    expect(result.stderr).toMatch(/^ {2}i-\w+ +\w+/m)
    expect(result.stderr).toMatch(
      /Load balancer wf-sigint-wait is kept \(.+\)\. Resume the wait with `elbx register --name wf-sigint-wait --instances i-\w+,i-\w+ --wait all`/,
    )
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect((await motoState(name)).loadBalancer).toBe(true)
    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'], world.through())
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })
})
