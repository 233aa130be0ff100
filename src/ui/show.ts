/**
 * `elbx show` and `elbx list` on stdout: aligned sections and tables in a terminal, one fact per
 * line in a pipe (grep and awk read those; --json is the stable form).
 */
import {stripVTControlCharacters} from 'node:util'

import type {ChalkInstance} from 'chalk'

import {WEAK_PROTOCOLS, weakCipherReason} from '../policy/ssl-attributes.js'
import type {CertificateReport, ListResult, ListenerReport, ShowResult} from '../steps/show.js'
import {CERTIFICATE_EXPIRY_WARNING_DAYS} from '../steps/show.js'
import {formatInstanceHealth} from '../steps/wait-for-in-service.js'
import {formatListener} from '../validate/listener.js'
import {wrap} from './checklist.js'

export interface RenderOptions {
  /** Tables for a terminal; plain lines otherwise. */
  table: boolean
  colors: ChalkInstance
  /** Terminal width, to wrap long values (cipher lists) in table mode. */
  width?: number
}

/** Pads columns to their widest cell (the last column is not padded). */
export function table(rows: string[][], gap = '  '): string[] {
  const visible = (s: string) => stripVTControlCharacters(s).length
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? '')))) ?? []
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell))))
      .join(gap)
      .trimEnd(),
  )
}

function expiryText(
  c: Pick<CertificateReport, 'daysToExpiry' | 'expired' | 'notAfter'>,
  colors: ChalkInstance,
) {
  if (c.daysToExpiry === undefined || !c.notAfter) return 'expiry unknown'
  const date = c.notAfter.slice(0, 10)
  if (c.expired) return colors.red(`EXPIRED ${date}`)
  const text = `${c.daysToExpiry} days (${date})`
  return c.daysToExpiry < CERTIFICATE_EXPIRY_WARNING_DAYS ? colors.yellow(text) : text
}

function sslPolicyText(l: ListenerReport): string {
  const s = l.sslNegotiation
  if (!s) return '-'
  if (s.awsDefaultInForce)
    return s.policyName ? `${s.policyName} (AWS default)` : `(none: AWS default ${s.referencePolicy})`
  return s.referencePolicy && s.referencePolicy !== s.policyName
    ? `${s.policyName} -> ${s.referencePolicy}`
    : (s.policyName ?? '-')
}

function stickinessText(l: ListenerReport): string {
  const s = l.stickiness
  if (!s) return '-'
  return s.kind === 'lb-cookie'
    ? `lb-cookie ${s.cookieExpirationPeriod ?? 'session'}${s.cookieExpirationPeriod ? ' s' : ''}`
    : `app-cookie ${s.cookieName ?? ''}`.trimEnd()
}

const markProtocol = (p: string, colors: ChalkInstance) => (WEAK_PROTOCOLS.includes(p) ? colors.yellow(p) : p)
const markCipher = (c: string, colors: ChalkInstance) => (weakCipherReason(c) ? colors.yellow(c) : c)

/** The facts of `elbx show`, as [label, value] pairs per section; the renderers lay them out. */
function sections(r: ShowResult, colors: ChalkInstance): {title: string; facts: [string, string][]}[] {
  const out: {title: string; facts: [string, string][]}[] = []
  out.push({
    title: `Load balancer ${r.loadBalancerName} (${r.region})`,
    facts: [
      ['DNS name', r.dnsName],
      ['Scheme', r.scheme],
      ['VPC', r.vpcId ?? '(EC2-Classic)'],
      ...(r.availabilityZones.length ? [['Zones', r.availabilityZones.join(', ')] as [string, string]] : []),
      ...r.subnets.map((s): [string, string] => [
        'Subnet',
        [s.subnetId, s.availabilityZone, s.cidrBlock].filter(Boolean).join('  '),
      ]),
      ...(r.createdTime ? [['Created', r.createdTime] as [string, string]] : []),
    ],
  })
  const groups: [string, string][] = []
  for (const g of r.securityGroups) {
    if (!g.found) {
      groups.push([g.groupId, colors.red('not found in EC2')])
      continue
    }
    const rules = g.inboundRules.map((rule) => {
      const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`
      return `tcp ${ports} from ${rule.cidr}`
    })
    groups.push([
      `${g.groupId} ${g.groupName ?? ''}`.trimEnd(),
      rules.join('; ') || 'admits no listener port',
    ])
  }
  if (r.closedListenerPorts.length)
    groups.push([
      'Closed',
      colors.yellow(`listener ports ${r.closedListenerPorts.join(', ')} admitted by no group`),
    ])
  out.push({title: 'Security groups (inbound rules for the listener ports)', facts: groups})

  const listeners: [string, string][] = []
  for (const l of r.listeners) {
    const port = `${l.loadBalancerPort}`
    listeners.push([port, formatListener(l)])
    if (l.certificate) {
      const c = l.certificate
      listeners.push([
        `${port} certificate`,
        `${c.source.toUpperCase()} ${c.name ?? c.arn}${c.name ? ` (${c.arn})` : ''}`,
      ])
      if (c.problem) listeners.push([`${port} certificate`, colors.red(`unreadable: ${c.problem}`)])
      if (c.subject) listeners.push([`${port} subject`, c.subject])
      if (c.subjectAlternativeNames?.length)
        listeners.push([`${port} names`, c.subjectAlternativeNames.join(', ')])
      if (c.issuer) listeners.push([`${port} issuer`, `${c.issuer}${c.selfSigned ? ' (self-signed)' : ''}`])
      if (c.notAfter) listeners.push([`${port} expires`, expiryText(c, colors)])
      if (c.keyType)
        listeners.push([
          `${port} key`,
          [`${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''}`, c.signatureAlgorithm]
            .filter(Boolean)
            .join(', '),
        ])
      if (c.fingerprint) listeners.push([`${port} SHA-256`, c.fingerprint])
    }
    const s = l.sslNegotiation
    if (s) {
      listeners.push([`${port} SSL policy`, sslPolicyText(l)])
      if (s.source === 'unknown') listeners.push([`${port} protocols`, s.note ?? 'unknown'])
      else {
        listeners.push([
          `${port} protocols`,
          s.protocols.map((p) => markProtocol(p, colors)).join(', ') || 'none',
        ])
        listeners.push([`${port} ciphers`, s.ciphers.map((c) => markCipher(c, colors)).join(', ') || 'none'])
        listeners.push([`${port} server order`, s.serverOrder ? 'yes' : 'no'])
      }
    }
    if (l.stickiness)
      listeners.push([`${port} stickiness`, `${stickinessText(l)} (${l.stickiness.policyName})`])
    for (const o of l.otherPolicies)
      listeners.push([`${port} policy`, `${o.policyName}${o.typeName ? ` (${o.typeName})` : ''}`])
  }
  out.push({title: 'Listeners', facts: listeners})

  const backends: [string, string][] = []
  for (const b of r.backendServers) {
    const port = `instance port ${b.instancePort}`
    if (b.backendAuthentication) {
      backends.push([`${port} authentication`, b.backendAuthentication.policyName])
      for (const k of b.backendAuthentication.publicKeys)
        backends.push([
          `${port} public key`,
          `${k.policyName}${k.keyType ? ` ${k.keyType}${k.keyBits ? ` ${k.keyBits}` : ''}` : ''} SHA-256 ${k.fingerprint ?? 'unknown (policy not described)'}`,
        ])
    }
    if (b.proxyProtocol) backends.push([`${port} proxy protocol`, `on (${b.proxyProtocol.policyName})`])
    for (const o of b.otherPolicies)
      backends.push([`${port} policy`, `${o.policyName}${o.typeName ? ` (${o.typeName})` : ''}`])
  }
  out.push({
    title: 'Back-end authentication and policies',
    facts: backends.length ? backends : [['-', 'none']],
  })

  const hc = r.healthCheck
  out.push({
    title: 'Health check',
    facts: hc
      ? [
          ['Target', hc.target],
          ['Interval', `${hc.interval} s`],
          ['Timeout', `${hc.timeout} s`],
          ['Healthy threshold', `${hc.healthyThreshold}`],
          ['Unhealthy threshold', `${hc.unhealthyThreshold}`],
        ]
      : [['-', 'none']],
  })
  const instances: [string, string][] = r.instances.flatMap((i): [string, string][] => {
    const state = formatInstanceHealth(i)
    const line: [string, string] = [
      i.instanceId,
      i.state === 'InService' ? colors.green(state) : colors.yellow(state),
    ]
    return i.hint ? [line, [`${i.instanceId} hint`, i.hint]] : [line]
  })
  out.push({
    title: `Instances (${r.instanceCounts.inService} of ${r.instanceCounts.registered} InService)`,
    facts: instances.length ? instances : [['-', 'none registered']],
  })
  const a = r.attributes
  const log = a.accessLog
  out.push({
    title: 'Attributes',
    facts: [
      ['Cross-zone', a.crossZoneLoadBalancing ? 'on' : 'off'],
      [
        'Connection draining',
        a.connectionDraining.enabled ? `on, ${a.connectionDraining.timeout ?? 300} s` : 'off',
      ],
      ['Idle timeout', `${a.idleTimeout} s`],
      [
        'Access logs',
        log?.enabled
          ? `s3://${log.s3BucketName ?? ''}/${log.s3BucketPrefix ?? ''} every ${log.emitInterval ?? 60} min`
          : 'off',
      ],
    ],
  })
  out.push({
    title: 'Tags',
    facts: r.tags.length ? r.tags.map((t): [string, string] => [t.key, t.value]) : [['-', 'none']],
  })
  if (r.unattachedPolicies.length)
    out.push({title: 'Policies no listener or port uses', facts: [['-', r.unattachedPolicies.join(', ')]]})
  return out
}

/** A section's facts as aligned "label  value" lines, long values wrapped under their column. */
function factLines(facts: [string, string][], width = 100): string[] {
  if (facts.every(([label]) => label === '-')) return facts.map(([, value]) => `  ${value}`)
  const labelWidth = Math.max(...facts.map(([label]) => (label === '-' ? 0 : label.length)))
  const room = Math.max(20, width - labelWidth - 4)
  return facts.flatMap(([label, value]) => {
    const [first, ...rest] = stripVTControlCharacters(value).length > room ? wrap(value, room) : [value]
    const pad = ' '.repeat(labelWidth + 2)
    return [
      `  ${(label === '-' ? '' : label).padEnd(labelWidth)}  ${first}`.trimEnd(),
      ...rest.map((l) => `  ${pad}${l}`),
    ]
  })
}

/** `elbx show` for stdout. */
export function renderShow(r: ShowResult, options: RenderOptions): string {
  const {colors} = options
  const parts = sections(r, colors)
  if (!options.table) {
    // One fact per line: "section: label: value", so `grep 'certificate'` finds every one.
    return parts
      .flatMap((s) => {
        const key = s.title.split(' (')[0]!.toLowerCase()
        return s.facts.map(([label, value]) =>
          label === '-' ? `${key}: ${value}` : `${key}: ${label}: ${value}`,
        )
      })
      .join('\n')
  }
  const lines: string[] = []
  const summary = table([
    ['LISTENER', 'CERTIFICATE', 'EXPIRES', 'SSL POLICY', 'STICKINESS'].map((h) => colors.bold(h)),
    ...r.listeners.map((l) => [
      formatListener(l),
      l.certificate ? (l.certificate.commonName ?? l.certificate.name ?? l.certificate.arn) : '-',
      l.certificate ? expiryText(l.certificate, colors) : '-',
      sslPolicyText(l),
      stickinessText(l),
    ]),
  ])
  for (const [i, s] of parts.entries()) {
    lines.push(colors.bold(s.title))
    if (s.title === 'Listeners') lines.push(...summary.map((l) => `  ${l}`), '')
    lines.push(...factLines(s.facts, options.width))
    if (i < parts.length - 1) lines.push('')
  }
  return lines.join('\n')
}

/** `elbx list` for stdout: a table in a terminal; tab-separated lines (one per load balancer) in a pipe. */
export function renderList(r: ListResult, options: RenderOptions): string {
  const {colors} = options
  const expiry = (lb: ListResult['loadBalancers'][number]) => {
    const e = lb.nearestCertificateExpiry
    if (e)
      return expiryText({...e, expired: e.daysToExpiry < 0 || new Date(e.notAfter) <= new Date()}, colors)
    return lb.certificateProblems.length ? colors.red('unreadable') : '-'
  }
  if (!options.table) {
    return r.loadBalancers
      .map((lb) =>
        [
          lb.loadBalancerName,
          lb.scheme,
          lb.listeners.join(', ') || '-',
          `${lb.instanceCounts.inService}/${lb.instanceCounts.registered}`,
          lb.nearestCertificateExpiry ? `${lb.nearestCertificateExpiry.daysToExpiry}` : '-',
          lb.nearestCertificateExpiry?.notAfter ?? '-',
        ].join('\t'),
      )
      .join('\n')
  }
  if (r.loadBalancers.length === 0) return `No Classic Load Balancers in ${r.region}.`
  return table([
    ['NAME', 'SCHEME', 'LISTENERS', 'IN SERVICE', 'NEAREST CERTIFICATE EXPIRY'].map((h) => colors.bold(h)),
    ...r.loadBalancers.map((lb) => [
      lb.loadBalancerName,
      lb.scheme,
      lb.listeners.join(', ') || '-',
      `${lb.instanceCounts.inService}/${lb.instanceCounts.registered}`,
      expiry(lb),
    ]),
  ]).join('\n')
}
