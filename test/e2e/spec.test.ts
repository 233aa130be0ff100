/**
 * export, diff -f and apply -f as a user runs them (the built binary, no TTY) against moto: the
 * seed's workflow with a custom SSL policy and back-end authentication by two keys, exported,
 * diffed (no difference), applied (nothing to change), applied on a new name (same spec back),
 * changed in each field (diff shows it, apply converges it), and bad files refused before any request.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {RequestRecord} from '../../src/aws/request-log.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {makeCertificate} from '../helpers/certs.js'
import {seedNetwork, type SeededNetwork} from '../helpers/moto.js'

const pair = makeCertificate()
const instanceKey = makeCertificate({commonName: 'instance-a'})
const otherKey = makeCertificate({commonName: 'instance-b'})
const dir = mkdtempSync(join(tmpdir(), 'elbx-spec-'))

const READ = /^(Describe|List|Get)/
const writesOf = (requests: RequestRecord[]) =>
  requests.map((r) => r.operation).filter((op) => !READ.test(op))

const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('elbx export, diff -f and apply -f', () => {
  let net: SeededNetwork
  let exported: string

  beforeAll(async () => {
    net = await seedNetwork({instances: 2})
    const created = await runCli([
      'create',
      '--name',
      'spec-web',
      '--https',
      '--backend-https',
      '--certificate-file',
      pair.certFile,
      '--private-key-file',
      pair.keyFile,
      '--ssl-protocols',
      'TLSv1.2',
      '--ssl-ciphers',
      'ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384',
      '--backend-auth-cert',
      instanceKey.certFile,
      '--backend-auth-cert',
      otherKey.certFile,
      '--health-check',
      'HTTP:80/ping',
      '--instances',
      net.instanceIds.join(','),
      '--subnets',
      net.subnets.map((s) => s.subnetId).join(','),
      '--tag',
      'team=web',
      '--wait',
      'none',
    ])
    expect(created.stderr).not.toMatch(/Error|failed/)
    expect(created.exitCode).toBe(0)
    const result = await runCli(['export', '--name', 'spec-web'])
    expect(result.exitCode).toBe(0)
    expect(writesOf(result.requests)).toEqual([])
    exported = result.stdout
  })

  it('exports the load balancer by content, without any private key', () => {
    expect(exported).toMatch(/^version: elbx\/v1\nname: spec-web\n/)
    expect(exported).toContain('protocols:\n        - TLSv1.2')
    expect(exported).toContain('ECDHE-RSA-AES256-GCM-SHA384')
    expect(exported.match(/BEGIN PUBLIC KEY/g)).toHaveLength(2)
    expect(exported).not.toMatch(/PRIVATE KEY|Protocol-TLSv1/)
  })

  it('export --json prints one JSON document; --all -o DIR/ writes one file per load balancer', async () => {
    const json = await runCli(['export', '--name', 'spec-web', '--json'])
    expect(json.exitCode).toBe(0)
    expect(parseJson(json)).toMatchObject({loadBalancers: [{name: 'spec-web'}], written: []})
    const folder = join(dir, 'all') + '/'
    const all = await runCli(['export', '--all', '-o', folder])
    expect(all.exitCode).toBe(0)
    expect(readFileSync(join(folder, 'spec-web.yaml'), 'utf8')).toBe(exported)
    const missing = await runCli(['export'])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toMatch(/Missing --name \(or --all\)/)
  })

  it('diff of the exported spec shows no difference (exit 0); apply changes nothing', async () => {
    const file = write('web.yaml', exported)
    const diff = await runCli(['diff', '-f', file, '--json'])
    expect(diff.stderr).toBe('')
    expect(diff.exitCode).toBe(0)
    expect(parseJson(diff)).toEqual({
      drift: false,
      loadBalancers: [{name: 'spec-web', exists: true, differences: []}],
    })
    const apply = await runCli(['apply', '-f', file])
    expect(apply.exitCode).toBe(0)
    expect(apply.stdout).toContain('Nothing to change')
    expect(writesOf(apply.requests)).toEqual([])
  })

  it('applies the spec on a new name, and exports the same spec back (round trip)', async () => {
    const renamed = exported.replace('name: spec-web', 'name: spec-copy')
    const file = write('copy.yaml', renamed)
    const apply = await runCli(['apply', '-f', file])
    expect(apply.stderr).not.toMatch(/Error/)
    expect(apply.exitCode).toBe(0)
    const back = await runCli(['export', '--name', 'spec-copy'])
    expect(back.stdout).toBe(renamed)
    expect((await runCli(['diff', '-f', file])).exitCode).toBe(0)
  })

  it('shows a spec that differs (exit 7) and converges it; then no difference', async () => {
    const changed = exported
      .replace('interval: 30', 'interval: 15')
      .replace('idleTimeout: 60', 'idleTimeout: 120')
      .replace('team: web', 'team: api')
      .replace('        - ECDHE-RSA-AES256-GCM-SHA384\n', '')
    const file = write('changed.yaml', changed)
    const diff = await runCli(['diff', '-f', file])
    expect(diff.exitCode).toBe(7)
    expect(diff.stdout).toMatch(/ConfigureHealthCheck/)
    expect(diff.stdout).toMatch(/ModifyLoadBalancerAttributes/)
    expect(diff.stdout).toMatch(/AddTags/)
    expect(diff.stdout).toMatch(/SetLoadBalancerPoliciesOfListener/)
    const refused = await runCli(['apply', '-f', file])
    expect(refused.exitCode).toBe(2)
    expect(writesOf(refused.requests)).toEqual([])
    const dryRun = await runCli(['apply', '-f', file, '--dry-run'])
    expect(dryRun.exitCode).toBe(0)
    expect(dryRun.stdout).toMatch(/^aws elb configure-health-check /m)
    expect(writesOf(dryRun.requests)).toEqual([])
    const apply = await runCli(['apply', '-f', file, '--yes'])
    expect(apply.exitCode).toBe(0)
    expect(writesOf(apply.requests)).not.toContain('DeleteLoadBalancerListeners')
    expect((await runCli(['diff', '-f', file])).exitCode).toBe(0)
  })

  it('removes a listener the spec no longer names only with --prune', async () => {
    const now = (await runCli(['export', '--name', 'spec-web'])).stdout
    const without = now.replace(/ {2}- protocol: HTTP\n( {4}.*\n)+?(?= {2}- )/, '')
    expect(without).not.toContain('loadBalancerPort: 80\n')
    const file = write('pruned.yaml', without)
    expect((await runCli(['diff', '-f', file])).exitCode).toBe(0)
    const diff = await runCli(['diff', '-f', file, '--prune'])
    expect(diff.exitCode).toBe(7)
    expect(diff.stdout).toMatch(/listener 80: the spec does not name HTTP 80 -> HTTP 80 \(--prune\)/)
    const apply = await runCli(['apply', '-f', file, '--prune', '--yes'])
    expect(apply.exitCode).toBe(0)
    // The listener, and the custom SSL policy the earlier test replaced (elbx made it; nothing uses it).
    expect(writesOf(apply.requests)).toEqual(['DeleteLoadBalancerListeners', 'DeleteLoadBalancerPolicy'])
    expect(apply.stderr).toMatch(
      /DeleteLoadBalancerPolicy policy elbx-ssl-custom-\w+ \(SSLNegotiationPolicyType\)/,
    )
    expect((await runCli(['diff', '-f', file, '--prune'])).exitCode).toBe(0)
  })

  it('create --dry-run --export-spec writes the spec create would apply; apply -f makes it', async () => {
    const file = join(dir, 'from-create.yaml')
    const args = [
      'create',
      '--name',
      'spec-new',
      '--listener',
      'https:443:http:80',
      '--certificate-file',
      pair.certFile,
      '--private-key-file',
      pair.keyFile,
      '--subnets',
      net.subnets.map((s) => s.subnetId).join(','),
      '--health-check',
      'HTTP:80/',
      '--tag',
      'team=new',
    ]
    const dryRun = await runCli([...args, '--dry-run', '--export-spec', file])
    expect(dryRun.exitCode).toBe(0)
    expect(writesOf(dryRun.requests)).toEqual([])
    const spec = readFileSync(file, 'utf8')
    expect(spec).toContain(`certificateFile: ${pair.certFile}`)
    expect(spec).toContain('sslPolicy: ELBSecurityPolicy-TLS-1-2-2017-01')
    expect(spec).not.toMatch(/PRIVATE KEY-----/)
    const apply = await runCli(['apply', '-f', file])
    expect(apply.exitCode).toBe(0)
    expect(writesOf(apply.requests)).toContain('CreateLoadBalancer')
    expect((await runCli(['diff', '-f', file])).exitCode).toBe(0)
    // What create would do is what apply did: create with the same flags changes nothing.
    const again = await runCli(args)
    expect(again.exitCode).toBe(0)
    expect(writesOf(again.requests)).toEqual([])
  })

  it.each([
    [
      'an unknown field',
      (t: string) => t.replace('idleTimeout:', 'idleTimeot:'),
      /:\d+: attributes\.idleTimeot is not a field here: did you mean idleTimeout\?/,
    ],
    [
      'a wrong type',
      (t: string) => t.replace('loadBalancerPort: 443', 'loadBalancerPort: https'),
      /:\d+: listeners\[\d\]\.loadBalancerPort must be an integer/,
    ],
    [
      'a bad value',
      (t: string) => t.replace('team: ', 'aws:team: '),
      /:\d+: tags: tags key "aws:team" starts with "aws:"/,
    ],
  ])('refuses %s with the line and field, exit 2, no request', async (_what, edit, message) => {
    const file = write('bad.yaml', edit(exported))
    for (const command of ['diff', 'apply']) {
      const result = await runCli([command, '-f', file])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.requests).toEqual([])
    }
  })
})
