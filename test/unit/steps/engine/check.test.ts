import {ExitCode} from '../../../../src/errors.js'
import {checkObserved, instanceZoneWarnings} from '../../../../src/steps/engine/check.js'
import {checkDesired} from '../../../../src/steps/engine/desired.js'
import {makeCertificate} from '../../../helpers/certs.js'
import {readFileSync} from 'node:fs'
import {
  CERT_A,
  desired,
  desiredInPlace,
  existingLoadBalancer,
  observedInPlace,
  observedNothing,
} from './fixtures.js'

const ACM_WEST = 'arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012'
const ACM_EAST = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'

function refusal(work: () => void): {exitCode: number; message: string; details?: Record<string, unknown>} {
  try {
    work()
  } catch (error) {
    return error as {exitCode: number; message: string}
  }
  throw new Error('expected a refusal')
}

describe('checkObserved: what the reads found stops the run before any write', () => {
  it('passes an account where everything asked for is usable', () => {
    expect(() => checkObserved(desired(), observedNothing())).not.toThrow()
    expect(() => checkObserved(desiredInPlace(), observedInPlace())).not.toThrow()
  })

  it('refuses an instance that does not exist, is stopped or sits in another VPC, all in one error (exit 1)', () => {
    const observed = observedNothing({
      instances: [{instanceId: 'i-0bbbbbbbbbbbbbbbb', state: 'stopped', vpcId: 'vpc-1'}],
    })
    const stopped = refusal(() => checkObserved(desired(), observed))
    expect(stopped.exitCode).toBe(ExitCode.Failure)
    expect(stopped.message).toMatch(
      /i-0aaaaaaaaaaaaaaaa does not exist in us-east-1; i-0bbbbbbbbbbbbbbbb is stopped/,
    )
    expect(stopped.details).toMatchObject({code: 'InvalidInstance'})
    const elsewhere = refusal(() =>
      checkObserved(
        desired({instances: ['i-0aaaaaaaaaaaaaaaa']}),
        observedNothing({instances: [{instanceId: 'i-0aaaaaaaaaaaaaaaa', state: 'running', vpcId: 'vpc-2'}]}),
      ),
    )
    expect(elsewhere.message).toMatch(/is in vpc-2, not in the load balancer's VPC vpc-1/)
  })

  it('does not judge instances that are registered already (nothing is sent for them)', () => {
    expect(() => checkObserved(desiredInPlace(), observedInPlace({instances: []}))).not.toThrow()
  })

  it('refuses an ACM certificate of another Region as bad input (exit 2), one that does not exist as exit 1', () => {
    const west = desired({certificate: {kind: 'arn', arn: ACM_WEST}})
    const other = refusal(() =>
      checkObserved(west, observedNothing({certificates: [{kind: 'acm', arn: ACM_WEST}]})),
    )
    expect(other.exitCode).toBe(ExitCode.InvalidInput)
    expect(other.message).toMatch(/is in us-west-2, but the load balancer is in us-east-1/)
    const east = desired({certificate: {kind: 'arn', arn: ACM_EAST}})
    const missing = refusal(() =>
      checkObserved(east, observedNothing({certificates: [{kind: 'acm', arn: ACM_EAST}]})),
    )
    expect(missing.exitCode).toBe(ExitCode.Failure)
    expect(missing.message).toMatch(/does not exist in us-east-1/)
  })

  it('refuses an expired or unissued certificate', () => {
    const east = desired({certificate: {kind: 'arn', arn: ACM_EAST}})
    const found = {arn: ACM_EAST, inUseBy: []}
    expect(
      refusal(() =>
        checkObserved(
          east,
          observedNothing({
            certificates: [{kind: 'acm', arn: ACM_EAST, found: {...found, status: 'PENDING_VALIDATION'}}],
          }),
        ),
      ).message,
    ).toMatch(/PENDING_VALIDATION, not ISSUED/)
    expect(
      refusal(() =>
        checkObserved(
          east,
          observedNothing({
            certificates: [
              {
                kind: 'acm',
                arn: ACM_EAST,
                found: {...found, status: 'ISSUED', notAfter: '2020-01-01T00:00:00Z'},
              },
            ],
          }),
        ),
      ).message,
    ).toMatch(/expired on 2020-01-01/)
    const iam = desired({certificate: {kind: 'arn', arn: CERT_A}})
    expect(
      refusal(() => checkObserved(iam, observedNothing({certificates: [{kind: 'iam', arn: CERT_A}]})))
        .message,
    ).toMatch(/IAM server certificate .* does not exist/)
  })

  it('refuses an upload whose name IAM holds for a different certificate, and accepts the same one', () => {
    const mine = makeCertificate()
    const theirs = makeCertificate()
    const body = readFileSync(mine.certFile, 'utf8')
    const want = desired({
      certificate: {
        kind: 'upload',
        name: 'elbx-web-x',
        checked: {
          certificateBody: body,
          privateKey: 'KEY',
          subject: 'CN=web',
          notAfter: '2099-01-01',
          fingerprint: 'x',
        },
      },
    })
    const taken = {
      name: 'elbx-web-x',
      id: 'ASCA1',
      arn: 'arn:aws:iam::123456789012:server-certificate/elbx-web-x',
      tags: [],
    }
    expect(
      refusal(() =>
        checkObserved(
          want,
          observedNothing({uploadTarget: {...taken, certificateBody: readFileSync(theirs.certFile, 'utf8')}}),
        ),
      ).message,
    ).toMatch(/IAM already holds a different server certificate named "elbx-web-x"/)
    expect(() =>
      checkObserved(want, observedNothing({uploadTarget: {...taken, certificateBody: body}})),
    ).not.toThrow()
  })

  it('refuses an existing load balancer whose scheme or subnets differ (create cannot change those in place)', () => {
    const observed = observedInPlace({
      loadBalancer: existingLoadBalancer({scheme: 'internal', subnets: ['subnet-0c']}),
    })
    const conflict = refusal(() => checkObserved(desiredInPlace(), observed))
    expect(conflict.exitCode).toBe(ExitCode.Failure)
    expect(conflict.message).toMatch(
      /already exists with a different configuration: scheme is internal, not internet-facing; subnets are subnet-0c/,
    )
  })

  it('refuses security groups that do not exist or are in another VPC', () => {
    const want = desired({securityGroups: ['sg-0aaaaaaaa']})
    expect(refusal(() => checkObserved(want, observedNothing())).message).toMatch(/sg-0aaaaaaaa not found/)
    expect(
      refusal(() =>
        checkObserved(
          want,
          observedNothing({
            givenSecurityGroups: [
              {groupId: 'sg-0aaaaaaaa', groupName: 'x', vpcId: 'vpc-9', tags: [], ingress: []},
            ],
          }),
        ),
      ).message,
    ).toMatch(/sg-0aaaaaaaa is in vpc-9/)
  })
})

describe('instanceZoneWarnings', () => {
  it('warns about an instance in a zone the load balancer does not serve', () => {
    const observed = observedNothing({
      network: {vpcId: 'vpc-1', subnets: ['subnet-0a'], availabilityZones: ['us-east-1a'], defaultVpc: false},
    })
    const warnings = instanceZoneWarnings(desired(), observed)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/i-0bbbbbbbbbbbbbbbb is in us-east-1b, which web does not serve/)
  })
})

describe('checkDesired: the desired state as a whole', () => {
  it('accepts the AWS guide', () => {
    expect(checkDesired(desired())).toEqual(desired())
  })

  it('refuses an SSL policy without an HTTPS listener there, and back-end authentication without an encrypted back end', () => {
    expect(() =>
      checkDesired(desired({sslPolicies: [{...desired().sslPolicies[0]!, loadBalancerPort: 80}]})),
    ).toThrow(/needs an HTTPS or SSL listener/)
    expect(() =>
      checkDesired(desired({backendAuthentication: [{instancePort: 80, publicKeys: ['K']}]})),
    ).toThrow(/needs a listener that sends HTTPS or SSL there/)
    expect(() => checkDesired(desired({healthCheck: {timeout: 30, interval: 30}}))).toThrow(
      /less than the interval/,
    )
  })
})
