import {Rollback, runWithRollback} from '../../../src/steps/rollback.js'
import {sdkError} from './fakes.js'

describe('rollback', () => {
  it('removes newest first, keeps going past failures and reports what remains with its command', async () => {
    const order: string[] = []
    const rollback = new Rollback()
    rollback.record({
      kind: 'server-certificate',
      id: 'c',
      remove: async () => void order.push('c'),
      removeCommand: 'aws iam delete-server-certificate --server-certificate-name c',
    })
    rollback.record({
      kind: 'security-group',
      id: 'sg-1',
      remove: async () => Promise.reject(sdkError('DependencyViolation')),
      removeCommand: 'aws ec2 delete-security-group --group-id sg-1',
    })
    rollback.record({
      kind: 'load-balancer',
      id: 'web',
      remove: async () => void order.push('web'),
      removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
    })
    const report = await rollback.undo()
    expect(order).toEqual(['web', 'c'])
    expect(report.removed.map((r) => r.id)).toEqual(['web', 'c'])
    expect(report.remaining.map((r) => r.removeCommand)).toEqual([
      'aws ec2 delete-security-group --group-id sg-1',
    ])
    expect(report.errors[0]!.message).toMatch(/DependencyViolation/)
  })

  it('runWithRollback rethrows with the exit code kept and the report in details', async () => {
    const rollback = new Rollback()
    const lines: string[] = []
    rollback.record({
      kind: 'load-balancer',
      id: 'web',
      remove: async () => {},
      removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
    })
    const error = await runWithRollback(
      rollback,
      async () => Promise.reject(sdkError('ThrottlingException', 'Rate exceeded')),
      {
        enabled: true,
        step: 'create',
        report: (l) => lines.push(...l),
      },
    ).catch((e: unknown) => e as {exitCode: number; message: string; details: Record<string, unknown>})
    expect(error.exitCode).toBe(1)
    expect(error.message).toBe('create failed: Throttling: Rate exceeded')
    expect(error.details.rollback).toEqual({
      performed: true,
      removed: [
        {
          kind: 'load-balancer',
          id: 'web',
          removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
        },
      ],
      remaining: [],
    })
    expect(lines).toEqual(['Rolled back: deleted load-balancer web.'])
  })

  it('with --no-rollback keeps everything and prints the commands', async () => {
    const rollback = new Rollback()
    let removed = false
    rollback.record({
      kind: 'load-balancer',
      id: 'web',
      remove: async () => void (removed = true),
      removeCommand: 'aws elb delete-load-balancer --load-balancer-name web',
    })
    const lines: string[] = []
    await expect(
      runWithRollback(rollback, async () => Promise.reject(new Error('boom')), {
        enabled: false,
        step: 'create',
        report: (l) => lines.push(...l),
      }),
    ).rejects.toThrow('create failed: boom')
    expect(removed).toBe(false)
    expect(lines).toEqual([
      'Kept (--no-rollback) what this run created; delete it with:',
      '  aws elb delete-load-balancer --load-balancer-name web',
    ])
  })
})
