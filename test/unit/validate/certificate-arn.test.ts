import {
  checkCertificateRegion,
  certificateArnKind,
  checkCertificateArn,
  serverCertificateNameOf,
} from '../../../src/validate/certificate-arn.js'

describe('certificate ARNs', () => {
  it('accepts ACM and IAM ARNs, in every partition, IAM with a path', () => {
    expect(
      certificateArnKind(
        'arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      ),
    ).toBe('acm')
    expect(certificateArnKind('arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc-1')).toBe('acm')
    expect(certificateArnKind('arn:aws:iam::123456789012:server-certificate/my-cert')).toBe('iam')
    expect(
      certificateArnKind('arn:aws-cn:iam::123456789012:server-certificate/cloudfront/test/my.cert'),
    ).toBe('iam')
    expect(serverCertificateNameOf('arn:aws:iam::123456789012:server-certificate/cloudfront/my.cert')).toBe(
      'my.cert',
    )
    expect(serverCertificateNameOf('arn:aws:acm:us-west-2:123456789012:certificate/abc')).toBeUndefined()
  })

  it('refuses a bare IAM certificate ID with a hint to pass the ARN', () => {
    expect(() => checkCertificateArn('ASCACKCEVSQ6C2EXAMPLE')).toThrow(
      '--certificate "ASCACKCEVSQ6C2EXAMPLE" is an IAM certificate ID, not an ARN; load balancers need the ARN.',
    )
    try {
      checkCertificateArn('ASCACKCEVSQ6C2EXAMPLE')
    } catch (error) {
      expect((error as {hint: string}).hint).toMatch(/aws iam get-server-certificate/)
    }
  })

  it.each([
    'my-cert',
    'arn:aws:s3:::bucket',
    'arn:aws:iam::123:server-certificate/x',
    'arn:aws:acm:us-east-1:123456789012:key/x',
  ])('refuses %j', (value) => {
    expect(() => checkCertificateArn(value)).toThrow(`"${value}" is not an ACM or IAM certificate ARN.`)
  })

  it('refuses an ACM certificate of another Region; IAM certificates are global', () => {
    const acm = 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'
    expect(() => checkCertificateRegion(acm, 'eu-west-1')).not.toThrow()
    expect(() => checkCertificateRegion(acm, 'us-west-2')).toThrow(
      `--certificate "${acm}" is an ACM certificate in eu-west-1, but the load balancer is in us-west-2`,
    )
    expect(() =>
      checkCertificateRegion('arn:aws:iam::123456789012:server-certificate/web', 'us-west-2'),
    ).not.toThrow()
  })
})
