import {awsErrorCode, hintFor, isThrottling, toStepError} from '../../../src/aws/errors.js'
import {AwsStepError, ExitCode, InvalidInputError, RuntimeError} from '../../../src/errors.js'

function sdkError(name: string, message = 'boom', requestId = 'req-1'): Error {
  return Object.assign(new Error(message), {name, $metadata: {httpStatusCode: 400, requestId}})
}

describe('awsErrorCode', () => {
  it.each([
    ['AccessPointNotFoundException', 'LoadBalancerNotFound'],
    ['DuplicateAccessPointNameException', 'DuplicateLoadBalancerName'],
    ['TooManyAccessPointsException', 'TooManyLoadBalancers'],
    ['InvalidEndPointException', 'InvalidInstance'],
    ['CertificateNotFoundException', 'CertificateNotFound'],
    ['DuplicatePolicyNameException', 'DuplicatePolicyName'],
    ['InvalidConfigurationRequestException', 'InvalidConfigurationRequest'],
    ['ThrottlingException', 'Throttling'],
    ['Throttling', 'Throttling'],
    ['DependencyViolation', 'DependencyViolation'],
    ['InvalidGroup.NotFound', 'InvalidGroup.NotFound'],
    ['NoSuchEntityException', 'NoSuchEntity'],
  ])('maps the SDK name %s to the wire code %s', (name, code) => {
    expect(awsErrorCode(sdkError(name))).toBe(code)
  })

  it('returns undefined for plain errors', () => {
    expect(awsErrorCode(new Error('x'))).toBeUndefined()
    expect(awsErrorCode('x')).toBeUndefined()
  })

  it('treats both throttling codes as throttling', () => {
    expect(isThrottling(sdkError('Throttling'))).toBe(true)
    expect(isThrottling(sdkError('ThrottlingException'))).toBe(true)
    expect(isThrottling(sdkError('CertificateNotFoundException'))).toBe(false)
  })
})

describe('toStepError', () => {
  it('names the step, the wire code, the request ID and a hint', () => {
    const err = toStepError(
      'Create load balancer',
      sdkError('CertificateNotFoundException', 'Certificate not found', 'abc-123'),
    )
    expect(err).toBeInstanceOf(AwsStepError)
    expect(err.exitCode).toBe(ExitCode.Failure)
    expect(err.message).toBe('Create load balancer failed: CertificateNotFound: Certificate not found')
    expect(err.hint).toBe(hintFor('CertificateNotFound'))
    expect(err.details).toMatchObject({
      step: 'Create load balancer',
      code: 'CertificateNotFound',
      requestId: 'abc-123',
    })
  })

  it('keeps elbx errors as they are', () => {
    const original = new InvalidInputError('bad')
    expect(toStepError('x', original)).toBe(original)
  })

  it('explains missing credentials', () => {
    const err = toStepError(
      'Describe',
      Object.assign(new Error('Could not load credentials'), {name: 'CredentialsProviderError'}),
    )
    expect(err).toBeInstanceOf(RuntimeError)
    expect(err.message).toContain('no AWS credentials found')
    expect(err.hint).toContain('--profile')
  })

  it('explains an unreachable endpoint', () => {
    const err = toStepError(
      'Describe',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'}),
    )
    expect(err.message).toContain('could not reach AWS')
    expect(err.hint).toContain('--endpoint-url')
  })

  it('cuts SignatureDoesNotMatch to its first line so the canonical request never shows', () => {
    const err = toStepError(
      'Describe',
      sdkError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match.\nCanonical request:\nx-amz-security-token:SECRETTOKEN',
      ),
    )
    expect(err.message).not.toContain('SECRETTOKEN')
    expect(err.message).toContain('does not match')
  })
})
