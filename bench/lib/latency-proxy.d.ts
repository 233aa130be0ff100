export interface ProxyRecord {
  operation: string
  startMs: number
  endMs: number
}
export declare function startLatencyProxy(
  target: string,
  options: {delayMs: number},
): Promise<{endpoint: string; records: ProxyRecord[]; reset(): void; close(): Promise<void>}>
export declare function sequentialRoundTrips(records: Pick<ProxyRecord, 'startMs' | 'endMs'>[]): number
export declare function maxInFlight(records: Pick<ProxyRecord, 'startMs' | 'endMs'>[]): number
