import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Config } from './config';
import {
  DelayJobError,
  GovwireError,
  InvalidPayloadError,
  PermanentError,
  errorCode,
  errorMessage,
} from './errors';
import { JOBS, type JobData, type JobInput, type JobName, type JobsOfQueue, type QueueName } from './jobs';
import { jobLogger, type Logger } from './logger';

/** Workers need `maxRetriesPerRequest: null` (blocking commands); producers share the same settings. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
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

export function validatePayload<N extends JobName>(name: N, data: unknown): JobData<N> {
  const schema = JOBS[name].schema as unknown as z.ZodType<JobData<N>>;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidPayloadError(`${name} payload invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
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
  ) {
    const defaultJobOpts = defaultJobOptions(config);
    const make = (name: QueueName) =>
      new Queue(name, { connection, prefix: config.QUEUE_PREFIX, defaultJobOptions: defaultJobOpts });
    this.byName = { crawler: make('crawler'), parser: make('parser'), indexer: make('indexer') };
  }

  get(name: QueueName): Queue {
    return this.byName[name];
  }

  /** Validates the payload against its job schema before it ever reaches Redis. */
  enqueue: Enqueue = async (name, data, opts) => {
    const payload = validatePayload(name, data);
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
}

export interface WorkerOptions<Q extends QueueName> {
  queue: Q;
  service: string;
  handlers: HandlerMap<Q>;
  connection: Redis;
  config: Config;
  logger: Logger;
  concurrency: number;
  /** Records a job's final failure in Postgres (BullMQ cannot search its failed set). */
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

/**
 * One worker per queue, dispatching on `job.name` through the handler map. The payload is checked
 * against its schema when dequeued; the error class decides the retry policy:
 * PermanentError → UnrecoverableError (failed at once), DelayJobError → delayed without using an
 * attempt, anything else → retried with backoff. A job's final failure is recorded once.
 */
export function createWorker<Q extends QueueName>(opts: WorkerOptions<Q>): Worker {
  const handlers = opts.handlers as Record<string, Handler<JobName>>;
  const processor = async (job: Job, token?: string) => {
    const { url, sourceId } = describePayload(job.data);
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
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    } catch (err) {
      if (err instanceof DelayJobError) {
        log.debug({ until: new Date(err.untilMs).toISOString(), reason: err.message }, 'job delayed');
        await job.moveToDelayed(err.untilMs, token);
        throw new DelayedError();
      }
      const permanent = err instanceof GovwireError ? !err.retryable : false;
      const maxAttempts = job.opts.attempts ?? 1;
      const final = permanent || job.attemptsMade + 1 >= maxAttempts;
      const ms = Math.round(performance.now() - started);
      if (final) log.error({ ms, err, code: errorCode(err) }, 'job failed');
      else log.warn({ ms, code: errorCode(err), error: errorMessage(err) }, 'job failed, will retry');
      if (final && opts.recordFailure) {
        try {
          await opts.recordFailure({
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
          });
        } catch (recordErr) {
          // The job still fails in BullMQ's failed set; the record is an index, not the only copy.
          log.error({ err: recordErr }, 'could not record failure in Postgres');
        }
      }
      if (permanent) throw new UnrecoverableError(`[${errorCode(err)}] ${errorMessage(err)}`);
      throw err;
    }
  };
  return new Worker(opts.queue, processor, {
    connection: opts.connection,
    prefix: opts.config.QUEUE_PREFIX,
    concurrency: Math.max(1, opts.concurrency),
    autorun: opts.autorun ?? true,
  });
}

/**
 * Removes every key under a queue prefix: a one-shot run (the demo, a test, a benchmark) cleans up
 * its own installation. Never point it at a live installation's prefix.
 */
export async function deleteQueuePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
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
