// The EC2 client and the commands elbx sends, named one by one: the build (scripts/build.js) bundles
// only what these names reach. The package's index alone loads over a thousand modules (about a second).
export {
  EC2Client,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2'
export type {Filter, Instance, IpPermission} from '@aws-sdk/client-ec2'
