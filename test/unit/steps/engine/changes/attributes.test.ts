import {AwsStepError} from '../../../../../src/errors.js'
import {explainAccessLogRefusal, planAttributes} from '../../../../../src/steps/engine/changes/attributes.js'
import {observedExisting} from './world.js'

describe('planAttributes', () => {
  it('sends only what differs, and restores exactly those', () => {
    const plan = planAttributes(
      {idleTimeout: 120, crossZoneLoadBalancing: true, desyncMitigationMode: 'strictest'},
      observedExisting(),
    )
    expect(plan.actions).toHaveLength(1)
    expect(plan.actions[0]!.call).toEqual({
      operation: 'ModifyLoadBalancerAttributes',
      loadBalancerName: 'web',
      attributes: {idleTimeout: 120, desyncMitigationMode: 'strictest'},
    })
    expect(plan.actions[0]!.restore).toEqual([
      {
        operation: 'ModifyLoadBalancerAttributes',
        loadBalancerName: 'web',
        attributes: {idleTimeout: 60, desyncMitigationMode: 'defensive'},
      },
    ])
    expect(plan.state).toMatchObject({
      idleTimeout: 120,
      crossZoneLoadBalancing: true,
      desyncMitigationMode: 'strictest',
    })
    expect(plan.warnings).toEqual([expect.stringMatching(/keep-alive timeout must be longer/)])
  })

  it('turns access logs on, and back off restores the bucket', () => {
    const on = planAttributes(
      {accessLog: {enabled: true, s3BucketName: 'logs', s3BucketPrefix: 'elb', emitInterval: 5}},
      observedExisting(),
    )
    expect(on.changes).toEqual(['access logs s3://logs/elb every 5 min'])
    expect(on.warnings).toEqual([])
    const logging = observedExisting(
      {},
      {
        attributes: {
          ...observedExisting().attributes!,
          accessLog: {enabled: true, s3BucketName: 'logs', s3BucketPrefix: 'elb', emitInterval: 5},
        },
      },
    )
    expect(
      planAttributes(
        {accessLog: {enabled: true, s3BucketName: 'logs', s3BucketPrefix: 'elb', emitInterval: 5}},
        logging,
      ).actions,
    ).toEqual([])
    const off = planAttributes({accessLog: {enabled: false}}, logging)
    expect(off.actions[0]!.call).toMatchObject({attributes: {accessLog: {enabled: false}}})
    expect(off.actions[0]!.restore![0]).toMatchObject({
      attributes: {accessLog: {enabled: true, s3BucketName: 'logs'}},
    })
  })

  it('is empty when every attribute is as asked (draining off equals off, whatever timeout AWS keeps)', () => {
    const observed = observedExisting(
      {},
      {
        attributes: {
          crossZoneLoadBalancing: false,
          connectionDraining: {enabled: false, timeout: 300},
          idleTimeout: 60,
        },
      },
    )
    const plan = planAttributes(
      {
        connectionDraining: {enabled: false},
        crossZoneLoadBalancing: false,
        idleTimeout: 60,
        accessLog: {enabled: false},
        desyncMitigationMode: 'defensive',
      },
      observed,
    )
    expect(plan.actions).toEqual([])
    expect(plan.state).toBe(observed.attributes)
  })
})

describe('explainAccessLogRefusal', () => {
  it("keeps AWS's words about the bucket and adds what the bucket policy needs", () => {
    const refused = new AwsStepError(
      'Attributes',
      'InvalidConfigurationRequest',
      'Access Denied for bucket: my-logs. Please check S3bucket permission',
    )
    const explained = explainAccessLogRefusal(refused) as AwsStepError
    expect(explained.message).toBe(refused.message)
    expect(explained.exitCode).toBe(1)
    expect(explained.hint).toMatch(
      /bucket policy must let that Region's Elastic Load Balancing account put objects/,
    )
    expect(explained.details).toEqual(refused.details)
  })

  it('leaves other failures as they are', () => {
    const other = new AwsStepError(
      'Attributes',
      'InvalidConfigurationRequest',
      'The load balancer is changing',
    )
    expect(explainAccessLogRefusal(other)).toBe(other)
    const throttled = new AwsStepError('Attributes', 'Throttling', 'Rate exceeded for bucket')
    expect(explainAccessLogRefusal(throttled)).toBe(throttled)
  })
})
