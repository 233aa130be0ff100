/**
 * Help reads as one text: the same words for a flag on every page, each default stated once, and
 * usage lines a person can read.
 */
import {runCli} from '../helpers/cli.js'

const COMMANDS = [
  ['create'],
  ['destroy'],
  ['health'],
  ['register'],
  ['deregister'],
  ['verify'],
  ['show'],
  ['list'],
  ['policy', 'ssl'],
  ['policy', 'backend-auth'],
  ['export'],
  ['diff'],
  ['apply'],
]

/** The help's flag rows joined back into one line each (oclif wraps descriptions). */
function flagRows(help: string): string[] {
  const rows: string[] = []
  for (const line of help.split('\n')) {
    if (/^\s{2,6}(-\w, )?--/.test(line)) rows.push(line.trim())
    else if (rows.length && /^\s{20,}\S/.test(line)) rows[rows.length - 1] += ` ${line.trim()}`
    else if (line.trim() === '' || !line.startsWith(' ')) rows.push('')
  }
  return rows.filter(Boolean)
}

describe('help', () => {
  let root: string
  const pages = new Map<string, string>()

  beforeAll(async () => {
    root = (await runCli(['--help'])).stdout
    for (const command of COMMANDS)
      pages.set(command.join(' '), (await runCli([...command, '--help'])).stdout)
  }, 60_000)

  it('describes --json with the top-level words on every page', () => {
    const json = (help: string) => flagRows(help).find((r) => r.startsWith('--json'))
    const words = json(root)
    expect(words).toMatch(/Print one JSON document on stdout and nothing else there/)
    for (const [command, help] of pages) {
      expect({command, json: json(help)}).toEqual({command, json: words})
      expect(help).not.toContain('Format output as json')
    }
  })

  it('states each default once', () => {
    for (const [command, help] of pages) {
      for (const row of flagRows(help)) {
        const given = /\[default: ([^\]]+)\]/.exec(row)?.[1]
        if (given)
          expect({command, row}).toEqual({command, row: expect.not.stringMatching(/\(.*default.*\)/)})
      }
    }
    expect(flagRows(pages.get('register')!).find((r) => r.startsWith('--wait-timeout'))).toBe(
      "--wait-timeout=<value>  [default: 600] Give up waiting after this many seconds (1-86400) and exit 3 with each instance's state.",
    )
  })

  it('shows readable usage lines (no empty alternatives)', () => {
    for (const [command, help] of pages)
      expect({command, usage: help}).not.toEqual({command, usage: expect.stringMatching(/\|\s*\|/)})
    expect(pages.get('policy ssl')).toMatch(/\$ elbx policy ssl --list \[GLOBAL FLAGS\]/)
  })

  it('lists exit code 5 among the exit codes', () => {
    expect(root).toMatch(/EXIT CODES[\s\S]*\n {2}5 +a confirmation was declined \(nothing changed\)/)
  })
})
