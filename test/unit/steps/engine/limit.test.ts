import {limitConcurrency} from '../../../../src/steps/engine/limit.js'

describe('limitConcurrency', () => {
  it('runs at most N at once, in call order, and passes results and errors through', async () => {
    const limit = limitConcurrency(2)
    let now = 0
    let max = 0
    const started: number[] = []
    const job = (i: number) =>
      limit(async () => {
        started.push(i)
        now++
        max = Math.max(max, now)
        await new Promise((r) => setTimeout(r, 5))
        now--
        if (i === 3) throw new Error('three')
        return i
      })
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(job))
    expect(max).toBe(2)
    expect(started).toEqual([0, 1, 2, 3, 4])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      1,
      2,
      'three',
      4,
    ])
  })

  it('refuses a bound below 1', () => {
    expect(() => limitConcurrency(0)).toThrow(RangeError)
  })
})
