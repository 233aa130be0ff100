import {InvalidInputError} from '../errors.js'

export type CertificateArnKind = 'acm' | 'iam'

const PARTITION = 'aws(?:-[a-z]+)*'
const ACM_ARN = new RegExp(`^arn:${PARTITION}:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+$`)
const IAM_ARN = new RegExp(
  `^arn:${PARTITION}:iam::\\d{12}:server-certificate/(?:[\\w+=,.@/-]+/)?[\\w+=,.@-]+$`,
)
/** IAM's unique ID of a server certificate, which ELB does not accept in place of the ARN. */
const IAM_CERTIFICATE_ID = /^ASCA[A-Z0-9]{12,}$/

export const CERTIFICATE_ARN_FORMS =
  'Certificate ARNs look like arn:aws:acm:REGION:ACCOUNT:certificate/ID (ACM) or arn:aws:iam::ACCOUNT:server-certificate/NAME (IAM).'

/** Which service a certificate ARN belongs to, or undefined when it is not a certificate ARN. */
export function certificateArnKind(value: string): CertificateArnKind | undefined {
  if (ACM_ARN.test(value)) return 'acm'
  if (IAM_ARN.test(value)) return 'iam'
  return undefined
}

/** The server certificate name in an IAM server-certificate ARN (the last path segment). */
export function serverCertificateNameOf(arn: string): string | undefined {
  return certificateArnKind(arn) === 'iam' ? arn.slice(arn.lastIndexOf('/') + 1) : undefined
}

/**
 * Returns the ARN when it is an ACM certificate or IAM server certificate ARN. A bare IAM
 * certificate ID (ASCA...) is refused with a hint: ELB answers it with a misleading
 * CertificateNotFound (hashicorp/terraform#16513).
 */
export function checkCertificateArn(value: string, what = '--certificate'): string {
  const text = value.trim()
  if (IAM_CERTIFICATE_ID.test(text)) {
    throw new InvalidInputError(
      `${what} "${text}" is an IAM certificate ID, not an ARN; load balancers need the ARN.`,
      'Find the ARN with `aws iam get-server-certificate --server-certificate-name NAME` (ServerCertificateMetadata.Arn) and pass that.',
    )
  }
  if (!certificateArnKind(text)) {
    throw new InvalidInputError(
      `${what} "${text}" is not an ACM or IAM certificate ARN.`,
      CERTIFICATE_ARN_FORMS,
    )
  }
  return text
}

/**
 * ACM certificates are regional and a load balancer can use only those of its own Region (IAM
 * server certificates are global). The Region is the ARN's fourth field, so a mismatch is known
 * before any request; AWS would answer CertificateNotFound only after elbx made the security group.
 */
export function checkCertificateRegion(arn: string, region: string, what = '--certificate'): void {
  if (certificateArnKind(arn) !== 'acm') return
  const arnRegion = arn.split(':')[3]!
  if (arnRegion === region) return
  throw new InvalidInputError(
    `${what} "${arn}" is an ACM certificate in ${arnRegion}, but the load balancer is in ${region}: a load balancer can only use ACM certificates of its own Region.`,
    `Request or import the certificate in ${region} (ACM), use an IAM server certificate (global), or pass --region ${arnRegion}.`,
  )
}
