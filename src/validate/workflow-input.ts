import {InvalidInputError} from '../errors.js'
import type {WaitMode} from '../model.js'
import {parseWaitTimeout} from '../flags.js'
import type {Listener} from '../model.js'
import {publicKeyFromFile} from '../pem/public-key.js'
import {parseConnectTo, type ConnectToRule} from '../steps/verify/connect-to.js'
import {checkFilePath} from './file-path.js'
import {HEALTH_CHECK_FLAG_NAMES, type HealthCheckChanges, parseHealthCheckFlags} from './health-check.js'
import {parseInstanceIds} from './instance-ids.js'
import {isSecure} from './listener.js'
import {
  SSL_POLICY_FLAG_NAMES,
  checkPolicyName,
  parseSslPolicyFlags,
  type ParsedSslPolicyFlags,
} from './ssl-policy.js'

/** The flags `create` adds for the rest of the seed's workflow (after the load balancer itself). */
export interface WorkflowFlagValues {
  'ssl-policy'?: string
  'ssl-protocols'?: string
  'ssl-ciphers'?: string
  'ssl-server-order'?: boolean
  'ssl-policy-name'?: string
  'backend-auth-cert'?: string[]
  'health-check'?: string
  'health-interval'?: string
  'health-timeout'?: string
  'healthy-threshold'?: string
  'unhealthy-threshold'?: string
  instances?: string[]
  wait?: WaitMode
  'wait-timeout': string
  verify?: boolean
  'connect-to'?: string[]
  insecure?: boolean
}

/** A back-end authentication key, read and checked from its file before any request. */
export interface BackendAuthKey {
  file: string
  publicKey: string
  source: 'certificate' | 'public key'
  note?: string
}

/** The workflow steps after the load balancer, checked: SSL policy to verify. */
export interface WorkflowInput {
  ssl: ParsedSslPolicyFlags & {policyName?: string}
  backendAuth: BackendAuthKey[]
  /** Instance ports whose listeners send HTTPS/SSL: where back-end authentication goes. */
  backendAuthPorts: number[]
  healthCheck: HealthCheckChanges
  instances: string[]
  wait: {mode: WaitMode; timeoutMs: number}
  verify?: {connectTo: ConnectToRule[]; insecure: boolean}
}

/** The health check flags' one spelling (kept under this name for the engine's import). */
export const WORKFLOW_HEALTH_FLAG_NAMES = HEALTH_CHECK_FLAG_NAMES

/**
 * The workflow flags' values on their own, before the listeners (and the wizard's answers) are
 * known: policy names, SSL protocols and ciphers, back-end authentication key files, the health
 * check, instance IDs, the wait timeout, --connect-to. The wizard checks these before its first
 * question, so a typo is news before any answers are typed.
 */
export function checkGivenWorkflowValues(flags: WorkflowFlagValues): Omit<WorkflowInput, 'backendAuthPorts'> {
  const ssl = parseSslPolicyFlags(
    {
      predefined: flags['ssl-policy'],
      protocols: flags['ssl-protocols'],
      ciphers: flags['ssl-ciphers'],
      serverOrder: flags['ssl-server-order'],
    },
    SSL_POLICY_FLAG_NAMES,
  )
  const policyName =
    flags['ssl-policy-name'] === undefined
      ? undefined
      : checkPolicyName('--ssl-policy-name', flags['ssl-policy-name'])
  const backendAuth = (flags['backend-auth-cert'] ?? []).map((file) => ({
    file,
    ...publicKeyFromFile('--backend-auth-cert', checkFilePath('--backend-auth-cert', file)),
  }))
  const healthCheck = parseHealthCheckFlags(
    {
      target: flags['health-check'],
      interval: flags['health-interval'],
      timeout: flags['health-timeout'],
      healthyThreshold: flags['healthy-threshold'],
      unhealthyThreshold: flags['unhealthy-threshold'],
    },
    WORKFLOW_HEALTH_FLAG_NAMES,
    // create's load balancer starts from AWS's default health check: the rule is static.
    {fillDefaults: true},
  )
  const instances = flags.instances === undefined ? [] : parseInstanceIds(flags.instances)
  const timeoutMs = parseWaitTimeout(flags['wait-timeout'])
  if (!flags.verify && (flags['connect-to']?.length || flags.insecure)) {
    throw new InvalidInputError('--connect-to and --insecure apply to --verify: add --verify.')
  }
  const verify = flags.verify
    ? {connectTo: (flags['connect-to'] ?? []).map(parseConnectTo), insecure: flags.insecure ?? false}
    : undefined
  return {
    ssl: {...ssl, ...(policyName ? {policyName} : {})},
    backendAuth,
    healthCheck,
    instances,
    wait: {mode: flags.wait ?? (instances.length ? 'any' : 'none'), timeoutMs},
    ...(verify ? {verify} : {}),
  }
}

/**
 * Checks every workflow flag against the listeners `create` will make, before any request, so a
 * run with bad input changes nothing: SSL flags need an HTTPS/SSL listener, back-end
 * authentication an HTTPS/SSL instance protocol, waiting needs instances.
 */
export function checkWorkflowFlags(flags: WorkflowFlagValues, listeners: Listener[]): WorkflowInput {
  const given = checkGivenWorkflowValues(flags)
  if ((given.ssl.spec || given.ssl.policyName) && !listeners.some((l) => isSecure(l.protocol))) {
    throw new InvalidInputError(
      'An SSL negotiation policy needs an HTTPS or SSL listener, and this load balancer has none.',
      'Add --https, or a listener such as --listener https:443:http:80.',
    )
  }
  const backendAuthPorts = [
    ...new Set(listeners.filter((l) => isSecure(l.instanceProtocol)).map((l) => l.instancePort)),
  ]
  if (given.backendAuth.length && backendAuthPorts.length === 0) {
    throw new InvalidInputError(
      '--backend-auth-cert needs a listener that sends HTTPS or SSL to the instances: back-end authentication only works on an encrypted back-end connection.',
      'Add --backend-https (HTTPS 443 -> HTTPS 443), or a listener such as --listener https:443:https:443.',
    )
  }
  if (given.wait.mode !== 'none' && given.instances.length === 0) {
    throw new InvalidInputError(
      `--wait ${given.wait.mode} needs instances to wait for: give --instances.`,
      'Or leave --wait out; without --instances nothing is registered.',
    )
  }
  return {...given, backendAuthPorts}
}
