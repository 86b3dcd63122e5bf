/**
 * Error classes encode the retry policy, in the manner of Crawlee: the worker wrapper reads the class,
 * never the message, to decide whether a job is retried, failed at once, or delayed.
 */
export abstract class GovwireError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Will fail the same way every time (4xx, not HTML, too large, bad payload): fail at once. */
export class PermanentError extends GovwireError {
  readonly retryable = false;
}

/** May succeed later (5xx, timeout, reset, database down): retried with backoff and jitter. */
export class TransientError extends GovwireError {
  readonly retryable = true;
}

/** The payload did not match its job schema. */
export class InvalidPayloadError extends PermanentError {
  constructor(message: string) {
    super('invalid_payload', message);
  }
}

/** The payload is larger than JOB_MAX_PAYLOAD_BYTES: refused when enqueued. */
export class PayloadTooLargeError extends PermanentError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

/**
 * The job may not run yet (host politeness gate, Retry-After): it is delayed until `untilMs`
 * without using up an attempt.
 */
export class DelayJobError extends GovwireError {
  readonly retryable = true;
  constructor(
    readonly untilMs: number,
    reason: string,
  ) {
    super('delayed', reason);
  }
}

/** A user's mistake on the command line: printed as one line, never with a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorCode(err: unknown): string {
  if (err instanceof GovwireError) return err.code;
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return 'error';
}
