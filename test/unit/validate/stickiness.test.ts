import {parseAppCookie, parseLbCookie, parseStickinessFlags} from '../../../src/validate/stickiness.js'

describe('stickiness flags', () => {
  it('--lb-cookie takes seconds or "session" (AWS reads 0 as the browser session)', () => {
    expect(parseLbCookie('300')).toEqual({kind: 'lb-cookie', cookieExpirationPeriod: 300})
    expect(parseLbCookie('session')).toEqual({kind: 'lb-cookie'})
    expect(parseLbCookie('0')).toEqual({kind: 'lb-cookie'})
  })

  it.each(['-1', '1.5', 'ten', '2147483648'])('--lb-cookie refuses %s (exit 2)', (raw) => {
    expect(() => parseLbCookie(raw)).toThrow(
      expect.objectContaining({exitCode: 2, message: expect.stringContaining('--lb-cookie')}),
    )
  })

  it('--app-cookie takes an RFC 6265 cookie name, not AWSELB', () => {
    expect(parseAppCookie('JSESSIONID')).toEqual({kind: 'app-cookie', cookieName: 'JSESSIONID'})
    for (const bad of ['', 'a b', 'a;b', 'a=b', 'x'.repeat(256), 'awselb'])
      expect(() => parseAppCookie(bad)).toThrow(expect.objectContaining({exitCode: 2}))
  })

  it('takes exactly the one given', () => {
    expect(parseStickinessFlags({off: true})).toEqual({kind: 'off'})
    expect(() => parseStickinessFlags({})).toThrow(/Missing --lb-cookie SECONDS, --app-cookie NAME or --off/)
  })
})
