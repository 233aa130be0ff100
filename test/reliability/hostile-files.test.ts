/**
 * Files that once hung or crashed elbx, given to every flag that reads a file: a FIFO no one
 * writes to (hung forever), /dev/zero (std::bad_alloc), 2 MiB of BEGIN lines (44 s before exit 2)
 * and just under 1 MiB of them (the PEM scanner's worst case within the size limit). Each run
 * must end in exit 2 naming the file and why, with no AWS request. The runCli timeout is the hang
 * guard: a run that hangs is killed and fails its exit-code check.
 */
import {runCli, type CliResult} from '../helpers/cli.js'
import {makeBadFiles, type BadFiles} from './bad-files.js'

/** Every file flag elbx has, as a command line with `path` in that flag's place. */
const FLAGS: Array<[string, (f: BadFiles, path: string) => string[]]> = [
  ['create --certificate-file', (f, path) => upload(path, f.good.keyFile)],
  ['create --private-key-file', (f, path) => upload(f.good.certFile, path)],
  ['create --chain-file', (f, path) => [...upload(f.good.certFile, f.good.keyFile), '--chain-file', path]],
  [
    'create --backend-auth-cert',
    (_f, path) => ['create', '-n', 'web', '--listener', 'https:443:https:443', '--backend-auth-cert', path],
  ],
  [
    'policy backend-auth --backend-auth-cert',
    (_f, path) => [
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      path,
    ],
  ],
]

const upload = (cert: string, key: string) => [
  'create',
  '-n',
  'web',
  '--https',
  '--certificate-file',
  cert,
  '--private-key-file',
  key,
]

/** Each hostile file and the reason elbx must give for it. */
const FILES: Array<[string, (f: BadFiles) => string, RegExp]> = [
  ['a FIFO', (f) => f.fifo, /cannot be read: it is a named pipe \(FIFO\), not a regular file/],
  ['/dev/zero', (f) => f.endless, /cannot be read: it is a device, not a regular file/],
  ['2 MiB of BEGIN lines', (f) => f.oversized, /is 2\.0 MiB; .* elbx reads at most 1 MiB/],
  ['1 MiB of BEGIN lines', (f) => f.beginFlood, /has no (matching )?END line \(the file is truncated\)/],
]

const CASES = FLAGS.flatMap(([flag, args]) =>
  FILES.map(([file, pick, reason]) => ({what: `${flag} with ${file}`, flag, args, pick, reason})),
)

describe('files that hang or crash a plain read: exit 2, naming the file and why, no AWS request', () => {
  let files: BadFiles
  const results = new Map<string, CliResult>()

  beforeAll(async () => {
    files = await makeBadFiles()
    // Three at a time: each is a node process, and the other jest worker needs a core too.
    const queue = [...CASES]
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift())
        results.set(c.what, await runCli(c.args(files, c.pick(files)), {timeoutMs: 20_000}))
    }
    await Promise.all([worker(), worker(), worker()])
  }, 180_000)

  afterAll(async () => {
    await files?.close()
  })

  it.each(CASES.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    const result = results.get(c.what)!
    expect({exitCode: result.exitCode, signal: result.signal, stderr: result.stderr}).toMatchObject({
      exitCode: 2,
      signal: null,
    })
    const flagName = c.flag.split(' ').at(-1)!
    expect(result.stderr).toContain(`Error: ${flagName} ${c.pick(files)}`)
    expect(result.stderr).toMatch(c.reason)
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(result.requests).toHaveLength(0)
  })
})
