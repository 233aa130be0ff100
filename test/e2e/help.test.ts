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

  it('spells each concept one way: the step commands take the flags create takes', () => {
    const flagsOf = (command: string) =>
      new Set(flagRows(pages.get(command)!).map((r) => /--(?:\[no-\])?([\w-]+)/.exec(r)![1]))
    const create = flagsOf('create')
    const shared = {
      health: [
        'health-check',
        'health-interval',
        'health-timeout',
        'healthy-threshold',
        'unhealthy-threshold',
      ],
      'policy ssl': ['ssl-policy', 'ssl-protocols', 'ssl-ciphers', 'ssl-server-order', 'ssl-policy-name'],
      'policy backend-auth': ['backend-auth-cert'],
    }
    for (const [command, names] of Object.entries(shared)) {
      const own = flagsOf(command)
      for (const name of names)
        expect({command, name, create: create.has(name), own: own.has(name)}).toEqual({
          command,
          name,
          create: true,
          own: true,
        })
    }
  })

  it('shows each old spelling as a deprecated alias of the one spelling', () => {
    const row = (command: string, flag: string) =>
      flagRows(pages.get(command)!).findLast((r) => new RegExp(`^--(\\[no-\\])?${flag}(=|\\s)`).test(r))
    for (const [command, flag, old] of [
      ['health', 'health-check', 'target'],
      ['health', 'health-interval', 'interval'],
      ['health', 'health-timeout', 'timeout'],
      ['policy ssl', 'ssl-policy', 'predefined'],
      ['policy ssl', 'ssl-protocols', 'protocols'],
      ['policy ssl', 'ssl-ciphers', 'ciphers'],
      ['policy ssl', 'ssl-server-order', 'server-order'],
      ['policy ssl', 'ssl-policy-name', 'policy-name'],
      ['policy backend-auth', 'backend-auth-cert', 'cert'],
    ] as const)
      expect(row(command, flag)).toContain(`(--${old} is a deprecated alias.)`)
    // create never had the old spellings, so it does not take them.
    expect(pages.get('create')).not.toContain('deprecated alias')
  })

  it('lists exit code 5 among the exit codes', () => {
    expect(root).toMatch(/EXIT CODES[\s\S]*\n {2}5 +a confirmation was declined \(nothing changed\)/)
  })
})
