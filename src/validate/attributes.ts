import {InvalidInputError} from '../errors.js'
import type {DesyncMitigationMode} from '../model.js'
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

/** What `elbx attributes` is asked to change; absent members stay as they are. */
export interface AttributeChangesRequest {
  crossZoneLoadBalancing?: boolean
  connectionDraining?: DesiredAttributes['connectionDraining']
  idleTimeout?: number
  accessLog?:
    {enabled: true; s3BucketName: string; s3BucketPrefix?: string; emitInterval: 5 | 60} | {enabled: false}
  desyncMitigationMode?: DesyncMitigationMode
}

/** Access logs are written every 5 or 60 minutes (AWS's default 60). */
export const ACCESS_LOG_INTERVALS = ['5', '60'] as const
const ACCESS_LOG_RULE =
  "Access logs go to s3://BUCKET or s3://BUCKET/PREFIX: a bucket name of 3-63 lower-case letters, digits, dots and hyphens that starts and ends with a letter or digit; the bucket must be in the load balancer's Region."
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** --access-logs s3://BUCKET[/PREFIX] with --access-logs-interval 5|60. */
export function parseAccessLogs(
  raw: string,
  interval: string | undefined,
): AttributeChangesRequest['accessLog'] {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(raw.trim())
  if (!m)
    throw new InvalidInputError(
      `--access-logs "${raw}" is not an s3://BUCKET/PREFIX location.`,
      ACCESS_LOG_RULE,
    )
  const bucket = m[1]!
  if (!BUCKET.test(bucket) || bucket.includes('..'))
    throw new InvalidInputError(
      `--access-logs bucket "${bucket}" is not a valid S3 bucket name.`,
      ACCESS_LOG_RULE,
    )
  const prefix = (m[2] ?? '').replace(/\/+$/, '')
  return {
    enabled: true,
    s3BucketName: bucket,
    ...(prefix ? {s3BucketPrefix: prefix} : {}),
    emitInterval: interval === '5' ? 5 : 60,
  }
}

/** The change flags of `elbx attributes`, checked; an empty request when none is given (show them). */
export function parseAttributeChanges(flags: {
  crossZone?: boolean
  connectionDraining?: string
  idleTimeout?: string
  accessLogs?: string
  accessLogsInterval?: string
  noAccessLogs?: boolean
  desyncMitigation?: DesyncMitigationMode
}): AttributeChangesRequest {
  if (flags.accessLogsInterval !== undefined && flags.accessLogs === undefined)
    throw new InvalidInputError(
      '--access-logs-interval needs --access-logs s3://BUCKET/PREFIX.',
      'Example: elbx attributes --name my-lb --access-logs s3://my-logs/elb --access-logs-interval 5',
    )
  return {
    ...(flags.crossZone !== undefined ? {crossZoneLoadBalancing: flags.crossZone} : {}),
    ...(flags.connectionDraining !== undefined
      ? {connectionDraining: parseConnectionDraining(flags.connectionDraining)}
      : {}),
    ...(flags.idleTimeout !== undefined ? {idleTimeout: parseIdleTimeout(flags.idleTimeout)} : {}),
    ...(flags.accessLogs !== undefined
      ? {accessLog: parseAccessLogs(flags.accessLogs, flags.accessLogsInterval)}
      : flags.noAccessLogs
        ? {accessLog: {enabled: false as const}}
        : {}),
    ...(flags.desyncMitigation !== undefined ? {desyncMitigationMode: flags.desyncMitigation} : {}),
  }
}
