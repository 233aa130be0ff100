/**
 * The connection settings a user types (--endpoint-url, --region, --profile and their environment
 * variables), checked before the SDK loads: a bad one is input (exit 2), not a failed request.
 */
import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {InvalidInputError} from '../errors.js'

/** The environment variables that set an endpoint for the services elbx talks to, besides --endpoint-url. */
export const ENDPOINT_URL_VARIABLES = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING',
  'AWS_ENDPOINT_URL_EC2',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_ENDPOINT_URL_ACM',
] as const

const ENDPOINT_FORM =
  'An endpoint URL is http:// or https://, a host and an optional port, e.g. http://127.0.0.1:5000.'

/**
 * An endpoint URL is http(s) with a host. Anything else fails only at the first request ("Invalid
 * URL", or a connection attempt to a made-up host), so it is refused here as input (exit 2).
 * `source` is how the user set it: "--endpoint-url" or the environment variable's name.
 */
export function checkEndpointUrl(value: string, source: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return value
  // "127.0.0.1:5000" parses as a URL of scheme "127.0.0.1:": say what was probably meant.
  const guess = /^[\w.-]+(?::\d+)?(?:\/.*)?$/.test(value) ? ` Did you mean http://${value}?` : ''
  const why = url ? `its scheme is ${url.protocol.slice(0, -1)}, not http or https` : 'it is not a URL'
  throw new InvalidInputError(
    `${source} "${value}" is not an endpoint URL: ${why}.`,
    `${ENDPOINT_FORM}${guess}`,
  )
}

/** Every endpoint setting elbx or the SDK will use: the flag, then the environment. */
export function checkEndpointSettings(flag: string | undefined, env: NodeJS.ProcessEnv): void {
  if (flag !== undefined) checkEndpointUrl(flag, '--endpoint-url')
  for (const name of ENDPOINT_URL_VARIABLES) {
    const value = env[name]
    if (value) checkEndpointUrl(value, name)
  }
}

// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-4, il-central-1.
const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/

/**
 * A Region name has AWS's form. Otherwise the SDK builds a host name from it and the first request
 * fails on DNS (or, with --endpoint-url, is signed for a Region that does not exist).
 */
export function checkRegionName(region: string): string {
  if (REGION_NAME.test(region)) return region
  throw new InvalidInputError(
    `Region "${region}" is not an AWS Region name.`,
    'Regions look like us-east-1 or eu-west-2; set it with --region, AWS_REGION, or region in your AWS config file.',
  )
}

/** The two files a named profile can live in, where the SDK looks for them. */
export function profileFiles(env: NodeJS.ProcessEnv): {config: string; credentials: string} {
  const home = env.HOME || env.USERPROFILE || homedir()
  // The SDK expands a leading "~/" in both variables; so does elbx, to look where it will.
  const expand = (path: string) => (path.startsWith('~/') ? join(home, path.slice(2)) : path)
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  }
}

/** Profile names of an ini file: `[profile NAME]` and `[default]` in config, `[NAME]` in credentials. */
export function profileNames(text: string, kind: 'config' | 'credentials'): string[] {
  const names: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]*?)\s*\]/.exec(line)
    if (!header) continue
    const section = header[1]!
    if (kind === 'credentials') names.push(section)
    else if (section === 'default') names.push(section)
    else {
      const named = /^profile\s+(.+)$/.exec(section)
      if (named) names.push(named[1]!)
    }
  }
  return names
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * A named profile (--profile, or AWS_PROFILE) must be in the config or credentials file. The SDK
 * would otherwise print its multi-line credential-provider warning and fail at the first request;
 * elbx says it once, before any request, naming the profile and the files it looked in.
 */
export function checkProfileExists(profile: string, source: string, env: NodeJS.ProcessEnv): void {
  const files = profileFiles(env)
  const config = readIfPresent(files.config)
  const credentials = readIfPresent(files.credentials)
  const known = [
    ...(config === undefined ? [] : profileNames(config, 'config')),
    ...(credentials === undefined ? [] : profileNames(credentials, 'credentials')),
  ]
  if (known.includes(profile)) return
  const where = [
    `${files.config}${config === undefined ? ' (no such file)' : ''}`,
    `${files.credentials}${credentials === undefined ? ' (no such file)' : ''}`,
  ]
  const others = [...new Set(known)]
  throw new InvalidInputError(
    `Profile "${profile}" (${source}) is in neither ${where[0]} nor ${where[1]}.`,
    [
      others.length ? `Profiles there: ${others.join(', ')}.` : '',
      `Create it with \`aws configure --profile ${profile}\`, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the files that have it.`,
    ]
      .filter(Boolean)
      .join(' '),
    {profile, files: [files.config, files.credentials]},
  )
}
