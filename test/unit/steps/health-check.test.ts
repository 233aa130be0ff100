import {InvalidInputError} from '../../../src/errors.js'
import type {HealthCheck, Listener, LoadBalancer} from '../../../src/model.js'
import {configureHealthCheck, healthCheckWarnings} from '../../../src/steps/health-check.js'
import {fakeElb} from './fakes.js'

const http80: Listener = {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80}
const https443: Listener = {
  protocol: 'HTTPS',
  loadBalancerPort: 443,
  instanceProtocol: 'HTTPS',
  instancePort: 443,
  sslCertificateId: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
}
const current: HealthCheck = {
  target: 'TCP:80',
  interval: 30,
  timeout: 5,
  unhealthyThreshold: 2,
  healthyThreshold: 10,
}

function loadBalancer(listeners: Listener[], healthCheck: HealthCheck | undefined = current): LoadBalancer {
  return {
    name: 'web',
    dnsName: 'web.example',
    scheme: 'internet-facing',
    subnets: [],
    availabilityZones: [],
    securityGroups: [],
    listeners: listeners.map((listener) => ({listener, policyNames: []})),
    backendServers: [],
    ...(healthCheck ? {healthCheck} : {}),
    instanceIds: [],
    policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
  }
}

function recordingElb() {
  const sent: HealthCheck[] = []
  const elb = fakeElb({
    async configureHealthCheck(_name: string, hc: HealthCheck) {
      sent.push(hc)
      return hc
    },
  })
  return {elb, sent}
}

describe('configureHealthCheck', () => {
  it('keeps the current value of everything not given', async () => {
    const {elb, sent} = recordingElb()
    const result = await configureHealthCheck(elb, loadBalancer([http80]), {
      target: 'HTTP:80/ping',
      timeout: 3,
    })
    expect(sent).toEqual([
      {target: 'HTTP:80/ping', interval: 30, timeout: 3, unhealthyThreshold: 2, healthyThreshold: 10},
    ])
    expect(result).toMatchObject({changed: true, previous: current, warnings: []})
  })

  it('sends nothing when the health check is already in force (protocol case aside)', async () => {
    const {elb, sent} = recordingElb()
    const lb = loadBalancer([http80], {...current, target: 'HTTP:80/ping'})
    const result = await configureHealthCheck(elb, lb, {target: 'HTTP:80/ping', interval: 30})
    expect(sent).toEqual([])
    expect(result.changed).toBe(false)
  })

  it('refuses a timeout not below the current interval before any request (exit 2)', async () => {
    const {elb, sent} = recordingElb()
    await expect(configureHealthCheck(elb, loadBalancer([http80]), {timeout: 30})).rejects.toThrow(
      new InvalidInputError(
        'The health check timeout must be less than the interval: --health-timeout 30 is not less than the current interval (30 s).',
      ),
    )
    await expect(configureHealthCheck(elb, loadBalancer([http80]), {interval: 5})).rejects.toThrow(
      'the current timeout (5 s) is not less than --health-interval 5',
    )
    expect(sent).toEqual([])
  })

  it('configures from the API defaults when the load balancer reports no health check', async () => {
    const {elb, sent} = recordingElb()
    await configureHealthCheck(elb, loadBalancer([http80], undefined), {interval: 10})
    expect(sent).toEqual([
      {target: 'TCP:80', interval: 10, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10},
    ])
  })
})

describe('healthCheckWarnings', () => {
  it('is quiet when the target matches a listener instance port and protocol', () => {
    expect(healthCheckWarnings('HTTP:80/ping', [{listener: http80, policyNames: []}])).toEqual([])
    expect(
      healthCheckWarnings('HTTPS:443/', [
        {listener: http80, policyNames: []},
        {listener: https443, policyNames: []},
      ]),
    ).toEqual([])
  })

  it('warns when no listener sends traffic to the target port', () => {
    const [warning] = healthCheckWarnings('HTTP:8080/ping', [{listener: http80, policyNames: []}])
    expect(warning).toContain(
      'pings instance port 8080, but no listener sends traffic there (instance port 80)',
    )
    expect(warning).toContain('--health-check HTTP:80/ping')
  })

  it("warns when the target's protocol differs from the listener's instance protocol", () => {
    const [warning] = healthCheckWarnings('HTTP:443/ping', [{listener: https443, policyNames: []}])
    expect(warning).toContain('with HTTP, but the listener on load balancer port 443 sends HTTPS')
    expect(warning).toContain('--health-check HTTPS:443/ping')
    expect(healthCheckWarnings('TCP:80', [{listener: http80, policyNames: []}])[0]).toContain(
      '--health-check HTTP:80/.',
    )
  })
})
