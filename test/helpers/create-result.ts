/** What create reports and sends, as the e2e and integration tests check it in more than one place. */

/** The keys of create's --json document: the same whether or not the workflow's later steps were asked for. */
export const CREATE_JSON_KEYS = [
  'attributes',
  'availabilityZones',
  'backendAuthentication',
  'createdResources',
  'dnsName',
  'healthCheck',
  'instances',
  'listeners',
  'name',
  'plan',
  'registered',
  'scheme',
  'securityGroups',
  'sslPolicies',
  'subnets',
  'tags',
  'vpcId',
  'warnings',
].sort()

/**
 * The writes of the seed's whole workflow (certificate upload, SSL policy, back-end authentication,
 * health check, attributes, instances) in the seed's order: what a run sends and what --dry-run plans.
 */
export const WORKFLOW_WRITES = [
  'UploadServerCertificate',
  'CreateSecurityGroup',
  'AuthorizeSecurityGroupIngress',
  'CreateLoadBalancer',
  'CreateLoadBalancerPolicy',
  'SetLoadBalancerPoliciesOfListener',
  'CreateLoadBalancerPolicy',
  'CreateLoadBalancerPolicy',
  'SetLoadBalancerPoliciesForBackendServer',
  'ConfigureHealthCheck',
  'ModifyLoadBalancerAttributes',
  'RegisterInstancesWithLoadBalancer',
]
