import {appendFileSync} from 'node:fs'

import {redact} from '../redact.js'

/** One HTTP request elbx sent to AWS (one line of --verbose, one entry for tests and benchmarks). */
export interface RequestRecord {
  service: string
  operation: string
  /** HTTP status, or 0 when no response came back (connection refused or reset). */
  status: number
  durationMs: number
  requestId?: string
  error?: string
}

type Listener = (record: RequestRecord) => void

/**
 * Counts and reports every HTTP request the AWS clients send, retries included. It sees only the
 * service, operation, status, duration and request ID: never headers, bodies or credentials.
 */
export class RequestLog {
  readonly records: RequestRecord[] = []
  private readonly listeners: Listener[] = []

  /** Also appends each record as a JSON line to this file (ELBX_REQUEST_LOG; used by tests and bench/). */
  constructor(private readonly file: string | undefined = process.env.ELBX_REQUEST_LOG || undefined) {}

  get count(): number {
    return this.records.length
  }

  onRequest(listener: Listener): void {
    this.listeners.push(listener)
  }

  record(entry: RequestRecord): void {
    this.records.push(entry)
    // Redacted like every other output, although a record holds no body: a library's error text could.
    if (this.file) appendFileSync(this.file, redact(JSON.stringify(entry)) + '\n')
    for (const listener of this.listeners) listener(entry)
  }
}

/** The --verbose line for one request. */
export function formatRequestRecord(r: RequestRecord): string {
  const status = r.status === 0 ? `ERR ${r.error ?? ''}`.trim() : String(r.status)
  const id = r.requestId ? ` request-id=${r.requestId}` : ''
  return redact(`[aws] ${r.service} ${r.operation} ${status} ${r.durationMs}ms${id}`)
}
