import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {
  CreateLBCookieStickinessPolicyCommand,
  DescribeLoadBalancersCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'

import {type CertificatePair, makeCertificate, opensslPublicKeyAttribute} from '../helpers/certs.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {createHttpAndHttpsLoadBalancer, sdkClients} from '../helpers/moto.js'

const CERT_ARN = 'arn:aws:iam::123456789012:server-certificate/web'
const operations = (r: CliResult) => r.requests.map((q) => q.operation)

let cert: CertificatePair

beforeAll(async () => {
  cert = makeCertificate({keyType: 'ec'})
  const {elb} = sdkClients()
  try {
    await createHttpAndHttpsLoadBalancer(elb, 'web', CERT_ARN)
    await elb.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: 'web',
        PolicyName: 'sticky',
        CookieExpirationPeriod: 300,
      }),
    )
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: 'web',
        LoadBalancerPort: 443,
        PolicyNames: ['sticky'],
      }),
    )
  } finally {
    elb.destroy()
  }
})

describe('elbx policy ssl', () => {
  it('enables a predefined policy through a load-balancer policy, keeps stickiness, and a rerun is unchanged', async () => {
    const first = await runCli([
      'policy',
      'ssl',
      '--name',
      'web',
      '--ssl-policy',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      '--json',
    ])
    expect(first.exitCode).toBe(0)
    expect(parseJson(first)).toMatchObject({
      mode: 'set',
      loadBalancerName: 'web',
      loadBalancerPort: 443,
      policyName: 'elbx-ssl-TLS-1-2-2017-01',
      status: 'created',
      keptPolicies: ['sticky'],
    })
    expect(operations(first)).toEqual([
      'DescribeLoadBalancers',
      'DescribeLoadBalancerPolicies',
      'CreateLoadBalancerPolicy',
      'SetLoadBalancerPoliciesOfListener',
    ])

    const again = await runCli(['policy', 'ssl', '--name', 'web', '--ssl-policy', 'TLS-1-2-2017-01'])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain(
      'SSL negotiation policy elbx-ssl-TLS-1-2-2017-01 (references ELBSecurityPolicy-TLS-1-2-2017-01) already enabled: unchanged.',
    )
    expect(again.stdout).toContain('Kept on the listener: sticky.')
    expect(operations(again)).not.toContain('CreateLoadBalancerPolicy')

    const {elb} = sdkClients()
    try {
      const lb = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['web']}))
      const https = lb.LoadBalancerDescriptions![0]!.ListenerDescriptions!.find(
        (l) => l.Listener!.LoadBalancerPort === 443,
      )!
      expect(https.PolicyNames).toEqual(['sticky', 'elbx-ssl-TLS-1-2-2017-01'])
    } finally {
      elb.destroy()
    }
  })

  it('warns about weak protocols and ciphers of a custom policy on stderr', async () => {
    const result = await runCli([
      'policy',
      'ssl',
      '-n',
      'web',
      '--ssl-protocols',
      'TLSv1.2,TLSv1',
      '--ssl-ciphers',
      'ECDHE-RSA-AES128-GCM-SHA256,DES-CBC3-SHA',
      '--no-ssl-server-order',
      '--json',
    ])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('Warning: The custom policy enables TLSv1: deprecated protocols')
    expect(result.stderr).toContain('DES-CBC3-SHA (3DES)')
    expect(parseJson(result)).toMatchObject({
      status: 'created',
      spec: {kind: 'custom', protocols: ['TLSv1.2', 'TLSv1'], serverOrder: false},
      replacedPolicies: ['elbx-ssl-TLS-1-2-2017-01'],
      deletedPolicies: ['elbx-ssl-TLS-1-2-2017-01'],
      keptPolicies: ['sticky'],
    })
  })

  it('--show reports the policy in force with what it enables', async () => {
    await runCli(['policy', 'ssl', '-n', 'web', '--ssl-policy', 'ELBSecurityPolicy-2016-08'])
    const result = await runCli(['policy', 'ssl', '--show', '--name', 'web', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson<{mode: string; listeners: Record<string, unknown>[]}>(result)
    expect(doc.listeners).toEqual([
      expect.objectContaining({
        loadBalancerPort: 443,
        protocol: 'HTTPS',
        policyName: 'elbx-ssl-2016-08',
        referencePolicy: 'ELBSecurityPolicy-2016-08',
        protocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
        serverOrder: true,
        source: "AWS's predefined policy ELBSecurityPolicy-2016-08",
      }),
    ])
    expect(result.stderr).toContain('Warning: Listener 443 enables TLSv1.1, TLSv1')
    const human = await runCli(['policy', 'ssl', '--show', '--name', 'web'])
    expect(human.stdout).toContain('Listener HTTPS 443: elbx-ssl-2016-08 -> ELBSecurityPolicy-2016-08')
    expect(human.stdout).toContain('Protocols: TLSv1.2, TLSv1.1 (weak), TLSv1 (weak)')
    // Where the details came from is said once, in a note after the listeners.
    expect(human.stdout.match(/^Note: /gm)).toHaveLength(1)
    expect(human.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Note: from .*ELBSecurityPolicy-2016-08/)
    expect(human.stdout).not.toContain('Source:')
  })

  // The built-in table is the answer only when an endpoint refuses to describe the predefined
  // policies (test/unit/steps/ssl-policy.test.ts); the patched moto answers as AWS does.
  it("--list shows AWS's predefined policies (DescribeLoadBalancerPolicies without a load balancer name)", async () => {
    const result = await runCli(['policy', 'ssl', '--list', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson<{source: string; sourceDescription: string; policies: {name: string}[]}>(result)
    expect(doc.source).toBe('aws')
    expect(doc.sourceDescription).toBe('AWS (DescribeLoadBalancerPolicies without a load balancer name)')
    expect(doc.policies[0]).toMatchObject({
      name: 'ELBSecurityPolicy-TLS-1-2-2017-01',
      recommended: true,
      protocols: ['TLSv1.2'],
    })
    expect(doc.policies.find((p) => p.name === 'ELBSecurityPolicy-2016-08')).toMatchObject({awsDefault: true})
    const human = await runCli(['policy', 'ssl', '--list'])
    // Where the list came from is said once, in a note at the end.
    expect(human.stdout).toMatch(/^Predefined SSL security policies\n/)
    expect(human.stdout.match(/DescribeLoadBalancerPolicies/g)).toHaveLength(1)
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Note: from AWS (DescribeLoadBalancerPolicies without a load balancer name).',
    )
  })

  it('--list without a Region prints the built-in table, sends no request, and says why', async () => {
    const result = await runCli(['policy', 'ssl', '--list', '--json'], {
      bareEnv: true,
      env: {AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'},
    })
    expect(result.exitCode).toBe(0)
    const doc = parseJson<{source: string; sourceDescription: string; policies: {name: string}[]}>(result)
    expect(doc).toMatchObject({
      source: 'built-in table',
      sourceDescription: expect.stringContaining('no AWS Region is set, so AWS was not asked'),
    })
    expect(doc.policies.map((p) => p.name)).toContain('ELBSecurityPolicy-TLS-1-2-2017-01')
    expect(result.requests).toEqual([])
    // Any other command still needs the Region.
    const show = await runCli(['policy', 'ssl', '--show', '-n', 'web'], {
      bareEnv: true,
      env: {AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'},
    })
    expect(show.exitCode).toBe(2)
    expect(show.stderr).toContain('No AWS region is set.')
  })

  it('refuses an HTTP listener and lists the listeners (exit 2)', async () => {
    const result = await runCli([
      'policy',
      'ssl',
      '-n',
      'web',
      '--port',
      '80',
      '--ssl-policy',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(
      'Error: The listener on port 80 of "web" is HTTP 80 -> HTTP 80: an SSL negotiation policy needs an HTTPS or SSL listener. Its listeners: HTTP 80 -> HTTP 80; HTTPS 443 -> HTTPS 443.',
    )
    expect(operations(result)).toEqual(['DescribeLoadBalancers'])
  })

  it('says LoadBalancerNotFound (exit 1) for a load balancer that does not exist', async () => {
    const result = await runCli([
      'policy',
      'ssl',
      '-n',
      'nope',
      '--ssl-policy',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      '--json',
    ])
    expect(result.exitCode).toBe(1)
    expect(parseJson<{error: {code: string}}>(result).error.code).toBe('LoadBalancerNotFound')
  })

  it.each([
    [
      ['--ssl-policy', 'ELBSecurityPolicy-2099-01'],
      '--ssl-policy "ELBSecurityPolicy-2099-01" is not a predefined SSL security policy of Classic Load Balancers.',
    ],
    [
      ['--ssl-policy', 'TLS-1-2-2017-01', '--ssl-policy-name', 'ELBSecurityPolicy-mine'],
      '--ssl-policy-name "ELBSecurityPolicy-mine" begins with ELBSecurityPolicy-, which AWS reserves for its predefined policies.',
    ],
    [
      ['--ssl-policy', 'TLS-1-2-2017-01', '--ssl-policy-name', 'ELBSample-x'],
      '--ssl-policy-name "ELBSample-x" begins with ELBSample-, which AWS reserves for its predefined policies.',
    ],
    [
      ['--ssl-policy', 'TLS-1-2-2017-01', '--ssl-policy-name', 'my_policy'],
      '--ssl-policy-name "my_policy" contains "_"; only letters, digits and hyphens are allowed.',
    ],
    [
      ['--ssl-protocols', 'TLSv1.2'],
      'A custom SSL policy needs both --ssl-protocols and --ssl-ciphers (at least one of each); --ssl-ciphers is missing.',
    ],
    [
      ['--ssl-ciphers', 'AES128-SHA'],
      'A custom SSL policy needs both --ssl-protocols and --ssl-ciphers (at least one of each); --ssl-protocols is missing.',
    ],
    [
      ['--ssl-protocols', '', '--ssl-ciphers', 'AES128-SHA'],
      '--ssl-protocols is empty: a custom SSL policy must enable at least one protocol.',
    ],
    [
      ['--ssl-protocols', 'TLSv1.2', '--ssl-ciphers', ','],
      '--ssl-ciphers is empty: a custom SSL policy must enable at least one cipher.',
    ],
    [
      ['--ssl-protocols', 'TLSv1.3', '--ssl-ciphers', 'AES128-SHA'],
      '--ssl-protocols: Classic Load Balancers do not support TLSv1.3.',
    ],
    [
      ['--ssl-protocols', 'SSLv2', '--ssl-ciphers', 'AES128-SHA'],
      '--ssl-protocols: SSLv2 is deprecated and Classic Load Balancers refuse it.',
    ],
    [
      ['--ssl-protocols', 'TLSv1.2', '--ssl-ciphers', 'AES128_SHA'],
      '--ssl-ciphers: "AES128_SHA" is not a cipher name.',
    ],
    [['--ssl-policy', 'TLS-1-2-2017-01', '--port', '70000'], '--port must be from 1 to 65535, got 70000.'],
    [
      ['--ssl-server-order'],
      '--ssl-server-order applies to a custom policy: give --ssl-protocols and --ssl-ciphers with it.',
    ],
    [[], 'Missing --ssl-policy NAME (or --ssl-protocols and --ssl-ciphers): which SSL security policy?'],
  ])('refuses %j with exit 2 and no request', async (args, message) => {
    const result = await runCli(['policy', 'ssl', '-n', 'web', ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`Error: ${message}`)
    expect(result.requests).toHaveLength(0)
  })

  it.each([
    [
      ['-n', 'web', '--ssl-policy', 'TLS-1-2-2017-01', '--ssl-protocols', 'TLSv1.2'],
      '--ssl-protocols=TLSv1.2 cannot also be provided when using --ssl-policy',
    ],
    [['--list', '--name', 'web'], '--name=web cannot also be provided when using --list'],
    [
      ['--show', '-n', 'web', '--ssl-policy', 'TLS-1-2-2017-01'],
      '--ssl-policy=TLS-1-2-2017-01 cannot also be provided when using --show',
    ],
    [['--ssl-policy', 'TLS-1-2-2017-01'], 'Missing --name: which load balancer?'],
    [['-n', '-bad-', '--ssl-policy', 'TLS-1-2-2017-01'], 'Load balancer name "-bad-" begins with a hyphen.'],
  ])('refuses conflicting or missing flags %j with exit 2 and no request', async (args, message) => {
    const result = await runCli(['policy', 'ssl', ...args, '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson<{error: {message: string; exitCode: number}}>(result).error).toMatchObject({
      message: expect.stringContaining(message),
      exitCode: 2,
    })
    expect(result.requests).toHaveLength(0)
  })

  it.each([
    [['--predefined', 'TLS-1-2-2017-01'], 'predefined', 'ssl-policy'],
    [['--protocols', 'TLSv1.2', '--ssl-ciphers', 'AES128-SHA'], 'protocols', 'ssl-protocols'],
    [['--ssl-protocols', 'TLSv1.2', '--ciphers', 'AES128-SHA'], 'ciphers', 'ssl-ciphers'],
    [
      ['--ssl-protocols', 'TLSv1.2', '--ssl-ciphers', 'AES128-SHA', '--server-order'],
      'server-order',
      'ssl-server-order',
    ],
    [['--ssl-policy', 'TLS-1-2-2017-01', '--policy-name', 'mine'], 'policy-name', 'ssl-policy-name'],
  ])('takes the old spelling %j for one release, warning that it is deprecated', async (args, old, now) => {
    // --port 70000 stops the run after parsing, before any request.
    const result = await runCli(['policy', 'ssl', '-n', 'web', ...args, '--port', '70000'])
    expect(result.stderr).toContain(
      `Warning: The "--${old}" flag has been deprecated. Use "--${now}" instead.`,
    )
    expect(result.stderr).toContain('--port must be from 1 to 65535, got 70000.')
    expect(result.requests).toHaveLength(0)
  })

  it('refuses a cipher elbx does not know before any request, with the closest names', async () => {
    const result = await runCli([
      'policy',
      'ssl',
      '-n',
      'web',
      '--ssl-protocols',
      'TLSv1.2',
      '--ssl-ciphers',
      'ECDHE-RSA-AES128-GCM-SHA265',
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(
      'Error: --ssl-ciphers: "ECDHE-RSA-AES128-GCM-SHA265" is not a cipher of Classic Load Balancers (SSLNegotiationPolicyType)',
    )
    expect(result.stderr).toContain('did you mean ECDHE-RSA-AES128-GCM-SHA256')
    expect(result.requests).toEqual([])
  })
})

describe('elbx policy backend-auth', () => {
  it('sets the openssl-derived public key on the instance port, and a rerun creates nothing', async () => {
    const first = await runCli([
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      cert.certFile,
      '--json',
    ])
    expect(first.exitCode).toBe(0)
    const doc = parseJson<{status: string; publicKeyPolicies: string[]; keys: {source: string}[]}>(first)
    expect(doc).toMatchObject({
      status: 'created',
      instancePort: 443,
      keys: [{file: cert.certFile, source: 'certificate'}],
    })
    expect(operations(first).filter((o) => o === 'CreateLoadBalancerPolicy')).toHaveLength(2)

    const again = await runCli([
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      cert.certFile,
    ])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('already set: unchanged')
    expect(operations(again)).toEqual(['DescribeLoadBalancers', 'DescribeLoadBalancerPolicies'])
    expect(opensslPublicKeyAttribute(cert.certFile)).toMatch(/^MFkw/)
  })

  it('uses the first certificate of a bundle and says so on stderr', async () => {
    const other = makeCertificate({keyType: 'rsa', commonName: 'first.example.com'})
    const bundle = join(other.dir, 'bundle.pem')
    writeFileSync(bundle, other.cert + cert.cert)
    const result = await runCli([
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      bundle,
    ])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('holds 2 certificates; elbx used the first (CN=first.example.com)')
  })

  it('refuses an instance port reached over HTTP, explaining that it needs an encrypted back-end connection', async () => {
    const result = await runCli([
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '80',
      '--backend-auth-cert',
      cert.certFile,
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Error: Instance port 80 of "web" is reached over HTTP')
    expect(result.stderr).toContain('Hint: Back-end authentication needs an encrypted back-end connection')
    expect(operations(result)).toEqual(['DescribeLoadBalancers'])
  })

  it.each([
    ['a private key', () => cert.keyFile, 'holds a private key.'],
    ['a CSR', () => csrFile(), 'holds a certificate signing request (CSR), not a certificate or public key.'],
    ['an empty file', () => file('empty.pem', ''), 'is empty.'],
    [
      'garbage',
      () => file('garbage.bin', Buffer.from([0x30, 0x03, 0x01, 0x02, 0x03, 0xff])),
      'is neither a PEM nor a DER certificate or public key.',
    ],
    [
      'a truncated PEM',
      () => file('cut.pem', cert.cert.slice(0, 120)),
      'has no matching END line (the file is truncated).',
    ],
    ['a missing file', () => join(cert.dir, 'missing.pem'), 'no such file.'],
  ])('refuses %s with exit 2, naming the file, and no request', async (_, path, message) => {
    const p = path()
    const result = await runCli([
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      p,
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`--backend-auth-cert ${p}`)
    expect(result.stderr).toContain(message)
    expect(result.stdout + result.stderr).not.toContain(cert.key.split('\n')[1]!)
    expect(result.requests).toHaveLength(0)
  })

  it.each([
    [
      ['--instance-port', '0', '--backend-auth-cert', 'x.pem'],
      '--instance-port must be from 1 to 65535, got 0.',
    ],
    [
      ['--instance-port', '443'],
      "Missing --backend-auth-cert: which file has the instances' certificate or public key?",
    ],
  ])('refuses %j with exit 2 and no request', async (args, message) => {
    const result = await runCli(['policy', 'backend-auth', '-n', 'web', ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.requests).toHaveLength(0)
  })

  it('takes the old --cert spelling for one release, warning that it is deprecated', async () => {
    const result = await runCli([
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '0',
      '--cert',
      'x.pem',
    ])
    expect(result.stderr).toContain(
      'Warning: The "--cert" flag has been deprecated. Use "--backend-auth-cert" instead.',
    )
    // Parsed as --backend-auth-cert: the run gets as far as checking --instance-port.
    expect(result.stderr).toContain('--instance-port must be from 1 to 65535, got 0.')
    expect(result.exitCode).toBe(2)
  })

  it('with no flags names every missing one with its dashes, --name first, in one message', async () => {
    const result = await runCli(['policy', 'backend-auth', '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson<{error: {message: string; details: unknown}}>(result).error).toMatchObject({
      message:
        "Missing --name, --instance-port, --backend-auth-cert: which load balancer; which instance port to authenticate; which file has the instances' certificate or public key?",
      details: {missing: ['--name', '--instance-port', '--backend-auth-cert']},
    })
    expect(result.requests).toHaveLength(0)
  })
})

function file(name: string, content: string | Buffer): string {
  const path = join(cert.dir, name)
  writeFileSync(path, content)
  return path
}

function csrFile(): string {
  const csr = execFileSync('openssl', ['req', '-new', '-key', cert.keyFile, '-subj', '/CN=x'], {
    encoding: 'utf8',
  })
  return file('req.csr', csr)
}
