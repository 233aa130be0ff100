import {InvalidInputError} from '../errors.js'
import {PROTOCOLS, type Listener, type Protocol} from '../model.js'
import {parsePort} from './ranges.js'

/** How a listener is written on the command line, for messages and hints. */
export const LISTENER_SYNTAX =
  'Write a listener as Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80[,SSLCertificateId=ARN] or as https:443:http:80.'

const SECURE: ReadonlySet<Protocol> = new Set(['HTTPS', 'SSL'])
const LAYER7: ReadonlySet<Protocol> = new Set(['HTTP', 'HTTPS'])

/** True for HTTPS and SSL, the protocols that need a certificate on the front end. */
export const isSecure = (protocol: Protocol): boolean => SECURE.has(protocol)

/** "HTTPS 443 -> HTTP 80", the way the console's listener table reads. */
export function formatListener(l: Listener): string {
  return `${l.protocol} ${l.loadBalancerPort} -> ${l.instanceProtocol} ${l.instancePort}`
}

function parseProtocol(flag: string, raw: string, what: string, value: string): Protocol {
  const upper = raw.trim().toUpperCase()
  if ((PROTOCOLS as readonly string[]).includes(upper)) return upper as Protocol
  throw new InvalidInputError(
    `${flag} "${value}": ${what} "${raw}" is not a protocol; use HTTP, HTTPS, TCP or SSL.`,
    LISTENER_SYNTAX,
  )
}

/** The AWS CLI's names for listener fields, matched case-insensitively as the CLI does. */
const SHORTHAND_KEYS: Record<string, keyof Listener> = {
  protocol: 'protocol',
  loadbalancerport: 'loadBalancerPort',
  instanceprotocol: 'instanceProtocol',
  instanceport: 'instancePort',
  sslcertificateid: 'sslCertificateId',
}

function parseShorthand(flag: string, value: string): Listener {
  const fields: Partial<Record<keyof Listener, string>> = {}
  // The certificate ARN may contain "=" and "/" but never ","; split on commas, then the first "=".
  for (const part of value.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 1)
      throw new InvalidInputError(`${flag} "${value}": "${part}" is not Key=Value.`, LISTENER_SYNTAX)
    const key = SHORTHAND_KEYS[part.slice(0, eq).trim().toLowerCase()]
    if (!key) {
      throw new InvalidInputError(
        `${flag} "${value}": unknown field "${part.slice(0, eq).trim()}"; the fields are Protocol, LoadBalancerPort, InstanceProtocol, InstancePort and SSLCertificateId.`,
        LISTENER_SYNTAX,
      )
    }
    if (fields[key] !== undefined)
      throw new InvalidInputError(`${flag} "${value}": ${part.slice(0, eq).trim()} is given twice.`)
    fields[key] = part.slice(eq + 1).trim()
  }
  const missing = (['protocol', 'loadBalancerPort', 'instancePort'] as const).filter((k) => !fields[k])
  if (missing.length) {
    const names = missing.map((k) => k[0]!.toUpperCase() + k.slice(1))
    throw new InvalidInputError(`${flag} "${value}" lacks ${names.join(', ')}.`, LISTENER_SYNTAX)
  }
  const protocol = parseProtocol(flag, fields.protocol!, 'Protocol', value)
  return {
    protocol,
    loadBalancerPort: parsePort(`${flag} "${value}": LoadBalancerPort`, fields.loadBalancerPort!),
    // AWS's default: the instance protocol follows the front-end protocol's layer, unencrypted.
    instanceProtocol: fields.instanceProtocol
      ? parseProtocol(flag, fields.instanceProtocol, 'InstanceProtocol', value)
      : LAYER7.has(protocol)
        ? 'HTTP'
        : 'TCP',
    instancePort: parsePort(`${flag} "${value}": InstancePort`, fields.instancePort!),
    ...(fields.sslCertificateId ? {sslCertificateId: fields.sslCertificateId} : {}),
  }
}

function parseShort(flag: string, value: string): Listener {
  const parts = value.split(':')
  if (parts.length !== 4)
    throw new InvalidInputError(`${flag} "${value}" is not a listener.`, LISTENER_SYNTAX)
  const [protocol, lbPort, instanceProtocol, instancePort] = parts as [string, string, string, string]
  return {
    protocol: parseProtocol(flag, protocol, 'protocol', value),
    loadBalancerPort: parsePort(`${flag} "${value}": load balancer port`, lbPort),
    instanceProtocol: parseProtocol(flag, instanceProtocol, 'instance protocol', value),
    instancePort: parsePort(`${flag} "${value}": instance port`, instancePort),
  }
}

/**
 * Parses one --listener value in either syntax: the AWS CLI's shorthand
 * (Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80,SSLCertificateId=ARN)
 * or elbx's short form (https:443:http:80). Protocols are case-insensitive, as in the AWS CLI.
 */
export function parseListener(value: string, flag = '--listener'): Listener {
  const text = value.trim()
  if (text.length === 0) throw new InvalidInputError(`${flag} is empty.`, LISTENER_SYNTAX)
  return text.includes('=') ? parseShorthand(flag, text) : parseShort(flag, text)
}

/** The seed's two listeners: HTTP 80 -> HTTP 80 and HTTPS 443 -> HTTP 80 (or HTTPS 443 with back-end HTTPS). */
export function seedListeners(options: {backendHttps: boolean}): Listener[] {
  return [
    {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
    options.backendHttps
      ? {protocol: 'HTTPS', loadBalancerPort: 443, instanceProtocol: 'HTTPS', instancePort: 443}
      : {protocol: 'HTTPS', loadBalancerPort: 443, instanceProtocol: 'HTTP', instancePort: 80},
  ]
}

/** Why one listener breaks AWS's rules, or undefined. */
export function listenerProblem(l: Listener): string | undefined {
  if (LAYER7.has(l.protocol) !== LAYER7.has(l.instanceProtocol)) {
    return `Listener ${formatListener(l)}: a ${l.protocol} front end needs ${
      LAYER7.has(l.protocol) ? 'an HTTP or HTTPS' : 'a TCP or SSL'
    } instance protocol, not ${l.instanceProtocol}.`
  }
  if (l.sslCertificateId && !isSecure(l.protocol)) {
    return `Listener ${formatListener(l)}: only HTTPS and SSL listeners take a certificate (SSLCertificateId).`
  }
  return undefined
}

export interface ListenerSetOptions {
  /** A certificate from --certificate or --certificate-file fills HTTPS/SSL listeners that name none. */
  certificateGiven: boolean
}

/**
 * Checks a whole set of listeners against AWS's rules before any request: protocol pairs, no load
 * balancer port twice, listeners sharing an instance port agree on a secure or plain instance
 * protocol, and every HTTPS/SSL listener has a certificate. Throws InvalidInputError (exit 2).
 */
export function checkListeners(listeners: Listener[], options: ListenerSetOptions): Listener[] {
  if (listeners.length === 0) {
    throw new InvalidInputError(
      'No listeners: pass --https for the HTTP 80 and HTTPS 443 pair, or --listener (repeatable).',
      LISTENER_SYNTAX,
    )
  }
  if (listeners.length > 100) {
    throw new InvalidInputError(`${listeners.length} listeners given; a load balancer takes at most 100.`)
  }
  const byPort = new Map<number, Listener>()
  const byInstancePort = new Map<number, Listener>()
  for (const l of listeners) {
    const problem = listenerProblem(l)
    if (problem) throw new InvalidInputError(problem, LISTENER_SYNTAX)
    const same = byPort.get(l.loadBalancerPort)
    if (same) {
      throw new InvalidInputError(
        `Load balancer port ${l.loadBalancerPort} is used twice (${formatListener(same)} and ${formatListener(l)}); each listener needs its own port.`,
      )
    }
    byPort.set(l.loadBalancerPort, l)
    const sharing = byInstancePort.get(l.instancePort)
    if (sharing && isSecure(sharing.instanceProtocol) !== isSecure(l.instanceProtocol)) {
      throw new InvalidInputError(
        `Listeners ${formatListener(sharing)} and ${formatListener(l)} share instance port ${l.instancePort} but one sends ${sharing.instanceProtocol} and the other ${l.instanceProtocol}; listeners on one instance port must both be secure (HTTPS/SSL) or both plain (HTTP/TCP).`,
      )
    }
    byInstancePort.set(l.instancePort, sharing ?? l)
    if (isSecure(l.protocol) && !l.sslCertificateId && !options.certificateGiven) {
      throw new InvalidInputError(
        `Listener ${formatListener(l)} needs a certificate.`,
        'Pass --certificate ARN, or --certificate-file and --private-key-file to upload one to IAM, or SSLCertificateId=ARN in the listener.',
      )
    }
  }
  return listeners
}
