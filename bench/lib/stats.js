/** Median of a list of numbers (mean of the middle two for an even count); NaN when empty. */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Median, min and max in whole milliseconds, plus the raw samples. */
export function summarize(samples) {
  return {
    runs: samples.length,
    medianMs: Math.round(median(samples)),
    minMs: Math.round(Math.min(...samples)),
    maxMs: Math.round(Math.max(...samples)),
    samplesMs: samples.map((s) => Math.round(s)),
  }
}

/** "1234 ms" or "12.3 s", for tables. */
export function formatMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return 'n/a'
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`
}

export function ratio(a, b) {
  return b > 0 ? Math.round((a / b) * 100) / 100 : Number.NaN
}
