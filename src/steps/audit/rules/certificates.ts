/**
 * Certificates expired or about to expire, judged from the certificate body (IAM
 * GetServerCertificate, ACM GetCertificate), not from the service's metadata: moto's IAM
 * Expiration is not the certificate's, and AWS Config's rule sees only expired ones.
 */
import {isSecure} from '../../../validate/listener.js'
import {RULES, type RuleFinding} from '../finding.js'
import type {AuditRuleOptions, LoadBalancerFacts} from '../facts.js'

const day = (iso: string) => iso.slice(0, 10)

export function certificates(facts: LoadBalancerFacts, options: AuditRuleOptions): RuleFinding[] {
  const name = facts.loadBalancer.name
  const portsByArn = new Map<string, number[]>()
  for (const {listener} of facts.loadBalancer.listeners)
    if (isSecure(listener.protocol) && listener.sslCertificateId)
      portsByArn.set(listener.sslCertificateId, [
        ...(portsByArn.get(listener.sslCertificateId) ?? []),
        listener.loadBalancerPort,
      ])
  const out: RuleFinding[] = []
  for (const [arn, ports] of portsByArn) {
    const cert = facts.certificates.find((c) => c.arn === arn)
    const on = `listener${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`
    const resource = `certificate ${arn}`
    const replace = `Renew it and swap it in place (the listener and its policies stay): elbx cert rotate --name ${name} --replace ${arn} --certificate-file NEW_CERT.pem --private-key-file NEW_KEY.pem (or --certificate NEW_ARN)`
    const validity = cert?.validity
    if (!validity) {
      out.push({
        rule: RULES.certificateUnreadable,
        severity: 'warning',
        resource,
        message: `The certificate of ${on} could not be read: ${cert?.problem ?? 'it was not fetched'}.`,
        fix: `Check that ${arn} exists and that this account may read it (iam:GetServerCertificate or acm:GetCertificate).`,
      })
    } else if (validity.expired) {
      out.push({
        rule: RULES.certificateExpired,
        severity: 'error',
        resource,
        message: `The certificate of ${on} (${validity.subject}) expired on ${day(validity.notAfter)}: clients refuse the connection.`,
        fix: replace,
      })
    } else if (validity.daysToExpiry <= options.expiringWithinDays) {
      out.push({
        rule: RULES.certificateExpiring,
        severity: 'warning',
        resource,
        message: `The certificate of ${on} (${validity.subject}) expires on ${day(validity.notAfter)}, in ${validity.daysToExpiry} day(s).`,
        fix: replace,
      })
    }
  }
  return out
}
