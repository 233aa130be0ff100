// Request counting: what each elbx command sent (its ELBX_REQUEST_LOG), and reads it repeated.

/** Describe*, Get* and List* only read; polling DescribeInstanceHealth is how waiting works. */
const READ = /^(Describe|Get|List)/
const POLL = new Set(['DescribeInstanceHealth'])

/**
 * Reads sent more than once in one run, retries left out (an attempt that follows a network error
 * or a 5xx of the same operation is the SDK retrying, not elbx asking again). The request log holds no
 * parameters, so a repeat of the same operation for two different resources is flagged too: read
 * it as "look here", not as proof.
 * @param {{service: string, operation: string, status: number}[]} requests
 * @returns {{operation: string, count: number}[]}
 */
export function repeatedReads(requests) {
  const counts = new Map()
  requests.forEach((r, i) => {
    if (!READ.test(r.operation) || POLL.has(r.operation)) return
    const previous = requests[i - 1]
    // The log cannot tell a throttled 400 from a meaningful one; bench runs on moto, which never throttles.
    if (previous?.operation === r.operation && (previous.status === 0 || previous.status >= 500)) return
    const key = `${r.service}:${r.operation}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  })
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(([key, count]) => {
      const [service, operation] = key.split(':')
      return {service, operation, count}
    })
}

/** Requests of one run grouped by operation, in first-seen order: "DescribeLoadBalancers x2". */
export function operationCounts(requests) {
  const counts = new Map()
  for (const r of requests) counts.set(r.operation, (counts.get(r.operation) ?? 0) + 1)
  return [...counts].map(([operation, count]) => ({operation, count}))
}

/** The request summary of one elbx command run. */
export function requestSummary(label, requests) {
  return {
    command: label,
    requests: requests.length,
    reads: requests.filter((r) => READ.test(r.operation)).length,
    writes: requests.filter((r) => !READ.test(r.operation)).length,
    polls: requests.filter((r) => POLL.has(r.operation)).length,
    operations: operationCounts(requests),
    repeatedReads: repeatedReads(requests),
  }
}
