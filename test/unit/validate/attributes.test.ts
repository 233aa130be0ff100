import {
  CONSOLE_DEFAULT_ATTRIBUTES,
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
