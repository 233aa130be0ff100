import type {ElbGateway} from '../../aws/gateways.js'
import {toStepError} from '../../aws/errors.js'
import type {HealthCheck, LoadBalancer} from '../../model.js'
import {formatListener, isSecure} from '../../validate/listener.js'
import type {BackendAuthentication} from '../backend-auth.js'
import type {ListenerSslPolicy} from '../ssl-policy.js'
import {type CheckOutcome, type CheckStatus, worstStatus} from './types.js'

/** What the configuration check reads, injected so unit tests can fake the policy lookups. */
export interface ConfigurationDeps {
  elb: ElbGateway
  describeListenerSslPolicy(
    elb: ElbGateway,
    lb: LoadBalancer,
    loadBalancerPort: number,
  ): Promise<ListenerSslPolicy>
  describeBackendAuthentication(
    elb: ElbGateway,
    lb: LoadBalancer,
    instancePort: number,
  ): Promise<BackendAuthentication>
}

export interface ConfigurationResult {
  outcome: CheckOutcome
  /** The SSL negotiation policy in force per secure load balancer port (absent when it could not be read or resolved). */
  sslPolicies: Map<number, ListenerSslPolicy>
}

interface Finding {
  status: CheckStatus
  line: string
}

function describePolicy(policy: ListenerSslPolicy): string {
  const name = policy.policyName ?? '(no policy on the listener)'
  const reference =
    policy.referencePolicy && policy.referencePolicy !== policy.policyName
      ? ` -> ${policy.referencePolicy}`
      : ''
  const protocols = policy.protocols.length ? policy.protocols.join(', ') : 'no protocol'
  return `SSL negotiation policy ${name}${reference}: ${protocols}; ${policy.ciphers.length} cipher${policy.ciphers.length === 1 ? '' : 's'}; server order ${policy.serverOrder ? 'on' : 'off'}`
}

function describeHealthCheck(hc: HealthCheck): string {
  return `health check ${hc.target} every ${hc.interval} s (timeout ${hc.timeout} s, healthy after ${hc.healthyThreshold}, unhealthy after ${hc.unhealthyThreshold})`
}

function errorText(step: string, error: unknown): string {
  return toStepError(step, error).message
}

/**
 * Check 1: the listeners, the certificate and SSL negotiation policy of each HTTPS/SSL listener,
 * back-end authentication on HTTPS/SSL instance ports, and the health check. Problems reading a
 * policy are warnings (the probes still run); a secure listener without a certificate fails.
 */
export async function checkConfiguration(
  deps: ConfigurationDeps,
  lb: LoadBalancer,
): Promise<ConfigurationResult> {
  const findings: Finding[] = []
  const sslPolicies = new Map<number, ListenerSslPolicy>()
  const listeners = [...lb.listeners].sort(
    (a, b) => a.listener.loadBalancerPort - b.listener.loadBalancerPort,
  )
  const data: Record<string, unknown> = {
    loadBalancerName: lb.name,
    dnsName: lb.dnsName,
    scheme: lb.scheme,
    ...(lb.vpcId ? {vpcId: lb.vpcId} : {}),
    listeners: listeners.map((l) => ({...l.listener, policyNames: l.policyNames})),
  }

  findings.push({
    status: 'pass',
    line: `${lb.name} (${lb.scheme}${lb.vpcId ? `, ${lb.vpcId}` : ''}), DNS name ${lb.dnsName}`,
  })
  if (listeners.length === 0) {
    findings.push({status: 'fail', line: 'no listeners: the load balancer accepts no traffic'})
  } else {
    findings.push({
      status: 'pass',
      line: `listeners: ${listeners.map((l) => formatListener(l.listener)).join('; ')}`,
    })
  }

  const policyData: Record<string, unknown> = {}
  // Where each policy's details came from, said once in a note rather than on every line.
  const sources = new Set<string>()
  for (const {listener} of listeners) {
    if (!isSecure(listener.protocol)) continue
    const label = `${listener.protocol}:${listener.loadBalancerPort}`
    if (listener.sslCertificateId) {
      findings.push({status: 'pass', line: `${label} certificate ${listener.sslCertificateId}`})
    } else {
      findings.push({status: 'fail', line: `${label} has no SSL certificate`})
    }
    try {
      const policy = await deps.describeListenerSslPolicy(deps.elb, lb, listener.loadBalancerPort)
      policyData[String(listener.loadBalancerPort)] = policy
      if (policy.unresolved) {
        // Neither AWS nor elbx's table says what it enables: nothing to compare the probes with.
        findings.push({
          status: 'warn',
          line: `${label} SSL negotiation policy ${policy.policyName ?? policy.referencePolicy ?? ''}: protocols and ciphers unknown (${policy.source})`,
        })
        continue
      }
      sslPolicies.set(listener.loadBalancerPort, policy)
      sources.add(policy.source)
      const empty = policy.protocols.length === 0 || policy.ciphers.length === 0
      findings.push({
        status: empty ? 'fail' : 'pass',
        line: `${label} ${describePolicy(policy)}${empty ? ' (a policy needs at least one protocol and one cipher)' : ''}`,
      })
    } catch (error) {
      findings.push({
        status: 'warn',
        line: `${label} SSL negotiation policy could not be read: ${errorText('Describe SSL negotiation policy', error)}`,
      })
    }
  }
  data.sslPolicies = policyData

  // Back-end authentication only exists where the load balancer speaks HTTPS/SSL to the instances.
  const securePorts = [
    ...new Set(
      listeners.filter((l) => isSecure(l.listener.instanceProtocol)).map((l) => l.listener.instancePort),
    ),
  ]
  const backendData: Record<string, unknown> = {}
  for (const port of securePorts.sort((a, b) => a - b)) {
    try {
      const auth = await deps.describeBackendAuthentication(deps.elb, lb, port)
      backendData[String(port)] = auth
      findings.push({
        status: 'pass',
        line: `back-end authentication on instance port ${port}: ${summarizeBackendAuthentication(auth)}`,
      })
    } catch (error) {
      findings.push({
        status: 'warn',
        line: `back-end authentication on instance port ${port} could not be read: ${errorText('Describe back-end authentication', error)}`,
      })
    }
  }
  data.backendAuthentication = backendData

  if (lb.healthCheck) {
    data.healthCheck = lb.healthCheck
    findings.push({status: 'pass', line: describeHealthCheck(lb.healthCheck)})
  } else {
    findings.push({
      status: 'warn',
      line: 'no health check is set (`elbx health --health-check ...` sets one)',
    })
  }

  for (const source of sources)
    findings.push({status: 'pass', line: `note: SSL policy details from ${source}`})

  const status = worstStatus(findings.map((f) => f.status))
  // Problems first, so the first line of the detail says what is wrong.
  const ordered = [
    ...findings.filter((f) => f.status === 'fail'),
    ...findings.filter((f) => f.status === 'warn'),
    ...findings.filter((f) => f.status === 'pass'),
  ]
  return {outcome: {status, detail: ordered.map((f) => f.line).join('\n'), data}, sslPolicies}
}

/** "on (policy p: public key policies k1, k2)" or "off", plus other back-end policies on the port. */
export function summarizeBackendAuthentication(auth: BackendAuthentication): string {
  const others = auth.otherPolicies.length
    ? `; other back-end policies: ${auth.otherPolicies.join(', ')}`
    : ''
  if (!auth.policyName) return `off (instances are not authenticated)${others}`
  const keys = auth.publicKeyPolicies.map((k) => k.policyName)
  return `on (policy ${auth.policyName}: ${keys.length} public key${keys.length === 1 ? '' : 's'}${keys.length ? ` ${keys.join(', ')}` : ''})${others}`
}
