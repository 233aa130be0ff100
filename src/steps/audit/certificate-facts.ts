/** A certificate body, as read from IAM or ACM, turned into the facts the certificate rule judges. */
import {certificateInfoFromPem} from '../../pem/certificate-info.js'
import type {ObservedListenerCertificate} from '../engine/observe.js'
import type {CertificateFacts} from './facts.js'

export function certificateFacts(read: ObservedListenerCertificate, now: Date): CertificateFacts {
  if (!read.certificateBody)
    return {arn: read.arn, problem: read.problem ?? 'no certificate body was returned'}
  const info = certificateInfoFromPem(read.certificateBody, now)
  if (!info) return {arn: read.arn, problem: 'the body returned is not an X.509 certificate that parses'}
  const {subject, notAfter, daysToExpiry, expired} = info
  return {arn: read.arn, validity: {subject, notAfter, daysToExpiry, expired}}
}
