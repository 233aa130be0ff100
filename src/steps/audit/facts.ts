/**
 * What the collector read about one load balancer: the input of every audit rule. Plain data, so
 * the rules are pure functions tested with fixtures (no gateways).
 */
import type {
  InstanceHealth,
  LoadBalancer,
  LoadBalancerAttributes,
  Policy,
  SecurityGroup,
  Tag,
} from '../../model.js'
import type {CertificateInfo} from '../../pem/certificate-info.js'
import type {RuleFinding} from './finding.js'

/** What a certificate's body says about its validity (src/pem reads it). */
export type CertificateValidity = Pick<CertificateInfo, 'subject' | 'notAfter' | 'daysToExpiry' | 'expired'>

/** One certificate a listener serves, read once per ARN. */
export interface CertificateFacts {
  arn: string
  /** Absent when the body could not be read: `problem` says why. */
  validity?: CertificateValidity
  problem?: string
}

export interface LoadBalancerFacts {
  loadBalancer: LoadBalancer
  tags: Tag[]
  /** The load balancer's policies that its listeners and instance ports name, as described by name. */
  policies: Policy[]
  /** Absent when DescribeLoadBalancerAttributes failed (see readErrors). */
  attributes?: LoadBalancerAttributes
  /** Absent when DescribeInstanceHealth failed or there is nothing registered. */
  instanceHealth?: InstanceHealth[]
  /** The groups the load balancer has, as EC2 describes them. */
  securityGroups: SecurityGroup[]
  /** The certificates of its HTTPS/SSL listeners. */
  certificates: CertificateFacts[]
  /** Reads about this load balancer that failed: reported as findings, the rest of the audit goes on. */
  readErrors: {operation: string; message: string}[]
}

/** Protocols in increasing strength, as Node's tls names them (and as policy attributes do, after "Protocol-"). */
export const TLS_VERSIONS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'] as const
export type TlsVersion = (typeof TLS_VERSIONS)[number]

export interface AuditRuleOptions {
  /** The oldest protocol a listener may enable. */
  minTls: TlsVersion
  /** A certificate expiring within this many days is a warning. */
  expiringWithinDays: number
}

/** The rule signature: facts and options in, findings out. */
export type AuditRule = (facts: LoadBalancerFacts, options: AuditRuleOptions) => RuleFinding[]
