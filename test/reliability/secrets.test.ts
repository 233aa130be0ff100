/**
 * Secrets never reach stdout or stderr: not a private key's content, not the secret access key,
 * not an Authorization header or X-Amz-Security-Token value. runCli scans every run of every
 * test for them (test/helpers/secrets.ts); this file makes sure the runs that could leak are
 * actually made: --verbose on success and on every command's error path, and AWS errors whose
 * message echoes the session token and the Authorization header (SignatureDoesNotMatch does), or
 * quotes a secret elbx sent in another encoding: the private key's base64 body without its BEGIN
 * and END lines, joined into one line, the URL-encoded request body, JSON; a credential raw,
 * URL-encoded or JSON-escaped.
 */
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing'

import {makeCertificate} from '../helpers/certs.js'
import {runCli, type CliResult} from '../helpers/cli.js'
import {TEST_CREDENTIALS, TEST_REGION} from '../helpers/moto.js'
import {motoState, NOTHING} from './moto-state.js'
import {parseJson} from '../helpers/cli.js'
import type {EchoedRequest} from '../helpers/fault-proxy.js'
import {createArgs, useFaultProxy} from './support.js'

const pair = makeCertificate()
const backend = makeCertificate({commonName: 'backend.internal'})
const world = useFaultProxy({instances: 1})

/** Explicit, on top of runCli's own scan: none of the test's secrets in anything printed. */
function expectNoSecrets(result: CliResult): void {
  const out = result.stdout + result.stderr
  expect(out).not.toContain(TEST_CREDENTIALS.secretAccessKey)
  expect(out).not.toContain(TEST_CREDENTIALS.sessionToken)
  expect(out).not.toMatch(/AWS4-HMAC-SHA256 Credential=/)
  expect(out).not.toMatch(/Signature=[0-9a-f]{16,}/)
  expect(out).not.toMatch(/x-amz-security-token[=:]\s*[^\s[]/i)
  for (const key of [pair.key, backend.key]) {
    for (const line of key.split('\n').filter((l) => l.length >= 40)) expect(out).not.toContain(line)
  }
}

describe('--verbose on success logs every request and no secret', () => {
  it('create (uploading the private key), backend-auth, register, health and destroy', async () => {
    const name = 'verbose-ok'
    const runs = [
      await runCli([...createArgs(name, pair, world.net), '--backend-https', '--verbose']),
      await runCli([
        'policy',
        'backend-auth',
        '-n',
        name,
        '--instance-port',
        '443',
        '--backend-auth-cert',
        backend.certFile,
        '--verbose',
      ]),
      await runCli(['register', '-n', name, '--instances', world.net.instanceIds[0]!, '--verbose']),
      await runCli(['health', '-n', name, '--verbose']),
      await runCli(['destroy', '-n', name, '--yes', '--delete-certificate', '--verbose']),
    ]
    for (const result of runs) {
      expect({exitCode: result.exitCode, stderr: result.stderr}).toMatchObject({exitCode: 0})
      // --verbose really logged the requests (so the scan looked at them).
      expect(result.stderr).toMatch(/^\[aws\] \S+ \w+ 200 \d+ms/m)
      expectNoSecrets(result)
    }
    expect(runs[0]!.stderr).toMatch(/\[aws\] IAM UploadServerCertificate 200/)
    expect(await motoState(name)).toEqual(NOTHING)
  })
})

describe('every error path, with --verbose, when AWS echoes the token and the Authorization header', () => {
  it('the proxy really does echo them (so the runs below could leak)', async () => {
    world.proxy.inject({fault: 'signature-mismatch'})
    const elb = new ElasticLoadBalancingClient({
      region: TEST_REGION,
      endpoint: world.proxy.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    })
    try {
      await expect(elb.send(new DescribeLoadBalancersCommand({}))).rejects.toThrow(
        expect.objectContaining({
          message: expect.stringMatching(
            new RegExp(
              `x-amz-security-token:${TEST_CREDENTIALS.sessionToken}[\\s\\S]*Authorization: AWS4-HMAC-SHA256 Credential=`,
            ),
          ),
        }),
      )
    } finally {
      elb.destroy()
    }
  })

  const I = () => world.net.instanceIds[0]!
  const commands: [string, () => string[]][] = [
    ['create', () => createArgs('leaky', pair, world.net)],
    ['destroy', () => ['destroy', '-n', 'leaky', '--yes']],
    ['health', () => ['health', '-n', 'leaky']],
    ['health --health-check', () => ['health', '-n', 'leaky', '--health-check', 'HTTP:80/ping']],
    ['register', () => ['register', '-n', 'leaky', '--instances', I()]],
    ['deregister', () => ['deregister', '-n', 'leaky', '--instances', I()]],
    ['policy ssl', () => ['policy', 'ssl', '-n', 'leaky', '--ssl-policy', 'TLS-1-2-2017-01']],
    ['policy ssl --show', () => ['policy', 'ssl', '--show', '-n', 'leaky']],
    [
      'policy backend-auth',
      () => [
        'policy',
        'backend-auth',
        '-n',
        'leaky',
        '--instance-port',
        '443',
        '--backend-auth-cert',
        backend.certFile,
      ],
    ],
    ['verify', () => ['verify', '-n', 'leaky', '--wait-timeout', '1']],
  ]

  it.each(
    commands.flatMap(([what, args]) => [
      [what, 'SignatureDoesNotMatch', '', args] as const,
      [what, 'AccessDenied', ' --json', args] as const,
    ]),
  )('%s answered with %s%s', async (_what, code, json, args) => {
    // Every request fails: each command's first AWS call is its error path.
    world.proxy.inject({fault: 'signature-mismatch', code})
    const result = await runCli(
      [...args(), '--verbose', ...(json ? ['--json'] : [])],
      world.through({AWS_MAX_ATTEMPTS: '1'}),
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout + result.stderr).toContain(code)
    // The verbose request line shows the failed request, and nothing of its signature.
    expect(result.stderr).toMatch(/\[aws\] \S+ \w+ (403|ERR)/)
    // AccessDenied's message is shown whole, so redaction (not truncation) is what hid the values.
    if (code === 'AccessDenied') expect(result.stdout).toMatch(/x-amz-security-token:\[REDACTED\]/)
    expectNoSecrets(result)
  })

  it('a bad private key file under --verbose: exit 2, a stack trace for debugging, no key content', async () => {
    const result = await runCli([
      'create',
      '-n',
      'leaky',
      '--https',
      '--certificate-file',
      pair.keyFile,
      '--private-key-file',
      pair.keyFile,
      '--verbose',
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/holds a private key, not a certificate/)
    expect(result.requests).toHaveLength(0)
    expectNoSecrets(result)
  })

  it('a failure after the private key was uploaded, rolled back under --verbose --json: no key content', async () => {
    world.proxy.inject({operation: 'CreateLoadBalancer', fault: 'signature-mismatch', code: 'AccessDenied'})
    const result = await runCli(
      [...createArgs('leaky-rollback', pair, world.net), '--verbose', '--json'],
      world.through({AWS_MAX_ATTEMPTS: '1'}),
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/AccessDenied/)
    expect(result.stderr).toMatch(/\[aws\] IAM DeleteServerCertificate 200/)
    expectNoSecrets(result)
    expect(await motoState('leaky-rollback')).toEqual(NOTHING)
  })
})

describe('AWS errors that quote a secret elbx sent, in any encoding, are redacted everywhere', () => {
  // Credentials with the characters URL and JSON encoding change (moto does not check signatures).
  const credentials = {
    secretAccessKey: 'elbx/Canary+Secret=Key/ThatMustNeverBePrinted0002',
    sessionToken: 'elbx/Canary+Session=Token//ThatMustNeverBePrinted0002==',
  }
  const env = {
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_MAX_ATTEMPTS: '1',
  }
  const keyBody = pair.key
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('-----'))
  const privateKeyOf = (r: EchoedRequest) => new URLSearchParams(r.body).get('PrivateKey') ?? ''
  const bodyLinesOf = (r: EchoedRequest) =>
    privateKeyOf(r)
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))

  /** Every spelling of every secret of this test; none may appear in anything elbx writes. */
  const canaries = [credentials.secretAccessKey, credentials.sessionToken, keyBody.join(''), ...keyBody]
    .filter((v) => v.length >= 40)
    .flatMap((v) => [
      v,
      encodeURIComponent(v),
      new URLSearchParams({v}).toString().slice(2),
      JSON.stringify(v).slice(1, -1),
    ])

  const cases: Array<[string, 'UploadServerCertificate' | undefined, (r: EchoedRequest) => string]> = [
    [
      "the private key's base64 body, without BEGIN and END",
      'UploadServerCertificate',
      (r) => `Unable to parse private key '${bodyLinesOf(r).join('\n')}'.`,
    ],
    [
      "the private key's base64 body joined into one line",
      'UploadServerCertificate',
      (r) => `Unable to parse private key ${bodyLinesOf(r).join('')}.`,
    ],
    ['the URL-encoded request body as sent', 'UploadServerCertificate', (r) => `Bad request: ${r.body}`],
    [
      'the request body form-encoded with + for spaces',
      'UploadServerCertificate',
      (r) => `Bad request: ${new URLSearchParams(r.body).toString()}`,
    ],
    [
      'the request as JSON',
      'UploadServerCertificate',
      (r) => `Bad request: ${JSON.stringify(Object.fromEntries(new URLSearchParams(r.body)))}`,
    ],
    [
      'the session token as sent, URL-encoded and JSON-escaped',
      undefined,
      (r) => {
        const token = String(r.headers['x-amz-security-token'])
        return `Token ${token} (${encodeURIComponent(token)}, ${JSON.stringify(token)}) is not valid.`
      },
    ],
    [
      'the secret access key, URL-encoded and JSON-escaped',
      undefined,
      () => {
        const key = credentials.secretAccessKey
        return `Key ${key} (${encodeURIComponent(key)}, ${JSON.stringify({key})}) does not match.`
      },
    ],
  ]

  it.each(cases)('%s', async (_what, operation, echo) => {
    world.proxy.inject({...(operation ? {operation} : {}), fault: 'echo', code: 'MalformedCertificate', echo})
    for (const json of [false, true]) {
      const result = await runCli(
        [...createArgs('echoed', pair, world.net), '--verbose', ...(json ? ['--json'] : [])],
        world.through(env),
      )
      expect(result.exitCode).toBe(1)
      // The proxy really quoted it to elbx, and elbx printed the message with the secret replaced.
      expect(world.proxy.seen.some((s) => s.fault === 'echo')).toBe(true)
      const printed = json ? parseJson<{error: {message: string}}>(result).error.message : result.stderr
      expect(printed).toMatch(/MalformedCertificate: .*\[REDACTED/)
      const everything = result.stdout + result.stderr + JSON.stringify(result.requests)
      for (const canary of canaries) expect(everything).not.toContain(canary)
      expectNoSecrets(result)
    }
    expect(await motoState('echoed')).toEqual(NOTHING)
  })
})
