import {InvalidInputError} from '../errors.js'

/**
 * Parses a whole number from user input and checks it lies in [min, max]. `what` names the value
 * the way the user typed it (e.g. "--health-interval"), so the message says which input is wrong.
 */
export function parseIntInRange(
  what: string,
  raw: string | number,
  min: number,
  max: number,
  rule?: string,
): number {
  const text = String(raw).trim()
  if (!/^-?\d+$/.test(text)) {
    throw new InvalidInputError(`${what} must be a whole number from ${min} to ${max}, got "${raw}".`, rule)
  }
  const value = Number(text)
  if (value < min || value > max) {
    throw new InvalidInputError(`${what} must be from ${min} to ${max}, got ${value}.`, rule)
  }
  return value
}

/** A TCP port, 1-65535 (load balancer ports in a VPC and all instance ports). */
export function parsePort(what: string, raw: string | number): number {
  return parseIntInRange(what, raw, 1, 65535, 'Ports are whole numbers from 1 to 65535.')
}
