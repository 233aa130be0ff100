import type {LoggedRequest} from './requests.js'

export declare const ELBX_BIN: string
export interface ProcessResult {
  exitCode: number | null
  stdout: string
  stderr: string
  ms: number
  timedOut: boolean
}
export declare function runElbx(
  args: string[],
  env: Record<string, string>,
  options?: {timeoutMs?: number},
): Promise<ProcessResult & {requests: LoggedRequest[]; unavailable?: string}>
export declare function readRequestLog(file: string): LoggedRequest[]
export declare function unavailableReason(
  result: Pick<ProcessResult, 'exitCode' | 'stdout' | 'stderr'>,
): string | undefined
export declare function failureOf(result: ProcessResult): string
