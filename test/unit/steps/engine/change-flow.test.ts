import type {Gateways} from '../../../../src/aws/gateways.js'
import {applyChange, observeExisting} from '../../../../src/steps/engine/change-flow.js'
import {planStickiness} from '../../../../src/steps/engine/changes/stickiness.js'
import {planTags} from '../../../../src/steps/engine/changes/tags.js'
import {Rollback, runWithRollback} from '../../../../src/steps/rollback.js'
import {toAwsCliCommand} from '../../../../src/ui/aws-cli-command.js'
import {fakeElb, sdkError} from '../../steps/fakes.js'
import {existingLoadBalancer} from './fixtures.js'
import {observedExisting} from './changes/world.js'

const gatewaysWith = (elb: Partial<Gateways['elb']>): Gateways =>
  ({elb: fakeElb(elb), region: 'us-east-1'}) as unknown as Gateways

describe('observeExisting', () => {
  it('reads the description and what the change asks for in one round', async () => {
    const started: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const reading = observeExisting(
      gatewaysWith({
        describeLoadBalancer: async () => (started.push('lb'), await gate, existingLoadBalancer()),
        describeTags: async () => (started.push('tags'), await gate, [{key: 'team', value: 'web'}]),
      }),
      'web',
      {tags: true},
    )
    await new Promise((r) => setImmediate(r))
    // Both reads are in flight before either answers.
    expect(started.sort()).toEqual(['lb', 'tags'])
    release()
    const observed = await reading
    expect(observed.tags).toEqual([{key: 'team', value: 'web'}])
    expect(observed.attributes).toBeUndefined()
  })

  it("reports a missing load balancer as LoadBalancerNotFound, not the other reads' failures", async () => {
    const reading = observeExisting(
      gatewaysWith({
        describeLoadBalancer: async () => undefined,
        describeAttributes: async () => {
          throw sdkError('AccessPointNotFoundException', 'There is no ACTIVE Load Balancer named web')
        },
      }),
      'web',
      {attributes: true},
    )
    await expect(reading).rejects.toMatchObject({code: 'LoadBalancerNotFound', exitCode: 1})
  })
})

describe('applyChange', () => {
  it('on failure deletes the policy it created and sets the listener back, newest first', async () => {
    const sent: string[] = []
    const elb = {
      createLbCookieStickinessPolicy: async (_lb: string, name: string) => void sent.push(`create ${name}`),
      setListenerPolicies: async (_lb: string, port: number, names: string[]) => {
        sent.push(`set ${port} ${names.join(',')}`)
      },
      deletePolicy: async (_lb: string, name: string) => void sent.push(`delete ${name}`),
      addTags: async () => {
        throw sdkError('TooManyTagsException', 'too many')
      },
    }
    const stickiness = planStickiness(
      {loadBalancerPort: 443, stickiness: {kind: 'lb-cookie', cookieExpirationPeriod: 300}},
      observedExisting(),
    )
    const tags = planTags({add: [{key: 'env', value: 'prod'}], remove: []}, observedExisting())
    // Tags wait for the stickiness, so the failure comes after both stickiness actions succeeded.
    const actions = [
      ...stickiness.actions,
      {...tags.actions[0]!, dependsOn: stickiness.actions.map((a) => a.id)},
    ]
    const rollback = new Rollback()
    const lines: string[] = []
    await expect(
      runWithRollback(
        rollback,
        () =>
          applyChange(actions, {gateways: gatewaysWith(elb), rollback, commandFor: toAwsCliCommand}).catch(
            (f: {error: unknown}) => {
              throw f.error
            },
          ),
        {enabled: true, step: 'Stickiness', report: (l) => lines.push(...l)},
      ),
    ).rejects.toMatchObject({
      details: expect.objectContaining({code: 'TooManyTags', rollback: expect.anything()}),
    })
    expect(sent).toEqual([
      'create elbx-lb-cookie-300',
      'set 443 elbx-ssl-TLS-1-2-2017-01,elbx-lb-cookie-300',
      'set 443 elbx-ssl-TLS-1-2-2017-01,sticky-60',
      'delete elbx-lb-cookie-300',
    ])
    expect(lines.join('\n')).toMatch(
      /Rolled back: deleted .*change to listener 443.*policy elbx-lb-cookie-300/,
    )
  })

  it('prints the restore as runnable aws CLI commands when undoing fails', async () => {
    const elb = {
      setListenerPolicies: async (_lb: string, _port: number, names: string[]) => {
        if (names.includes('sticky-60')) throw sdkError('ThrottlingException', 'Rate exceeded')
      },
      addTags: async () => {
        throw sdkError('TooManyTagsException', 'too many')
      },
    }
    const off = planStickiness({loadBalancerPort: 443, stickiness: {kind: 'off'}}, observedExisting())
    const tags = planTags({add: [{key: 'env', value: 'prod'}], remove: []}, observedExisting())
    const rollback = new Rollback()
    const lines: string[] = []
    await expect(
      runWithRollback(
        rollback,
        () =>
          applyChange([...off.actions, {...tags.actions[0]!, dependsOn: [off.actions[0]!.id]}], {
            gateways: gatewaysWith(elb),
            rollback,
            commandFor: toAwsCliCommand,
          }),
        {enabled: true, step: 'Stickiness', report: (l) => lines.push(...l)},
      ),
    ).rejects.toBeDefined()
    expect(lines.join('\n')).toContain(
      'aws elb set-load-balancer-policies-of-listener --load-balancer-name web --load-balancer-port 443 --policy-names elbx-ssl-TLS-1-2-2017-01 sticky-60 --region us-east-1',
    )
  })
})
