import {throwIfInterrupted} from '../errors.js'

/** Time, injectable so retries and waits run instantly in unit tests. */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** The real clock; sleep ends early (with InterruptedError) when the signal aborts. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, {once: true})
    }),
}

export interface RetryOptions {
  /** Errors worth another try (e.g. CertificateNotFound right after an upload). */
  retryable: (error: unknown) => boolean
  /** Give up once this much time has passed since the first attempt. */
  budgetMs: number
  /** First delay; doubles up to maxDelayMs. */
  initialDelayMs?: number
  maxDelayMs?: number
  clock?: Clock
  signal?: AbortSignal
  /** Told before each wait, e.g. to show "retrying in 4 s". */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

/**
 * Runs `work` until it succeeds, fails with an error that is not retryable, or the time budget is
 * spent (then the last error is thrown). Bounded exponential backoff; Ctrl-C stops the wait.
 */
export async function retry<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock
  const started = clock.now()
  let delay = options.initialDelayMs ?? 2000
  const maxDelay = options.maxDelayMs ?? 30_000
  for (let attempt = 1; ; attempt++) {
    throwIfInterrupted(options.signal)
    try {
      return await work()
    } catch (error) {
      const remaining = options.budgetMs - (clock.now() - started)
      if (!options.retryable(error) || remaining <= 0) throw error
      const wait = Math.min(delay, maxDelay, remaining)
      options.onRetry?.(error, attempt, wait)
      await clock.sleep(wait, options.signal)
      delay *= 2
    }
  }
}
