import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Config } from './config';
import { InvalidPayloadError, PayloadTooLargeError, PermanentError } from './errors';
import { FailedAttempts, jobLogFor } from './failed-attempts';
import {
  JOBS,
  toWire,
  type JobData,
  type JobInput,
  type JobName,
  type JobsOfQueue,
  type QueueName,
} from './jobs';
import type { Logger } from './logger';

export { describePayload } from './failed-attempts';

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

/** Checks a payload against its job schema: the payload with its defaults, or InvalidPayloadError. */
export function validatePayload<N extends JobName>(name: N, data: unknown): JobData<N> {
  const schema = JOBS[name].schema as unknown as z.ZodType<JobData<N>>;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidPayloadError(`${name} payload invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Refuses a payload larger than `maxBytes` of JSON: Redis keeps every waiting and failed job's
 * payload in memory, and a 60 MB field must not ride along unnoticed. Both what was given and what
 * is stored count: unknown fields are stripped, but a caller sending 60 MB of them has a bug worth
 * an error.
 */
function refuseOversize(name: JobName, given: unknown, stored: unknown, maxBytes: number): void {
  const bytes = Math.max(jsonBytes(given), jsonBytes(stored));
  if (bytes > maxBytes) {
    throw new PayloadTooLargeError(
      `${name} payload is ${bytes} bytes of JSON, more than JOB_MAX_PAYLOAD_BYTES (${maxBytes})`,
    );
  }
}

/** A payload checked (schema and size) and in the form Redis stores (see toWire), for `add`. */
export function storablePayload<N extends JobName>(name: N, data: unknown, maxBytes: number): unknown {
  const wire = toWire(name, validatePayload(name, data));
  refuseOversize(name, data, wire, maxBytes);
  return wire;
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

  /** Validates the payload against its job schema before it ever reaches Redis, in its wire form. */
  enqueue: Enqueue = async (name, data, opts) => {
    const wire = storablePayload(name, data, this.config.JOB_MAX_PAYLOAD_BYTES);
    const queue = this.byName[JOBS[name].queue];
    return (await queue.add(name, wire, opts)) as never;
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

/**
 * One worker per queue, dispatching on `job.name` through the handler map. The payload is checked
 * against its schema when dequeued; the error decides the retry policy (see FailedAttempts):
 * PermanentError → failed at once; DelayJobError or an outage of PostgreSQL or Redis → delayed
 * without using an attempt; anything else → retried with backoff. A job's final failure is
 * recorded once, including the failures BullMQ decides without running the processor.
 */
export function createWorker<Q extends QueueName>(opts: WorkerOptions<Q>): Worker {
  const handlers = opts.handlers as Record<string, Handler<JobName>>;
  const attempts = new FailedAttempts(opts);
  const processor = async (job: Job, token?: string) => {
    const log = jobLogFor(opts, job, job.attemptsMade + 1);
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
      attempts.succeeded();
      log.info({ ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    } catch (err) {
      throw await attempts.settle({ job, token, err, log, ms: Math.round(performance.now() - started) });
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
  worker.on('failed', (job, err) => attempts.failedUnseen(job, err));
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
