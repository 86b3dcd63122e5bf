import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Config } from './config';
import {
  DelayJobError,
  GovwireError,
  InvalidPayloadError,
  PayloadTooLargeError,
  PermanentError,
  errorCode,
  errorMessage,
} from './errors';
import { isOutageError, OutageBackoff, servicePortsOf } from './outage';
import { JOBS, type JobData, type JobInput, type JobName, type JobsOfQueue, type QueueName } from './jobs';
import { jobLogger, type Logger } from './logger';

/**
 * Workers need `maxRetriesPerRequest: null` (blocking commands); producers share the same settings,
 * so while Redis is down a command waits for the reconnection instead of failing. `onError` receives
 * the connection's errors (see connectionErrorLogger): every connection needs a listener.
 */
export function createRedis(url: string, onError: (err: unknown) => void): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
  redis.on('error', onError);
  return redis;
}

/** Options every job gets: retries with exponential backoff and jitter, and bounded retention. */
export function defaultJobOptions(config: Config): JobsOptions {
  return {
    attempts: Math.max(1, config.JOB_ATTEMPTS),
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS, jitter: 0.5 },
    removeOnComplete: { age: config.COMPLETED_JOBS_KEEP_AGE_S, count: config.COMPLETED_JOBS_KEEP_COUNT },
    removeOnFail: { age: config.FAILED_JOBS_KEEP_AGE_S, count: config.FAILED_JOBS_KEEP_COUNT },
  };
}

/**
 * Checks a payload against its job schema. With `maxBytes` (when enqueued), a payload whose JSON
 * is larger is refused too: Redis keeps every waiting and failed job's payload in memory, and a
 * 60 MB field must not ride along unnoticed.
 */
export function validatePayload<N extends JobName>(
  name: N,
  data: unknown,
  opts: { maxBytes?: number } = {},
): JobData<N> {
  const schema = JOBS[name].schema as unknown as z.ZodType<JobData<N>>;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidPayloadError(`${name} payload invalid: ${problems.join('; ')}`);
  }
  if (opts.maxBytes !== undefined) {
    // What was given, not only what the schema kept: unknown fields are stripped, but a caller
    // sending 60 MB of them has a bug worth an error.
    const bytes = Math.max(jsonBytes(data), jsonBytes(parsed.data));
    if (bytes > opts.maxBytes) {
      throw new PayloadTooLargeError(
        `${name} payload is ${bytes} bytes of JSON, more than JOB_MAX_PAYLOAD_BYTES (${opts.maxBytes})`,
      );
    }
  }
  return parsed.data;
}

function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return 0; // not serializable (a cycle): the schema has already said what is wrong with it
  }
}

export type Enqueue = <N extends JobName>(
  name: N,
  data: JobInput<N>,
  opts?: JobsOptions,
) => Promise<Job<JobData<N>, unknown, N>>;

/** The queues of one installation (one prefix), and a typed, validating `enqueue`. */
export class Queues {
  readonly byName: Record<QueueName, Queue>;

  constructor(
    readonly connection: Redis,
    readonly config: Config,
    /** A queue's errors (its connection's, forwarded by BullMQ); without a listener they are lost. */
    onError: (err: unknown) => void = () => undefined,
  ) {
    const defaultJobOpts = defaultJobOptions(config);
    const make = (name: QueueName) => {
      const queue = new Queue(name, {
        connection,
        prefix: config.QUEUE_PREFIX,
        defaultJobOptions: defaultJobOpts,
      });
      queue.on('error', onError);
      return queue;
    };
    this.byName = { crawler: make('crawler'), parser: make('parser'), indexer: make('indexer') };
  }

  get(name: QueueName): Queue {
    return this.byName[name];
  }

  /** Validates the payload against its job schema before it ever reaches Redis. */
  enqueue: Enqueue = async (name, data, opts) => {
    const payload = validatePayload(name, data, { maxBytes: this.config.JOB_MAX_PAYLOAD_BYTES });
    const queue = this.byName[JOBS[name].queue];
    return (await queue.add(name, payload, opts)) as never;
  };

  async close(): Promise<void> {
    // A queue closed while it is still initializing on the shared connection fails its init after
    // close has removed the listeners: an unhandled 'error' that kills a short CLI run. Let init finish.
    await Promise.all(Object.values(this.byName).map((q) => q.waitUntilReady().catch(() => undefined)));
    await Promise.all(Object.values(this.byName).map((q) => q.close()));
  }
}

export interface JobContext {
  job: Job;
  log: Logger;
  /** The worker's lock token (needed to move a job to delayed). */
  token: string | undefined;
}

export type Handler<N extends JobName> = (data: JobData<N>, ctx: JobContext) => Promise<unknown>;
export type HandlerMap<Q extends QueueName> = { [N in JobsOfQueue<Q>]: Handler<N> };

export interface FailureRecord {
  queue: QueueName;
  jobId: string;
  jobName: string;
  url: string | null;
  sourceId: string | null;
  errorCode: string;
  error: string;
  attempts: number;
  permanent: boolean;
  payload: unknown;
  /** When the job failed (ISO); a failure kept in the outbox during an outage keeps its time. */
  failedAt?: string;
}

export interface WorkerOptions<Q extends QueueName> {
  queue: Q;
  service: string;
  handlers: HandlerMap<Q>;
  connection: Redis;
  config: Config;
  logger: Logger;
  concurrency: number;
  /**
   * Records a job's final failure in Postgres (BullMQ cannot search its failed set), or keeps it
   * for later when Postgres is down: see startQueueWorker.
   */
  recordFailure?: (failure: FailureRecord) => Promise<void>;
  autorun?: boolean;
}

/** Pulls a URL and source out of any payload, for logs and the failure table. */
export function describePayload(data: unknown): { url: string | null; sourceId: string | null } {
  const d = (data ?? {}) as Record<string, unknown>;
  const page = (d.page ?? {}) as Record<string, unknown>;
  const url = [d.url, page.finalUrl, page.url].find((v) => typeof v === 'string') as string | undefined;
  const sourceId = [d.sourceId, page.sourceId].find((v) => typeof v === 'string') as string | undefined;
  return { url: url ?? null, sourceId: sourceId ?? null };
}

/** BullMQ's reason for a job it failed itself, without running it (see the 'failed' listener). */
export const STALLED_REASON = 'job stalled more than allowable limit';

interface FailedAttempt {
  job: Job;
  token: string | undefined;
  err: unknown;
  log: Logger;
  ms: number;
}

/**
 * One worker per queue, dispatching on `job.name` through the handler map. The payload is checked
 * against its schema when dequeued; the error decides the retry policy: PermanentError →
 * UnrecoverableError (failed at once); DelayJobError → delayed without using an attempt; an outage
 * of PostgreSQL or Redis → delayed as long as the outage has lasted, without using an attempt;
 * anything else → retried with backoff. A job's final failure is recorded once, including the
 * failures BullMQ decides without running the processor (a job that stalled twice).
 */
export function createWorker<Q extends QueueName>(opts: WorkerOptions<Q>): Worker {
  const handlers = opts.handlers as Record<string, Handler<JobName>>;
  const ports = servicePortsOf(opts.config);
  const outage = new OutageBackoff(opts.config.JOB_BACKOFF_MS, opts.config.OUTAGE_MAX_DELAY_MS);
  // Errors the processor has dealt with; the 'failed' listener records only the others.
  const seen = new WeakSet<object>();

  /** What the processor throws for a failed attempt, after delaying or recording it. */
  const settle = async ({ job, token, err, log, ms }: FailedAttempt): Promise<Error> => {
    if (err instanceof DelayJobError) {
      log.debug({ until: new Date(err.untilMs).toISOString(), reason: err.message }, 'job delayed');
      await job.moveToDelayed(err.untilMs, token);
      return new DelayedError();
    }
    if (isOutageError(err, ports)) {
      const waitMs = outage.delayMs();
      log.warn(
        { ms, waitMs, error: errorMessage(err) },
        'PostgreSQL or Redis unavailable: job delayed, no attempt used',
      );
      await job.moveToDelayed(Date.now() + waitMs, token);
      return new DelayedError();
    }
    const permanent = err instanceof GovwireError ? !err.retryable : false;
    const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (final) log.error({ ms, err, code: errorCode(err) }, 'job failed');
    else log.warn({ ms, code: errorCode(err), error: errorMessage(err) }, 'job failed, will retry');
    if (final) {
      const { url, sourceId } = describePayload(job.data);
      await record(log, {
        queue: opts.queue,
        jobId: String(job.id),
        jobName: job.name,
        url,
        sourceId,
        errorCode: errorCode(err),
        error: errorMessage(err),
        attempts: job.attemptsMade + 1,
        permanent,
        payload: job.data,
        failedAt: new Date().toISOString(),
      });
    }
    if (permanent) return new UnrecoverableError(`[${errorCode(err)}] ${errorMessage(err)}`);
    return err instanceof Error ? err : new Error(String(err));
  };

  const record = async (log: Logger, failure: FailureRecord): Promise<void> => {
    if (!opts.recordFailure) return;
    try {
      await opts.recordFailure(failure);
    } catch (recordErr) {
      // The job still fails in BullMQ's failed set, and the workers' sweep records it from there.
      log.error({ err: recordErr }, 'could not record failure');
    }
  };

  const processor = async (job: Job, token?: string) => {
    const { url } = describePayload(job.data);
    const log = jobLogger(opts.logger, {
      service: opts.service,
      queue: opts.queue,
      job: job.name,
      jobId: job.id,
      attempt: job.attemptsMade + 1,
      url: url ?? undefined,
    });
    const started = performance.now();
    log.info('job started');
    try {
      const handler = handlers[job.name];
      if (!handler)
        throw new PermanentError('unknown_job', `no handler for job "${job.name}" on ${opts.queue}`);
      if (JOBS[job.name as JobName]?.queue !== opts.queue) {
        throw new PermanentError('unknown_job', `job "${job.name}" does not belong to queue ${opts.queue}`);
      }
      const data = validatePayload(job.name as JobName, job.data);
      const result = await handler(data as never, { job, log, token });
      outage.ended();
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    } catch (err) {
      const thrown = await settle({ job, token, err, log, ms: Math.round(performance.now() - started) });
      seen.add(thrown);
      throw thrown;
    }
  };
  const worker = new Worker(opts.queue, processor, {
    connection: opts.connection,
    prefix: opts.config.QUEUE_PREFIX,
    concurrency: Math.max(1, opts.concurrency),
    autorun: opts.autorun ?? true,
    lockDuration: opts.config.JOB_LOCK_MS,
    stalledInterval: opts.config.JOB_LOCK_MS,
  });
  // A job that stalled twice (its worker died or blocked past the lock, twice) is failed by BullMQ
  // itself the next time a worker takes it, without running the processor: record it here.
  worker.on('failed', (job, err) => {
    if (!job || seen.has(err)) return;
    const { url, sourceId } = describePayload(job.data);
    const log = jobLogger(opts.logger, {
      service: opts.service,
      queue: opts.queue,
      job: job.name,
      jobId: job.id,
      attempt: job.attemptsMade,
      url: url ?? undefined,
    });
    const stalled = err.message === STALLED_REASON;
    log.error({ error: err.message }, stalled ? 'job failed: stalled twice' : 'job failed');
    void record(log, {
      queue: opts.queue,
      jobId: String(job.id),
      jobName: job.name,
      url,
      sourceId,
      errorCode: stalled ? 'stalled' : 'failed',
      error: stalled
        ? `${STALLED_REASON}: its worker died or was blocked past the ${opts.config.JOB_LOCK_MS} ms lock twice`
        : err.message,
      attempts: job.attemptsMade,
      permanent: false,
      payload: job.data,
      failedAt: new Date().toISOString(),
    });
  });
  return worker;
}

/**
 * Removes every key under a queue prefix: a one-shot run (the demo, a test, a benchmark) cleans up
 * its own installation. Never point it at a live installation's prefix.
 */
export async function deleteQueuePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined); // a failed command says so; the event would only repeat it
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
