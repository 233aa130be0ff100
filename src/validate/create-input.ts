import {InvalidInputError} from '../errors.js'
import type {Listener, Scheme, Tag} from '../model.js'
import {checkCertificateFiles, type CheckedCertificate} from '../pem/certificate.js'
import {SERVER_CERTIFICATE_NAME, defaultCertificateName} from '../steps/certificate.js'
import {DEFAULT_INGRESS_CIDRS} from '../steps/security-group.js'
import {parseAttributes, type DesiredAttributes} from './attributes.js'
import {checkCertificateArn, checkCertificateRegion} from './certificate-arn.js'
import {checkListeners, isSecure, parseListener, seedListeners} from './listener.js'
import {checkLoadBalancerName} from './load-balancer-name.js'
import {
  checkAvailabilityZoneRegions,
  checkAvailabilityZones,
  checkCidr,
  checkScheme,
  checkSecurityGroupIds,
  checkSubnetIds,
  listValues,
  type NetworkRequest,
} from './network.js'
import {checkFilePath} from './file-path.js'
import {parseTags} from './tags.js'

/** Where HTTPS/SSL listeners get their certificate. */
export type CertificateSource =
  | {kind: 'arn'; arn: string}
  /** Files checked locally, uploaded to IAM under `name` by the certificate step. */
  | {kind: 'upload'; name: string; checked: CheckedCertificate}

/** Everything `elbx create` needs, checked; built before the first AWS request. */
export interface CreateInput {
  name: string
  /** HTTPS/SSL listeners without sslCertificateId get the certificate's ARN. */
  listeners: Listener[]
  certificate?: CertificateSource
  network: NetworkRequest
  scheme: Scheme
  /** Groups the user gave; empty means elbx makes one (in a VPC). */
  securityGroups: string[]
  ingressCidrs: string[]
  attributes: DesiredAttributes
  tags: Tag[]
  rollback: boolean
}

/** The create input before the name is known (it may still be asked for in a terminal). */
export type CreateRequest = Omit<CreateInput, 'name' | 'certificate'> & {
  name?: string
  certificate?: CertificateSource | {kind: 'upload'; name?: string; checked: CheckedCertificate}
}

/** The flags `elbx create` reads, as oclif parses them. */
export interface CreateFlagValues {
  name?: string
  listener?: string[]
  https?: boolean
  'backend-https'?: boolean
  certificate?: string
  'certificate-file'?: string
  'private-key-file'?: string
  'chain-file'?: string
  'certificate-name'?: string
  subnets?: string[]
  'availability-zones'?: string[]
  scheme?: string
  'security-groups'?: string[]
  'ingress-cidr'?: string[]
  'cross-zone'?: boolean
  'connection-draining'?: string
  'idle-timeout'?: string
  tag?: string[]
  rollback?: boolean
}

function checkCertificateName(name: string): string {
  if (!SERVER_CERTIFICATE_NAME.test(name)) {
    throw new InvalidInputError(
      `--certificate-name "${name}" is not an IAM server certificate name.`,
      'Use 1-128 letters, digits and + = , . @ _ - characters.',
    )
  }
  return name
}

/** The certificate flags (--certificate, or the files checked locally) as a certificate source. */
export function certificateSource(flags: CreateFlagValues, now: Date): CreateRequest['certificate'] {
  if (flags.certificate !== undefined) return {kind: 'arn', arn: checkCertificateArn(flags.certificate)}
  if (flags['certificate-file'] === undefined) return undefined
  if (flags['private-key-file'] === undefined) {
    throw new InvalidInputError(
      '--certificate-file needs --private-key-file (the key that goes with the certificate).',
    )
  }
  const checked = checkCertificateFiles(
    {
      certificateFile: flags['certificate-file'],
      privateKeyFile: flags['private-key-file'],
      ...(flags['chain-file'] !== undefined ? {chainFile: flags['chain-file']} : {}),
    },
    now,
  )
  const name =
    flags['certificate-name'] === undefined ? undefined : checkCertificateName(flags['certificate-name'])
  return {kind: 'upload', checked, ...(name ? {name} : {})}
}

/**
 * The checks that need nothing else to be given: the name, the file flags are not empty, each
 * listener, the certificate flags' pairing. Run first, so a bad value is reported before anything missing is.
 */
export function checkGivenCreateValues(flags: CreateFlagValues): {name?: string; listeners: Listener[]} {
  const name = flags.name === undefined ? undefined : checkLoadBalancerName(flags.name)
  for (const flag of ['certificate-file', 'private-key-file', 'chain-file'] as const) {
    const path = flags[flag]
    if (path !== undefined) checkFilePath(`--${flag}`, path)
  }
  const listeners = [
    ...(flags.https ? seedListeners({backendHttps: Boolean(flags['backend-https'])}) : []),
    ...(flags.listener ?? []).map((l) => parseListener(l)),
  ]
  for (const l of listeners) {
    if (l.sslCertificateId) checkCertificateArn(l.sslCertificateId, `--listener SSLCertificateId`)
  }
  if (flags['private-key-file'] !== undefined && flags['certificate-file'] === undefined) {
    throw new InvalidInputError(
      '--private-key-file needs --certificate-file (the certificate the key belongs to).',
    )
  }
  return {...(name !== undefined ? {name} : {}), listeners}
}

/**
 * Checks every create flag, in the order a user reads them, before any AWS request; the first
 * problem is an InvalidInputError (exit 2) naming the value and the rule.
 */
export function checkCreateFlags(flags: CreateFlagValues, now: Date = new Date()): CreateRequest {
  const {name, listeners} = checkGivenCreateValues(flags)
  const certificate = certificateSource(flags, now)
  checkListeners(listeners, {certificateGiven: certificate !== undefined})
  if (certificate && !listeners.some((l) => isSecure(l.protocol) && !l.sslCertificateId)) {
    throw new InvalidInputError(
      'A certificate was given but no HTTPS or SSL listener uses it.',
      'Add --https, or an https/ssl --listener, or drop the certificate flags.',
    )
  }
  const subnets = checkSubnetIds(listValues(flags.subnets))
  const availabilityZones = checkAvailabilityZones(listValues(flags['availability-zones']))
  if (subnets.length && availabilityZones.length) {
    throw new InvalidInputError('Give --subnets or --availability-zones, not both.')
  }
  const network: NetworkRequest = {
    ...(subnets.length ? {subnets} : {}),
    ...(availabilityZones.length ? {availabilityZones} : {}),
  }
  const scheme = checkScheme((flags.scheme ?? 'internet-facing') as Scheme, network)
  const securityGroups = checkSecurityGroupIds(listValues(flags['security-groups']))
  const cidrs = listValues(flags['ingress-cidr']).map((c) => checkCidr(c))
  if (cidrs.length && securityGroups.length) {
    throw new InvalidInputError(
      '--ingress-cidr applies to the security group elbx creates; with --security-groups, elbx creates none.',
    )
  }
  return {
    ...(name ? {name} : {}),
    listeners,
    ...(certificate ? {certificate} : {}),
    network,
    scheme,
    securityGroups,
    ingressCidrs: cidrs.length ? cidrs : DEFAULT_INGRESS_CIDRS,
    attributes: parseAttributes({
      ...(flags['cross-zone'] !== undefined ? {crossZone: flags['cross-zone']} : {}),
      ...(flags['connection-draining'] !== undefined
        ? {connectionDraining: flags['connection-draining']}
        : {}),
      ...(flags['idle-timeout'] !== undefined ? {idleTimeout: flags['idle-timeout']} : {}),
    }),
    tags: parseTags(flags.tag ?? []),
    rollback: flags.rollback ?? true,
  }
}

/** The full input once the name is known (from --name or a prompt); names an uploaded certificate after it. */
export function completeCreateInput(request: CreateRequest, name: string): CreateInput {
  const certificate: CertificateSource | undefined =
    request.certificate?.kind === 'upload'
      ? {
          kind: 'upload',
          checked: request.certificate.checked,
          name:
            request.certificate.name ?? defaultCertificateName(name, request.certificate.checked.fingerprint),
        }
      : request.certificate
  const {certificate: _unnamed, ...rest} = request
  return {...rest, name: checkLoadBalancerName(name), ...(certificate ? {certificate} : {})}
}

/**
 * The checks that need the Region (known once the connection is set up, before any request): each
 * ACM certificate ARN, given by --certificate or a listener's SSLCertificateId, and each
 * Availability Zone is of that Region.
 */
export function checkCreateInputRegion(
  input: Pick<CreateRequest, 'listeners' | 'certificate' | 'network'>,
  region: string,
): void {
  checkAvailabilityZoneRegions(input.network.availabilityZones ?? [], region)
  if (input.certificate?.kind === 'arn') checkCertificateRegion(input.certificate.arn, region)
  for (const l of input.listeners) {
    if (l.sslCertificateId) checkCertificateRegion(l.sslCertificateId, region, '--listener SSLCertificateId')
  }
}
