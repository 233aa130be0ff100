/**
 * `elbx cert rotate` as a change to the desired state: the chosen HTTPS/SSL listeners serve another
 * certificate. Each listener is changed in place with SetLoadBalancerListenerSSLCertificate, which
 * leaves its SSL negotiation policy, stickiness and every other policy as they are (Terraform and
 * CloudFormation delete and recreate the listener instead, dropping them). The replaced IAM
 * certificate is deleted only on request, and only when no listener in the Region serves it after
 * the change.
 */
import type {Gateways} from '../../../aws/gateways.js'
import {InvalidInputError} from '../../../errors.js'
import type {LoadBalancer, Listener} from '../../../model.js'
import {certificateArnKind, serverCertificateNameOf} from '../../../validate/certificate-arn.js'
import type {CertificateSource} from '../../../validate/create-input.js'
import {formatListener, isSecure} from '../../../validate/listener.js'
import {findLoadBalancer, loadBalancerNotFound} from '../../find-load-balancer.js'
import {certificateProblem} from '../check.js'
import {DEFAULT_CONCURRENCY, limitConcurrency} from '../limit.js'
import {observeCertificate, type IamCertificate, type ObservedCertificate} from '../observe.js'
import {STEP, pending, type Action} from '../plan.js'

/** Which listeners get the new certificate. */
export type ListenerSelection =
  | {kind: 'port'; loadBalancerPort: number}
  | {kind: 'all-ports'}
  /** Every listener that serves this certificate now (--replace). */
  | {kind: 'replace'; certificateArn: string}

export interface DesiredRotation {
  /** The load balancer; absent: every load balancer of the Region (--replace --all-load-balancers). */
  loadBalancerName?: string
  certificate: CertificateSource
  listeners: ListenerSelection
  /** Delete each replaced IAM certificate that no listener of the Region serves afterwards. */
  deleteOld: boolean
}

export interface ObservedRotation {
  region: string
  /** The load balancers the rotation looks at: the named one, or every one of the Region. */
  loadBalancers: LoadBalancer[]
  /** Every load balancer of the Region: read with --delete-old (who else serves the old one?). */
  allLoadBalancers?: LoadBalancer[]
  /** What IAM holds under the upload's name (undefined: nothing). */
  uploadTarget?: IamCertificate
  /** The new certificate, when given by ARN. */
  certificates: ObservedCertificate[]
}

/** One listener the rotation looks at. */
export interface RotatedListener {
  loadBalancerName: string
  listener: Listener
  /** The certificate it serves before the change. */
  from?: string
  /** changed: it gets the new one; unchanged: it serves it already. */
  status: 'changed' | 'unchanged'
}

/** What happens to a certificate the rotation replaces, with --delete-old. */
export interface OldCertificate {
  arn: string
  /** delete: nothing serves it afterwards; in-use: these listeners still do; not-iam: ACM's, left alone. */
  status: 'delete' | 'in-use' | 'not-iam'
  usedBy: string[]
}

export interface RotationPlan {
  actions: Action[]
  outcome: {
    /** The new certificate: its ARN (pending until uploaded), and whether it is uploaded now. */
    certificate: {arn: string; name?: string; status: 'upload' | 'unchanged' | 'given'}
    listeners: RotatedListener[]
    oldCertificates: OldCertificate[]
  }
}

const UPLOAD = 'upload-certificate'
const setId = (lb: string, port: number) => `set-certificate:${lb}:${port}`
const listenerName = (lb: string, port: number) => `${lb}:${port}`

/**
 * The reads a rotation needs, together before the first write: the load balancer (or all of them),
 * the new certificate as IAM or ACM holds it (or what IAM holds under the upload's name), and with
 * --delete-old every load balancer of the Region.
 */
export async function observeRotation(
  gateways: Gateways,
  desired: DesiredRotation,
  options: {concurrency?: number} = {},
): Promise<ObservedRotation> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const name = desired.loadBalancerName
  const wantsAll = name === undefined || desired.deleteOld
  const source = desired.certificate
  const [all, one, uploadTarget, certificates] = await Promise.all([
    wantsAll ? run(() => gateways.elb.listLoadBalancers()) : Promise.resolve(undefined),
    // A missing load balancer is LoadBalancerNotFound (exit 1), said as every command says it.
    name !== undefined && !wantsAll
      ? run(() => findLoadBalancer(gateways.elb, name))
      : Promise.resolve(undefined),
    source.kind === 'upload'
      ? run(() => gateways.iam.getServerCertificate(source.name))
      : Promise.resolve(undefined),
    source.kind === 'arn'
      ? Promise.all([observeCertificate(gateways, source.arn, run)])
      : Promise.resolve([]),
  ])
  let loadBalancers: LoadBalancer[]
  if (name === undefined) loadBalancers = all ?? []
  else {
    const found = one ?? all?.find((lb) => lb.name === name)
    if (!found) throw loadBalancerNotFound(name)
    loadBalancers = [found]
  }
  return {
    region: gateways.region,
    loadBalancers,
    ...(all ? {allLoadBalancers: all} : {}),
    ...(uploadTarget ? {uploadTarget} : {}),
    certificates,
  }
}

const listenersText = (lb: LoadBalancer) =>
  lb.listeners.length ? lb.listeners.map((d) => formatListener(d.listener)).join('; ') : 'none'

/** The listeners the selection names, refusing a port without an HTTPS/SSL listener. */
function chosenListeners(
  desired: DesiredRotation,
  observed: ObservedRotation,
): {lb: LoadBalancer; listener: Listener}[] {
  const sel = desired.listeners
  const out: {lb: LoadBalancer; listener: Listener}[] = []
  for (const lb of observed.loadBalancers) {
    const secure = lb.listeners.map((d) => d.listener).filter((l) => isSecure(l.protocol))
    if (sel.kind === 'replace') {
      out.push(
        ...secure
          .filter((l) => l.sslCertificateId === sel.certificateArn)
          .map((listener) => ({lb, listener})),
      )
      continue
    }
    if (sel.kind === 'all-ports') {
      if (secure.length === 0)
        throw new InvalidInputError(
          `Load balancer "${lb.name}" has no HTTPS or SSL listener, so no certificate to rotate. Its listeners: ${listenersText(lb)}.`,
          '`elbx listener add --name NAME --listener https:443:http:80 --certificate ARN` adds one.',
        )
      out.push(...secure.map((listener) => ({lb, listener})))
      continue
    }
    const found = lb.listeners.find((d) => d.listener.loadBalancerPort === sel.loadBalancerPort)?.listener
    if (!found || !isSecure(found.protocol))
      throw new InvalidInputError(
        found
          ? `The listener on port ${sel.loadBalancerPort} of "${lb.name}" is ${formatListener(found)}: only HTTPS and SSL listeners have a certificate. Its listeners: ${listenersText(lb)}.`
          : `Load balancer "${lb.name}" has no listener on port ${sel.loadBalancerPort}. Its listeners: ${listenersText(lb)}.`,
        'Pass --port with the load balancer port of an HTTPS or SSL listener, or --all-ports.',
        {listeners: lb.listeners.map((d) => d.listener)},
      )
    out.push({lb, listener: found})
  }
  return out
}

/**
 * Refuses, before any write, what the reads show cannot work: a certificate that ELB cannot serve
 * (missing, expired, another Region's, a different one under the upload's name) or a port without
 * an HTTPS/SSL listener. InvalidInputError (exit 2) or RuntimeError (exit 1).
 */
export function checkRotation(desired: DesiredRotation, observed: ObservedRotation, now = new Date()): void {
  const problem = certificateProblem(desired, observed, now)
  if (problem) throw problem
  chosenListeners(desired, observed)
}

/**
 * The plan: upload the certificate if IAM does not hold it yet, swap it in on every chosen
 * listener that does not serve it yet (each change restorable: its old certificate is known), and
 * with --delete-old delete each replaced IAM certificate nothing serves afterwards. Empty when every
 * chosen listener serves the new certificate already. Assumes checkRotation() passed.
 */
export function planRotation(desired: DesiredRotation, observed: ObservedRotation): RotationPlan {
  const actions: Action[] = []
  const source = desired.certificate
  const chosen = chosenListeners(desired, observed)
  let certificate: RotationPlan['outcome']['certificate']
  if (source.kind === 'arn') certificate = {arn: source.arn, status: 'given'}
  else if (observed.uploadTarget)
    certificate = {arn: observed.uploadTarget.arn, name: source.name, status: 'unchanged'}
  else certificate = {arn: pending(UPLOAD), name: source.name, status: 'upload'}

  const listeners: RotatedListener[] = chosen.map(({lb, listener}) => ({
    loadBalancerName: lb.name,
    listener,
    ...(listener.sslCertificateId ? {from: listener.sslCertificateId} : {}),
    status: listener.sslCertificateId === certificate.arn ? 'unchanged' : 'changed',
  }))
  const changed = listeners.filter((l) => l.status === 'changed')
  if (changed.length && certificate.status === 'upload' && source.kind === 'upload')
    actions.push({
      id: UPLOAD,
      step: STEP.certificate,
      call: {
        operation: 'UploadServerCertificate',
        name: source.name,
        loadBalancerName: desired.loadBalancerName ?? changed[0]!.loadBalancerName,
      },
      target: `server certificate ${source.name}`,
      why: 'the listeners are to serve it, and IAM does not hold it yet',
      dependsOn: [],
      creates: {kind: 'server-certificate', id: source.name},
    })
  else if (certificate.status === 'upload')
    // Nothing will serve it: nothing to upload either (a rerun after the swap finds it in IAM).
    certificate = {...certificate, status: 'unchanged'}

  for (const l of changed) {
    const port = l.listener.loadBalancerPort
    actions.push({
      id: setId(l.loadBalancerName, port),
      step: STEP.rotateCertificate,
      call: {
        operation: 'SetLoadBalancerListenerSSLCertificate',
        loadBalancerName: l.loadBalancerName,
        loadBalancerPort: port,
        certificateArn: certificate.arn,
      },
      target: `listener ${port} of ${l.loadBalancerName}`,
      why: `swap ${l.from ?? '(none)'} for ${certificate.status === 'upload' ? `the uploaded ${certificate.name}` : certificate.arn} in place; its SSL policy and other policies stay`,
      dependsOn: certificate.status === 'upload' ? [UPLOAD] : [],
      ...(l.from
        ? {
            restore: [
              {
                operation: 'SetLoadBalancerListenerSSLCertificate' as const,
                loadBalancerName: l.loadBalancerName,
                loadBalancerPort: port,
                certificateArn: l.from,
              },
            ],
          }
        : {}),
    })
  }

  const oldCertificates = desired.deleteOld ? oldCertificatesAfter(changed, observed) : []
  for (const old of oldCertificates.filter((o) => o.status === 'delete')) {
    const name = serverCertificateNameOf(old.arn)!
    actions.push({
      id: `delete-certificate:${name}`,
      step: STEP.deleteOldCertificate,
      call: {operation: 'DeleteServerCertificate', name},
      target: `server certificate ${name}`,
      why: 'replaced (--delete-old), and no listener in the Region serves it any more',
      dependsOn: actions.filter((a) => a.step === STEP.rotateCertificate).map((a) => a.id),
    })
  }
  return {actions, outcome: {certificate, listeners, oldCertificates}}
}

/** For each certificate the change replaces: who serves it once the change is made. */
function oldCertificatesAfter(changed: RotatedListener[], observed: ObservedRotation): OldCertificate[] {
  const replaced = new Set(changed.map((l) => listenerName(l.loadBalancerName, l.listener.loadBalancerPort)))
  const everyLoadBalancer = observed.allLoadBalancers ?? observed.loadBalancers
  const arns = [...new Set(changed.map((l) => l.from).filter((a): a is string => a !== undefined))]
  return arns.map((arn) => {
    const usedBy = everyLoadBalancer.flatMap((lb) =>
      lb.listeners
        .filter(
          (d) =>
            d.listener.sslCertificateId === arn &&
            !replaced.has(listenerName(lb.name, d.listener.loadBalancerPort)),
        )
        .map((d) => listenerName(lb.name, d.listener.loadBalancerPort)),
    )
    const status = certificateArnKind(arn) !== 'iam' ? 'not-iam' : usedBy.length ? 'in-use' : 'delete'
    return {arn, status, usedBy}
  })
}

/** The actions that come after verification: deletions cannot be undone, so they wait for it. */
export const isDeletion = (a: Action) => a.call.operation === 'DeleteServerCertificate'
