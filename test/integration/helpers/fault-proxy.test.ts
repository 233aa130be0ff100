import {awsErrorCode, isThrottling, toStepError} from '../../../src/aws/errors.js'
import {AwsStepError} from '../../../src/errors.js'
import {actionOf, errorBody, serviceOf, startFaultProxy, type FaultProxy} from '../../helpers/fault-proxy.js'
import {motoEndpoint, motoGateways, seedNetwork, type SeededNetwork} from '../../helpers/moto.js'

const HTTP_LISTENER = {
  protocol: 'HTTP',
  loadBalancerPort: 80,
  instanceProtocol: 'HTTP',
  instancePort: 80,
} as const

/** "Operation:status" of each request elbx's request log counted, retries included. */
const attempts = (records: {operation: string; status: number}[], operation: string) =>
  records.filter((r) => r.operation === operation).map((r) => r.status)

describe('fault proxy: request parsing', () => {
  it('reads the Action from a form-encoded body or a query string, and the service from the credential scope', () => {
    expect(actionOf('/', 'Action=DescribeLoadBalancers&Version=2012-06-01')).toBe('DescribeLoadBalancers')
    expect(actionOf('/?Action=ListServerCertificates&Version=2010-05-08', '')).toBe('ListServerCertificates')
    expect(actionOf('/', '{"json": true}')).toBeUndefined()
    expect(
      serviceOf(
        'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=abc',
      ),
    ).toBe('elasticloadbalancing')
    expect(serviceOf(undefined)).toBeUndefined()
  })

  it('answers throttling in the error format each service parses', () => {
    expect(errorBody('elasticloadbalancing', 'throttling')).toMatch(
      /^<ErrorResponse><Error><Type>Sender<\/Type><Code>Throttling<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>[\w-]+<\/RequestId><\/ErrorResponse>$/,
    )
    expect(errorBody('ec2', 'throttling')).toContain(
      '<Response><Errors><Error><Code>RequestLimitExceeded</Code>',
    )
    expect(errorBody('iam', 'error-503')).toContain('<Code>ServiceUnavailable</Code>')
  })
})

describe('fault proxy between elbx gateways and moto', () => {
  let proxy: FaultProxy
  let net: SeededNetwork
  let aws: Awaited<ReturnType<typeof motoGateways>>

  beforeAll(async () => {
    net = await seedNetwork({instances: 1})
    proxy = await startFaultProxy(motoEndpoint())
    aws = await motoGateways(undefined, proxy.endpoint)
  })

  afterAll(async () => {
    aws?.close()
    await proxy?.close()
  })

  beforeEach(() => {
    proxy.clear()
    proxy.seen.length = 0
    aws.requestLog.records.length = 0
  })

  it('forwards requests untouched when no rule matches, and logs each one', async () => {
    proxy.inject({operation: 'DeleteLoadBalancer', fault: 'throttling'})
    expect(await aws.elb.describeLoadBalancer('no-such-lb')).toBeUndefined()
    expect(await aws.ec2.describeInstances(net.instanceIds)).toHaveLength(1)
    expect(proxy.seen).toEqual([
      {operation: 'DescribeLoadBalancers', service: 'elasticloadbalancing', status: 400},
      {operation: 'DescribeInstances', service: 'ec2', status: 200},
    ])
  })

  it('retries a transient Throttling and succeeds', async () => {
    await aws.elb.createLoadBalancer({
      name: 'fp-throttled',
      listeners: [HTTP_LISTENER],
      subnets: net.subnets.map((s) => s.subnetId),
    })
    proxy.inject({operation: 'DescribeLoadBalancers', fault: 'throttling', times: 2})

    const lb = await aws.elb.describeLoadBalancer('fp-throttled')

    expect(lb?.name).toBe('fp-throttled')
    expect(proxy.seenFor('DescribeLoadBalancers').map((s) => s.fault ?? 'forwarded')).toEqual([
      'throttling',
      'throttling',
      'forwarded',
    ])
    expect(attempts(aws.requestLog.records, 'DescribeLoadBalancers')).toEqual([400, 400, 200])
  })

  it('retries a transient 503 on a write and the write takes effect once', async () => {
    proxy.inject({operation: 'CreateLoadBalancer', fault: 'error-503', times: 1})

    await aws.elb.createLoadBalancer({
      name: 'fp-unavailable',
      listeners: [HTTP_LISTENER],
      subnets: net.subnets.map((s) => s.subnetId),
    })

    expect(attempts(aws.requestLog.records, 'CreateLoadBalancer')).toEqual([503, 200])
    expect(proxy.seenFor('CreateLoadBalancer').map((s) => s.fault)).toEqual(['error-503', undefined])
    expect((await aws.elb.describeLoadBalancer('fp-unavailable'))?.listeners).toHaveLength(1)
  })

  it('retries a transient 500 and a reset connection', async () => {
    proxy.inject({operation: 'DescribeInstances', fault: 'error-500', times: 1})
    proxy.inject({operation: 'DescribeInstances', fault: 'reset', times: 1})

    const instances = await aws.ec2.describeInstances(net.instanceIds)

    expect(instances.map((i) => i.instanceId)).toEqual(net.instanceIds)
    expect(proxy.seenFor('DescribeInstances').map((s) => `${s.fault ?? 'forwarded'}:${s.status}`)).toEqual([
      'error-500:500',
      'reset:0',
      'forwarded:200',
    ])
    // The request log marks a reset attempt with status 0 and the socket error.
    const statuses = aws.requestLog.records.filter((r) => r.operation === 'DescribeInstances')
    expect(statuses.map((r) => r.status)).toEqual([500, 0, 200])
    expect(statuses[1]!.error).toMatch(/ECONNRESET|socket hang up/i)
  })

  it("retries EC2's own throttling code (RequestLimitExceeded)", async () => {
    proxy.inject({service: 'ec2', fault: 'throttling', times: 1})

    expect(await aws.ec2.describeSubnets({vpcId: net.vpcId})).toHaveLength(2)
    expect(attempts(aws.requestLog.records, 'DescribeSubnets')).toEqual([400, 200])
  })

  it('delays a request and still forwards it', async () => {
    proxy.inject({operation: 'DescribeTags', fault: 'delay', delayMs: 200, times: 1})

    await aws.elb.describeTags('fp-throttled')

    expect(proxy.seenFor('DescribeTags')).toEqual([
      {operation: 'DescribeTags', service: 'elasticloadbalancing', fault: 'delay', status: 200},
    ])
  })

  it('a persistent Throttling ends in an error whose wire code is Throttling, after the SDK gave up retrying', async () => {
    proxy.inject({operation: 'DescribeLoadBalancers', fault: 'throttling'})

    const error = await aws.elb.describeLoadBalancer('fp-throttled').then(
      () => undefined,
      (e: unknown) => e,
    )

    expect(awsErrorCode(error)).toBe('Throttling')
    expect(isThrottling(error)).toBe(true)
    const stepError = toStepError('Find load balancer', error)
    expect(stepError).toBeInstanceOf(AwsStepError)
    expect(stepError.message).toBe('Find load balancer failed: Throttling: Rate exceeded')
    expect(stepError.exitCode).toBe(1)
    // maxAttempts 5: the first try and four retries, each answered by the proxy.
    const maxAttempts = Number(process.env.AWS_MAX_ATTEMPTS ?? 5)
    expect(attempts(aws.requestLog.records, 'DescribeLoadBalancers')).toEqual(Array(maxAttempts).fill(400))
    expect(proxy.seenFor('DescribeLoadBalancers').every((s) => s.fault === 'throttling')).toBe(true)
  })

  it('a persistent 503 on one operation leaves others alone until clear()', async () => {
    proxy.inject({operation: ['DeleteLoadBalancer'], fault: 'error-503'})

    const error = await aws.elb.deleteLoadBalancer('fp-unavailable').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(awsErrorCode(error)).toBe('ServiceUnavailable')
    expect(await aws.elb.describeLoadBalancer('fp-unavailable')).toBeDefined()

    proxy.clear()
    await aws.elb.deleteLoadBalancer('fp-unavailable')
    expect(await aws.elb.describeLoadBalancer('fp-unavailable')).toBeUndefined()
  })

  it('refuses a rule with a meaningless count', () => {
    expect(() => proxy.inject({fault: 'reset', times: 0})).toThrow(/times must be a whole number >= 1/)
  })
})
