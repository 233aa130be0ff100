/**
 * What each HTTPS/SSL listener really negotiates, judged by the protocols and ciphers its policy
 * enables, not by the policy's name (Security Hub's ELB.8 and Prowler compare names): protocols
 * older than --min-tls, weak ciphers, a listener left on AWS's default policy, and non-forward-
 * secret CBC ciphers in an otherwise modern policy.
 */
import {effectiveSslNegotiation, type EffectiveSslNegotiation} from '../../../policy/listener-policies.js'
import {AWS_DEFAULT_SSL_POLICY, RECOMMENDED_SSL_POLICY} from '../../../policy/predefined-ssl-policies.js'
import {weakCipherReason} from '../../../policy/ssl-attributes.js'
import {isSecure} from '../../../validate/listener.js'
import {RULES, type RuleFinding} from '../finding.js'
import {TLS_VERSIONS, type AuditRuleOptions, type LoadBalancerFacts, type TlsVersion} from '../facts.js'

const rank = (protocol: string) => TLS_VERSIONS.indexOf(protocol as TlsVersion)

/** Protocols the policy enables that are older than `minimum` (SSLv3 < TLSv1 < TLSv1.1 < TLSv1.2). */
export function protocolsBelow(protocols: readonly string[], minimum: TlsVersion): string[] {
  return protocols.filter((p) => rank(p) !== -1 && rank(p) < rank(minimum))
}

/** CBC ciphers without forward secrecy (RSA key exchange): a recorded session can be decrypted once the key leaks. */
export function isNonForwardSecretCbc(cipher: string): boolean {
  const c = cipher.toUpperCase()
  if (/^(ECDHE|DHE|EDH)-/.test(c) || c.includes('GCM') || c.includes('CHACHA20')) return false
  return weakCipherReason(cipher) === undefined
}

/** How the policy in force is named in a message. */
export function describePolicy(ssl: EffectiveSslNegotiation): string {
  if (ssl.awsDefaultInForce)
    return `AWS's default ${AWS_DEFAULT_SSL_POLICY} (the listener names no SSL negotiation policy)`
  if (ssl.referencePolicy && ssl.referencePolicy !== ssl.policyName)
    return `${ssl.policyName} (references ${ssl.referencePolicy})`
  return `${ssl.policyName}${ssl.kind === 'custom' ? ' (custom)' : ''}`
}

export function tls(facts: LoadBalancerFacts, options: AuditRuleOptions): RuleFinding[] {
  const name = facts.loadBalancer.name
  const out: RuleFinding[] = []
  for (const {listener, policyNames} of facts.loadBalancer.listeners) {
    if (!isSecure(listener.protocol)) continue
    const ssl = effectiveSslNegotiation(policyNames, facts.policies)
    const port = listener.loadBalancerPort
    const resource = `listener ${port}`
    const policy = describePolicy(ssl)
    const fix = `elbx policy ssl --name ${name} --port ${port} --ssl-policy ${RECOMMENDED_SSL_POLICY} (or elbx audit --fix tls for every listener found)`
    // AWS attaches a policy of that name to a listener created without one (so DescribeLoadBalancers names it).
    if (ssl.awsDefaultInForce || ssl.policyName === AWS_DEFAULT_SSL_POLICY)
      out.push({
        rule: RULES.awsDefaultSslPolicy,
        severity: 'warning',
        resource,
        loadBalancerPort: port,
        message: ssl.awsDefaultInForce
          ? `No SSL negotiation policy on the listener: ${policy} is in force, which enables TLS 1.0 and TLS 1.1.`
          : `The listener is on ${AWS_DEFAULT_SSL_POLICY}, the policy AWS gives a listener created without one; it enables TLS 1.0 and TLS 1.1.`,
        fix,
      })
    if (ssl.source === 'unknown') {
      out.push({
        rule: RULES.sslPolicyUnknown,
        severity: 'warning',
        resource,
        loadBalancerPort: port,
        message: `What ${policy} enables is not known (${ssl.note ?? 'no attributes'}): its protocols and ciphers were not judged.`,
        fix: `Check it with elbx policy ssl --show --name ${name} --port ${port}, or replace it: ${fix}`,
      })
      continue
    }
    const below = protocolsBelow(ssl.protocols, options.minTls)
    if (below.length)
      out.push({
        rule: RULES.tlsBelowMinimum,
        severity: 'error',
        resource,
        loadBalancerPort: port,
        message: `${policy} enables ${below.join(', ')}, older than ${options.minTls} (--min-tls).`,
        fix,
      })
    const weak = ssl.ciphers.flatMap((c) => {
      const reason = weakCipherReason(c)
      return reason ? [`${c} (${reason})`] : []
    })
    if (weak.length)
      out.push({
        rule: RULES.weakCipher,
        severity: 'error',
        resource,
        loadBalancerPort: port,
        message: `${policy} enables weak ciphers: ${weak.join(', ')}.`,
        fix,
      })
    const cbc = ssl.ciphers.filter(isNonForwardSecretCbc)
    // Only worth saying once the policy is otherwise modern: AWS has no predefined policy without them.
    if (below.length === 0 && weak.length === 0 && cbc.length)
      out.push({
        rule: RULES.cbcWithoutForwardSecrecy,
        severity: 'info',
        resource,
        loadBalancerPort: port,
        message: `${policy} enables CBC ciphers without forward secrecy: ${cbc.join(', ')}.`,
        fix: `If every client supports ECDHE with GCM: elbx policy ssl --name ${name} --port ${port} --ssl-protocols TLSv1.2 --ssl-ciphers ECDHE-ECDSA-AES128-GCM-SHA256,ECDHE-RSA-AES128-GCM-SHA256,ECDHE-ECDSA-AES256-GCM-SHA384,ECDHE-RSA-AES256-GCM-SHA384`,
      })
  }
  return out
}
