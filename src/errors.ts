/** Exit codes are part of elbx's interface: scripts branch on them, so they never change meaning. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  InvalidInput: 2,
  TimedOut: 3,
  VerificationFailed: 4,
  /** A confirmation was answered no: nothing was changed. */
  ConfirmationDeclined: 5,
  /** `elbx audit` found something at or above --fail-on. */
  AuditFindings: 6,
  /** `elbx diff -f` found AWS different from the spec (a CI drift check fails on it). */
  Drift: 7,
  Interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** An error elbx expects and can explain in one line, with an optional hint on how to fix it. */
export class ElbxError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
    /** Extra structured detail for --json (never secrets). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** Bad flags, files or values, found before any AWS request (exit 2). */
export class InvalidInputError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.InvalidInput, hint, details)
  }
}

/** No AWS Region is set anywhere (exit 2); a command that can answer without AWS (policy ssl --list) does. */
export class MissingRegionError extends InvalidInputError {}

/** An AWS request failed; names the step so the user knows how far the run got (exit 1). */
export class AwsStepError extends ElbxError {
  constructor(
    readonly step: string,
    readonly code: string,
    awsMessage: string,
    hint?: string,
    readonly requestId?: string,
  ) {
    super(`${step} failed: ${code}: ${awsMessage}`, ExitCode.Failure, hint, {step, code, requestId})
  }
}

/** A runtime failure that is not an AWS error response (exit 1). */
export class RuntimeError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.Failure, hint, details)
  }
}

/** Waiting for a state (InService, deletion) ran past its budget (exit 3). */
export class WaitTimeoutError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.TimedOut, hint, details)
  }
}

/** `elbx verify` found a check that failed (exit 4). */
export class VerificationFailedError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.VerificationFailed, hint, details)
  }
}

/** The user answered no to a confirmation (destroy's, the wizard's review): nothing changed (exit 5). */
export class ConfirmationDeclinedError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.ConfirmationDeclined, hint, details)
  }
}

/** `elbx audit` found at least one finding at or above --fail-on (exit 6); the report stands beside it. */
export class AuditFindingsError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.AuditFindings, hint, details)
  }
}

/** `elbx diff -f` found a difference between the spec and AWS (exit 7); the differences stand beside it. */
export class DriftError extends ElbxError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.Drift, hint, details)
  }
}

/** The user pressed Ctrl-C (exit 130). */
export class InterruptedError extends ElbxError {
  constructor(message = 'Interrupted', hint?: string, details?: Record<string, unknown>) {
    super(message, ExitCode.Interrupted, hint, details)
  }
}

/** Throws InterruptedError when the run's signal has been aborted (Ctrl-C). */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError()
}
