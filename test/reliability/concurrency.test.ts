/**
 * Two runs on the same load balancer at the same time (two terminals, a retried CI job). One must
 * succeed; the other must succeed too (converging on what the first made) or fail clearly, and
 * moto must end with one load balancer, one security group, one certificate and one policy of
 * each kind: no duplicates, and no loser's rollback deleting what the winner uses.
 */
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'

import {makeCertificate} from '../helpers/certs.js'
import {runCli, type CliResult} from '../helpers/cli.js'
import {sdkClients} from '../helpers/moto.js'
import {motoState, NOTHING, policiesBesidesAwsDefault} from './moto-state.js'
import {createArgs, reportFigures, useFaultProxy} from './support.js'

const pair = makeCertificate()
const world = useFaultProxy({instances: 0})

/**
 * Starts two runs at once. The proxy holds each run's first request for a moment, so both have
 * loaded and connected before either writes anything: their steps then race each other.
 */
async function twoAtOnce(
  args: string[],
  firstOperation: string,
  /** Also hold the first of these requests (from whichever run sends it first) for a while. */
  overtakeAt?: string,
): Promise<[CliResult, CliResult]> {
  world.proxy.clear()
  world.proxy.inject({operation: firstOperation, fault: 'delay', delayMs: 800, times: 2})
  if (overtakeAt) world.proxy.inject({operation: overtakeAt, fault: 'delay', delayMs: 1500, times: 1})
  const options = world.through()
  return Promise.all([runCli(args, options), runCli(args, options)]) as Promise<[CliResult, CliResult]>
}

/** One succeeded; the other succeeded too or failed with exit 1 and one readable error line. */
function expectOneWinner(results: [CliResult, CliResult]): void {
  // Figures for docs/reliability.md: how each run ended.
  reportFigures(
    `race: ${results.map((r) => `exit ${r.exitCode}${r.exitCode ? ` (${r.stderr.split('\n').find((l) => l.startsWith('Error:'))})` : ''}`).join('; ')}`,
  )
  const codes = results.map((r) => r.exitCode).sort()
  expect([
    [0, 0],
    [0, 1],
  ]).toContainEqual(codes)
  for (const r of results) {
    if (r.exitCode === 0) continue
    expect(r.stderr).toMatch(/^Error: .+ failed: \w+/m)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    // A loser that rolled back removed only what it had made itself.
    expect(r.stderr).not.toMatch(/These resources remain/)
  }
}

// The guide's HTTPS 443 -> HTTP 80. Both runs send the same CreateLoadBalancer when they race,
// and the second succeeds, as AWS documents (the patched moto does too).
const httpsArgs = (name: string) => createArgs(name, pair, world.net)

/** moto holds one load balancer, one group, one certificate and one SSL policy, all in use. */
async function expectNoDuplicates(name: string): Promise<void> {
  const state = await motoState(name)
  expect(state.loadBalancer).toBe(true)
  expect(state.securityGroups).toHaveLength(1)
  // The second upload of the name is EntityAlreadyExists (AWS, and the patched moto).
  expect(state.serverCertificates).toHaveLength(1)
  const own = policiesBesidesAwsDefault(state)
  expect(own).toHaveLength(1)
  const {elb} = sdkClients()
  try {
    const lb = (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]})))
      .LoadBalancerDescriptions![0]!
    expect(lb.SecurityGroups).toEqual(state.securityGroups)
    const https = lb.ListenerDescriptions!.find((d) => d.Listener?.LoadBalancerPort === 443)!
    expect(https.Listener!.SSLCertificateId!.endsWith(`/${state.serverCertificates[0]}`)).toBe(true)
    expect(https.PolicyNames).toEqual(own)
  } finally {
    elb.destroy()
  }
}

describe('two creates of the same name at once', () => {
  it('with a certificate upload, the security group elbx makes and its SSL policy', async () => {
    const name = 'race-https'
    expectOneWinner(await twoAtOnce(httpsArgs(name), 'DescribeSubnets'))
    await expectNoDuplicates(name)
    // And a third run, alone, converges on it.
    const before = await motoState(name)
    const rerun = await runCli(httpsArgs(name))
    expect(rerun.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(before)
  })

  // The natural race above lands differently from run to run; holding one step of whichever run
  // gets there first makes the other overtake it exactly there.
  it.each([
    ['AuthorizeSecurityGroupIngress', 'race-ingress'],
    ['CreateLoadBalancer', 'race-lb'],
    ['CreateLoadBalancerPolicy', 'race-policy-create'],
  ])('when one run overtakes the other during %s', async (operation, name) => {
    const results = await twoAtOnce(httpsArgs(name), 'DescribeSubnets', operation)
    expectOneWinner(results)
    await expectNoDuplicates(name)
    if (operation === 'CreateLoadBalancer') {
      // Both sent the same CreateLoadBalancer, and both succeeded (AWS's idempotency).
      const creates = results.map((r) =>
        r.requests.filter((q) => q.operation === 'CreateLoadBalancer').map((q) => q.status),
      )
      expect(creates).toEqual([[200], [200]])
    }
  })

  it('in the default VPC with TCP listeners', async () => {
    const name = 'race-tcp'
    const results = await twoAtOnce(
      ['create', '-n', name, '--listener', 'tcp:5000:tcp:5000', '--listener', 'tcp:5001:tcp:5001'],
      'DescribeVpcs',
    )
    expectOneWinner(results)
    const state = await motoState(name)
    expect(state.loadBalancer).toBe(true)
    expect(state.securityGroups).toHaveLength(1)
  })
})

describe('two policy changes on one listener at once', () => {
  it('policy ssl twice with the same predefined policy: one policy on the listener', async () => {
    const name = 'race-policy'
    const created = await runCli(createArgs(name, pair, world.net, ['--listener', 'ssl:443:ssl:443']))
    expect(created.exitCode).toBe(0)
    const before = (await motoState(name)).policies
    const results = await twoAtOnce(
      ['policy', 'ssl', '-n', name, '--ssl-policy', 'TLS-1-1-2017-01'],
      'DescribeLoadBalancers',
    )
    expectOneWinner(results)
    const after = await motoState(name)
    // The new policy exists once; the one it replaced is gone (elbx made it and nothing uses it).
    const own = policiesBesidesAwsDefault(after)
    expect(own).toHaveLength(1)
    expect(own).not.toEqual(policiesBesidesAwsDefault({...after, policies: before}))
    const {elb} = sdkClients()
    try {
      const lb = (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]})))
        .LoadBalancerDescriptions![0]!
      // A run that read the listener before the other's change and the policies after it names a
      // policy the other has just deleted: SetLoadBalancerPoliciesOfListener is PolicyNotFound
      // (as on AWS), a clear exit 1, so the listener names only what exists.
      expect(lb.ListenerDescriptions![0]!.PolicyNames).toEqual(own)
    } finally {
      elb.destroy()
    }
    const destroyed = await runCli(['destroy', '-n', name, '--yes', '--delete-certificate'])
    expect(destroyed.exitCode).toBe(0)
    expect(await motoState(name)).toEqual(NOTHING)
  })
})
