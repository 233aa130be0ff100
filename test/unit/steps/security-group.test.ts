import {deleteSecurityGroupWhenFree, missingIngress, portRanges} from '../../../src/steps/security-group.js'
import {FakeClock, fakeEc2, sdkError} from './fakes.js'

describe('security group', () => {
  it('opens consecutive listener ports with one rule, and counts ports a wider rule already admits', () => {
    expect(portRanges([8001, 80, 8000, 8002, 443, 80])).toEqual([
      [80, 80],
      [443, 443],
      [8000, 8002],
    ])
    const ports = Array.from({length: 100}, (_, i) => 2000 + i)
    expect(missingIngress(ports, ['10.0.0.0/8'])).toEqual([
      {protocol: 'tcp', fromPort: 2000, toPort: 2099, cidr: '10.0.0.0/8'},
    ])

    // Someone admitted 2000-2049 by hand and 2100 is a new listener: only what is not admitted is added.
    const present = [{protocol: 'tcp' as const, fromPort: 1000, toPort: 2049, cidr: '10.0.0.0/8'}]
    expect(missingIngress([...ports, 2100], ['10.0.0.0/8', '0.0.0.0/0'], present)).toEqual([
      {protocol: 'tcp', fromPort: 2050, toPort: 2100, cidr: '10.0.0.0/8'},
      {protocol: 'tcp', fromPort: 2000, toPort: 2100, cidr: '0.0.0.0/0'},
    ])
  })

  it('retries DependencyViolation while the load balancer network interfaces go away, bounded', async () => {
    const clock = new FakeClock()
    let attempts = 0
    const ec2 = fakeEc2({
      deleteSecurityGroup: async () => {
        if (++attempts < 4) throw sdkError('DependencyViolation', 'resource sg-1 has a dependent object')
      },
    })
    await deleteSecurityGroupWhenFree(ec2, 'sg-1', {clock})
    expect(attempts).toBe(4)
    expect(clock.sleeps).toEqual([5000, 10000, 20000])

    const stuck = fakeEc2({deleteSecurityGroup: async () => Promise.reject(sdkError('DependencyViolation'))})
    const late = new FakeClock()
    await expect(deleteSecurityGroupWhenFree(stuck, 'sg-1', {clock: late})).rejects.toThrow(
      'DependencyViolation',
    )
    expect(late.sleeps.reduce((a, b) => a + b, 0)).toBe(10 * 60_000)

    const gone = fakeEc2({deleteSecurityGroup: async () => Promise.reject(sdkError('InvalidGroup.NotFound'))})
    await expect(deleteSecurityGroupWhenFree(gone, 'sg-1', {clock})).resolves.toBeUndefined()
  })
})
