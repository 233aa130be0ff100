import {makeCertificate} from '../helpers/certs.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {startFaultProxy} from '../helpers/fault-proxy.js'
import {createDayTwoLoadBalancer, describeDayTwo, listenerPolicyNames} from '../helpers/day-two-world.js'
import {motoEndpoint, sdkClients} from '../helpers/moto.js'
import {PtySession} from '../helpers/pty.js'

const operations = (r: CliResult) => r.requests.map((q) => q.operation)
const writes = (r: CliResult) => operations(r).filter((o) => !/^Describe/.test(o))

beforeAll(async () => {
  const {elb} = sdkClients()
  try {
    await createDayTwoLoadBalancer(elb, 'day2', {
      name: 'tls12',
      attributes: {'Reference-Security-Policy': 'ELBSecurityPolicy-TLS-1-2-2017-01'},
    })
  } finally {
    elb.destroy()
  }
})

const listenerPolicies = async (port: number) => {
  const {elb} = sdkClients()
  try {
    return await listenerPolicyNames(elb, 'day2', port)
  } finally {
    elb.destroy()
  }
}

describe('elbx policy stickiness', () => {
  const args = ['policy', 'stickiness', '--name', 'day2', '--port', '443', '--lb-cookie', '300']

  it('without --yes in a script: exit 2 with the plan, nothing sent', async () => {
    const r = await runCli([...args, '--json'])
    expect(r.exitCode).toBe(2)
    expect(parseJson(r)).toMatchObject({
      error: {
        exitCode: 2,
        message: expect.stringContaining('without confirmation'),
        details: {
          plan: [{action: 'CreateLBCookieStickinessPolicy'}, {action: 'SetLoadBalancerPoliciesOfListener'}],
        },
      },
    })
    expect(writes(r)).toEqual([])
  })

  it('--dry-run prints runnable aws CLI commands that keep the SSL policy, and sends nothing', async () => {
    const r = await runCli([...args, '--dry-run'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain(
      'aws elb set-load-balancer-policies-of-listener --load-balancer-name day2 --load-balancer-port 443 --policy-names tls12 elbx-lb-cookie-300 --region us-east-1',
    )
    expect(writes(r)).toEqual([])
  })

  it('--yes sets it and keeps the SSL policy; a rerun is unchanged with zero writes', async () => {
    const r = await runCli([...args, '--yes', '--json'])
    expect(r.exitCode).toBe(0)
    expect(parseJson(r)).toMatchObject({
      loadBalancerName: 'day2',
      changed: true,
      state: {
        loadBalancerPort: 443,
        stickiness: {kind: 'lb-cookie', policyName: 'elbx-lb-cookie-300', cookieExpirationPeriod: 300},
        policyNames: ['tls12', 'elbx-lb-cookie-300'],
      },
      actions: [{action: 'CreateLBCookieStickinessPolicy'}, {action: 'SetLoadBalancerPoliciesOfListener'}],
    })
    expect(await listenerPolicies(443)).toEqual(['tls12', 'elbx-lb-cookie-300'])
    expect(await listenerPolicies(80)).toEqual([])

    const again = await runCli(args)
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('nothing to change (unchanged)')
    expect(writes(again)).toEqual([])
  })

  it.each([
    [['--lb-cookie', 'ten'], '--lb-cookie must be a whole number'],
    [['--app-cookie', 'a;b'], 'is not a cookie name'],
    [['--lb-cookie', '5', '--off'], 'cannot also be provided'],
    [['--port', '70000', '--off'], '--port must be from 1 to 65535'],
  ])('bad input %j: exit 2, zero requests', async (extra, message) => {
    const r = await runCli(['policy', 'stickiness', '--name', 'day2', ...extra])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.requests).toEqual([])
  })

  it('a TCP listener is refused after the read, before any write (exit 2)', async () => {
    const r = await runCli([
      'policy',
      'stickiness',
      '--name',
      'day2',
      '--port',
      '9000',
      '--lb-cookie',
      '60',
      '--yes',
    ])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('AWS allows stickiness only on HTTP and HTTPS listeners')
    expect(writes(r)).toEqual([])
  })
})

describe('elbx policy proxy-protocol', () => {
  it("enables it on the TCP listener's instance port; rerun unchanged; --off dry run; HTTP port refused", async () => {
    const on = await runCli([
      'policy',
      'proxy-protocol',
      '--name',
      'day2',
      '--instance-port',
      '9000',
      '--yes',
      '--json',
    ])
    expect(on.exitCode).toBe(0)
    expect(parseJson(on)).toMatchObject({
      changed: true,
      state: {instancePort: 9000, enabled: true, policyNames: ['elbx-proxy-protocol']},
    })
    expect(on.stderr).toContain('PROXY line')

    const again = await runCli([
      'policy',
      'proxy-protocol',
      '--name',
      'day2',
      '--instance-port',
      '9000',
      '--yes',
    ])
    expect(again.stdout).toContain('nothing to change (unchanged)')
    expect(writes(again)).toEqual([])

    const off = await runCli([
      'policy',
      'proxy-protocol',
      '--name',
      'day2',
      '--instance-port',
      '9000',
      '--off',
      '--dry-run',
    ])
    expect(off.stdout).toContain(
      "aws elb set-load-balancer-policies-for-backend-server --load-balancer-name day2 --instance-port 9000 --policy-names '[]' --region us-east-1",
    )
    expect(writes(off)).toEqual([])

    const http = await runCli([
      'policy',
      'proxy-protocol',
      '--name',
      'day2',
      '--instance-port',
      '80',
      '--yes',
    ])
    expect(http.exitCode).toBe(2)
    expect(http.stderr).toContain('only where TCP or SSL listeners send TCP or SSL')
    expect(writes(http)).toEqual([])
  })

  it('keeps back-end authentication on the same port (both on an SSL instance port)', async () => {
    const backend = makeCertificate({keyType: 'ec'})
    const auth = await runCli([
      'policy',
      'backend-auth',
      '--name',
      'day2',
      '--instance-port',
      '9443',
      '--cert',
      backend.certFile,
    ])
    expect(auth.exitCode).toBe(0)
    const on = await runCli([
      'policy',
      'proxy-protocol',
      '--name',
      'day2',
      '--instance-port',
      '9443',
      '--yes',
      '--json',
    ])
    expect(on.exitCode).toBe(0)
    const {state} = parseJson<{state: {policyNames: string[]}}>(on)
    expect(state.policyNames).toEqual([expect.stringMatching(/^elbx-backend-auth-/), 'elbx-proxy-protocol'])
    const off = await runCli([
      'policy',
      'proxy-protocol',
      '--name',
      'day2',
      '--instance-port',
      '9443',
      '--off',
      '--yes',
      '--json',
    ])
    expect(parseJson<{state: {policyNames: string[]}}>(off).state.policyNames).toEqual([state.policyNames[0]])
  })

  it('without --name or --instance-port: exit 2 naming both, zero requests', async () => {
    const r = await runCli(['policy', 'proxy-protocol'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('Missing --name, --instance-port')
    expect(r.requests).toEqual([])
  })
})

describe('elbx attributes', () => {
  it('shows them without change flags; changes only those given; reminds of keep-alive; rerun unchanged', async () => {
    const shown = await runCli(['attributes', '--name', 'day2', '--json'])
    expect(shown.exitCode).toBe(0)
    expect(parseJson(shown)).toMatchObject({loadBalancerName: 'day2', attributes: {idleTimeout: 60}})
    expect(writes(shown)).toEqual([])

    const set = [
      'attributes',
      '--name',
      'day2',
      '--idle-timeout',
      '120',
      '--access-logs',
      's3://my-logs/elb',
      '--desync-mitigation',
      'strictest',
    ]
    const dry = await runCli([...set, '--dry-run'])
    expect(dry.stdout).toContain('aws elb modify-load-balancer-attributes --load-balancer-name day2')
    expect(writes(dry)).toEqual([])

    const r = await runCli([...set, '--yes', '--json'])
    expect(r.exitCode).toBe(0)
    expect(parseJson(r)).toMatchObject({
      changed: true,
      state: {
        idleTimeout: 120,
        accessLog: {enabled: true, s3BucketName: 'my-logs', s3BucketPrefix: 'elb', emitInterval: 60},
        desyncMitigationMode: 'strictest',
      },
      actions: [{action: 'ModifyLoadBalancerAttributes'}],
    })
    expect(r.stderr).toContain("the instances' keep-alive timeout must be longer")
    const again = await runCli([...set, '--yes'])
    expect(again.stdout).toContain('nothing to change (unchanged)')
    expect(writes(again)).toEqual([])
  })

  it.each([
    [['--idle-timeout', '0'], '--idle-timeout must be from 1 to 3600'],
    [['--connection-draining', 'soon'], '--connection-draining must be SECONDS or off'],
    [['--access-logs', 'my-logs'], 'is not an s3://BUCKET/PREFIX location'],
    [['--access-logs-interval', '5'], '--access-logs-interval needs --access-logs'],
    [
      ['--access-logs-interval', '10', '--access-logs', 's3://my-logs'],
      'Expected --access-logs-interval=10 to be one of',
    ],
  ])('bad input %j: exit 2, zero requests', async (extra, message) => {
    const r = await runCli(['attributes', '--name', 'day2', ...extra])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.requests).toEqual([])
  })
})

describe('elbx tag', () => {
  it('adds and removes in place; rerun unchanged; dry run sends nothing', async () => {
    const r = await runCli([
      'tag',
      '--name',
      'day2',
      '--add',
      'env=prod',
      '--remove',
      'team',
      '--yes',
      '--json',
    ])
    expect(r.exitCode).toBe(0)
    expect(parseJson(r)).toMatchObject({
      changed: true,
      state: {tags: [{key: 'env', value: 'prod'}], removed: ['team']},
    })
    const again = await runCli(['tag', '--name', 'day2', '--add', 'env=prod', '--remove', 'team', '--yes'])
    expect(again.stdout).toContain('nothing to change (unchanged)')
    expect(writes(again)).toEqual([])
    const dry = await runCli(['tag', '--name', 'day2', '--add', 'env=test', '--dry-run'])
    expect(dry.stdout).toContain(
      'aws elb add-tags --load-balancer-names day2 --tags Key=env,Value=test --region us-east-1',
    )
    expect(writes(dry)).toEqual([])
    const dryJson = await runCli(['tag', '--name', 'day2', '--add', 'env=test', '--dry-run', '--json'])
    expect(parseJson(dryJson)).toEqual({
      dryRun: true,
      loadBalancerName: 'day2',
      plan: [
        expect.objectContaining({
          service: 'elb',
          operation: 'AddTags',
          parameters: {LoadBalancerNames: ['day2'], Tags: [{Key: 'env', Value: 'test'}]},
          action: 'AddTags',
          why: 'env=test (was env=prod)',
        }),
      ],
    })
    expect(writes(dryJson)).toEqual([])
  })

  it.each([
    [['--add', 'aws:owner=me'], 'starts with "aws:"'],
    [['--add', 'owner= me'], 'starts with a space'],
    [['--add', 'noequals'], 'is not key=value'],
    [['--remove', 'trail '], 'ends with a space'],
    [['--add', 'a=1', '--remove', 'a'], 'given to both --add and --remove'],
    [[], 'At least one of the following must be provided'],
  ])('bad input %j: exit 2, zero requests', async (extra, message) => {
    const r = await runCli(['tag', '--name', 'day2', ...extra])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.requests).toEqual([])
  })

  it('a missing load balancer is LoadBalancerNotFound (exit 1), with no write', async () => {
    const r = await runCli(['tag', '--name', 'no-such-lb', '--add', 'a=1', '--yes'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('LoadBalancerNotFound')
    expect(writes(r)).toEqual([])
  })
})

describe('a change AWS refuses', () => {
  it('an access-log bucket AWS cannot write to: its message, the bucket-policy hint, exit 1', async () => {
    const proxy = await startFaultProxy(motoEndpoint())
    try {
      proxy.inject({
        operation: 'ModifyLoadBalancerAttributes',
        fault: 'echo',
        code: 'InvalidConfigurationRequest',
        echo: () => 'Access Denied for bucket: not-mine. Please check S3bucket permission',
      })
      const r = await runCli(
        ['attributes', '--name', 'day2', '--access-logs', 's3://not-mine', '--yes', '--json'],
        {
          env: {AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '1'},
        },
      )
      expect(r.exitCode).toBe(1)
      expect(parseJson(r)).toMatchObject({
        error: {
          code: 'InvalidConfigurationRequest',
          message: expect.stringContaining('Access Denied for bucket: not-mine'),
          hint: expect.stringContaining(
            "bucket policy must let that Region's Elastic Load Balancing account",
          ),
        },
      })
    } finally {
      await proxy.close()
    }
  })

  it('a failed set deletes the policy the run created and leaves the listener as it was', async () => {
    const before = await listenerPolicies(80)
    const proxy = await startFaultProxy(motoEndpoint())
    try {
      proxy.inject({operation: 'SetLoadBalancerPoliciesOfListener', fault: 'error-503'})
      const r = await runCli(
        ['policy', 'stickiness', '--name', 'day2', '--port', '80', '--lb-cookie', '77', '--yes', '--json'],
        {
          env: {AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '1'},
        },
      )
      expect(r.exitCode).toBe(1)
      expect(parseJson(r)).toMatchObject({
        error: {details: {rollback: {performed: true, removed: [{kind: 'policy', id: 'elbx-lb-cookie-77'}]}}},
      })
      expect(operations(r)).toContain('DeleteLoadBalancerPolicy')
    } finally {
      await proxy.close()
    }
    expect(await listenerPolicies(80)).toEqual(before)
    const {elb} = sdkClients()
    try {
      const {Policies} = await describeDayTwo(elb, 'day2')
      expect(Policies!.LBCookieStickinessPolicies!.map((p) => p.PolicyName)).not.toContain(
        'elbx-lb-cookie-77',
      )
    } finally {
      elb.destroy()
    }
  })
})

describe('in a terminal', () => {
  it('shows the plan and asks; "no" is exit 5 with nothing changed, "yes" applies', async () => {
    const args = ['tag', '--name', 'day2', '--add', 'asked=yes']
    const declined = new PtySession(args)
    try {
      await declined.expect('AddTags load balancer day2: asked=yes')
      await declined.expect('Change day2?')
      declined.line('n')
      expect(await declined.exitCode()).toBe(5)
    } finally {
      declined.close()
    }
    const tagsNow = async () => {
      const r = await runCli(['tag', '--name', 'day2', '--remove', 'none-such', '--json'])
      return parseJson<{state: {tags: {key: string}[]}}>(r).state.tags.map((t) => t.key)
    }
    expect(await tagsNow()).not.toContain('asked')
    const accepted = new PtySession(args)
    try {
      await accepted.expect('Change day2?')
      accepted.line('y')
      expect(await accepted.exitCode()).toBe(0)
    } finally {
      accepted.close()
    }
    expect(await tagsNow()).toContain('asked')
  })
})
