import {
  checkAvailabilityZones,
  checkCidr,
  checkScheme,
  checkSecurityGroupIds,
  checkSubnetIds,
  listValues,
} from '../../../src/validate/network.js'

describe('network flags', () => {
  it('splits repeatable comma-separated lists and drops repeats', () => {
    expect(listValues(['subnet-1,subnet-2', ' subnet-2 ', 'subnet-3,'])).toEqual([
      'subnet-1',
      'subnet-2',
      'subnet-3',
    ])
  })

  it('checks subnet, security group and zone forms', () => {
    expect(checkSubnetIds(['subnet-0123abcd', 'subnet-0123456789abcdef0'])).toHaveLength(2)
    expect(() => checkSubnetIds(['subnet-xyz'])).toThrow('--subnets "subnet-xyz" is not a subnet ID')
    expect(() => checkSubnetIds(['sg-0123abcd'])).toThrow(/is not a subnet ID/)
    expect(checkSecurityGroupIds(['sg-0123456789abcdef0'])).toHaveLength(1)
    expect(() => checkSecurityGroupIds(['subnet-0123abcd'])).toThrow(/is not a security group ID/)
    expect(() => checkSecurityGroupIds(Array.from({length: 6}, (_, i) => `sg-0123abc${i}`))).toThrow(
      /at most 5/,
    )
    expect(checkAvailabilityZones(['us-east-1a', 'us-gov-west-1b', 'us-west-2-lax-1a'])).toHaveLength(3)
    expect(() => checkAvailabilityZones(['us-east-1'])).toThrow(
      /"us-east-1" is not an Availability Zone name/,
    )
  })

  it('checks CIDR blocks', () => {
    expect(checkCidr('0.0.0.0/0')).toBe('0.0.0.0/0')
    expect(checkCidr('2001:db8::/32')).toBe('2001:db8::/32')
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0/8', 'any', '2001:db8::/129', '10.0.0.0/8/1']) {
      expect(() => checkCidr(bad)).toThrow(`--ingress-cidr "${bad}" is not a CIDR block.`)
    }
  })

  it('allows --scheme internal only in a VPC', () => {
    expect(checkScheme('internal', {subnets: ['subnet-0123abcd']})).toBe('internal')
    expect(checkScheme('internal', {})).toBe('internal')
    expect(() => checkScheme('internal', {availabilityZones: ['us-east-1a']})).toThrow(
      /--scheme internal needs the load balancer in a VPC/,
    )
  })
})
