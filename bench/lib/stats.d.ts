export declare function median(values: number[]): number
export declare function summarize(samples: number[]): {
  runs: number
  medianMs: number
  minMs: number
  maxMs: number
  samplesMs: number[]
}
export declare function formatMs(ms: number | undefined): string
export declare function ratio(a: number, b: number): number
