/**
 * `elbx show` and `elbx list` from the built binary against moto: the --json documents and their
 * shapes, plain lines in a pipe, a table in a terminal (without colour under NO_COLOR), and bad
 * input refused before any request.
 */
import {parseJson, runCli} from '../helpers/cli.js'
import {PtySession, plain} from '../helpers/pty.js'
import {arrangeShowWorld, type ShowWorld} from '../helpers/show-world.js'

/** The shape of a JSON value: types for leaves, one element's shape for arrays, keys sorted. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : []
  if (value === null) return 'null'
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    )
  return typeof value
}

const operations = (r: {requests: {operation: string}[]}) => r.requests.map((q) => q.operation)
const READS = /^(Describe|Get|List)/
/** An SGR escape (colour, bold): ESC [ ... m. */
const SGR = new RegExp(String.raw`\u001b\[[0-9;]*m`)
const BOLD = '\u001b[1m'

let world: ShowWorld

beforeAll(async () => {
  world = await arrangeShowWorld('e2e-show')
})

describe('elbx show', () => {
  it('--json prints one document with every part, and sends only reads, each once', async () => {
    const result = await runCli(['show', '--name', 'e2e-show', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson(result) as Record<string, unknown> & {
      listeners: {certificate?: {fingerprint?: string}}[]
    }
    expect(doc).toMatchObject({loadBalancerName: 'e2e-show', vpcId: world.vpcId, closedListenerPorts: [8443]})
    expect(doc.listeners[1]!.certificate!.fingerprint).toBe(world.iamFingerprint)
    expect(shape(doc)).toMatchSnapshot('show --json')
    const ops = operations(result)
    expect(ops.every((o) => READS.test(o))).toBe(true)
    expect(new Set(ops).size).toBe(ops.length)
    // Warnings go to stderr even under --json; stdout stays one document.
    expect(result.stderr).toContain('expires in 19 days')
  })

  it('in a pipe prints one fact per line', async () => {
    const result = await runCli(['show', '--name', 'e2e-show'])
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toContain('load balancer e2e-show: Scheme: internet-facing')
    expect(lines).toContain('listeners: 443: HTTPS 443 -> HTTPS 443')
    expect(lines).toContain('listeners: 443 SSL policy: ELBSecurityPolicy-2016-08 (AWS default)')
    expect(lines).toContain('listeners: 443 names: www.example.com, example.com')
    expect(lines).toContain(`listeners: 443 SHA-256: ${world.iamFingerprint}`)
    expect(lines).toContain('listeners: 8443 SSL policy: tls12 -> ELBSecurityPolicy-TLS-1-2-2017-01')
    expect(lines).toContain('listeners: 8443 protocols: TLSv1.2')
    expect(lines).toContain(
      `back-end authentication and policies: instance port 443 public key: backend-key rsa 2048 SHA-256 ${world.backendKeyFingerprint}`,
    )
    expect(lines).toContain('tags: team: web')
    expect(result.stdout).not.toMatch(SGR)
  })

  it('in a terminal prints sections and a listener table; NO_COLOR leaves no colour codes', async () => {
    const coloured = new PtySession(['show', '--name', 'e2e-show'])
    const bare = new PtySession(['show', '--name', 'e2e-show'], {NO_COLOR: '1'})
    try {
      expect(await coloured.exitCode()).toBe(0)
      expect(await bare.exitCode()).toBe(0)
      const screen = plain(coloured.output)
      expect(screen).toMatch(/LISTENER\s+CERTIFICATE\s+EXPIRES\s+SSL POLICY\s+STICKINESS/)
      expect(screen).toMatch(/HTTPS 443 -> HTTPS 443\s+www\.example\.com\s+19 days/)
      expect(screen).toContain('Instances (2 of 2 InService)')
      expect(coloured.output).toContain(BOLD)
      expect(bare.output).not.toMatch(SGR)
    } finally {
      coloured.close()
      bare.close()
    }
  })

  it('refuses a bad name and a missing --name without a terminal, before any request (exit 2)', async () => {
    for (const args of [['show', '--name', 'not_a_name!'], ['show']]) {
      const result = await runCli([...args, '--json'])
      expect(result.exitCode).toBe(2)
      expect(result.requests).toEqual([])
      expect((parseJson(result) as {error: {message: string}}).error.message).toMatch(/name/i)
    }
  })

  it('in a terminal without --name asks which load balancer, then shows it', async () => {
    const session = new PtySession(['show'], {NO_COLOR: '1'})
    try {
      await session.expect('Load balancer name')
      session.line('e2e-show')
      expect(await session.exitCode()).toBe(0)
      expect(plain(session.output)).toContain('Load balancer e2e-show (us-east-1)')
    } finally {
      session.close()
    }
  })

  it('says there is no such load balancer (exit 1)', async () => {
    const result = await runCli(['show', '--name', 'no-such-lb'])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('There is no load balancer named "no-such-lb"')
    expect(operations(result)).toEqual(['DescribeLoadBalancers'])
  })
})

describe('elbx list', () => {
  it('--json lists the Region with one DescribeLoadBalancers, DescribeTags per 20 names, nothing read twice', async () => {
    const result = await runCli(['list', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson(result) as {loadBalancers: {loadBalancerName: string}[]}
    const mine = doc.loadBalancers.find((l) => l.loadBalancerName === 'e2e-show')
    expect(mine).toMatchObject({
      scheme: 'internet-facing',
      listeners: ['HTTP 80 -> HTTP 80', 'HTTPS 443 -> HTTPS 443', 'SSL 8443 -> TCP 8080'],
      instanceCounts: {inService: 2, registered: 2},
      nearestCertificateExpiry: {arn: world.iamArn, daysToExpiry: 19},
      tags: [{key: 'team', value: 'web'}],
    })
    expect(shape(mine)).toMatchSnapshot('list --json, one load balancer')
    const ops = operations(result)
    const count = (op: string) => ops.filter((o) => o === op).length
    expect(count('DescribeLoadBalancers')).toBe(1)
    expect(count('DescribeTags')).toBe(Math.ceil(doc.loadBalancers.length / 20))
    expect(ops.every((o) => READS.test(o))).toBe(true)
  })

  it('in a pipe prints one tab-separated line per load balancer', async () => {
    const result = await runCli(['list'])
    expect(result.exitCode).toBe(0)
    const line = result.stdout.split('\n').find((l) => l.startsWith('e2e-show\t'))!
    const fields = line.split('\t')
    expect(fields.slice(0, 5)).toEqual([
      'e2e-show',
      'internet-facing',
      'HTTP 80 -> HTTP 80, HTTPS 443 -> HTTPS 443, SSL 8443 -> TCP 8080',
      '2/2',
      '19',
    ])
  })

  it('in a terminal prints a table', async () => {
    const session = new PtySession(['list'], {NO_COLOR: '1'})
    try {
      expect(await session.exitCode()).toBe(0)
      const screen = plain(session.output)
      expect(screen).toMatch(/NAME\s+SCHEME\s+LISTENERS\s+IN SERVICE\s+NEAREST CERTIFICATE EXPIRY/)
      expect(screen).toMatch(/e2e-show\s+internet-facing\s+HTTP 80 -> HTTP 80, .*\s+2\/2\s+19 days/)
    } finally {
      session.close()
    }
  })
})
