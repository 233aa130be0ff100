/** A certificate body, as read from IAM or ACM, turned into the facts the certificate rule judges. */
import {certificateInfoFromPem} from '../../pem/certificate-info.js'
import type {CertificateBody} from './collect.js'
import type {CertificateFacts} from './facts.js'

export function certificateFacts(read: CertificateBody, now: Date): CertificateFacts {
  if (!read.body) return {arn: read.arn, problem: read.problem ?? 'no certificate body'}
  const info = certificateInfoFromPem(read.body, now)
  if (!info) return {arn: read.arn, problem: 'the body returned is not an X.509 certificate that parses'}
  const {subject, notAfter, daysToExpiry, expired} = info
  return {arn: read.arn, validity: {subject, notAfter, daysToExpiry, expired}}
}
