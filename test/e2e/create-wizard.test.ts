/**
 * `elbx create` in a terminal with nothing given: the console's wizard, driven through a real
 * pseudo-terminal as a person would, against moto. Without a terminal, the same command is exit 2.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {RunInstancesCommand} from '@aws-sdk/client-ec2'
import {ListServerCertificatesCommand} from '@aws-sdk/client-iam'

import type {RequestRecord} from '../../src/aws/request-log.js'
import {runCli} from '../helpers/cli.js'
import {makeCertificate} from '../helpers/certs.js'
import {sdkClients} from '../helpers/moto.js'
import {KEYS, PtySession, plain} from '../helpers/pty.js'

const pair = makeCertificate()

/** Runs elbx in a pseudo-terminal with a request log, so a test can see what reached AWS. */
function terminal(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'elbx-wizard-'))
  const log = join(dir, 'requests.jsonl')
  const session = new PtySession(args, {ELBX_REQUEST_LOG: log})
  const requests = (): RequestRecord[] => {
    try {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RequestRecord)
    } catch {
      return []
    }
  }
  const cleanup = () => {
    session.close()
    rmSync(dir, {recursive: true, force: true})
  }
  return {session, requests, cleanup}
}

async function loadBalancerNames(): Promise<string[]> {
  const {elb} = sdkClients()
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({}))
    return (out.LoadBalancerDescriptions ?? []).map((d) => d.LoadBalancerName!)
  } finally {
    elb.destroy()
  }
}

describe('elbx create in a terminal: the wizard', () => {
  let instances: string[]

  beforeAll(async () => {
    // Two running instances in moto's default VPC, where the wizard's default subnets are.
    const {ec2} = sdkClients()
    try {
      const out = await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          MinCount: 2,
          MaxCount: 2,
          InstanceType: 't3.micro',
        }),
      )
      instances = out.Instances!.map((i) => i.InstanceId!)
    } finally {
      ec2.destroy()
    }
  })

  it('asks for everything, shows the review, and creates the load balancer once confirmed', async () => {
    const {session, requests, cleanup} = terminal(['create'])
    try {
      await session.expect('Load balancer name')
      // Checked as typed: a bad name is refused on the spot.
      session.line('-bad')
      await session.expect(/begins with a hyphen/)
      session.send(KEYS.backspace.repeat(4))
      session.line('wizard-web')

      await session.expect('Listeners')
      // The second choice: HTTPS 443 -> HTTPS 443, which offers back-end authentication.
      session.send(KEYS.down)
      session.send(KEYS.enter)

      await session.expect('Certificate for the HTTPS listener')
      await session.expect('Upload certificate files to IAM')
      // moto has no ACM or IAM certificate yet: the upload is the only choice.
      session.send(KEYS.enter)
      await session.expect('Certificate file (PEM)')
      session.line(pair.certFile)
      await session.expect('Private key file (PEM; never printed)')
      session.line(pair.keyFile)
      await session.expect('Certificate chain file')
      session.send(KEYS.enter)

      await session.expect('Subnets (one VPC')
      await session.expect('(default VPC)')
      // The default VPC's subnets are ticked: accept them.
      session.send(KEYS.enter)

      await session.expect('SSL security policy')
      await session.expect('(recommended: TLS 1.2 only)')
      session.send(KEYS.enter)

      await session.expect('Enable back-end authentication on instance port 443?')
      session.line('n')

      await session.expect('Health check target')
      session.send(KEYS.enter)

      await session.expect('Instances to register with wizard-web')
      await session.expect(instances[1]!)
      session.send(KEYS.space)
      session.send(KEYS.down)
      session.send(KEYS.space)
      session.send(KEYS.enter)

      await session.expect('Review')
      await session.expect('Create the load balancer?')
      const review = plain(session.output)
      expect(review).toMatch(/name +wizard-web/)
      expect(review).toMatch(/listener +HTTPS 443 -> HTTPS 443/)
      expect(review).toMatch(new RegExp(`certificate +upload ${pair.certFile}`))
      expect(review).toMatch(/ssl policy +ELBSecurityPolicy-TLS-1-2-2017-01/)
      expect(review).toMatch(/health check +HTTP:80\//)
      expect(review).toMatch(new RegExp(`instances +${instances[0]}, ${instances[1]}`))
      // Nothing was changed before the review: only reads so far.
      expect(requests().filter((r) => !/^(Describe|List|Get)/.test(r.operation))).toEqual([])
      session.send(KEYS.enter)

      expect(await session.exitCode()).toBe(0)
      const screen = plain(session.output)
      expect(screen).toMatch(
        /Load balancer wizard-web \(internet-facing\), created server-certificate elbx-wizard-web-/,
      )
      expect(screen).not.toContain(pair.key.split('\n')[1]!)
    } finally {
      cleanup()
    }

    const {elb} = sdkClients()
    try {
      const lb = (await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['wizard-web']})))
        .LoadBalancerDescriptions![0]!
      expect(lb.ListenerDescriptions!.map((d) => d.Listener!.LoadBalancerPort).sort()).toEqual([443, 80])
      expect(lb.HealthCheck?.Target).toBe('HTTP:80/')
      expect(lb.Instances!.map((i) => i.InstanceId).sort()).toEqual([...instances].sort())
      expect(lb.BackendServerDescriptions ?? []).toEqual([])
      const on443 = lb.ListenerDescriptions!.find((d) => d.Listener!.LoadBalancerPort === 443)!
      const [policy] = (
        await elb.send(
          new DescribeLoadBalancerPoliciesCommand({
            LoadBalancerName: 'wizard-web',
            PolicyNames: on443.PolicyNames,
          }),
        )
      ).PolicyDescriptions!
      expect(policy!.PolicyAttributeDescriptions).toContainEqual({
        AttributeName: 'Reference-Security-Policy',
        AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01',
      })
    } finally {
      elb.destroy()
    }
  })

  it('declining at the review exits 5 (a confirmation declined) and creates nothing', async () => {
    const before = await loadBalancerNames()
    const {session, requests, cleanup} = terminal([
      'create',
      '--https',
      '--certificate-file',
      pair.certFile,
      '--private-key-file',
      pair.keyFile,
      '--availability-zones',
      'us-east-1a',
      '--ssl-policy',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      '--health-check',
      'TCP:80',
      '--instances',
      instances.join(','),
    ])
    try {
      // Only the name is missing: it is asked for, then the review.
      await session.expect('Load balancer name')
      session.line('wizard-no')
      await session.expect('Create the load balancer?')
      session.line('n')
      expect(await session.exitCode()).toBe(5)
      expect(plain(session.output)).toMatch(/Cancelled at the review: nothing was created/)
      expect(requests().filter((r) => !/^(Describe|List|Get)/.test(r.operation))).toEqual([])
    } finally {
      cleanup()
    }
    expect(await loadBalancerNames()).toEqual(before)
    const {iam} = sdkClients()
    try {
      const certificates = (await iam.send(new ListServerCertificatesCommand({})))
        .ServerCertificateMetadataList
      expect((certificates ?? []).map((c) => c.ServerCertificateName)).not.toContainEqual(
        expect.stringMatching(/^elbx-wizard-no-/),
      )
    } finally {
      iam.destroy()
    }
  })
})

describe('elbx create in a terminal: answers are checked as they are given', () => {
  it('refuses a private key as the certificate on the spot, and a refusal after the review asks that question again', async () => {
    const {session, requests, cleanup} = terminal([
      'create',
      '--ssl-policy',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      '--availability-zones',
      'us-east-1a',
      '--health-check',
      'TCP:80',
      '--wait',
      'none',
    ])
    try {
      await session.expect('Load balancer name')
      session.line('wizard-again')
      await session.expect('Listeners')
      // HTTP only: but --ssl-policy needs an HTTPS listener, which only the whole check sees.
      session.send(KEYS.down + KEYS.down)
      session.send(KEYS.enter)
      await session.expect(/Instances to register with wizard-again|No running instances/)
      if (plain(session.output).includes('Instances to register')) {
        session.send(KEYS.space)
        session.send(KEYS.enter)
      }
      await session.expect('Create the load balancer?')
      session.send(KEYS.enter)

      // Not back to the shell: the refusal, then the listeners question again.
      await session.expect('An SSL negotiation policy needs an HTTPS or SSL listener')
      await session.expect('Asking again:')
      await session.expect(/Asking again:[\s\S]*Listeners/)
      session.send(KEYS.enter)

      // HTTPS now needs a certificate, which was not asked before.
      await session.expect('Certificate for the HTTPS listener')
      await session.expect('Upload certificate files to IAM')
      // The last choice (the list wraps round), below any certificate an earlier test uploaded.
      session.send(KEYS.up)
      session.send(KEYS.enter)
      await session.expect('Certificate file (PEM)')
      session.line(pair.keyFile)
      await session.expect(/--certificate-file .* not a certificate/)
      session.send(KEYS.backspace.repeat(pair.keyFile.length))
      session.line(pair.certFile)
      await session.expect('Private key file (PEM; never printed)')
      // The certificate given as its own key: refused as the --private-key-file flag would be.
      session.line(pair.certFile)
      await session.expect(/--private-key-file .* not a private key/)
      session.send(KEYS.backspace.repeat(pair.certFile.length))
      session.line(pair.keyFile)
      await session.expect('Certificate chain file')
      session.send(KEYS.enter)

      await session.expect(/certificate +upload[\s\S]*Create the load balancer\?/)
      const review = plain(session.output)
      expect(review.slice(review.lastIndexOf('Review'))).toMatch(/listener +HTTPS 443 -> HTTP 80/)
      session.line('n')
      expect(await session.exitCode()).toBe(5)
      expect(plain(session.output)).not.toContain(pair.key.split('\n')[1]!)
      expect(requests().filter((r) => !/^(Describe|List|Get)/.test(r.operation))).toEqual([])
    } finally {
      cleanup()
    }
  })
})

describe('elbx create in a terminal with a bad value', () => {
  it('is exit 2 before the first question, saying what is wrong', async () => {
    const {session, requests, cleanup} = terminal(['create', '--https', '--health-check', 'HTTP:80'])
    try {
      expect(await session.exitCode()).toBe(2)
      const screen = plain(session.output)
      expect(screen).toContain('Health check target "HTTP:80" has no ping path')
      expect(screen).not.toContain('Load balancer name')
      expect(requests()).toEqual([])
    } finally {
      cleanup()
    }
  })
})

describe('elbx create without a terminal', () => {
  it('with nothing given is exit 2 listing every missing flag in one message, and sends no request', async () => {
    const result = await runCli(['create'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/Missing --name, --https \(or --listener\): /)
    expect(result.stderr.match(/Missing/g)).toHaveLength(1)
    expect(result.requests).toHaveLength(0)
  })

  it('lists the certificate too once an HTTPS listener is asked for', async () => {
    const result = await runCli(['create', '--https', '--json'])
    expect(result.exitCode).toBe(2)
    const {error} = JSON.parse(result.stdout) as {error: {message: string; details: {missing: string[]}}}
    expect(error.details.missing).toEqual([
      '--name',
      '--certificate (or --certificate-file and --private-key-file)',
    ])
    expect(result.requests).toHaveLength(0)
  })
})
