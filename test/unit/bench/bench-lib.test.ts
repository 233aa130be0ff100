import {maxInFlight, sequentialRoundTrips} from '../../../bench/lib/latency-proxy.js'
import {unavailableReason} from '../../../bench/lib/elbx.js'
import {repeatedReads, requestSummary} from '../../../bench/lib/requests.js'
import {formatMs, median, ratio, summarize} from '../../../bench/lib/stats.js'

const req = (operation: string, status = 200, service = 'ElasticLoadBalancing') => ({
  service,
  operation,
  status,
})

describe('bench: repeated reads', () => {
  it('flags a read sent twice in one command', () => {
    expect(
      repeatedReads([req('DescribeLoadBalancers'), req('CreateLoadBalancer'), req('DescribeLoadBalancers')]),
    ).toEqual([{service: 'ElasticLoadBalancing', operation: 'DescribeLoadBalancers', count: 2}])
  })

  it('leaves out DescribeInstanceHealth polls, writes, and SDK retries after a 5xx or a dropped connection', () => {
    expect(
      repeatedReads([
        req('DescribeInstanceHealth'),
        req('DescribeInstanceHealth'),
        req('CreateLoadBalancerPolicy'),
        req('CreateLoadBalancerPolicy'),
        req('DescribeTags', 503),
        req('DescribeTags', 0),
        req('DescribeTags'),
      ]),
    ).toEqual([])
  })

  it('tells services apart: ELB DescribeTags and EC2 DescribeTags are different reads', () => {
    expect(repeatedReads([req('DescribeTags'), req('DescribeTags', 200, 'EC2')])).toEqual([])
  })

  it('summarizes a command: reads, writes, polls and operations in first-seen order', () => {
    const summary = requestSummary('elbx register', [
      req('DescribeLoadBalancers'),
      req('RegisterInstancesWithLoadBalancer'),
      req('DescribeInstanceHealth'),
      req('DescribeInstanceHealth'),
    ])
    expect(summary).toMatchObject({command: 'elbx register', requests: 4, reads: 3, writes: 1, polls: 2})
    expect(summary.operations.map((o) => `${o.operation}:${o.count}`)).toEqual([
      'DescribeLoadBalancers:1',
      'RegisterInstancesWithLoadBalancer:1',
      'DescribeInstanceHealth:2',
    ])
  })
})

describe('bench: telling "not built yet" from a failure', () => {
  it('reads a missing command (exit 127) and a refused flag (exit 2, --json error document)', () => {
    expect(
      unavailableReason({exitCode: 127, stdout: '', stderr: ' ›   Warning: create is not a elbx command.\n'}),
    ).toBe('command not found: Warning: create is not a elbx command.')
    expect(
      unavailableReason({
        exitCode: 2,
        stdout: JSON.stringify({error: {message: 'Nonexistent flags: --ssl-policy, --wait', exitCode: 2}}),
        stderr: 'Error: Nonexistent flags: --ssl-policy, --wait\n',
      }),
    ).toBe('rejected (exit 2): Nonexistent flags: --ssl-policy, --wait')
  })

  it('treats success and AWS failures as available', () => {
    expect(unavailableReason({exitCode: 0, stdout: '{}', stderr: ''})).toBeUndefined()
    expect(
      unavailableReason({exitCode: 1, stdout: '', stderr: 'Error: Create load balancer failed'}),
    ).toBeUndefined()
  })
})

describe('bench: statistics', () => {
  it('takes medians of odd and even counts, and summarizes in whole milliseconds', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
    expect(summarize([10.4, 30.6, 20.2])).toEqual({
      runs: 3,
      medianMs: 20,
      minMs: 10,
      maxMs: 31,
      samplesMs: [10, 31, 20],
    })
  })

  it('formats durations and ratios for the tables', () => {
    expect(formatMs(532.4)).toBe('532 ms')
    expect(formatMs(15_680)).toBe('15.7 s')
    expect(formatMs(Number.NaN)).toBe('n/a')
    expect(ratio(15_680, 1_960)).toBe(8)
    expect(ratio(1, 0)).toBeNaN()
  })
})

describe('bench: sequential round trips from the latency proxy record', () => {
  const r = (startMs: number, endMs: number) => ({startMs, endMs})

  it('counts requests sent together once, and one after another each', () => {
    expect(sequentialRoundTrips([])).toBe(0)
    expect(sequentialRoundTrips([r(0, 100), r(1, 101), r(2, 102)])).toBe(1)
    expect(sequentialRoundTrips([r(0, 100), r(100, 200), r(200, 300)])).toBe(3)
    // Two independent chains: the longer one is the critical path.
    expect(sequentialRoundTrips([r(0, 100), r(0, 100), r(100, 200), r(210, 300), r(300, 400)])).toBe(4)
    expect(maxInFlight([r(0, 100), r(1, 101), r(100, 200)])).toBe(2)
  })
})
