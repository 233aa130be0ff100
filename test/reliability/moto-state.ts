import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2'
import {
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {ListServerCertificatesCommand} from '@aws-sdk/client-iam'

import {AWS_DEFAULT_SSL_POLICY} from '../../src/policy/predefined-ssl-policies.js'
import {sdkClients} from '../helpers/moto.js'

/** What moto holds for one load balancer name: the load balancer and everything elbx makes for it. */
export interface MotoState {
  loadBalancer: boolean
  /** Policies on the load balancer (empty when there is none). */
  policies: string[]
  /** Security groups elbx made for it: tagged elbx:load-balancer=NAME or named elbx-NAME. */
  securityGroups: string[]
  /** IAM server certificates elbx uploaded for it (elbx-NAME-FINGERPRINT). */
  serverCertificates: string[]
}

/** Describes moto directly (not through elbx) to see what a run left behind. */
export async function motoState(name: string): Promise<MotoState> {
  const {elb, ec2, iam} = sdkClients()
  try {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions ?? []
    const loadBalancer = lbs.some((l) => l.LoadBalancerName === name)
    const policies = loadBalancer
      ? (
          (await elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: name})))
            .PolicyDescriptions ?? []
        ).map((p) => p.PolicyName ?? '')
      : []
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []
    const securityGroups = groups
      .filter(
        (g) =>
          g.GroupName === `elbx-${name}` ||
          (g.Tags ?? []).some((t) => t.Key === 'elbx:load-balancer' && t.Value === name),
      )
      .map((g) => g.GroupId ?? '')
    const certs = (await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []
    const serverCertificates = certs
      .map((c) => c.ServerCertificateName ?? '')
      // elbx-NAME-FINGERPRINT exactly, so that "web" does not pick up "web-2"'s certificate.
      .filter((n) => new RegExp(`^elbx-${name}-[0-9a-f]{16}$`).test(n))
    return {loadBalancer, policies, securityGroups, serverCertificates}
  } finally {
    elb.destroy()
    ec2.destroy()
    iam.destroy()
  }
}

/**
 * The load balancer's policies but AWS's default SSL policy, which AWS (and the patched moto) adds
 * with a new HTTPS/SSL listener and which stays once elbx's policy replaces it on the listener.
 */
export const policiesBesidesAwsDefault = (state: MotoState): string[] =>
  state.policies.filter((p) => p !== AWS_DEFAULT_SSL_POLICY)

export const NOTHING: MotoState = {
  loadBalancer: false,
  policies: [],
  securityGroups: [],
  serverCertificates: [],
}
