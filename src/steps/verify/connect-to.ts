import {InvalidInputError} from '../../errors.js'
import {parsePort} from '../../validate/ranges.js'

/** Where a probe opens its TCP connection. */
export interface Endpoint {
  host: string
  port: number
}

/**
 * One --connect-to HOST1:PORT1:HOST2:PORT2 rule, as curl defines it: connections meant for
 * HOST1:PORT1 go to HOST2:PORT2 instead; an empty HOST1 or PORT1 matches any, an empty HOST2 or
 * PORT2 keeps the original. SNI and the Host header keep the original name.
 */
export interface ConnectToRule {
  /** As the user typed it, for messages. */
  text: string
  fromHost?: string
  fromPort?: number
  toHost?: string
  toPort?: number
}

const CONNECT_TO_FORM =
  '--connect-to takes HOST1:PORT1:HOST2:PORT2 as curl does, e.g. my-lb-123.us-east-1.elb.amazonaws.com:443:127.0.0.1:8443; an empty HOST1 or PORT1 matches any; IPv6 addresses go in brackets ([::1]).'

/** Splits on colons outside [IPv6] brackets. */
function splitFields(value: string): string[] | undefined {
  const fields: string[] = []
  let current = ''
  let inBrackets = false
  for (const ch of value) {
    if (ch === '[') {
      if (inBrackets) return undefined
      inBrackets = true
    } else if (ch === ']') {
      if (!inBrackets) return undefined
      inBrackets = false
    }
    if (ch === ':' && !inBrackets) {
      fields.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  if (inBrackets) return undefined
  fields.push(current)
  return fields
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/
const IPV6_IN_BRACKETS = /^\[[0-9A-Fa-f:.]+\]$/

/** Why a host name (or [IPv6] address) is not usable, or undefined when it is. */
export function hostNameProblem(host: string): string | undefined {
  if (IPV6_IN_BRACKETS.test(host)) return undefined
  if (HOST_NAME.test(host)) return undefined
  return `"${host}" is not a host name or IP address`
}

/** Lower-case, no trailing dot, no IPv6 brackets: how names are compared and connected to. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return bare.replace(/\.$/, '').toLowerCase()
}

/** Parses one --connect-to value; throws InvalidInputError (exit 2) naming the value and the rule. */
export function parseConnectTo(value: string): ConnectToRule {
  const fields = splitFields(value.trim())
  if (!fields || fields.length !== 4) {
    throw new InvalidInputError(
      `--connect-to "${value}" does not have four colon-separated fields.`,
      CONNECT_TO_FORM,
    )
  }
  const [fromHost, fromPort, toHost, toPort] = fields as [string, string, string, string]
  for (const [host, which] of [
    [fromHost, 'HOST1'],
    [toHost, 'HOST2'],
  ] as const) {
    const problem = host ? hostNameProblem(host) : undefined
    if (problem) throw new InvalidInputError(`--connect-to "${value}": ${which} ${problem}.`, CONNECT_TO_FORM)
  }
  const port = (raw: string, which: string) =>
    raw ? parsePort(`--connect-to "${value}" ${which}`, raw) : undefined
  const rule: ConnectToRule = {text: value}
  if (fromHost) rule.fromHost = normalizeHost(fromHost)
  const p1 = port(fromPort, 'PORT1')
  if (p1 !== undefined) rule.fromPort = p1
  if (toHost) rule.toHost = normalizeHost(toHost)
  const p2 = port(toPort, 'PORT2')
  if (p2 !== undefined) rule.toPort = p2
  if (rule.toHost === undefined && rule.toPort === undefined) {
    throw new InvalidInputError(
      `--connect-to "${value}" names neither HOST2 nor PORT2, so it would change nothing.`,
      CONNECT_TO_FORM,
    )
  }
  return rule
}

/** Where a connection meant for one of `names` on `port` goes, and the rule that sent it there. */
export interface Route {
  endpoint: Endpoint
  rule?: ConnectToRule
}

/**
 * The first rule that matches wins, as in curl. `names` are the names the connection is meant for:
 * the load balancer's DNS name and --host, so a rule may be written with either.
 */
export function routeConnection(rules: ConnectToRule[], names: string[], port: number): Route {
  const wanted = names.map(normalizeHost)
  for (const rule of rules) {
    if (rule.fromHost !== undefined && !wanted.includes(rule.fromHost)) continue
    if (rule.fromPort !== undefined && rule.fromPort !== port) continue
    return {endpoint: {host: rule.toHost ?? normalizeHost(names[0]!), port: rule.toPort ?? port}, rule}
  }
  return {endpoint: {host: normalizeHost(names[0]!), port}}
}

/** "127.0.0.1:8443", "[::1]:8443". */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.host.includes(':')
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`
}
