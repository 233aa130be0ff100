import {MIN_LIVE_COLUMNS, liveRendererFits} from '../../../src/ui/tasks.js'

describe('the live task list needs room', () => {
  it('fits a normal terminal, and a stream that reports no width (a pipe)', () => {
    expect(liveRendererFits({columns: 120}, {columns: 120})).toBe(true)
    expect(liveRendererFits({}, {columns: 80})).toBe(true)
  })

  it('does not fit a terminal of 0 columns, or one narrower than a title', () => {
    expect(liveRendererFits({columns: 0}, {columns: 0})).toBe(false)
    expect(liveRendererFits({columns: 120}, {columns: 0})).toBe(false)
    expect(liveRendererFits({columns: MIN_LIVE_COLUMNS - 1}, {})).toBe(false)
  })
})
