import {describe, expect, it} from '@jest/globals'

import {InvalidInputError} from '../../../../src/errors.js'
import {
  formatEndpoint,
  hostNameProblem,
  parseConnectTo,
  routeConnection,
} from '../../../../src/steps/verify/connect-to.js'

describe('parseConnectTo', () => {
  it('reads the four fields as curl does', () => {
    expect(parseConnectTo('lb-1.us-east-1.elb.amazonaws.com:443:127.0.0.1:8443')).toEqual({
      text: 'lb-1.us-east-1.elb.amazonaws.com:443:127.0.0.1:8443',
      fromHost: 'lb-1.us-east-1.elb.amazonaws.com',
      fromPort: 443,
      toHost: '127.0.0.1',
      toPort: 8443,
    })
  })

  it('leaves empty fields out: empty HOST1/PORT1 match any, empty HOST2/PORT2 keep the original', () => {
    expect(parseConnectTo('::10.0.0.5:')).toEqual({text: '::10.0.0.5:', toHost: '10.0.0.5'})
    expect(parseConnectTo(':443::8443')).toEqual({text: ':443::8443', fromPort: 443, toPort: 8443})
  })

  it('takes IPv6 addresses in brackets and lower-cases names', () => {
    expect(parseConnectTo('WWW.Example.COM.:443:[::1]:8443')).toMatchObject({
      fromHost: 'www.example.com',
      toHost: '::1',
    })
  })

  it.each([
    ['a:443:b', /does not have four colon-separated fields/],
    ['a:443:b:1:2', /does not have four colon-separated fields/],
    ['[::1:443:b:1', /does not have four colon-separated fields/],
    ['a:x:b:1', /PORT1 must be a whole number from 1 to 65535, got "x"/],
    ['a:443:b:0', /PORT2 must be from 1 to 65535, got 0/],
    ['a/b:443:c:1', /HOST1 "a\/b" is not a host name or IP address/],
    ['a:443:-c:1', /HOST2 "-c" is not a host name or IP address/],
    ['a:443::', /names neither HOST2 nor PORT2/],
  ])('refuses %s', (value, message) => {
    expect(() => parseConnectTo(value)).toThrow(InvalidInputError)
    expect(() => parseConnectTo(value)).toThrow(message)
  })
})

describe('hostNameProblem', () => {
  it.each(['www.example.com', 'my-lb-123.us-east-1.elb.amazonaws.com', '127.0.0.1', '[::1]', 'localhost'])(
    'accepts %s',
    (host) => expect(hostNameProblem(host)).toBeUndefined(),
  )
  it.each(['https://x', 'a b', '-a.com', 'a..b', ''])('refuses %j', (host) =>
    expect(hostNameProblem(host)).toBeDefined(),
  )
})

describe('routeConnection', () => {
  const dns = 'lb-1.us-east-1.elb.amazonaws.com'
  it('connects to the original name and port when no rule matches', () => {
    expect(routeConnection([parseConnectTo('other:443:127.0.0.1:1')], [dns, 'www.example.com'], 443)).toEqual(
      {
        endpoint: {host: dns, port: 443},
      },
    )
  })

  it('matches HOST1 against the DNS name or --host, and PORT1 against the listener port', () => {
    const byHost = parseConnectTo('www.example.com:443:127.0.0.1:8443')
    expect(routeConnection([byHost], [dns, 'www.example.com'], 443).endpoint).toEqual({
      host: '127.0.0.1',
      port: 8443,
    })
    expect(routeConnection([byHost], [dns, 'www.example.com'], 80).rule).toBeUndefined()
  })

  it('uses the first matching rule, and keeps the original host or port for empty HOST2 or PORT2', () => {
    const rules = [parseConnectTo(':80::8080'), parseConnectTo('::10.0.0.5:')]
    expect(routeConnection(rules, [dns], 80).endpoint).toEqual({host: dns, port: 8080})
    expect(routeConnection(rules, [dns], 443).endpoint).toEqual({host: '10.0.0.5', port: 443})
  })

  it('formats IPv6 endpoints with brackets', () => {
    expect(formatEndpoint({host: '::1', port: 8443})).toBe('[::1]:8443')
    expect(formatEndpoint({host: '127.0.0.1', port: 8443})).toBe('127.0.0.1:8443')
  })
})
