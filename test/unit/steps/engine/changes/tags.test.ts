import {planTags} from '../../../../../src/steps/engine/changes/tags.js'
import {observedExisting} from './world.js'

describe('planTags', () => {
  it('adds new keys and overwrites changed ones in place; restores take both back', () => {
    const plan = planTags(
      {
        add: [
          {key: 'team', value: 'api'},
          {key: 'env', value: 'prod'},
        ],
        remove: [],
      },
      observedExisting(),
    )
    expect(plan.actions.map((a) => a.call)).toEqual([
      {
        operation: 'AddTags',
        loadBalancerName: 'web',
        tags: [
          {key: 'team', value: 'api'},
          {key: 'env', value: 'prod'},
        ],
      },
    ])
    expect(plan.actions[0]!.restore).toEqual([
      {operation: 'RemoveTags', loadBalancerName: 'web', keys: ['env']},
      {operation: 'AddTags', loadBalancerName: 'web', tags: [{key: 'team', value: 'web'}]},
    ])
    // elbx's run mark is bookkeeping, not shown among the user's tags.
    expect(plan.state.tags).toEqual([
      {key: 'team', value: 'api'},
      {key: 'env', value: 'prod'},
    ])
  })

  it('removes only keys present, says which were absent, and a rerun is empty', () => {
    const plan = planTags({add: [], remove: ['team', 'nope']}, observedExisting())
    expect(plan.actions.map((a) => a.call)).toEqual([
      {operation: 'RemoveTags', loadBalancerName: 'web', keys: ['team']},
    ])
    expect(plan.actions[0]!.restore).toEqual([
      {operation: 'AddTags', loadBalancerName: 'web', tags: [{key: 'team', value: 'web'}]},
    ])
    expect(plan.state.absent).toEqual(['nope'])
    expect(plan.warnings).toEqual([expect.stringMatching(/no tag "nope"/)])
    const again = planTags({add: [{key: 'team', value: 'web'}], remove: ['nope']}, observedExisting())
    expect(again.actions).toEqual([])
  })

  it('refuses more than 50 tags counting those there (elbx:run included) before any write', () => {
    const tags = Array.from({length: 48}, (_, i) => ({key: `k${i}`, value: 'v'}))
    const observed = observedExisting({}, {tags: [...tags, {key: 'elbx:run', value: 'r'}]})
    expect(planTags({add: [{key: 'a', value: '1'}], remove: []}, observed).actions).toHaveLength(1)
    expect(() =>
      planTags(
        {
          add: [
            {key: 'a', value: '1'},
            {key: 'b', value: '2'},
          ],
          remove: [],
        },
        observed,
      ),
    ).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: expect.stringMatching(/would have 51, and AWS allows 50/),
      }),
    )
    // Removing one makes room.
    expect(
      planTags(
        {
          add: [
            {key: 'a', value: '1'},
            {key: 'b', value: '2'},
          ],
          remove: ['k0'],
        },
        observed,
      ).actions,
    ).toHaveLength(2)
  })
})
