import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'

import {WaitTimeoutError} from '../../../src/errors.js'
import {findLoadBalancer} from '../../../src/steps/find-load-balancer.js'
import {configureHealthCheck} from '../../../src/steps/health-check.js'
import {checkInstances, registerInstances, registrableInstances} from '../../../src/steps/instances.js'
import {waitForInService, waitForOutOfService} from '../../../src/steps/wait-for-in-service.js'
import {
  motoGateways,
  motoOptions,
  sdkClients,
  seedNetwork,
  stopInstances,
  type SeededNetwork,
} from '../../helpers/moto.js'

/** A load balancer with HTTP 80 -> HTTP 80 in the network's subnets, made with the raw SDK. */
async function httpLoadBalancer(name: string, net: SeededNetwork): Promise<void> {
  const {elb} = sdkClients()
  try {
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: name,
        Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
        Subnets: net.subnets.map((s) => s.subnetId),
      }),
    )
  } finally {
    elb.destroy()
  }
}

describe('instance steps and the waiter against moto', () => {
  it('registers real instances, sees them InService on the first poll, and times out on a stopped one', async () => {
    const net = await seedNetwork({instances: 2})
    const [a, b] = net.instanceIds as [string, string]
    await httpLoadBalancer('steps-lb', net)
    const aws = await motoGateways()
    try {
      let lb = await findLoadBalancer(aws.elb, 'steps-lb')
      const hc = await configureHealthCheck(aws.elb, lb, {target: 'HTTP:80/ping', interval: 5, timeout: 2})
      expect(hc.healthCheck).toMatchObject({target: 'HTTP:80/ping', interval: 5, timeout: 2})

      expect((await registrableInstances(aws.ec2, lb)).map((i) => i.instanceId).sort()).toEqual([a, b].sort())
      const check = await checkInstances(aws.ec2, lb, [a, b], aws.region)
      expect(check.warnings).toEqual([])
      expect(await registerInstances(aws.elb, lb, [a, b])).toEqual({
        registered: [a, b],
        alreadyRegistered: [],
      })
      lb = await findLoadBalancer(aws.elb, 'steps-lb')
      expect(await registerInstances(aws.elb, lb, [a, b])).toEqual({
        registered: [],
        alreadyRegistered: [a, b],
      })

      const changes: string[][] = []
      const ok = await waitForInService(aws.elb, {
        loadBalancerName: 'steps-lb',
        instanceIds: [a, b],
        mode: 'all',
        timeoutMs: 30_000,
        healthCheckIntervalSec: 5,
        onChange: (states) => changes.push(states.map((s) => `${s.instanceId}:${s.state}`)),
      })
      expect(ok.polls).toBe(1)
      expect(changes).toEqual([[`${a}:InService`, `${b}:InService`]])

      await stopInstances([b])
      const error = await waitForInService(aws.elb, {
        loadBalancerName: 'steps-lb',
        instanceIds: [],
        mode: 'all',
        timeoutMs: 1500,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WaitTimeoutError)
      expect((error as WaitTimeoutError).message).toContain('1 of 2 InService')
      expect((error as WaitTimeoutError).details).toMatchObject({
        instances: expect.arrayContaining([expect.objectContaining({instanceId: b, state: 'OutOfService'})]),
      })

      await aws.elb.deregisterInstances('steps-lb', [a])
      const gone = await waitForOutOfService(aws.elb, {
        loadBalancerName: 'steps-lb',
        instanceIds: [a],
        timeoutMs: 10_000,
      })
      expect(gone.states).toEqual([expect.objectContaining({instanceId: a})])
      expect(gone.states[0]!.state).not.toBe('InService')
    } finally {
      aws.close()
    }
  })

  it('waits through "Instance registration is still in progress" until the instances are InService', async () => {
    const net = await seedNetwork({instances: 2})
    await httpLoadBalancer('pending-lb', net)
    // AWS's registration period, scaled down: HealthyThreshold 2 x Interval 5 s x 0.2 = 2 s.
    await motoOptions({registrationDelayFactor: 0.2})
    const aws = await motoGateways()
    try {
      const lb = await findLoadBalancer(aws.elb, 'pending-lb')
      await configureHealthCheck(aws.elb, lb, {
        target: 'HTTP:80/ping',
        interval: 5,
        timeout: 2,
        healthyThreshold: 2,
      })
      await registerInstances(aws.elb, lb, net.instanceIds)
      const changes: string[] = []
      const done = await waitForInService(aws.elb, {
        loadBalancerName: 'pending-lb',
        instanceIds: net.instanceIds,
        mode: 'all',
        timeoutMs: 30_000,
        healthCheckIntervalSec: 5,
        onChange: (states) => changes.push(states.map((s) => `${s.state}: ${s.description}`).join('; ')),
      })
      expect(done.polls).toBeGreaterThan(1)
      expect(changes[0]).toContain('OutOfService: Instance registration is still in progress')
      expect(changes.at(-1)).toBe('InService: N/A; InService: N/A')
    } finally {
      aws.close()
      await motoOptions({registrationDelayFactor: 0})
    }
  })
})
