export interface LoggedRequest {
  service: string
  operation: string
  status: number
  durationMs?: number
}
export interface RepeatedRead {
  service: string
  operation: string
  count: number
}
export declare function repeatedReads(requests: LoggedRequest[]): RepeatedRead[]
export declare function operationCounts(requests: {operation: string}[]): {operation: string; count: number}[]
export declare function requestSummary(
  label: string,
  requests: LoggedRequest[],
): {
  command: string
  requests: number
  reads: number
  writes: number
  polls: number
  operations: {operation: string; count: number}[]
  repeatedReads: RepeatedRead[]
}
