/** Plain-text rendering of SSL negotiation and back-end authentication policies for stdout. */
import type {ListenerSslPolicy, PredefinedSslPolicyDescription} from '../steps/ssl-policy.js'
import {weakCipherReason, WEAK_PROTOCOLS} from '../policy/ssl-attributes.js'

const markWeakProtocol = (p: string) => (WEAK_PROTOCOLS.includes(p) ? `${p} (weak)` : p)
const markWeakCipher = (c: string) => (weakCipherReason(c) ? `${c} (weak: ${weakCipherReason(c)})` : c)

/** Wraps a comma-separated list under an indented label. */
function wrapList(label: string, items: string[], indent = '  ', width = 100): string[] {
  if (items.length === 0) return [`${indent}${label} none`]
  const lines: string[] = []
  let line = `${indent}${label} `
  const pad = ' '.repeat(line.length)
  for (const [i, item] of items.entries()) {
    const piece = item + (i < items.length - 1 ? ',' : '')
    if (line.trim().length > label.length && line.length + piece.length + 1 > width) {
      lines.push(line.trimEnd())
      line = pad
    }
    line += piece + ' '
  }
  lines.push(line.trimEnd())
  return lines
}

/** The protocols, ciphers and server order lines of a policy. */
export function renderNegotiation(p: {
  protocols: string[]
  ciphers: string[]
  serverOrder: boolean
}): string[] {
  return [
    ...wrapList('Protocols:', p.protocols.map(markWeakProtocol)),
    ...wrapList('Ciphers:  ', p.ciphers.map(markWeakCipher)),
    `  Server order preference: ${p.serverOrder ? 'yes' : 'no'}`,
  ]
}

export function renderPredefinedPolicy(p: PredefinedSslPolicyDescription): string[] {
  const tags = [p.recommended ? 'recommended' : '', p.awsDefault ? "AWS's default" : ''].filter(Boolean)
  const title = tags.length ? `${p.name} (${tags.join(', ')})` : p.name
  return [title, ...(p.details ? [`  ${p.details}`] : renderNegotiation(p))]
}

/** A listener's policy; where its details came from is said once for all listeners (sourceNotes). */
export function renderListenerSslPolicy(port: number, protocol: string, p: ListenerSslPolicy): string[] {
  const policy = p.policyName
    ? `${p.policyName}${p.referencePolicy && p.referencePolicy !== p.policyName ? ` -> ${p.referencePolicy}` : ''}`
    : `(none: AWS default ${p.referencePolicy ?? ''})`
  return [
    `Listener ${protocol} ${port}: ${policy}`,
    ...(p.unresolved ? ['  Protocols and ciphers unknown'] : renderNegotiation(p)),
  ]
}

/** One note per distinct source of the listeners' details, naming the listeners it covers. */
export function sourceNotes(listeners: {loadBalancerPort: number; source: string}[]): string[] {
  const bySource = new Map<string, number[]>()
  for (const l of listeners) bySource.set(l.source, [...(bySource.get(l.source) ?? []), l.loadBalancerPort])
  if (bySource.size === 1) return [`Note: from ${[...bySource.keys()][0]}.`]
  return [...bySource].map(
    ([source, ports]) => `Note: listener${ports.length > 1 ? 's' : ''} ${ports.join(', ')} from ${source}.`,
  )
}
