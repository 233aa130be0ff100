import {InvalidInputError} from '../errors.js'
import {parseIntInRange} from './ranges.js'

/** The attributes elbx sets on every load balancer it creates. */
export interface DesiredAttributes {
  crossZoneLoadBalancing: boolean
  connectionDraining: {enabled: boolean; timeout?: number}
  idleTimeout: number
}

/**
 * The console's defaults (seed, console step 5: "Leave cross-zone load balancing and connection
 * draining enabled"); the API's own defaults turn both off.
 */
export const CONSOLE_DEFAULT_ATTRIBUTES: DesiredAttributes = {
  crossZoneLoadBalancing: true,
  connectionDraining: {enabled: true, timeout: 300},
  idleTimeout: 60,
}

const DRAINING_RULE = 'Connection draining is a timeout of 1 to 3600 seconds (default 300), or "off".'
const IDLE_RULE = 'The idle timeout is 1 to 3600 seconds (default 60).'

/** --connection-draining: SECONDS (1-3600) or off. */
export function parseConnectionDraining(raw: string): DesiredAttributes['connectionDraining'] {
  const text = raw.trim().toLowerCase()
  if (text === 'off' || text === 'false' || text === 'disabled') return {enabled: false}
  if (!/^-?\d+$/.test(text)) {
    throw new InvalidInputError(`--connection-draining must be SECONDS or off, got "${raw}".`, DRAINING_RULE)
  }
  return {enabled: true, timeout: parseIntInRange('--connection-draining', text, 1, 3600, DRAINING_RULE)}
}

/**
 * --idle-timeout: 1-3600 seconds. The guide says up to 4000 but the API model caps it at 3600;
 * the smaller bound is the one every request passes.
 */
export function parseIdleTimeout(raw: string): number {
  return parseIntInRange('--idle-timeout', raw, 1, 3600, IDLE_RULE)
}

/** The desired attributes from the flags, with the console's defaults for what is not given. */
export function parseAttributes(flags: {
  crossZone?: boolean
  connectionDraining?: string
  idleTimeout?: string
}): DesiredAttributes {
  return {
    crossZoneLoadBalancing: flags.crossZone ?? CONSOLE_DEFAULT_ATTRIBUTES.crossZoneLoadBalancing,
    connectionDraining:
      flags.connectionDraining === undefined
        ? CONSOLE_DEFAULT_ATTRIBUTES.connectionDraining
        : parseConnectionDraining(flags.connectionDraining),
    idleTimeout:
      flags.idleTimeout === undefined
        ? CONSOLE_DEFAULT_ATTRIBUTES.idleTimeout
        : parseIdleTimeout(flags.idleTimeout),
  }
}
