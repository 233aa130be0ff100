import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {GetServerCertificateCommand, UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import {makeCertificate, type CertificatePair} from '../helpers/certs.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {startHttpsServer, type LocalServer} from '../helpers/local-servers.js'
import {createLoadBalancerWithPolicies, sdkClients} from '../helpers/moto.js'

const ARN = (name: string) => `arn:aws:iam::123456789012:server-certificate/${name}`
const writes = (r: CliResult) =>
  r.requests.map((q) => q.operation).filter((o) => !/^(Describe|List|Get)/.test(o))

let fresh: CertificatePair

/** A load balancer whose HTTPS 443 serves `certificate` with a custom SSL policy and stickiness. */
async function arrange(name: string, certificate: string): Promise<void> {
  const {elb} = sdkClients()
  try {
    await createLoadBalancerWithPolicies(elb, name, ARN(certificate))
  } finally {
    elb.destroy()
  }
}

async function listener443(name: string) {
  const {elb} = sdkClients()
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
    return out.LoadBalancerDescriptions![0]!.ListenerDescriptions!.find(
      (l) => l.Listener!.LoadBalancerPort === 443,
    )!
  } finally {
    elb.destroy()
  }
}

async function iamHolds(name: string): Promise<boolean> {
  const {iam} = sdkClients()
  try {
    await iam.send(new GetServerCertificateCommand({ServerCertificateName: name}))
    return true
  } catch {
    return false
  } finally {
    iam.destroy()
  }
}

async function upload(name: string, pair: CertificatePair): Promise<string> {
  const {iam} = sdkClients()
  try {
    const out = await iam.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: name,
        CertificateBody: pair.cert,
        PrivateKey: pair.key,
      }),
    )
    return out.ServerCertificateMetadata!.Arn!
  } finally {
    iam.destroy()
  }
}

beforeAll(async () => {
  fresh = makeCertificate({commonName: 'www.example.com'})
  await arrange('web', 'web-old')
})

const files = () => ['--certificate-file', fresh.certFile, '--private-key-file', fresh.keyFile]

describe('elbx cert rotate', () => {
  it('refuses bad input before any request (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--name', 'web'], /Missing --certificate ARN/],
      [files(), /Missing --name/],
      [['--name', 'web', ...files(), '--port', '70000'], /--port/],
      [['--name', 'web', '--certificate', 'ASCAEXAMPLE1234567890'], /IAM certificate ID, not an ARN/],
      [
        ['--name', 'web', '--certificate-file', '/nonexistent.pem', '--private-key-file', fresh.keyFile],
        /nonexistent/,
      ],
      [['--name', 'web', ...files(), '--port', '443', '--all-ports'], /cannot also be provided/],
      [['--name', 'web', ...files(), '--connect-to', '::127.0.0.1:1'], /--verify/],
      [
        ['--replace', ARN('x'), '--all-load-balancers', ...files()],
        /--all-load-balancers takes the new certificate by --certificate ARN/,
      ],
      [['--name', 'web', '--certificate', ARN('a'), '--replace', ARN('a')], /same certificate/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(['cert', 'rotate', ...args])
      expect({args, exit: r.exitCode}).toEqual({args, exit: 2})
      expect(r.stderr).toMatch(message)
      expect(r.requests).toEqual([])
    }
  })

  it('warns before uploading a key under 2048 bits or a SHA-1 signature (as create does)', async () => {
    const weak = makeCertificate({rsaBits: 1024, digest: 'sha1'})
    const r = await runCli([
      'cert',
      'rotate',
      '--name',
      'web',
      '--certificate-file',
      weak.certFile,
      '--private-key-file',
      weak.keyFile,
      '--dry-run',
    ])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/Warning: .*its RSA key has 1024 bits; browsers refuse RSA keys under 2048 bits/)
    expect(r.stderr).toMatch(/Warning: .*signed with SHA-1/)
    expect(writes(r)).toEqual([])
  })

  it('without --yes and no terminal: exit 2 with the plan, nothing written', async () => {
    const r = await runCli(['cert', 'rotate', '--name', 'web', ...files(), '--json'])
    expect(r.exitCode).toBe(2)
    const doc = parseJson<{error: {details: {plan: {action: string}[]}}}>(r)
    expect(doc.error.details.plan.map((p) => p.action)).toEqual([
      'UploadServerCertificate',
      'SetLoadBalancerListenerSSLCertificate',
    ])
    expect(writes(r)).toEqual([])
  })

  it('--dry-run prints the upload and the swap as aws CLI commands, and sends neither', async () => {
    const r = await runCli(['cert', 'rotate', '--name', 'web', ...files(), '--dry-run'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain(`aws iam upload-server-certificate --server-certificate-name elbx-web-`)
    expect(r.stdout).toContain(
      `--certificate-body file://${fresh.certFile} --private-key file://${fresh.keyFile}`,
    )
    expect(r.stdout).toMatch(
      /aws elb set-load-balancer-listener-ssl-certificate --load-balancer-name web --load-balancer-port 443 --ssl-certificate-id "\$\(aws iam get-server-certificate/,
    )
    expect(writes(r)).toEqual([])
  })

  it('--yes uploads and swaps in place: the custom SSL policy and stickiness stay; a rerun is unchanged', async () => {
    const r = await runCli(['cert', 'rotate', '--name', 'web', ...files(), '--yes', '--json'])
    expect(r.exitCode).toBe(0)
    const doc = parseJson<{changed: boolean; state: {certificate: {arn: string; status: string}}}>(r)
    expect(doc).toMatchObject({
      changed: true,
      state: {
        certificate: {status: 'uploaded'},
        listeners: [
          {loadBalancerName: 'web', loadBalancerPort: 443, from: ARN('web-old'), status: 'swapped'},
        ],
      },
    })
    expect(writes(r)).toEqual(['UploadServerCertificate', 'SetLoadBalancerListenerSSLCertificate'])
    const after = await listener443('web')
    expect(after.Listener!.SSLCertificateId).toBe(doc.state.certificate.arn)
    expect([...after.PolicyNames!].sort()).toEqual(['custom-ssl', 'sticky'])

    const again = await runCli(['cert', 'rotate', '--name', 'web', ...files()])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('Load balancer web: nothing to change (unchanged).')
    expect(writes(again)).toEqual([])
  })

  describe('--verify', () => {
    let served: LocalServer | undefined
    afterEach(async () => served?.close())

    it('puts the old certificate back and deletes the upload when the listener does not serve the new one (exit 4)', async () => {
      const old = makeCertificate({commonName: 'old.example.com'})
      await arrange('stale', 'stale-old')
      // The "listener" keeps serving another certificate: the rotation did not take.
      served = await startHttpsServer(old)
      const args = [
        'cert',
        'rotate',
        '--name',
        'stale',
        ...files(),
        '--verify',
        '--connect-to',
        `::127.0.0.1:${served.port}`,
        '--verify-timeout',
        '1',
        '--yes',
      ]
      const r = await runCli(args)
      expect(r.exitCode).toBe(4)
      expect(r.stderr).toMatch(/does not serve the new certificate/)
      // Undone newest first: the old certificate goes back on the listener, then the upload is deleted.
      expect(r.stderr).toMatch(
        /Rolled back: deleted change to listener 443 of stale, server-certificate elbx-stale-/,
      )
      const after = await listener443('stale')
      expect(after.Listener!.SSLCertificateId).toBe(ARN('stale-old'))
      expect([...after.PolicyNames!].sort()).toEqual(['custom-ssl', 'sticky'])
      expect(writes(r)).toEqual([
        'UploadServerCertificate',
        'SetLoadBalancerListenerSSLCertificate',
        'SetLoadBalancerListenerSSLCertificate',
        'DeleteServerCertificate',
      ])

      // The same again under --json: the listener's fate and the failed check beside the error.
      const json = await runCli([...args, '--json'])
      expect(json.exitCode).toBe(4)
      expect(parseJson(json)).toMatchObject({
        state: {
          listeners: [{loadBalancerPort: 443, status: 'restored', certificateArn: ARN('stale-old')}],
          verification: [{loadBalancerPort: 443, status: 'fail'}],
        },
        error: {exitCode: 4},
      })
    })

    it('passes when the listener serves the new certificate, and --delete-old then deletes the replaced one', async () => {
      const old = makeCertificate({commonName: 'www.example.com'})
      const oldArn = await upload('served-old', old)
      const next = makeCertificate({commonName: 'www.example.com'})
      const nextArn = await upload('served-new', next)
      await arrange('served', 'served-old')
      served = await startHttpsServer(next)
      const r = await runCli([
        'cert',
        'rotate',
        '--name',
        'served',
        '--certificate',
        nextArn,
        '--verify',
        '--connect-to',
        `::127.0.0.1:${served.port}`,
        '--delete-old',
        '--yes',
        '--json',
      ])
      expect(r.exitCode).toBe(0)
      const doc = parseJson<{state: {verification: {status: string}[]; oldCertificates: unknown[]}}>(r)
      expect(doc.state.verification.map((v) => v.status)).toEqual(['pass'])
      expect(doc.state.oldCertificates).toEqual([{arn: oldArn, status: 'deleted', usedBy: []}])
      expect(await iamHolds('served-old')).toBe(false)
      expect((await listener443('served')).Listener!.SSLCertificateId).toBe(nextArn)
    })
  })

  it('--replace --all-load-balancers swaps every listener in the Region that serves the old certificate, listing them first', async () => {
    const shared = makeCertificate()
    const sharedArn = await upload('shared-old', shared)
    const nextArn = await upload('shared-new', makeCertificate())
    await arrange('shared-a', 'shared-old')
    await arrange('shared-b', 'shared-old')
    const r = await runCli([
      'cert',
      'rotate',
      '--replace',
      sharedArn,
      '--certificate',
      nextArn,
      '--all-load-balancers',
      '--delete-old',
      '--yes',
    ])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('SetLoadBalancerListenerSSLCertificate listener 443 of shared-a')
    expect(r.stderr).toContain('SetLoadBalancerListenerSSLCertificate listener 443 of shared-b')
    expect(r.stdout).toContain(`deleted the replaced certificate ${sharedArn}`)
    expect((await listener443('shared-a')).Listener!.SSLCertificateId).toBe(nextArn)
    expect((await listener443('shared-b')).Listener!.SSLCertificateId).toBe(nextArn)
    expect((await listener443('web')).Listener!.SSLCertificateId).not.toBe(nextArn)

    const again = await runCli([
      'cert',
      'rotate',
      '--replace',
      sharedArn,
      '--certificate',
      nextArn,
      '--all-load-balancers',
    ])
    expect(again.exitCode).toBe(0)
    expect(writes(again)).toEqual([])
  })
})
