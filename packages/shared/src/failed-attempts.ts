import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DelayJobError, GovwireError, errorCode, errorMessage } from './errors';
import { jobLogger, type Logger } from './logger';
import { isOutageError, OutageBackoff, servicePortsOf } from './outage';
import type { FailureRecord, WorkerOptions } from './queue';
import type { QueueName } from './jobs';

/** Pulls a URL and source out of any payload, for logs and the failure table. */
export function describePayload(data: unknown): { url: string | null; sourceId: string | null } {
  const d = (data ?? {}) as Record<string, unknown>;
  const page = (d.page ?? {}) as Record<string, unknown>;
  const url = [d.url, page.finalUrl, page.url].find((v) => typeof v === 'string') as string | undefined;
  const sourceId = [d.sourceId, page.sourceId].find((v) => typeof v === 'string') as string | undefined;
  return { url: url ?? null, sourceId: sourceId ?? null };
}

/** BullMQ's reason for a job it failed itself, without running it (a job that stalled twice). */
export const STALLED_REASON = 'job stalled more than allowable limit';

type WorkerSettings = Omit<WorkerOptions<QueueName>, 'handlers'>;

export interface FailedAttempt {
  job: Job;
  token: string | undefined;
  err: unknown;
  log: Logger;
  ms: number;
}

/** The child logger of one attempt of a job. */
export function jobLogFor(
  opts: Pick<WorkerSettings, 'logger' | 'service' | 'queue'>,
  job: Job,
  attempt: number,
): Logger {
  const { url } = describePayload(job.data);
  return jobLogger(opts.logger, {
    service: opts.service,
    queue: opts.queue,
    job: job.name,
    jobId: job.id,
    attempt,
    url: url ?? undefined,
  });
}

function failureOf(
  queue: QueueName,
  job: Job,
  f: Pick<FailureRecord, 'errorCode' | 'error' | 'attempts' | 'permanent'>,
): FailureRecord {
  const { url, sourceId } = describePayload(job.data);
  return {
    queue,
    jobId: String(job.id),
    jobName: job.name,
    url,
    sourceId,
    ...f,
    payload: job.data,
    failedAt: new Date().toISOString(),
  };
}

/**
 * What becomes of a worker's failed attempts: the error class decides (PermanentError → failed at
 * once; DelayJobError → delayed, no attempt used; an outage of PostgreSQL or Redis → delayed about
 * as long as the outage has lasted, no attempt used; anything else → retried with backoff), and a
 * final failure is recorded, whether the processor saw it or BullMQ decided it alone.
 */
export class FailedAttempts {
  private readonly ports: number[];
  private readonly outage: OutageBackoff;
  /** Errors the processor has dealt with; the 'failed' event records only the others. */
  private readonly seen = new WeakSet<object>();

  constructor(private readonly opts: WorkerSettings) {
    this.ports = servicePortsOf(opts.config);
    this.outage = new OutageBackoff(opts.config.JOB_BACKOFF_MS, opts.config.OUTAGE_MAX_DELAY_MS);
  }

  /** A job completed: whatever outage there was is over. */
  succeeded(): void {
    this.outage.ended();
  }

  /** Delays or records a failed attempt; returns what the processor throws to BullMQ. */
  async settle(attempt: FailedAttempt): Promise<Error> {
    const thrown = await this.decide(attempt);
    this.seen.add(thrown);
    return thrown;
  }

  private async decide({ job, token, err, log, ms }: FailedAttempt): Promise<Error> {
    if (err instanceof DelayJobError) {
      log.debug({ until: new Date(err.untilMs).toISOString(), reason: err.message }, 'job delayed');
      await job.moveToDelayed(err.untilMs, token);
      return new DelayedError();
    }
    if (isOutageError(err, this.ports)) {
      const waitMs = this.outage.delayMs();
      log.warn(
        { ms, waitMs, error: errorMessage(err) },
        'PostgreSQL or Redis unavailable: job delayed, no attempt used',
      );
      await job.moveToDelayed(Date.now() + waitMs, token);
      return new DelayedError();
    }
    const permanent = err instanceof GovwireError ? !err.retryable : false;
    const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!final) {
      log.warn({ ms, code: errorCode(err), error: errorMessage(err) }, 'job failed, will retry');
      return err instanceof Error ? err : new Error(String(err));
    }
    log.error({ ms, err, code: errorCode(err) }, 'job failed');
    const code = errorCode(err);
    await this.record(
      log,
      failureOf(this.opts.queue, job, {
        errorCode: code,
        error: errorMessage(err),
        attempts: job.attemptsMade + 1,
        permanent,
      }),
    );
    if (permanent) return new UnrecoverableError(`[${code}] ${errorMessage(err)}`);
    return err instanceof Error ? err : new Error(String(err));
  }

  /**
   * The worker's 'failed' event. A job that stalled twice (its worker died or blocked past the
   * lock, twice) is failed by BullMQ itself when a worker next takes it, without running the
   * processor: nothing else would record it.
   */
  failedUnseen(job: Job | undefined, err: Error): void {
    if (!job || this.seen.has(err)) return;
    const log = jobLogFor(this.opts, job, job.attemptsMade);
    const stalled = err.message === STALLED_REASON;
    log.error({ error: err.message }, stalled ? 'job failed: stalled twice' : 'job failed');
    const lockMs = this.opts.config.JOB_LOCK_MS;
    const failure = failureOf(this.opts.queue, job, {
      errorCode: stalled ? 'stalled' : 'failed',
      error: stalled
        ? `${STALLED_REASON}: its worker died or was blocked past the ${lockMs} ms lock twice`
        : err.message,
      attempts: job.attemptsMade,
      permanent: false,
    });
    void this.record(log, failure);
  }

  private async record(log: Logger, failure: FailureRecord): Promise<void> {
    if (!this.opts.recordFailure) return;
    try {
      await this.opts.recordFailure(failure);
    } catch (recordErr) {
      // The job still fails in BullMQ's failed set, and the workers' sweep records it from there.
      log.error({ err: recordErr }, 'could not record failure');
    }
  }
}
