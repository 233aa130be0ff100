/**
 * `elbx listener add` and `elbx listener remove` as changes to the desired state of a load
 * balancer that exists. Each listener is changed on its own: the others, and their policies, are
 * never touched (Ansible's purge_listeners and Terraform's listener blocks replace the whole set).
 * AWS's rules live here: a new HTTPS/SSL listener gets ELBSecurityPolicy-2016-08 from AWS unless
 * elbx sets its own default SSL policy; a listener's protocols and instance port cannot change in
 * place, so it is deleted and created again (its traffic stops until then); the last listener
 * cannot go; the security group elbx made opens and closes the port, one it did not make is never
 * touched (a missing rule there is reported).
 */
import type {Gateways} from '../../../aws/gateways.js'
import {InvalidInputError} from '../../../errors.js'
import type {
  IngressRule,
  Listener,
  ListenerDescription,
  LoadBalancer,
  Policy,
  SecurityGroup,
} from '../../../model.js'
import {SSL_NEGOTIATION_POLICY_TYPE} from '../../../policy/ssl-attributes.js'
import type {CertificateSource} from '../../../validate/create-input.js'
import {formatListener, isSecure} from '../../../validate/listener.js'
import {findLoadBalancer} from '../../find-load-balancer.js'
import {DEFAULT_INGRESS_CIDRS, formatPortRange, madeByElbx, missingIngress} from '../../security-group.js'
import {
  DEFAULT_SSL_POLICY,
  defaultSslPolicyName,
  isSslNegotiationPolicy,
  policyMatchesSpec,
  sslPolicyAttributes,
  type SslPolicySpec,
} from '../../ssl-policy.js'
import {certificateProblem} from '../check.js'
import {DEFAULT_CONCURRENCY, limitConcurrency} from '../limit.js'
import {observeCertificate, type IamCertificate, type ObservedCertificate} from '../observe.js'
import {STEP, listenersWithCertificate, pending, sameListener, type Action} from '../plan.js'

export type DesiredListenerChange =
  | {
      kind: 'add'
      loadBalancerName: string
      /** Listeners to have; an HTTPS/SSL one without SSLCertificateId gets `certificate`. */
      listeners: Listener[]
      certificate?: CertificateSource
    }
  | {kind: 'remove'; loadBalancerName: string; loadBalancerPorts: number[]}

export interface ObservedListeners {
  region: string
  loadBalancer: LoadBalancer
  /** The load balancer's own policies. */
  policies: Policy[]
  /** The load balancer's security groups, as found. */
  securityGroups: SecurityGroup[]
  uploadTarget?: IamCertificate
  certificates: ObservedCertificate[]
}

export interface ListenerPlan {
  actions: Action[]
  outcome: {
    /** The listeners once the plan is applied, with the policies each will carry. */
    listeners: ListenerDescription[]
    /** One phrase per port: "8443: added", "8443: replaced (traffic interrupted)", "8443: removed", "8443: unchanged", "8443: no listener there". */
    changes: string[]
    /** The rules opened (add) or closed (remove) in the group elbx made for the load balancer. */
    securityGroup?: {groupId: string; opened: IngressRule[]; closed: IngressRule[]}
    warnings: string[]
  }
}

const UPLOAD = 'upload-certificate'
const CREATE = 'create-listeners'
const DEFAULT_SPEC: SslPolicySpec = {kind: 'predefined', name: DEFAULT_SSL_POLICY}
const LAYER7 = new Set(['HTTP', 'HTTPS'])

/** The ARNs the new listeners name themselves (--listener ...,SSLCertificateId=ARN, or --certificate). */
function certificateArns(desired: DesiredListenerChange): string[] {
  if (desired.kind !== 'add') return []
  const arns = desired.listeners
    .filter((l) => isSecure(l.protocol))
    .map(
      (l) =>
        l.sslCertificateId ?? (desired.certificate?.kind === 'arn' ? desired.certificate.arn : undefined),
    )
  return [...new Set(arns.filter((a): a is string => a !== undefined))]
}

/** The reads, before the first write: the load balancer, then its policies and security groups, and the certificates. */
export async function observeListeners(
  gateways: Gateways,
  desired: DesiredListenerChange,
  options: {concurrency?: number} = {},
): Promise<ObservedListeners> {
  const run = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY)
  const name = desired.loadBalancerName
  const source = desired.kind === 'add' ? desired.certificate : undefined
  const [loadBalancer, uploadTarget, certificates] = await Promise.all([
    run(() => findLoadBalancer(gateways.elb, name)),
    source?.kind === 'upload'
      ? run(() => gateways.iam.getServerCertificate(source.name))
      : Promise.resolve(undefined),
    Promise.all(certificateArns(desired).map((arn) => observeCertificate(gateways, arn, run))),
  ])
  const [policies, securityGroups] = await Promise.all([
    run(() => gateways.elb.describePolicies(name)),
    loadBalancer.securityGroups.length
      ? run(() => gateways.ec2.describeSecurityGroups({groupIds: loadBalancer.securityGroups}))
      : Promise.resolve([]),
  ])
  return {
    region: gateways.region,
    loadBalancer,
    policies,
    securityGroups,
    ...(uploadTarget ? {uploadTarget} : {}),
    certificates,
  }
}

/** Refuses what the reads show cannot work, before any write: a certificate ELB cannot serve, removing every listener. */
export function checkListeners(
  desired: DesiredListenerChange,
  observed: ObservedListeners,
  now = new Date(),
): void {
  if (desired.kind === 'add') {
    const problem = certificateProblem(desired, observed, now)
    if (problem) throw problem
    return
  }
  const lb = observed.loadBalancer
  const left = lb.listeners.filter((d) => !desired.loadBalancerPorts.includes(d.listener.loadBalancerPort))
  if (left.length === 0)
    throw new InvalidInputError(
      `Refusing to remove the last listener of "${lb.name}": a load balancer needs at least one.`,
      `Add the listener it should have first (\`elbx listener add\`), or delete the load balancer with \`elbx destroy --name ${lb.name}\`.`,
    )
}

/** The group elbx made for this load balancer, when it is one of the load balancer's groups. */
function elbxGroup(observed: ObservedListeners): SecurityGroup | undefined {
  return observed.securityGroups.find((g) => madeByElbx(g, observed.loadBalancer.name))
}

/** The plan of `listener add` or `listener remove`; empty when the load balancer is as asked already. */
export function planListeners(desired: DesiredListenerChange, observed: ObservedListeners): ListenerPlan {
  return desired.kind === 'add' ? planAdd(desired, observed) : planRemove(desired, observed)
}

function planAdd(
  desired: Extract<DesiredListenerChange, {kind: 'add'}>,
  observed: ObservedListeners,
): ListenerPlan {
  const actions: Action[] = []
  const warnings: string[] = []
  const changes: string[] = []
  const lb = observed.loadBalancer
  const name = lb.name
  const source = desired.certificate
  const policies = new Map(observed.policies.map((p) => [p.name, p]))

  let certificateArn: string | undefined
  let uploads = false
  if (source?.kind === 'arn') certificateArn = source.arn
  else if (source?.kind === 'upload') {
    certificateArn = observed.uploadTarget?.arn ?? pending(UPLOAD)
    uploads = !observed.uploadTarget
  }
  const wanted = listenersWithCertificate(desired.listeners, certificateArn)
  const current = new Map(lb.listeners.map((d) => [d.listener.loadBalancerPort, d]))
  const toCreate: Listener[] = []
  const replaced: ListenerDescription[] = []
  for (const want of wanted) {
    const have = current.get(want.loadBalancerPort)
    if (!have) {
      toCreate.push(want)
      changes.push(`${want.loadBalancerPort}: added`)
    } else if (!sameListener(have.listener, want)) {
      replaced.push(have)
      toCreate.push(want)
      changes.push(`${want.loadBalancerPort}: replaced (traffic interrupted)`)
    } else if (isSecure(want.protocol) && want.sslCertificateId !== have.listener.sslCertificateId)
      throw new InvalidInputError(
        `Listener ${want.loadBalancerPort} of "${name}" exists with another certificate (${have.listener.sslCertificateId ?? 'none'}).`,
        `\`elbx cert rotate --name ${name} --port ${want.loadBalancerPort} --certificate ...\` swaps it in place.`,
      )
    else changes.push(`${want.loadBalancerPort}: unchanged`)
  }
  const needsUpload = uploads && toCreate.some((l) => l.sslCertificateId === pending(UPLOAD))
  if (needsUpload && source?.kind === 'upload')
    actions.push({
      id: UPLOAD,
      step: STEP.certificate,
      call: {operation: 'UploadServerCertificate', name: source.name, loadBalancerName: name},
      target: `server certificate ${source.name}`,
      why: 'the new HTTPS/SSL listener serves it, and IAM does not hold it yet',
      dependsOn: [],
      creates: {kind: 'server-certificate', id: source.name},
    })

  // One port per request: DeleteLoadBalancerListeners with several ports is one request AWS takes,
  // but not every endpoint does (moto corrupts the list), and each listener's undo is its own.
  for (const d of replaced) {
    const port = d.listener.loadBalancerPort
    const next = toCreate.find((l) => l.loadBalancerPort === port)!
    actions.push({
      id: `delete-listener:${port}`,
      step: STEP.listeners,
      call: {operation: 'DeleteLoadBalancerListeners', loadBalancerName: name, loadBalancerPorts: [port]},
      target: `listener ${port}`,
      why: `${formatListener(d.listener)} must become ${formatListener(next)}: a listener's protocols and instance port cannot be changed in place, so it is deleted and created again (its traffic is interrupted until then)`,
      dependsOn: [],
      interruptsTraffic: true,
      restore: recreate(name, d),
    })
  }
  if (toCreate.length)
    actions.push({
      id: CREATE,
      step: STEP.listeners,
      call: {operation: 'CreateLoadBalancerListeners', loadBalancerName: name, listeners: toCreate},
      target: `listener${toCreate.length > 1 ? 's' : ''} ${toCreate.map((l) => l.loadBalancerPort).join(', ')}`,
      why: replaced.length
        ? 'create the listeners again with their new settings'
        : `${name} has no listener on ${toCreate.length > 1 ? 'these ports' : 'this port'} yet`,
      dependsOn: [
        ...replaced.map((d) => `delete-listener:${d.listener.loadBalancerPort}`),
        ...(needsUpload ? [UPLOAD] : []),
      ],
      ...(replaced.length ? {interruptsTraffic: true} : {}),
      // Undone port by port (for the reason the deletes are one port each); a replaced listener's
      // own undo then creates the old one again.
      restore: toCreate.map((l) => ({
        operation: 'DeleteLoadBalancerListeners' as const,
        loadBalancerName: name,
        loadBalancerPorts: [l.loadBalancerPort],
      })),
    })

  // Policies of each created listener: a replaced one keeps what still fits its new protocol; a
  // new HTTPS/SSL one gets elbx's default SSL policy, not AWS's (which enables TLS 1.0).
  const defaultName = defaultSslPolicyName(DEFAULT_SPEC)
  let createsDefault = false
  for (const l of toCreate) {
    const before = replaced.find((d) => d.listener.loadBalancerPort === l.loadBalancerPort)?.policyNames ?? []
    const sslBefore = before.filter((n) => isSslNegotiationPolicy(n, policies))
    const stickiness = before.filter((n) => !sslBefore.includes(n))
    const keep = [
      ...(LAYER7.has(l.protocol) ? stickiness : []),
      ...(isSecure(l.protocol) ? (sslBefore.length ? sslBefore : [defaultName]) : []),
    ]
    const dropped = before.filter((n) => !keep.includes(n))
    if (dropped.length)
      warnings.push(
        `Listener ${l.loadBalancerPort} becomes ${formatListener(l)}, which cannot carry ${dropped.join(', ')}: ${dropped.length > 1 ? 'they are' : 'it is'} dropped.`,
      )
    if (isSecure(l.protocol) && !sslBefore.length) createsDefault = true
    if (keep.length === 0) continue
    actions.push({
      id: `set-listener-policies:${l.loadBalancerPort}`,
      step: STEP.sslPolicy,
      call: {
        operation: 'SetLoadBalancerPoliciesOfListener',
        loadBalancerName: name,
        loadBalancerPort: l.loadBalancerPort,
        policyNames: keep,
      },
      target: `listener ${l.loadBalancerPort}`,
      why:
        sslBefore.length || !isSecure(l.protocol)
          ? `keep its policies ${keep.join(', ')}`
          : `a new listener gets AWS's default SSL policy (ELBSecurityPolicy-2016-08, TLS 1.0 on); put elbx's default ${defaultName} (${DEFAULT_SSL_POLICY}) there`,
      dependsOn: [
        CREATE,
        ...(keep.includes(defaultName) && !policies.has(defaultName) ? [`create-policy:${defaultName}`] : []),
      ],
    })
  }
  if (createsDefault) {
    const existing = policies.get(defaultName)
    if (existing && !policyMatchesSpec(existing, DEFAULT_SPEC))
      throw new InvalidInputError(
        `Load balancer "${name}" has a policy named "${defaultName}" with other settings; elbx cannot put its default SSL policy on the new listener.`,
        `Set the listener's SSL policy afterwards with \`elbx policy ssl --name ${name} --port PORT --ssl-policy ...\`.`,
      )
    if (!existing)
      actions.splice(actions.findIndex((a) => a.id === CREATE) + 1, 0, {
        id: `create-policy:${defaultName}`,
        step: STEP.sslPolicy,
        call: {
          operation: 'CreateLoadBalancerPolicy',
          loadBalancerName: name,
          policyName: defaultName,
          policyTypeName: SSL_NEGOTIATION_POLICY_TYPE,
          attributes: sslPolicyAttributes(DEFAULT_SPEC),
        },
        target: `policy ${defaultName} (${SSL_NEGOTIATION_POLICY_TYPE})`,
        why: `reference ${DEFAULT_SSL_POLICY} (elbx's default, the AWS guide's recommendation) from a policy of the load balancer`,
        dependsOn: [],
      })
  }

  // The security group: elbx's own opens the new ports; another's missing rule is reported.
  const added = toCreate.filter((l) => !current.has(l.loadBalancerPort)).map((l) => l.loadBalancerPort)
  const group = elbxGroup(observed)
  let securityGroup: ListenerPlan['outcome']['securityGroup']
  if (group) {
    const cidrs = [...new Set(group.ingress.map((r) => r.cidr))]
    const rules = missingIngress(added, cidrs.length ? cidrs : DEFAULT_INGRESS_CIDRS, group.ingress)
    if (rules.length)
      actions.push({
        id: 'authorize-ingress',
        step: STEP.securityGroup,
        call: {operation: 'AuthorizeSecurityGroupIngress', groupId: group.groupId, rules},
        target: `security group ${group.groupId}`,
        why: `admit TCP ${[...new Set(rules.map(formatPortRange))].join(', ')} from ${[...new Set(rules.map((r) => r.cidr))].join(', ')}, as the group admits the other listener ports`,
        dependsOn: [],
        restore: [{operation: 'RevokeSecurityGroupIngress', groupId: group.groupId, rules}],
      })
    securityGroup = {groupId: group.groupId, opened: rules, closed: []}
  } else {
    const closed = added.filter(
      (port) =>
        !observed.securityGroups.some((g) => g.ingress.some((r) => r.fromPort <= port && port <= r.toPort)),
    )
    if (closed.length && lb.securityGroups.length)
      warnings.push(
        `No security group of "${name}" (${lb.securityGroups.join(', ')}, not made by elbx, so left alone) admits TCP ${closed.join(', ')}: clients cannot reach the new listener until one does (\`aws ec2 authorize-security-group-ingress --group-id ${lb.securityGroups[0]} --protocol tcp --port ${closed[0]} --cidr 0.0.0.0/0\`).`,
      )
  }

  const after: ListenerDescription[] = [
    ...lb.listeners.filter((d) => !toCreate.some((l) => l.loadBalancerPort === d.listener.loadBalancerPort)),
    ...toCreate.map((listener) => ({
      listener,
      policyNames:
        (
          actions.find((a) => a.id === `set-listener-policies:${listener.loadBalancerPort}`)?.call as
            {policyNames?: string[]} | undefined
        )?.policyNames ?? [],
    })),
  ].sort((a, b) => a.listener.loadBalancerPort - b.listener.loadBalancerPort)
  return {actions, outcome: {listeners: after, changes, ...(securityGroup ? {securityGroup} : {}), warnings}}
}

/** The requests that put a deleted listener back as it was: created again, its policies set again. */
function recreate(name: string, d: ListenerDescription) {
  return [
    {operation: 'CreateLoadBalancerListeners' as const, loadBalancerName: name, listeners: [d.listener]},
    ...(d.policyNames.length
      ? [
          {
            operation: 'SetLoadBalancerPoliciesOfListener' as const,
            loadBalancerName: name,
            loadBalancerPort: d.listener.loadBalancerPort,
            policyNames: d.policyNames,
          },
        ]
      : []),
  ]
}

function planRemove(
  desired: Extract<DesiredListenerChange, {kind: 'remove'}>,
  observed: ObservedListeners,
): ListenerPlan {
  const actions: Action[] = []
  const changes: string[] = []
  const warnings: string[] = []
  const lb = observed.loadBalancer
  const name = lb.name
  const removed: ListenerDescription[] = []
  for (const port of desired.loadBalancerPorts) {
    const d = lb.listeners.find((x) => x.listener.loadBalancerPort === port)
    if (!d) {
      changes.push(`${port}: no listener there`)
      continue
    }
    removed.push(d)
    changes.push(`${port}: removed`)
    actions.push({
      id: `delete-listener:${port}`,
      step: STEP.listeners,
      call: {operation: 'DeleteLoadBalancerListeners', loadBalancerName: name, loadBalancerPorts: [port]},
      target: `listener ${port}`,
      why: `remove ${formatListener(d.listener)}${d.policyNames.length ? ` (with its policies ${d.policyNames.join(', ')})` : ''}; the other listeners stay as they are`,
      dependsOn: [],
      restore: recreate(name, d),
    })
  }
  // elbx's own group closes what it opened for the port; a rule that covers other ports too stays.
  const group = elbxGroup(observed)
  let securityGroup: ListenerPlan['outcome']['securityGroup']
  if (group && removed.length) {
    const ports = removed.map((d) => d.listener.loadBalancerPort)
    const rules = group.ingress.filter((r) => r.fromPort === r.toPort && ports.includes(r.fromPort))
    const wider = group.ingress.filter(
      (r) => r.fromPort !== r.toPort && ports.some((p) => r.fromPort <= p && p <= r.toPort),
    )
    for (const r of wider)
      warnings.push(
        `Security group ${group.groupId} keeps TCP ${formatPortRange(r)} from ${r.cidr}: the rule admits other ports too.`,
      )
    if (rules.length)
      actions.push({
        id: 'revoke-ingress',
        step: STEP.securityGroup,
        call: {operation: 'RevokeSecurityGroupIngress', groupId: group.groupId, rules},
        target: `security group ${group.groupId}`,
        why: `no listener on TCP ${[...new Set(rules.map(formatPortRange))].join(', ')} any more: close what elbx opened for it`,
        dependsOn: actions.map((a) => a.id),
        restore: [{operation: 'AuthorizeSecurityGroupIngress', groupId: group.groupId, rules}],
      })
    securityGroup = {groupId: group.groupId, opened: [], closed: rules}
  }
  const after = lb.listeners.filter((d) => !removed.includes(d))
  return {actions, outcome: {listeners: after, changes, ...(securityGroup ? {securityGroup} : {}), warnings}}
}
