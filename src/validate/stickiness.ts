import {InvalidInputError} from '../errors.js'
import {parseIntInRange} from './ranges.js'

/** What `elbx policy stickiness` asks of one listener. */
export type Stickiness =
  /** Duration-based: the load balancer's own cookie (AWSELB); no period: it lasts for the browser session. */
  | {kind: 'lb-cookie'; cookieExpirationPeriod?: number}
  /** Application-controlled: stickiness follows the application's cookie of this name. */
  | {kind: 'app-cookie'; cookieName: string}
  | {kind: 'off'}

/** CookieExpirationPeriod is an API Long; a period past 2^31-1 seconds (68 years) is a typo. */
const MAX_PERIOD = 2_147_483_647
const PERIOD_RULE =
  'The cookie lasts this many seconds (1 to 2147483647), or "session" for as long as the browser session (AWS\'s default).'
const COOKIE_RULE =
  "A cookie name is 1 to 255 characters of the cookie-name token (RFC 6265): letters, digits and ! # $ % & ' * + - . ^ _ ` | ~; not AWSELB, the load balancer's own cookie."
// RFC 6265 cookie-name = token (RFC 2616): any CHAR but CTLs and separators.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** --lb-cookie SECONDS|session */
export function parseLbCookie(raw: string): Stickiness {
  const text = raw.trim().toLowerCase()
  if (text === 'session' || text === '0') return {kind: 'lb-cookie'}
  return {
    kind: 'lb-cookie',
    cookieExpirationPeriod: parseIntInRange('--lb-cookie', text, 1, MAX_PERIOD, PERIOD_RULE),
  }
}

/** --app-cookie NAME */
export function parseAppCookie(raw: string): Stickiness {
  const name = raw
  if (name.length === 0 || name.length > 255 || !TOKEN.test(name))
    throw new InvalidInputError(`--app-cookie "${raw}" is not a cookie name.`, COOKIE_RULE)
  if (name.toUpperCase() === 'AWSELB')
    throw new InvalidInputError(
      '--app-cookie AWSELB is the cookie the load balancer itself sets.',
      "Name the application's own cookie (e.g. JSESSIONID), or use --lb-cookie SECONDS for the load balancer's cookie.",
    )
  return {kind: 'app-cookie', cookieName: name}
}

/** Exactly one of --lb-cookie, --app-cookie and --off (oclif's exactlyOne checks the count first). */
export function parseStickinessFlags(flags: {
  lbCookie?: string
  appCookie?: string
  off?: boolean
}): Stickiness {
  if (flags.lbCookie !== undefined) return parseLbCookie(flags.lbCookie)
  if (flags.appCookie !== undefined) return parseAppCookie(flags.appCookie)
  if (flags.off) return {kind: 'off'}
  throw new InvalidInputError(
    'Missing --lb-cookie SECONDS, --app-cookie NAME or --off.',
    'Example: elbx policy stickiness --name my-lb --port 443 --lb-cookie 300',
  )
}
