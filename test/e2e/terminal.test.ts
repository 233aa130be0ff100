/** elbx in odd terminals: the progress stays readable. */
import {PtySession, plain} from '../helpers/pty.js'

describe('a terminal that reports 0 columns', () => {
  it('gets whole progress lines, not one character per line', async () => {
    // A name that does not exist: the task list starts, then the step fails (exit 1).
    const session = new PtySession(
      ['policy', 'ssl', '-n', 'no-such-lb', '--ssl-policy', 'ELBSecurityPolicy-TLS-1-2-2017-01'],
      {},
      {columns: 0},
    )
    try {
      expect(await session.exitCode()).toBe(1)
      const lines = plain(session.output).split('\n')
      expect(lines.some((l) => l.includes('Set the SSL negotiation policy of listener 443'))).toBe(true)
      const oneCharacter = lines.filter((l) => l.trim().length === 1)
      expect(oneCharacter).toEqual([])
    } finally {
      session.close()
    }
  })
})
