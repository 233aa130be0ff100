import {throwIfInterrupted} from '../errors.js'
import {systemClock, type Clock} from './wait-for-in-service.js'

// One clock for every wait in elbx (injectable, so tests run instantly); its sleep ends early on Ctrl-C.
export {systemClock, type Clock}

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
      throwIfInterrupted(options.signal)
      delay *= 2
    }
  }
}
