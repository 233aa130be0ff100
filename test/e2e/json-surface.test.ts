/**
 * Locks the surface scripts depend on: the shape (keys and value types, recursively) of every
 * command's --json document, success and error, against snapshots checked in with the code. A
 * change to a result shape shows up here as a snapshot diff to review, not as a surprise to users.
 */
import {makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {seedNetwork, type SeededNetwork} from '../helpers/moto.js'

/** The shape of a JSON value: types for leaves, one element's shape for arrays, keys sorted. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : []
  if (value === null) return 'null'
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    )
  }
  return typeof value
}

const pair = makeCertificate()
let net: SeededNetwork
const name = 'json-lb'

beforeAll(async () => {
  net = await seedNetwork({instances: 2})
})

async function json(args: string[], exitCode = 0): Promise<unknown> {
  const result = await runCli([...args, '--json'])
  expect({args, exitCode: result.exitCode}).toEqual({args, exitCode})
  return shape(parseJson(result))
}

describe('--json result shapes', () => {
  it('create, then every command against what it made, then destroy', async () => {
    const subnets = net.subnets.map((s) => s.subnetId).join(',')
    const instances = net.instanceIds.join(',')
    const common = [
      '--https',
      '--backend-https',
      '--certificate-file',
      pair.certFile,
      '--private-key-file',
      pair.keyFile,
    ]

    expect(await json(['create', '-n', name, ...common, '--subnets', subnets, '--dry-run'])).toMatchSnapshot(
      'create --dry-run',
    )
    expect(
      await json([
        'create',
        '-n',
        name,
        ...common,
        '--subnets',
        subnets,
        '--backend-auth-cert',
        pair.certFile,
        '--health-check',
        'HTTP:80/ping',
        '--instances',
        instances,
        '--tag',
        'team=web',
      ]),
    ).toMatchSnapshot('create')
    expect(
      await json(['policy', 'ssl', '-n', name, '--ssl-policy', 'ELBSecurityPolicy-TLS-1-1-2017-01']),
    ).toMatchSnapshot('policy ssl')
    expect(await json(['policy', 'ssl', '-n', name, '--show'])).toMatchSnapshot('policy ssl --show')
    expect(await json(['policy', 'ssl', '--list'])).toMatchSnapshot('policy ssl --list')
    expect(
      await json([
        'policy',
        'backend-auth',
        '-n',
        name,
        '--instance-port',
        '443',
        '--backend-auth-cert',
        pair.certFile,
      ]),
    ).toMatchSnapshot('policy backend-auth')
    expect(await json(['health', '-n', name])).toMatchSnapshot('health')
    expect(await json(['health', '-n', name, '--health-check', 'TCP:80'])).toMatchSnapshot(
      'health --health-check',
    )
    expect(await json(['register', '-n', name, '--instances', instances])).toMatchSnapshot('register')
    expect(await json(['verify', '-n', name, '--wait-timeout', '5'], 4)).toMatchSnapshot(
      'verify (DNS fails on moto)',
    )
    expect(await json(['deregister', '-n', name, '--instances', net.instanceIds[0]!])).toMatchSnapshot(
      'deregister',
    )
    expect(await json(['destroy', '-n', name, '--yes', '--delete-certificate'])).toMatchSnapshot('destroy')
    expect(await json(['destroy', '-n', name, '--yes'])).toMatchSnapshot('destroy (not found)')
  })

  it('errors: invalid input, AWS error', async () => {
    expect(await json(['create', '-n', 'bad_name', '--https'], 2)).toMatchSnapshot('invalid input')
    expect(await json(['health', '-n', 'no-such-lb'], 1)).toMatchSnapshot('AWS error')
  })
})
