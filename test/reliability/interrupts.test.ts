/**
 * Ctrl-C (SIGINT) in the middle of a run. The fault proxy holds one request (a delay), the test
 * sends SIGINT while it is held, and then checks what docs/create.md promises: exit 130, the
 * request in flight finishes, everything this run created is rolled back, and moto holds nothing.
 * A second Ctrl-C during the rollback exits at once, as documented, and says so.
 */
import type {ChildProcess} from 'node:child_process'

import {makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli, type CliOptions, type CliResult} from '../helpers/cli.js'
import {motoState, NOTHING} from './moto-state.js'
import {createArgs, useFaultProxy} from './support.js'

const pair = makeCertificate()
const world = useFaultProxy({instances: 0})

/** How long the proxy holds the request the test interrupts: long enough to send SIGINT during it. */
const HOLD_MS = 1500

/**
 * Runs elbx through the proxy and sends SIGINT each time the proxy receives one of `interruptAt`
 * (in order): the first while that request is held.
 */
async function interruptAt(
  args: string[],
  interruptAt: string[],
  extra: CliOptions = {},
): Promise<CliResult> {
  let child: ChildProcess | undefined
  const pending = [...interruptAt]
  const timer = setInterval(() => {
    const next = pending[0]
    if (child && next && world.proxy.seenFor(next).length > 0) {
      pending.shift()
      child.kill('SIGINT')
    }
  }, 20)
  try {
    const result = await runCli(args, {
      ...extra,
      ...world.through(extra.env),
      onSpawn: (c) => (child = c),
    })
    expect(pending).toEqual([])
    return result
  } finally {
    clearInterval(timer)
  }
}

describe('Ctrl-C during a step of create', () => {
  it.each([
    // The security group is made beside the upload (neither needs the other), so both are undone.
    ['the certificate upload', 'UploadServerCertificate', ['security-group', 'server-certificate']],
    ['CreateLoadBalancer', 'CreateLoadBalancer', ['load-balancer', 'security-group', 'server-certificate']],
    [
      'the attributes',
      'ModifyLoadBalancerAttributes',
      ['load-balancer', 'security-group', 'server-certificate'],
    ],
  ] as const)(
    'while %s is in flight: exit 130, the request finishes, everything is rolled back',
    async (_what, operation, removed) => {
      const name = `sigint-${operation.toLowerCase()}`.slice(0, 32)
      world.proxy.inject({operation, fault: 'delay', delayMs: HOLD_MS})
      const result = await interruptAt(createArgs(name, pair, world.net), [operation])
      expect(result.exitCode).toBe(130)
      expect(result.stderr).toMatch(/Interrupted: stopping \(press Ctrl-C again to exit at once\)\./)
      // The held request was answered (the proxy forwarded it after the hold) and then undone.
      expect(world.proxy.seenFor(operation)[0]).toMatchObject({fault: 'delay', status: 200})
      const deleted = result.stderr.match(/Rolled back: deleted (.*)\./)?.[1] ?? ''
      expect(deleted.split(', ').map((r) => r.split(' ')[0])).toEqual(removed)
      expect(result.stderr).not.toMatch(/remain/)
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(result.stdout).toBe('')
      expect(await motoState(name)).toEqual(NOTHING)
    },
  )

  it('under --json prints one error document with exit code 130 and the rollback', async () => {
    const name = 'sigint-json'
    world.proxy.inject({operation: 'CreateLoadBalancer', fault: 'delay', delayMs: HOLD_MS})
    const result = await interruptAt([...createArgs(name, pair, world.net), '--json'], ['CreateLoadBalancer'])
    expect(result.exitCode).toBe(130)
    const {error} = parseJson<{
      error: {
        exitCode: number
        message: string
        details: {rollback: {performed: boolean; removed: {kind: string}[]; remaining: unknown[]}}
      }
    }>(result)
    expect(error.exitCode).toBe(130)
    expect(error.message).toMatch(/Interrupted/)
    expect(error.details.rollback).toMatchObject({performed: true, remaining: []})
    expect(error.details.rollback.removed.map((r) => r.kind)).toEqual([
      'load-balancer',
      'security-group',
      'server-certificate',
    ])
    expect(await motoState(name)).toEqual(NOTHING)
  })

  it('with --no-rollback keeps what was made and prints the commands that delete it', async () => {
    const name = 'sigint-keep'
    world.proxy.inject({operation: 'ModifyLoadBalancerAttributes', fault: 'delay', delayMs: HOLD_MS})
    const result = await interruptAt(
      [...createArgs(name, pair, world.net), '--no-rollback'],
      ['ModifyLoadBalancerAttributes'],
    )
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toMatch(/Kept \(--no-rollback\) what this run created; delete it with:/)
    expect(result.stderr).toContain(
      `aws elb delete-load-balancer --load-balancer-name ${name} --region us-east-1`,
    )
    const kept = await motoState(name)
    expect(kept).toMatchObject({loadBalancer: true})
    expect(kept.securityGroups).toHaveLength(1)
    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })

  it('a second Ctrl-C during the rollback exits at once and says that it did not clean up', async () => {
    const name = 'sigint-twice'
    world.proxy.inject({operation: 'ModifyLoadBalancerAttributes', fault: 'delay', delayMs: HOLD_MS})
    world.proxy.inject({operation: 'DeleteLoadBalancer', fault: 'delay', delayMs: HOLD_MS * 4})
    const result = await interruptAt(createArgs(name, pair, world.net), [
      'ModifyLoadBalancerAttributes',
      'DeleteLoadBalancer',
    ])
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toMatch(/Interrupted again: exiting without cleaning up\./)
    // It did not wait for the held DeleteLoadBalancer: no rollback was reported as done.
    expect(result.stderr).not.toMatch(/Rolled back:/)
    // What a second Ctrl-C leaves is what a rerun of destroy removes.
    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })
})
