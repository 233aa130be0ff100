/**
 * At most `concurrency` of the returned function's calls run at once; the rest wait their turn in
 * call order. AWS throttles bursts (ELB's request rate is per account and Region), so elbx never
 * sends more than a handful of requests together; the SDK's retries still apply to each.
 */
export function limitConcurrency(concurrency: number): <T>(work: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be >= 1')
  let running = 0
  const queue: (() => void)[] = []
  const next = () => {
    if (running >= concurrency) return
    const start = queue.shift()
    if (start) start()
  }
  return <T>(work: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        running++
        work()
          .then(resolve, reject)
          .finally(() => {
            running--
            next()
          })
      })
      next()
    })
}

/** How many AWS requests elbx has in flight at once, reads and writes alike. */
export const DEFAULT_CONCURRENCY = 8
