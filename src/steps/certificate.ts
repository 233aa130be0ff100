import type {IamGateway} from '../aws/gateways.js'
import {isAwsError} from '../aws/errors.js'
import {RuntimeError} from '../errors.js'
import type {CheckedCertificate} from '../pem/certificate.js'
import type {Tag} from '../model.js'
import {parsePemBlocks} from '../pem/pem-file.js'
import {retry, type Clock} from './retry.js'
import {carriesRunMark} from './rollback.js'

/** Tag key on everything elbx creates for a load balancer (security group, IAM certificate); the value is the load balancer's name. */
export const ELBX_TAG_KEY = 'elbx:load-balancer'

/**
 * How long ELB may answer CertificateNotFound for a certificate IAM just accepted. IAM is
 * eventually consistent; Terraform waits 5 minutes for the same reason (hashicorp/terraform#2540).
 */
export const CERTIFICATE_PROPAGATION_MS = 5 * 60_000

/** IAM server certificate names: up to 128 of letters, digits and +=,.@_- */
export const SERVER_CERTIFICATE_NAME = /^[\w+=,.@-]{1,128}$/

/** elbx's name for an uploaded certificate: stable for one certificate, so a rerun finds it instead of uploading again. */
export function defaultCertificateName(loadBalancerName: string, fingerprint: string): string {
  return `elbx-${loadBalancerName}-${fingerprint.slice(0, 16)}`
}

export interface CertificateUpload {
  name: string
  loadBalancerName: string
  certificate: CheckedCertificate
  /** This run's mark (Rollback.mark), tagged on the upload so a lost answer cannot hide that this run made it. */
  runMark?: Tag | undefined
}

export interface UploadedCertificate {
  name: string
  arn: string
  /** False when IAM already held this very certificate under this name. */
  created: boolean
}

const der = (pem: string) => parsePemBlocks(pem)[0]?.der

/**
 * The server certificate IAM holds under `name`, if any, and whether this run's mark is on it (so
 * this run uploaded it, even if the answer never came back). A different certificate under the
 * name is an error: elbx never replaces or adopts someone else's.
 */
export async function existingServerCertificate(
  iam: IamGateway,
  upload: Pick<CertificateUpload, 'name' | 'certificate' | 'runMark'>,
): Promise<(UploadedCertificate & {madeByThisRun: boolean}) | undefined> {
  const existing = await iam.getServerCertificate(upload.name)
  if (!existing) return undefined
  const same =
    existing.certificateBody &&
    der(existing.certificateBody)?.equals(der(upload.certificate.certificateBody)!)
  if (!same) {
    throw new RuntimeError(
      `IAM already holds a different server certificate named "${upload.name}".`,
      'Pass another --certificate-name, or --certificate with the ARN of the existing one.',
    )
  }
  const madeByThisRun = carriesRunMark(existing.tags, upload.runMark)
  return {name: existing.name, arn: existing.arn, created: madeByThisRun, madeByThisRun}
}

/**
 * Uploads the certificate to IAM (UploadServerCertificate), tagged for the load balancer and with
 * this run's mark. When the name is taken by the same certificate it is reused; by a different
 * one, it is an error.
 */
export async function uploadCertificate(
  iam: IamGateway,
  upload: CertificateUpload,
): Promise<UploadedCertificate> {
  const plain = ({name, arn, created}: UploadedCertificate): UploadedCertificate => ({name, arn, created})
  const existing = await existingServerCertificate(iam, upload)
  if (existing) return plain(existing)
  try {
    const uploaded = await iam.uploadServerCertificate({
      name: upload.name,
      certificateBody: upload.certificate.certificateBody,
      privateKey: upload.certificate.privateKey,
      ...(upload.certificate.certificateChain ? {certificateChain: upload.certificate.certificateChain} : {}),
      tags: [
        {key: ELBX_TAG_KEY, value: upload.loadBalancerName},
        ...(upload.runMark ? [upload.runMark] : []),
      ],
    })
    return {name: uploaded.name || upload.name, arn: uploaded.arn, created: true}
  } catch (error) {
    // Either this run's first attempt made it and its answer was lost (the SDK retried: the mark is
    // ours, and so is the certificate), or another run uploaded it since we looked (two creates at
    // once: the same certificate is reused, and left to that run).
    if (!isAwsError(error, 'EntityAlreadyExists')) throw error
    const raced = await existingServerCertificate(iam, upload)
    if (!raced) throw error
    return plain(raced)
  }
}

/** Runs an ELB request that names a just-uploaded certificate, retrying CertificateNotFound while IAM propagates it. */
export function retryWhileCertificatePropagates<T>(
  work: () => Promise<T>,
  options: {clock?: Clock; signal?: AbortSignal; budgetMs?: number; onRetry?: (delayMs: number) => void},
): Promise<T> {
  return retry(work, {
    retryable: (error) => isAwsError(error, 'CertificateNotFound'),
    budgetMs: options.budgetMs ?? CERTIFICATE_PROPAGATION_MS,
    initialDelayMs: 5000,
    maxDelayMs: 30_000,
    ...(options.clock ? {clock: options.clock} : {}),
    ...(options.signal ? {signal: options.signal} : {}),
    ...(options.onRetry ? {onRetry: (_e: unknown, _n: number, ms: number) => options.onRetry!(ms)} : {}),
  })
}

/**
 * Deletes an IAM server certificate. Right after its load balancer is deleted IAM may still say
 * DeleteConflict, so that is retried for a bounded while; a certificate already gone is fine.
 */
export async function deleteServerCertificate(
  iam: IamGateway,
  name: string,
  options: {clock?: Clock; signal?: AbortSignal; budgetMs?: number} = {},
): Promise<void> {
  try {
    await retry(() => iam.deleteServerCertificate(name), {
      retryable: (error) => isAwsError(error, 'DeleteConflict'),
      budgetMs: options.budgetMs ?? 2 * 60_000,
      initialDelayMs: 5000,
      ...(options.clock ? {clock: options.clock} : {}),
      ...(options.signal ? {signal: options.signal} : {}),
    })
  } catch (error) {
    if (!isAwsError(error, 'NoSuchEntity')) throw error
  }
}

/** The AWS CLI command that deletes an IAM server certificate. */
/** IAM is global, but the aws CLI still wants a region to sign with (v1 ignores AWS_REGION). */
export const deleteServerCertificateCommand = (name: string, region: string) =>
  `aws iam delete-server-certificate --server-certificate-name ${name} --region ${region}`
