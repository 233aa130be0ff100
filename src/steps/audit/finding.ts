/**
 * What `elbx audit` reports: findings, each with a severity, the thing it is about and a one-line
 * fix. Field names are part of --json and --format csv, so scripts can rely on them.
 */

/** Lowest first: --fail-on names the lowest severity that fails the run. */
export const SEVERITIES = ['info', 'warning', 'error'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Every rule's identifier, stable across releases (docs/audit.md explains each one). */
export const RULES = {
  tlsBelowMinimum: 'tls-below-minimum',
  weakCipher: 'weak-cipher',
  cbcWithoutForwardSecrecy: 'cbc-without-forward-secrecy',
  awsDefaultSslPolicy: 'aws-default-ssl-policy',
  sslPolicyUnknown: 'ssl-policy-unknown',
  certificateExpired: 'certificate-expired',
  certificateExpiring: 'certificate-expiring',
  certificateUnreadable: 'certificate-unreadable',
  httpOnly: 'http-only',
  backendPlainHttp: 'backend-plain-http',
  noInstances: 'no-instances',
  noInstanceInService: 'no-instance-in-service',
  healthCheckPortUnused: 'health-check-port-unused',
  crossZoneDisabled: 'cross-zone-disabled',
  connectionDrainingDisabled: 'connection-draining-disabled',
  accessLogsDisabled: 'access-logs-disabled',
  openPortUnused: 'security-group-open-port-unused',
  readFailed: 'read-failed',
  regionFailed: 'region-failed',
} as const
export type Rule = (typeof RULES)[keyof typeof RULES]

/** One finding. `loadBalancerName` is absent for a Region that could not be audited. */
export interface Finding {
  /** The profile whose account was audited ("default" when none was named). */
  profile: string
  region: string
  loadBalancerName?: string
  rule: Rule
  severity: Severity
  /** What it is about, in AWS's words: "listener 443", "certificate arn:...", "security group sg-1". */
  resource: string
  /** The listener's load balancer port, for findings about one listener. */
  loadBalancerPort?: number
  message: string
  /** One line: the command or setting that fixes it. */
  fix: string
}

/** A finding as a rule returns it: where it was found is added by the audit. */
export type RuleFinding = Omit<Finding, 'profile' | 'region' | 'loadBalancerName'>

/** True when the severity is at least `threshold`. */
export const atLeast = (severity: Severity, threshold: Severity): boolean =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold)

/** Findings in report order: by profile, Region and load balancer, then the most severe first. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.profile.localeCompare(b.profile) ||
      a.region.localeCompare(b.region) ||
      (a.loadBalancerName ?? '').localeCompare(b.loadBalancerName ?? '') ||
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      a.rule.localeCompare(b.rule) ||
      a.resource.localeCompare(b.resource),
  )
}

/** How many findings of each severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = {info: 0, warning: 0, error: 0}
  for (const f of findings) counts[f.severity]++
  return counts
}
