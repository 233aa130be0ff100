import {InvalidInputError} from '../../../../../src/errors.js'
import {
  checkRotation,
  isDeletion,
  planRotation,
  type DesiredRotation,
  type ObservedRotation,
} from '../../../../../src/steps/engine/changes/certificate.js'
import {pending} from '../../../../../src/steps/engine/plan.js'
import {
  CERT_A,
  CERT_B,
  desired as desiredLoadBalancer,
  existingLoadBalancer,
  http80,
  https443,
} from '../fixtures.js'

const ACM = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555'
const ssl8443 = {
  protocol: 'SSL' as const,
  loadBalancerPort: 8443,
  instanceProtocol: 'TCP' as const,
  instancePort: 8080,
}

/** web: HTTP 80, HTTPS 443 on A (SSL policy and stickiness), SSL 8443 on A. */
const web = existingLoadBalancer({
  listeners: [
    {listener: http80, policyNames: []},
    {listener: {...https443, sslCertificateId: CERT_A}, policyNames: ['elbx-ssl-TLS-1-2-2017-01', 'sticky']},
    {listener: {...ssl8443, sslCertificateId: CERT_A}, policyNames: []},
  ],
})
const api = existingLoadBalancer({
  name: 'api',
  listeners: [{listener: {...https443, sslCertificateId: CERT_A}, policyNames: []}],
})

const desired = (overrides: Partial<DesiredRotation> = {}): DesiredRotation => ({
  loadBalancerName: 'web',
  certificate: {kind: 'arn', arn: CERT_B},
  listeners: {kind: 'port', loadBalancerPort: 443},
  deleteOld: false,
  ...overrides,
})
const observed = (overrides: Partial<ObservedRotation> = {}): ObservedRotation => ({
  region: 'us-east-1',
  loadBalancers: [web],
  certificates: [{kind: 'iam', arn: CERT_B, found: {name: 'cert-b', id: 'ASCA2', arn: CERT_B, tags: []}}],
  ...overrides,
})
const upload = desiredLoadBalancer().certificate as Extract<DesiredRotation['certificate'], {kind: 'upload'}>

describe('planRotation', () => {
  it('swaps the certificate of the one listener in place, with the request that puts the old one back', () => {
    const plan = planRotation(desired(), observed())
    expect(plan.actions).toHaveLength(1)
    expect(plan.actions[0]).toMatchObject({
      call: {
        operation: 'SetLoadBalancerListenerSSLCertificate',
        loadBalancerName: 'web',
        loadBalancerPort: 443,
        certificateArn: CERT_B,
      },
      restore: [
        {operation: 'SetLoadBalancerListenerSSLCertificate', loadBalancerPort: 443, certificateArn: CERT_A},
      ],
    })
    // Never a listener recreated, never a policy list set: the policies stay as they are.
    expect(plan.actions.map((a) => a.call.operation)).not.toContain('DeleteLoadBalancerListeners')
    expect(plan.actions.map((a) => a.call.operation)).not.toContain('SetLoadBalancerPoliciesOfListener')
    expect(plan.outcome.listeners.map((l) => l.status)).toEqual(['changed'])
  })

  it('uploads first and swaps with the pending ARN; a file IAM holds already is not uploaded again', () => {
    const plan = planRotation(desired({certificate: upload}), observed({certificates: []}))
    expect(plan.actions.map((a) => a.id)).toEqual(['upload-certificate', 'set-certificate:web:443'])
    expect(plan.actions[1]).toMatchObject({
      call: {certificateArn: pending('upload-certificate')},
      dependsOn: ['upload-certificate'],
    })
    expect(plan.actions[0]!.creates).toEqual({kind: 'server-certificate', id: upload.name})

    const inIam = planRotation(
      desired({certificate: upload}),
      observed({certificates: [], uploadTarget: {name: upload.name, id: 'ASCA3', arn: CERT_B, tags: []}}),
    )
    expect(inIam.actions.map((a) => a.id)).toEqual(['set-certificate:web:443'])
    expect(inIam.outcome.certificate.status).toBe('unchanged')
  })

  it('is empty on a rerun: the listener serves the certificate already', () => {
    const swapped = existingLoadBalancer({
      listeners: [{listener: {...https443, sslCertificateId: CERT_B}, policyNames: []}],
    })
    const plan = planRotation(desired(), observed({loadBalancers: [swapped]}))
    expect(plan.actions).toEqual([])
    expect(plan.outcome.listeners.map((l) => l.status)).toEqual(['unchanged'])
  })

  it('--all-ports swaps every HTTPS and SSL listener, never the HTTP one', () => {
    const plan = planRotation(desired({listeners: {kind: 'all-ports'}}), observed())
    expect(plan.actions.map((a) => a.id)).toEqual(['set-certificate:web:443', 'set-certificate:web:8443'])
  })

  it('--replace --all-load-balancers swaps every listener of the Region that serves the old certificate', () => {
    const other = existingLoadBalancer({
      name: 'other',
      listeners: [{listener: {...https443, sslCertificateId: ACM}, policyNames: []}],
    })
    const {loadBalancerName: _n, ...everywhere} = desired({
      listeners: {kind: 'replace', certificateArn: CERT_A},
    })
    const plan = planRotation(everywhere, observed({loadBalancers: [web, api, other]}))
    expect(plan.actions.map((a) => a.id)).toEqual([
      'set-certificate:web:443',
      'set-certificate:web:8443',
      'set-certificate:api:443',
    ])
  })

  it('--delete-old deletes the replaced IAM certificate only when nothing in the Region serves it afterwards, after every swap', () => {
    const only443 = planRotation(desired({deleteOld: true}), observed({allLoadBalancers: [web, api]}))
    expect(only443.actions.some(isDeletion)).toBe(false)
    expect(only443.outcome.oldCertificates).toEqual([
      {arn: CERT_A, status: 'in-use', usedBy: ['web:8443', 'api:443']},
    ])

    const lone = existingLoadBalancer({
      listeners: [{listener: {...https443, sslCertificateId: CERT_A}, policyNames: []}],
    })
    const plan = planRotation(
      desired({deleteOld: true}),
      observed({loadBalancers: [lone], allLoadBalancers: [lone]}),
    )
    const deletion = plan.actions.find(isDeletion)!
    expect(deletion.call).toEqual({operation: 'DeleteServerCertificate', name: 'cert-a'})
    expect(deletion.dependsOn).toEqual(['set-certificate:web:443'])
  })

  it('--delete-old leaves an ACM certificate alone', () => {
    const onAcm = existingLoadBalancer({
      listeners: [{listener: {...https443, sslCertificateId: ACM}, policyNames: []}],
    })
    const plan = planRotation(
      desired({deleteOld: true}),
      observed({loadBalancers: [onAcm], allLoadBalancers: [onAcm]}),
    )
    expect(plan.actions.some(isDeletion)).toBe(false)
    expect(plan.outcome.oldCertificates).toEqual([{arn: ACM, status: 'not-iam', usedBy: []}])
  })
})

describe('checkRotation', () => {
  it('refuses a port without a listener, and an HTTP listener, naming the listeners (exit 2)', () => {
    expect(() =>
      checkRotation(desired({listeners: {kind: 'port', loadBalancerPort: 9443}}), observed()),
    ).toThrow(
      /no listener on port 9443\. Its listeners: HTTP 80 -> HTTP 80; HTTPS 443 -> HTTPS 443; SSL 8443 -> TCP 8080/,
    )
    expect(() =>
      checkRotation(desired({listeners: {kind: 'port', loadBalancerPort: 80}}), observed()),
    ).toThrow(InvalidInputError)
  })

  it('refuses a certificate IAM does not hold, before any write', () => {
    expect(() => checkRotation(desired(), observed({certificates: [{kind: 'iam', arn: CERT_B}]}))).toThrow(
      /IAM server certificate .*cert-b does not exist/,
    )
  })
})
