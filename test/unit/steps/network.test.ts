import {InvalidInputError} from '../../../src/errors.js'
import {checkSubnetPlacement, resolveNetwork} from '../../../src/steps/network.js'
import {fakeEc2, sdkError} from './fakes.js'

describe('network', () => {
  const subnet = (id: string, az: string, vpc = 'vpc-1') => ({
    subnetId: id,
    vpcId: vpc,
    availabilityZone: az,
    defaultForAz: false,
  })

  it('refuses two subnets in one zone, or subnets of two VPCs', () => {
    expect(() =>
      checkSubnetPlacement([subnet('subnet-a', 'us-east-1a'), subnet('subnet-b', 'us-east-1a')]),
    ).toThrow(
      '--subnets subnet-a and subnet-b are both in us-east-1a; a load balancer takes at most one subnet per Availability Zone.',
    )
    expect(() =>
      checkSubnetPlacement([subnet('subnet-a', 'us-east-1a'), subnet('subnet-b', 'us-east-1b', 'vpc-2')]),
    ).toThrow(/are in different VPCs/)
  })

  it('names subnets that do not exist', async () => {
    const ec2 = fakeEc2({describeSubnets: async () => [subnet('subnet-a', 'us-east-1a')]})
    await expect(resolveNetwork(ec2, {subnets: ['subnet-a', 'subnet-b']})).rejects.toThrow(
      '--subnets: subnet-b not found in this region.',
    )
    const failing = fakeEc2({
      describeSubnets: async () =>
        Promise.reject(sdkError('InvalidSubnetID.NotFound', "The subnet ID 'subnet-b' does not exist")),
    })
    await expect(resolveNetwork(failing, {subnets: ['subnet-a', 'subnet-b']})).rejects.toThrow(
      InvalidInputError,
    )
  })

  it('uses the default VPC with one default subnet per zone', async () => {
    const ec2 = fakeEc2({
      describeVpcs: async () => [{vpcId: 'vpc-d', isDefault: true}],
      describeSubnets: async () => [
        {...subnet('subnet-b', 'us-east-1b', 'vpc-d'), defaultForAz: true},
        {...subnet('subnet-x', 'us-east-1a', 'vpc-d'), defaultForAz: false},
        {...subnet('subnet-a', 'us-east-1a', 'vpc-d'), defaultForAz: true},
      ],
    })
    await expect(resolveNetwork(ec2, {})).resolves.toEqual({
      vpcId: 'vpc-d',
      subnets: ['subnet-a', 'subnet-b'],
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      defaultVpc: true,
    })
    await expect(resolveNetwork(fakeEc2({describeVpcs: async () => []}), {})).rejects.toThrow(
      /has no default VPC/,
    )
  })

  it('checks Availability Zones against the region', async () => {
    const ec2 = fakeEc2({describeAvailabilityZones: async () => ['us-east-1a', 'us-east-1b']})
    await expect(resolveNetwork(ec2, {availabilityZones: ['us-east-1a']})).resolves.toMatchObject({
      availabilityZones: ['us-east-1a'],
    })
    await expect(resolveNetwork(ec2, {availabilityZones: ['us-east-1z']})).rejects.toThrow(
      /us-east-1z is not an available zone/,
    )
  })
})
