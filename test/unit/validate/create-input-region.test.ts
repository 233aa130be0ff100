import {checkCreateFlags, checkCreateInputRegion} from '../../../src/validate/create-input.js'

const ACM_EU = 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'
const IAM = 'arn:aws:iam::123456789012:server-certificate/web'

describe('the checks that need the Region (before any request)', () => {
  it('refuses an ACM certificate of another Region, by --certificate or a listener', () => {
    const byFlag = checkCreateFlags({name: 'web', https: true, certificate: ACM_EU})
    expect(() => checkCreateInputRegion(byFlag, 'eu-west-1')).not.toThrow()
    expect(() => checkCreateInputRegion(byFlag, 'us-west-2')).toThrow(
      'is an ACM certificate in eu-west-1, but the load balancer is in us-west-2',
    )
    const byListener = checkCreateFlags({
      name: 'web',
      listener: [
        `Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80,SSLCertificateId=${ACM_EU}`,
      ],
    })
    expect(() => checkCreateInputRegion(byListener, 'us-west-2')).toThrow(/^--listener SSLCertificateId/)
  })

  it('accepts an IAM certificate in any Region (IAM is global)', () => {
    expect(() =>
      checkCreateInputRegion(checkCreateFlags({name: 'web', https: true, certificate: IAM}), 'ap-south-1'),
    ).not.toThrow()
  })

  it('refuses an Availability Zone of another Region, Local Zones included', () => {
    const zones = (z: string[]) =>
      checkCreateFlags({name: 'web', listener: ['http:80:http:80'], 'availability-zones': z})
    expect(() => checkCreateInputRegion(zones(['us-west-2a', 'us-west-2-lax-1a']), 'us-west-2')).not.toThrow()
    expect(() => checkCreateInputRegion(zones(['us-west-2a', 'us-east-1b']), 'us-west-2')).toThrow(
      '--availability-zones "us-east-1b" is not a zone of us-west-2',
    )
  })
})
