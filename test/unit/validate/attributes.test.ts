import {
  CONSOLE_DEFAULT_ATTRIBUTES,
  parseAccessLogs,
  parseAttributeChanges,
  parseAttributes,
  parseConnectionDraining,
  parseIdleTimeout,
} from '../../../src/validate/attributes.js'

describe('attributes', () => {
  it("defaults to the console's settings: cross-zone on, draining 300 s, idle 60 s", () => {
    expect(parseAttributes({})).toEqual({
      crossZoneLoadBalancing: true,
      connectionDraining: {enabled: true, timeout: 300},
      idleTimeout: 60,
    })
    expect(CONSOLE_DEFAULT_ATTRIBUTES.connectionDraining.timeout).toBe(300)
  })

  it('reads the flags', () => {
    expect(parseAttributes({crossZone: false, connectionDraining: 'off', idleTimeout: '3600'})).toEqual({
      crossZoneLoadBalancing: false,
      connectionDraining: {enabled: false},
      idleTimeout: 3600,
    })
    expect(parseConnectionDraining('1')).toEqual({enabled: true, timeout: 1})
    expect(parseConnectionDraining('OFF')).toEqual({enabled: false})
  })

  it.each([
    ['0', /--connection-draining must be from 1 to 3600, got 0/],
    ['3601', /--connection-draining must be from 1 to 3600, got 3601/],
    ['soon', /--connection-draining must be SECONDS or off, got "soon"/],
    ['1.5', /must be SECONDS or off/],
  ])('refuses --connection-draining %s', (value, message) => {
    expect(() => parseConnectionDraining(value)).toThrow(message)
  })

  it.each([
    ['0', /--idle-timeout must be from 1 to 3600, got 0/],
    ['4000', /--idle-timeout must be from 1 to 3600, got 4000/],
    ['1m', /--idle-timeout must be a whole number from 1 to 3600, got "1m"/],
  ])('refuses --idle-timeout %s', (value, message) => {
    expect(() => parseIdleTimeout(value)).toThrow(message)
  })
})

describe('attribute changes', () => {
  it('holds only the flags given (nothing given: show them)', () => {
    expect(parseAttributeChanges({})).toEqual({})
    expect(
      parseAttributeChanges({idleTimeout: '120', crossZone: false, desyncMitigation: 'monitor'}),
    ).toEqual({
      idleTimeout: 120,
      crossZoneLoadBalancing: false,
      desyncMitigationMode: 'monitor',
    })
    expect(parseAttributeChanges({noAccessLogs: true})).toEqual({accessLog: {enabled: false}})
  })

  it('parses s3://BUCKET/PREFIX, 60 minutes unless 5', () => {
    expect(parseAccessLogs('s3://my-logs/elb/web/', '5')).toEqual({
      enabled: true,
      s3BucketName: 'my-logs',
      s3BucketPrefix: 'elb/web',
      emitInterval: 5,
    })
    expect(parseAccessLogs('s3://my-logs', undefined)).toEqual({
      enabled: true,
      s3BucketName: 'my-logs',
      emitInterval: 60,
    })
  })

  it.each(['my-logs', 's3://', 's3://My_Logs/x', 's3://a', 's3://-logs', 's3://my..logs'])(
    'refuses --access-logs %s (exit 2)',
    (raw) => {
      expect(() => parseAccessLogs(raw, undefined)).toThrow(expect.objectContaining({exitCode: 2}))
    },
  )

  it('refuses --access-logs-interval without --access-logs, and an idle timeout past 3600', () => {
    expect(() => parseAttributeChanges({accessLogsInterval: '5'})).toThrow(/needs --access-logs/)
    expect(() => parseAttributeChanges({idleTimeout: '4000'})).toThrow(
      /--idle-timeout must be from 1 to 3600/,
    )
  })
})
