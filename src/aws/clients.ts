import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types'

import {MissingRegionError} from '../errors.js'
import {registerSecret} from '../redact.js'
import {checkEndpointSettings, checkProfileExists, checkRegionName} from './connection-settings.js'
import type {DryRunRecorder} from './dry-run.js'
import {RequestLog, type RequestRecord} from './request-log.js'
import type {ACMClient} from './sdk/acm.js'
import type {EC2Client} from './sdk/ec2.js'
import type {ElasticLoadBalancingClient} from './sdk/elb.js'
import type {IAMClient} from './sdk/iam.js'

/** Where and as whom elbx talks to AWS: the global flags, resolved. */
export interface AwsSettings {
  region?: string
  profile?: string
  /** --endpoint-url; otherwise the SDK honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>. */
  endpointUrl?: string
  requestLog: RequestLog
  /** elbx/<version>, appended to the SDK's user agent. */
  userAgent: string
  /** --dry-run: record mutating requests instead of sending them. */
  dryRun?: DryRunRecorder
}

/** The subset of an SDK client's shape elbx needs to install its middleware and shut down. */
interface SdkClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: Record<string, unknown>,
      ) => (args: unknown) => Promise<unknown>,
      options: {step: 'deserialize' | 'initialize'; priority: 'low' | 'high'; name: string},
    ): void
  }
  config: {region: () => Promise<string>}
  destroy(): void
}

/**
 * Records each HTTP attempt (retries included). It sits innermost in the deserialize step so it
 * sees the raw response of every attempt, before the SDK turns 4xx/5xx into errors.
 */
function installRequestLogger(client: SdkClient, log: RequestLog): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now()
      const base: Omit<RequestRecord, 'status' | 'durationMs'> = {
        service: serviceOf(context),
        operation: operationOf(context),
      }
      try {
        const result = (await next(args)) as {
          response?: {statusCode?: number; headers?: Record<string, string>}
        }
        const headers = result.response?.headers ?? {}
        log.record({
          ...base,
          status: result.response?.statusCode ?? 0,
          durationMs: Math.round(performance.now() - started),
          requestId: headers['x-amzn-requestid'] ?? headers['x-amz-request-id'],
        })
        return result
      } catch (error) {
        log.record({
          ...base,
          status: 0,
          durationMs: Math.round(performance.now() - started),
          error: (error as {code?: string}).code ?? (error as Error).name,
        })
        throw error
      }
    },
    {step: 'deserialize', priority: 'low', name: 'elbxRequestLog'},
  )
}

const serviceOf = (context: Record<string, unknown>) =>
  String(context.clientName ?? 'aws').replace(/Client$/, '')
const operationOf = (context: Record<string, unknown>) =>
  String(context.commandName ?? 'request').replace(/Command$/, '')

/**
 * --dry-run: answers mutating commands before they are signed or sent (outermost step), so the
 * same gateways and steps produce the plan while reads still reach AWS.
 */
function installDryRun(client: SdkClient, recorder: DryRunRecorder): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context)
      const input = ((args as {input?: Record<string, unknown>}).input ?? {}) as Record<string, unknown>
      if (!recorder.intercepts(operation)) {
        const planned = recorder.answerRead(operation, input)
        return planned ? {output: planned, response: undefined} : next(args)
      }
      return {output: recorder.record(serviceOf(context), operation, input), response: undefined}
    },
    {step: 'initialize', priority: 'high', name: 'elbxDryRun'},
  )
}

/** One credential provider for all clients, so the chain (env, profile, SSO, IMDS) resolves once. */
async function sharedCredentials(profile: string | undefined): Promise<AwsCredentialIdentityProvider> {
  const {fromNodeProviderChain} = await import('./sdk/credentials.js')
  const chain = fromNodeProviderChain(profile ? {profile} : {})
  let cached: Promise<AwsCredentialIdentity> | undefined
  return async () => {
    cached ??= chain().then((credentials) => {
      // Whatever happens later, these values must never be printed.
      registerSecret(credentials.secretAccessKey)
      registerSecret(credentials.sessionToken)
      return credentials
    })
    try {
      return await cached
    } catch (error) {
      cached = undefined
      throw error
    }
  }
}

export interface AwsClients {
  elb: ElasticLoadBalancingClient
  /** The other clients load on first use, so a command that talks only to ELB never loads them. */
  ec2(): Promise<EC2Client>
  iam(): Promise<IAMClient>
  acm(): Promise<ACMClient>
  region: string
  destroy(): void
}

/**
 * Module loading is serialised: it is CPU-bound anyway, and jest's ESM loader mishandles
 * concurrent dynamic imports of shared modules.
 */
let importChain: Promise<unknown> = Promise.resolve()
export function importInTurn<T>(load: () => Promise<T>): Promise<T> {
  const next = importChain.then(load, load)
  importChain = next.catch(() => undefined)
  return next
}

/**
 * Builds the ELB client (every command needs it, and it resolves the region) and, on first use,
 * the EC2, IAM and ACM clients, all with one configuration. The SDK modules are imported here, on
 * demand, so `elbx --help`, input validation and ELB-only commands never pay for the others.
 */
export async function createClients(settings: AwsSettings): Promise<AwsClients> {
  checkConnectionSettings(settings)
  const elbMod = await importInTurn(() => import('./sdk/elb.js'))
  const credentials = await importInTurn(() => sharedCredentials(settings.profile))
  const common = {
    ...(settings.region ? {region: settings.region} : {}),
    ...(settings.profile ? {profile: settings.profile} : {}),
    ...(settings.endpointUrl ? {endpoint: settings.endpointUrl} : {}),
    credentials,
    customUserAgent: settings.userAgent,
    // Standard mode backs off with jitter on Throttling/ThrottlingException and 5xx, capped at 20 s.
    ...(process.env.AWS_RETRY_MODE ? {} : {retryMode: 'standard'}),
    ...(process.env.AWS_MAX_ATTEMPTS ? {} : {maxAttempts: 5}),
  }
  const live: SdkClient[] = []
  const instrument = <C>(client: C): C => {
    installRequestLogger(client as unknown as SdkClient, settings.requestLog)
    if (settings.dryRun) installDryRun(client as unknown as SdkClient, settings.dryRun)
    live.push(client as unknown as SdkClient)
    return client
  }
  const elb = instrument(new elbMod.ElasticLoadBalancingClient(common))
  const region = checkRegionName(await resolveRegion(elb as unknown as SdkClient, settings.profile))
  const withRegion = {...common, region}
  const once = <C>(make: () => Promise<C>): (() => Promise<C>) => {
    let made: Promise<C> | undefined
    // Called only from inside importInTurn (see connect()), so not queued again here.
    return () => (made ??= make())
  }
  return {
    elb,
    ec2: once(async () => instrument(new (await import('./sdk/ec2.js')).EC2Client(withRegion))),
    // IAM is global; its endpoint override (moto, a proxy) still comes from --endpoint-url or AWS_ENDPOINT_URL_IAM.
    iam: once(async () => instrument(new (await import('./sdk/iam.js')).IAMClient(withRegion))),
    acm: once(async () => instrument(new (await import('./sdk/acm.js')).ACMClient(withRegion))),
    region,
    destroy() {
      for (const client of live) client.destroy()
    },
  }
}

/**
 * The connection settings the user typed, checked before the SDK loads or any request: endpoint
 * URLs (flag and environment), and that a named profile exists in the files the SDK reads.
 */
function checkConnectionSettings(settings: AwsSettings): void {
  checkEndpointSettings(settings.endpointUrl, process.env)
  if (settings.profile !== undefined) checkProfileExists(settings.profile, '--profile', process.env)
  else if (process.env.AWS_PROFILE) checkProfileExists(process.env.AWS_PROFILE, 'AWS_PROFILE', process.env)
}

/** Region from --region, AWS_REGION/AWS_DEFAULT_REGION or the profile; a clear error when none. */
async function resolveRegion(client: SdkClient, profile: string | undefined): Promise<string> {
  try {
    const region = await client.config.region()
    if (region) return region
  } catch {
    // fall through to the explanation below
  }
  throw new MissingRegionError(
    'No AWS region is set.',
    `Pass --region (e.g. --region us-east-1), set AWS_REGION, or set region in ${profile ? `profile "${profile}"` : 'your AWS config file'}.`,
  )
}
