// A loopback proxy in front of moto that holds every AWS request for a fixed time before
// forwarding it, as a real Region's round trip does, and records when each request started and
// ended. With 100 ms per request, a tool's wall time is mostly its sequential round trips; the
// record also gives that number directly (the longest chain of requests that did not overlap).
import {createServer, request as httpRequest} from 'node:http'

/** The AWS operation of a query-protocol request (ELB, EC2 and IAM all speak it): its Action. */
function operationOf(body) {
  const match = /(?:^|&)Action=([^&]+)/.exec(body)
  return match ? decodeURIComponent(match[1]) : '(unknown)'
}

/**
 * @param {string} target moto's endpoint, e.g. http://127.0.0.1:5000
 * @param {{delayMs: number}} options
 * @returns {Promise<{endpoint: string, records: {operation: string, startMs: number, endMs: number}[], reset(): void, close(): Promise<void>}>}
 */
export async function startLatencyProxy(target, {delayMs}) {
  const upstream = new URL(target)
  const records = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const record = {operation: operationOf(body.toString('utf8')), startMs: performance.now(), endMs: 0}
      records.push(record)
      setTimeout(() => {
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: {...req.headers, host: upstream.host},
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
            answer.on('end', () => (record.endMs = performance.now()))
          },
        )
        forward.on('error', (error) => {
          record.endMs = performance.now()
          res.writeHead(502)
          res.end(`latency proxy: ${error.message}`)
        })
        forward.end(body)
      }, delayMs)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address()
  return {
    endpoint: `http://127.0.0.1:${port}`,
    records,
    reset: () => records.splice(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * Sequential round trips: the longest chain of requests each of which started after the previous
 * one had ended. Requests sent together count once; a tool that waits for every answer before the
 * next request counts every request.
 * @param {{startMs: number, endMs: number}[]} records
 */
export function sequentialRoundTrips(records) {
  const sorted = [...records].sort((a, b) => a.endMs - b.endMs)
  const chain = []
  for (const [i, r] of sorted.entries()) {
    let best = 0
    for (let j = 0; j < i; j++) if (sorted[j].endMs <= r.startMs) best = Math.max(best, chain[j])
    chain.push(best + 1)
  }
  return chain.length ? Math.max(...chain) : 0
}

/** The most requests in flight at any moment. */
export function maxInFlight(records) {
  const events = records.flatMap((r) => [
    [r.startMs, 1],
    [r.endMs, -1],
  ])
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let now = 0
  let max = 0
  for (const [, d] of events) max = Math.max(max, (now += d))
  return max
}
