import {ExitCode, InvalidInputError} from '../../../src/errors.js'
import {
  checkTimeoutBelowInterval,
  parseHealthCheckFlags,
  parseHealthCheckTarget,
} from '../../../src/validate/health-check.js'

const rejects = (fn: () => unknown, message: string | RegExp) => {
  let error: unknown
  try {
    fn()
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(InvalidInputError)
  expect((error as InvalidInputError).exitCode).toBe(ExitCode.InvalidInput)
  expect((error as Error).message).toMatch(message)
}

describe('parseHealthCheckTarget', () => {
  it.each([
    ['TCP:80', {protocol: 'TCP', port: 80}],
    ['ssl:443', {protocol: 'SSL', port: 443}],
    ['HTTP:80/ping', {protocol: 'HTTP', port: 80, path: '/ping'}],
    ['https:8443/health?full=1', {protocol: 'HTTPS', port: 8443, path: '/health?full=1'}],
    ['HTTP:80/', {protocol: 'HTTP', port: 80, path: '/'}],
  ])('accepts %s', (raw, parsed) => {
    expect(parseHealthCheckTarget(raw)).toEqual(parsed)
  })

  it.each([
    ['', /is not PROTOCOL:PORT/],
    ['80/ping', /is not PROTOCOL:PORT/],
    ['UDP:53', /uses protocol "UDP"/],
    ['HTTP:/ping', /must be a whole number from 1 to 65535/],
    ['HTTP:65536/', /must be from 1 to 65535, got 65536/],
    ['HTTP:80', /has no ping path/],
    ['TCP:22/', /has a path, but a TCP health check/],
    ['HTTP:80/a\tb', /contains "\\t"/],
    [`HTTP:80/${'x'.repeat(1017)}`, /has 1025 characters; at most 1024/],
  ])('refuses %j', (raw, message) => rejects(() => parseHealthCheckTarget(raw), message))

  it('allows a target of exactly 1024 characters', () => {
    expect(parseHealthCheckTarget(`HTTP:80/${'x'.repeat(1016)}`).path).toHaveLength(1017)
  })
})

describe('parseHealthCheckFlags', () => {
  it('returns only what was given, normalised', () => {
    expect(parseHealthCheckFlags({})).toEqual({})
    expect(parseHealthCheckFlags({target: ' http:80/ping ', interval: '30', timeout: '3'})).toEqual({
      target: 'HTTP:80/ping',
      interval: 30,
      timeout: 3,
    })
    expect(parseHealthCheckFlags({healthyThreshold: '2', unhealthyThreshold: '10'})).toEqual({
      healthyThreshold: 2,
      unhealthyThreshold: 10,
    })
  })

  it.each([
    [{interval: '4'}, '--health-interval must be from 5 to 300, got 4.'],
    [{interval: '300', timeout: '61'}, '--health-timeout must be from 2 to 60, got 61.'],
    [{timeout: '2.5'}, '--health-timeout must be a whole number from 2 to 60, got "2.5".'],
    [{healthyThreshold: '0'}, '--healthy-threshold must be from 2 to 10, got 0.'],
    [{unhealthyThreshold: 'ten'}, '--unhealthy-threshold must be a whole number from 2 to 10'],
    [
      {interval: '5', timeout: '5'},
      'timeout must be less than the interval: --health-timeout 5 is not less than --health-interval 5.',
    ],
  ])('refuses %j', (flags, message) => rejects(() => parseHealthCheckFlags(flags), message))
})

describe('parseHealthCheckFlags with AWS defaults filled in (create)', () => {
  const withDefaults = (flags: Parameters<typeof parseHealthCheckFlags>[0]) =>
    parseHealthCheckFlags(flags, undefined, {fillDefaults: true})

  it.each([
    [
      {timeout: '30'},
      'The health check timeout must be less than the interval: --health-timeout 30 is not less than the default interval (30 s).',
    ],
    [{timeout: '45'}, '--health-timeout 45 is not less than the default interval (30 s)'],
    [{interval: '5'}, 'the default timeout (5 s) is not less than --health-interval 5.'],
  ])('refuses %j before any request', (flags, message) => rejects(() => withDefaults(flags), message))

  it('says which flag to add', () => {
    expect(() => withDefaults({timeout: '30'})).toThrow(
      expect.objectContaining({hint: expect.stringContaining('Give --health-interval (more than 30) too.')}),
    )
    expect(() => withDefaults({interval: '5'})).toThrow(
      expect.objectContaining({hint: expect.stringContaining('Give --health-timeout (less than 5) too.')}),
    )
  })

  it('accepts what fits the default, and leaves the rule to the current value without defaults', () => {
    expect(withDefaults({timeout: '29'})).toEqual({timeout: 29})
    expect(withDefaults({interval: '6'})).toEqual({interval: 6})
    expect(withDefaults({target: 'TCP:80'})).toEqual({target: 'TCP:80'})
    // `elbx health` compares with the load balancer's current interval once it is known.
    expect(parseHealthCheckFlags({timeout: '30'})).toEqual({timeout: 30})
  })
})

describe('checkTimeoutBelowInterval', () => {
  it('names which value is current and which was given', () => {
    rejects(
      () => checkTimeoutBelowInterval(30, 30, {timeout: false, interval: true}),
      'the current timeout (30 s) is not less than --health-interval 30',
    )
    expect(() => checkTimeoutBelowInterval(5, 30, {timeout: true, interval: false})).not.toThrow()
  })
})
