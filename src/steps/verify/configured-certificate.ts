/**
 * Is the certificate a listener serves the one it is configured with? elbx can read both: the
 * listener's certificate from IAM (GetServerCertificate) or ACM (GetCertificate), and the served
 * one from the handshake. No scanner can make this check. `cert rotate --verify` needs the same
 * comparison, so it is a step of its own: readConfiguredCertificate + compareServedCertificate.
 */
import {X509Certificate} from 'node:crypto'

import {awsErrorCode, toStepError} from '../../aws/errors.js'
import type {AcmGateway, IamGateway} from '../../aws/gateways.js'
import {certificateArnKind, serverCertificateNameOf} from '../../validate/certificate-arn.js'
import type {PeerCertificate} from './network.js'
import {type CheckOutcome, fail, pass, skip, warn} from './types.js'

/** The gateways the comparison reads from; either may be absent (then that kind is not compared). */
export interface ConfiguredCertificateDeps {
  iam?: IamGateway
  acm?: AcmGateway
}

/** The listener's configured certificate, as IAM or ACM holds it. */
export interface ConfiguredCertificate {
  arn: string
  service: 'iam' | 'acm'
  subject: string
  /** DNS names (SANs), for guessing the host a certificate is meant for. */
  dnsNames: string[]
  /** SHA-256 of the DER, colon-separated upper-case hex (as Node prints it). */
  fingerprint256: string
  validTo: string
}

/** Why the configured certificate could not be read: the comparison is skipped or warned, never guessed. */
export interface UnreadableCertificate {
  arn: string
  /** not-found: IAM/ACM has no such certificate; unsupported: not an IAM or ACM ARN or no gateway. */
  problem: 'not-found' | 'unsupported' | 'error'
  reason: string
}

function toConfigured(arn: string, service: 'iam' | 'acm', body: string): ConfiguredCertificate {
  const x509 = new X509Certificate(body)
  const dnsNames = (x509.subjectAltName ?? '')
    .split(', ')
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice(4))
  return {
    arn,
    service,
    subject: x509.subject.replace(/\n/g, ', '),
    dnsNames,
    fingerprint256: x509.fingerprint256,
    validTo: new Date(x509.validTo).toISOString(),
  }
}

/** Reads the certificate a listener names (its SSLCertificateId) from IAM or ACM. */
export async function readConfiguredCertificate(
  deps: ConfiguredCertificateDeps,
  arn: string,
): Promise<ConfiguredCertificate | UnreadableCertificate> {
  const kind = certificateArnKind(arn)
  try {
    if (kind === 'iam' && deps.iam) {
      const name = serverCertificateNameOf(arn)!
      const found = await deps.iam.getServerCertificate(name)
      if (!found?.certificateBody)
        return {arn, problem: 'not-found', reason: `IAM has no server certificate named ${name}`}
      return toConfigured(arn, 'iam', found.certificateBody)
    }
    if (kind === 'acm' && deps.acm) {
      const body = await deps.acm.getCertificateBody(arn)
      if (!body) return {arn, problem: 'not-found', reason: `ACM has no certificate ${arn}`}
      return toConfigured(arn, 'acm', body)
    }
  } catch (error) {
    const step = kind === 'iam' ? 'Get server certificate' : 'Get ACM certificate'
    const code = awsErrorCode(error)
    return {
      arn,
      problem: code === 'NoSuchEntity' || code === 'ResourceNotFound' ? 'not-found' : 'error',
      reason: toStepError(step, error).message,
    }
  }
  return {
    arn,
    problem: 'unsupported',
    reason: kind ? `no ${kind.toUpperCase()} access in this run` : 'not an IAM or ACM certificate ARN',
  }
}

export function isConfigured(
  value: ConfiguredCertificate | UnreadableCertificate | undefined,
): value is ConfiguredCertificate {
  return value !== undefined && 'fingerprint256' in value
}

const normalize = (fingerprint: string) => fingerprint.replace(/:/g, '').toUpperCase()

/**
 * Compares the served certificate with the configured one by SHA-256 fingerprint: a mismatch
 * fails naming both (the listener serves another certificate: a stale rotation, a proxy, the
 * wrong endpoint); a configured certificate that cannot be read warns (nothing to compare with).
 */
export function compareServedCertificate(
  configured: ConfiguredCertificate | UnreadableCertificate,
  served: PeerCertificate | undefined,
): CheckOutcome {
  if (!isConfigured(configured)) {
    const data = {configuredArn: configured.arn, error: configured.reason}
    return configured.problem === 'unsupported'
      ? skip(
          `not compared: the configured certificate ${configured.arn} cannot be read (${configured.reason})`,
          data,
        )
      : warn(
          `the configured certificate ${configured.arn} could not be read, so the served one was not compared with it: ${configured.reason}`,
          data,
        )
  }
  if (!served?.fingerprint256) return skip('not compared: the server sent no certificate')
  const data = {
    configured: {
      arn: configured.arn,
      service: configured.service,
      subject: configured.subject,
      fingerprint256: configured.fingerprint256,
    },
    served: {subject: served.subject, fingerprint256: served.fingerprint256},
    matches: normalize(configured.fingerprint256) === normalize(served.fingerprint256),
  }
  if (!data.matches) {
    return fail(
      [
        `the listener serves ${served.subject || '(no subject)'} (SHA-256 ${served.fingerprint256}), not its configured certificate ${configured.arn} (${configured.subject}, SHA-256 ${configured.fingerprint256})`,
        'a rotation that did not take, another endpoint behind --connect-to, or a proxy in between; `aws elb describe-load-balancers` shows the SSLCertificateId in force',
      ].join('\n'),
      data,
    )
  }
  return pass(
    `serves its configured certificate ${configured.arn} (${configured.subject}, SHA-256 ${configured.fingerprint256}, from ${configured.service.toUpperCase()})`,
    data,
  )
}

/** readConfiguredCertificate then compareServedCertificate: the whole step, as `cert rotate --verify` will run it. */
export async function checkServedCertificate(
  deps: ConfiguredCertificateDeps,
  certificateArn: string,
  served: PeerCertificate | undefined,
): Promise<CheckOutcome> {
  return compareServedCertificate(await readConfiguredCertificate(deps, certificateArn), served)
}
