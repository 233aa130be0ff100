import {RULES} from '../../../../src/steps/audit/finding.js'
import {attributes} from '../../../../src/steps/audit/rules/attributes.js'
import {certificates} from '../../../../src/steps/audit/rules/certificates.js'
import {instances} from '../../../../src/steps/audit/rules/instances.js'
import {
  backendPlainHttp,
  healthCheckPortUnused,
  httpOnly,
} from '../../../../src/steps/audit/rules/listeners.js'
import {openPortsUnused, portsBesides} from '../../../../src/steps/audit/rules/security-groups.js'
import {CERT, OPTIONS, facts, http80, https443, loadBalancer} from './fixtures.js'

const rules = (findings: {rule: string}[]) => findings.map((f) => f.rule)

describe('listener rules', () => {
  it('finds a load balancer with only HTTP listeners, and not one with HTTPS', () => {
    const plain = facts({loadBalancer: loadBalancer({listeners: [{listener: http80, policyNames: []}]})})
    expect(httpOnly(plain)).toEqual([
      expect.objectContaining({rule: RULES.httpOnly, severity: 'warning', resource: 'listeners 80'}),
    ])
    expect(httpOnly(plain)[0]!.fix).toMatch(
      /^elbx listener add --name web --listener https:443:http:\d+ --certificate /,
    )
    expect(httpOnly(facts())).toEqual([])
  })

  it('reports plain HTTP to the instances behind HTTPS as information only', () => {
    expect(backendPlainHttp(facts())).toEqual([
      expect.objectContaining({rule: RULES.backendPlainHttp, severity: 'info', resource: 'listener 443'}),
    ])
    const end = facts({
      loadBalancer: loadBalancer({
        listeners: [{listener: {...https443, instanceProtocol: 'HTTPS', instancePort: 443}, policyNames: []}],
      }),
    })
    expect(backendPlainHttp(end)).toEqual([])
  })

  it('finds a health check on a port no listener sends to, and suggests the listener port', () => {
    const hc = {target: 'TCP:8080', interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10}
    const found = healthCheckPortUnused(facts({loadBalancer: loadBalancer({healthCheck: hc})}))
    expect(found).toEqual([
      expect.objectContaining({
        rule: RULES.healthCheckPortUnused,
        severity: 'warning',
        resource: 'health check TCP:8080',
      }),
    ])
    expect(found[0]!.fix).toBe('elbx health --name web --health-check HTTP:80/')
    expect(healthCheckPortUnused(facts())).toEqual([])
  })
})

describe('instance rules', () => {
  it('finds no instances registered', () => {
    expect(
      rules(instances(facts({loadBalancer: loadBalancer({instanceIds: []}), instanceHealth: []}))),
    ).toEqual([RULES.noInstances])
  })

  it('finds none InService (an error), and is quiet when one is', () => {
    const down = facts({
      loadBalancer: loadBalancer({instanceIds: ['i-1', 'i-2']}),
      instanceHealth: [
        {
          instanceId: 'i-1',
          state: 'OutOfService',
          description:
            'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
        },
        {instanceId: 'i-2', state: 'Unknown'},
      ],
    })
    const found = instances(down)
    expect(found).toEqual([expect.objectContaining({rule: RULES.noInstanceInService, severity: 'error'})])
    expect(found[0]!.message).toContain('i-1 OutOfService (Instance has failed')
    const one = facts({
      loadBalancer: loadBalancer({instanceIds: ['i-1', 'i-2']}),
      instanceHealth: [
        {instanceId: 'i-1', state: 'OutOfService'},
        {instanceId: 'i-2', state: 'InService'},
      ],
    })
    expect(instances(one)).toEqual([])
    expect(instances(facts())).toEqual([])
  })
})

describe('attribute rules', () => {
  it("finds the API's defaults: cross-zone off, connection draining off, access logs off", () => {
    const found = attributes(
      facts({
        attributes: {crossZoneLoadBalancing: false, connectionDraining: {enabled: false}, idleTimeout: 60},
      }),
    )
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      [RULES.crossZoneDisabled, 'warning'],
      [RULES.connectionDrainingDisabled, 'warning'],
      [RULES.accessLogsDisabled, 'info'],
    ])
    // Each fix is an elbx attributes command with that command's own flags.
    expect(found.map((f) => f.fix)).toEqual([
      'elbx attributes --name web --cross-zone --yes',
      'elbx attributes --name web --connection-draining 300 --yes',
      "elbx attributes --name web --access-logs s3://BUCKET/PREFIX --yes (the bucket policy must allow the Region's ELB account)",
    ])
    expect(attributes(facts())).toEqual([])
  })

  it('does not ask for cross-zone on a load balancer in one Availability Zone', () => {
    const one = facts({
      loadBalancer: loadBalancer({availabilityZones: ['us-east-1a']}),
      attributes: {...facts().attributes!, crossZoneLoadBalancing: false},
    })
    expect(attributes(one)).toEqual([])
  })

  it('says nothing when the attributes could not be read (the read error is its own finding)', () => {
    expect(attributes(facts({attributes: undefined}))).toEqual([])
  })
})

describe('security group rule', () => {
  it('splits a range around the listener ports', () => {
    expect(portsBesides({fromPort: 0, toPort: 65535}, [443, 80])).toEqual([
      {fromPort: 0, toPort: 79},
      {fromPort: 81, toPort: 442},
      {fromPort: 444, toPort: 65535},
    ])
    expect(portsBesides({fromPort: 80, toPort: 80}, [80])).toEqual([])
  })

  it('finds 0.0.0.0/0 and ::/0 on ports no listener uses, not on listener ports or narrower sources', () => {
    const group = facts().securityGroups[0]!
    const open = facts({
      securityGroups: [
        {
          ...group,
          ingress: [
            ...group.ingress,
            {protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0'},
            {protocol: 'tcp', fromPort: 8080, toPort: 8080, cidr: '::/0'},
            {protocol: 'tcp', fromPort: 3306, toPort: 3306, cidr: '10.0.0.0/8'},
          ],
        },
      ],
    })
    const found = openPortsUnused(open)
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining(
        'admits 0.0.0.0/0 on TCP 22, including 22 where no listener listens (listener ports: 80, 443)',
      ),
      expect.stringContaining('admits ::/0 on TCP 8080'),
    ])
    expect(found[0]).toMatchObject({
      rule: RULES.openPortUnused,
      severity: 'warning',
      resource: 'security group sg-1',
    })
    expect(found[0]!.fix).toMatch(
      /^aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=\[\{CidrIp=0\.0\.0\.0\/0\}\]'/,
    )
    expect(openPortsUnused(facts())).toEqual([])
  })

  it('finds "all traffic" from anywhere, and revokes it as protocol -1', () => {
    const all = facts({
      securityGroups: [
        {
          ...facts().securityGroups[0]!,
          ingress: [{protocol: 'tcp', fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0'}],
        },
      ],
    })
    const [found] = openPortsUnused(all)
    expect(found!.message).toContain('admits 0.0.0.0/0 on all traffic, including 0-79, 81-442, 444-65535')
    expect(found!.fix).toContain("'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'")
  })
})

describe('certificate rule', () => {
  const withValidity = (daysToExpiry: number, expired = daysToExpiry < 0) =>
    facts({
      certificates: [
        {
          arn: CERT,
          validity: {
            subject: 'CN=web.example.com',
            notAfter: '2026-12-20T00:00:00.000Z',
            daysToExpiry,
            expired,
          },
        },
      ],
    })

  it('finds an expired certificate (error) and one expiring within --expiring-within days (warning)', () => {
    expect(certificates(withValidity(-3), OPTIONS)).toEqual([
      expect.objectContaining({
        rule: RULES.certificateExpired,
        severity: 'error',
        resource: `certificate ${CERT}`,
      }),
    ])
    const expiring = certificates(withValidity(17), OPTIONS)
    expect(expiring).toEqual([
      expect.objectContaining({rule: RULES.certificateExpiring, severity: 'warning'}),
    ])
    expect(expiring[0]!.message).toBe(
      'The certificate of listener 443 (CN=web.example.com) expires on 2026-12-20, in 17 day(s).',
    )
    expect(expiring[0]!.fix).toContain('elbx cert rotate --name web --replace ')
  })

  it('is quiet outside the window, and the window is the option', () => {
    expect(certificates(withValidity(31), OPTIONS)).toEqual([])
    expect(certificates(withValidity(31), {...OPTIONS, expiringWithinDays: 45})).toHaveLength(1)
    expect(certificates(withValidity(30), OPTIONS)).toHaveLength(1)
  })

  it('reports a certificate that could not be read, once however many listeners serve it', () => {
    const twice = facts({
      loadBalancer: loadBalancer({
        listeners: [
          {listener: https443, policyNames: []},
          {listener: {...https443, loadBalancerPort: 8443}, policyNames: []},
        ],
      }),
      certificates: [
        {arn: CERT, problem: 'NoSuchEntity: The Server Certificate with name web cannot be found.'},
      ],
    })
    const found = certificates(twice, OPTIONS)
    expect(found).toEqual([expect.objectContaining({rule: RULES.certificateUnreadable, severity: 'warning'})])
    expect(found[0]!.message).toContain('listeners 443, 8443 could not be read: NoSuchEntity')
  })
})
