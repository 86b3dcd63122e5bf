import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from './config';
import { connectionErrorLogger } from './connection-errors';
import { createDb, SHORT_QUERY_SETTINGS, type Db } from './db/client';
import { resolveCompletedFailures } from './db/repositories/failures.repository';
import { recordOrKeep, startFailureKeeper } from './failure-sync';
import { announceWorker } from './heartbeat';
import type { JobName, QueueName } from './jobs';
import { createLogger, type Logger } from './logger';
import { createRedis, createWorker, Queues, type Handler, type HandlerMap, type JobContext } from './queue';

/** What every worker process has: handlers receive these instead of importing kysely or bullmq. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  queues: Queues;
}

export function createServiceDeps(service: string, config: Config = loadConfig()): ServiceDeps {
  const logger = createLogger(service, config.LOG_LEVEL);
  // Every connection has an error listener: a restart of Redis or PostgreSQL is logged (once per
  // interval) and reconnected, never an unhandled 'error' that kills the worker.
  const redis = createRedis(config.REDIS_URL, connectionErrorLogger(logger, 'redis'));
  const db = createDb(config.DATABASE_URL, {
    onError: connectionErrorLogger(logger, 'postgres'),
    settings: SHORT_QUERY_SETTINGS,
  });
  const queues = new Queues(redis, config, connectionErrorLogger(logger, 'queue'));
  return { config, logger, db, redis, queues };
}

export async function closeServiceDeps(deps: ServiceDeps): Promise<void> {
  await deps.queues.close();
  await deps.db.destroy();
  deps.redis.disconnect();
}

export interface StartedWorker {
  worker: Worker;
  deps: ServiceDeps;
  /**
   * Withdraws the worker's announcement, stops taking jobs and lets active ones finish for up to
   * `graceMs` (default SHUTDOWN_GRACE_MS); jobs still running then are put back in their queue
   * for another worker (handlers are idempotent), and the worker's connection is closed.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Wires one queue's handler map to a BullMQ worker that records final failures in Postgres (in the
 * Redis outbox while Postgres is down), and keeps `failures` complete (see startFailureKeeper).
 */
export function startQueueWorker<Q extends QueueName>(
  queue: Q,
  deps: ServiceDeps,
  handlers: HandlerMap<Q>,
  concurrency: number,
): StartedWorker {
  // The worker gets its own connection: blocking commands must not stall the producer's.
  const workerConnection = createRedis(
    deps.config.REDIS_URL,
    connectionErrorLogger(deps.logger, `${queue} worker redis`),
  );
  const active = new Map<string, JobContext>();
  const worker = createWorker({
    queue,
    service: queue,
    handlers: trackActiveJobs(handlers, active),
    connection: workerConnection,
    config: deps.config,
    logger: deps.logger,
    concurrency,
    recordFailure: (f) => recordOrKeep(deps, f, deps.logger),
  });
  // Failures kept in the outbox while PostgreSQL was down are written once it answers; and any
  // failed job missing from `failures` (a worker killed at the wrong moment) is recorded.
  const keeper = startFailureKeeper(deps, [queue], { syncEveryMs: deps.config.RECONCILE_INTERVAL_S * 1000 });
  worker.on('error', connectionErrorLogger(deps.logger, `${queue} worker`, 5_000));
  // A completed job resolves its failure row, if it had one (replayed from the CLI or retried from the
  // dashboard).
  const resolver = completedFailureResolver(deps, queue);
  worker.on('completed', (job) => resolver.add(String(job.id)));
  const heartbeat = announceWorker(deps.redis, {
    prefix: deps.config.QUEUE_PREFIX,
    queue,
    concurrency,
    intervalMs: deps.config.WORKER_HEARTBEAT_MS,
    onError: (err) => deps.logger.warn({ err }, 'worker heartbeat failed'),
  });
  return {
    worker,
    deps,
    async stop(graceMs = deps.config.SHUTDOWN_GRACE_MS) {
      await heartbeat.stop();
      // Pausing stops taking jobs and resolves once the active ones are done.
      const draining = worker.pause();
      const drained = await settlesWithin(draining, graceMs);
      if (!drained) {
        const returned = await returnToQueue([...active.values()], deps.logger);
        deps.logger.warn(
          { queue, graceMs, returned },
          'grace period over: jobs still running were put back in the queue',
        );
        // Their handlers are abandoned, not awaited: the process is about to exit.
        draining.catch(() => undefined);
      }
      await worker.close(!drained);
      await keeper.stop();
      await resolver.close();
      workerConnection.disconnect();
    },
  };
}

/** Completed jobs whose failure rows are resolved in one UPDATE: at most this many. */
const RESOLVE_BATCH = 200;
/** …or those that completed within this long. */
const RESOLVE_DELAY_MS = 100;

/**
 * Resolves completed jobs' failure rows in groups, not with one UPDATE per job: per job, that
 * UPDATE (planned anew each time, though it touches nothing for a job that never failed) cost
 * PostgreSQL 1.9 s per 10k reparsed pages (two jobs a page; pg_stat_statements, bench:reparse). A
 * crash loses at most the last group's resolutions: those rows stay `failed` for a job that did
 * succeed, as they did when the UPDATE itself failed.
 */
function completedFailureResolver(deps: ServiceDeps, queue: QueueName) {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const writing = new Set<Promise<void>>();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const jobIds = pending;
    pending = [];
    if (jobIds.length === 0) return;
    const p = resolveCompletedFailures(deps.db, queue, jobIds)
      .catch((err: unknown) => deps.logger.warn({ err, jobIds }, 'could not mark failures succeeded'))
      .finally(() => writing.delete(p));
    writing.add(p);
  };
  return {
    add(jobId: string) {
      pending.push(jobId);
      if (pending.length >= RESOLVE_BATCH) flush();
      else timer ??= setTimeout(flush, RESOLVE_DELAY_MS);
    },
    async close() {
      flush();
      await Promise.allSettled([...writing]);
    },
  };
}

/** Keeps the jobs a worker is running, with their lock tokens, so a shutdown can hand them back. */
function trackActiveJobs<Q extends QueueName>(
  handlers: HandlerMap<Q>,
  active: Map<string, JobContext>,
): HandlerMap<Q> {
  const tracked: Record<string, Handler<JobName>> = {};
  for (const [name, handler] of Object.entries(handlers as Record<string, Handler<JobName>>)) {
    tracked[name] = async (data, ctx) => {
      const key = String(ctx.job.id);
      active.set(key, ctx);
      try {
        return await handler(data, ctx);
      } finally {
        active.delete(key);
      }
    };
  }
  return tracked as HandlerMap<Q>;
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const).catch(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Moves jobs this worker holds back to waiting (their lock released), without spending an attempt. */
async function returnToQueue(jobs: JobContext[], logger: Logger): Promise<string[]> {
  const returned: string[] = [];
  await Promise.all(
    jobs.map(async ({ job, token }) => {
      try {
        await job.moveToWait(token);
        returned.push(String(job.id));
      } catch (err) {
        // The lock was lost already: the stalled-job check will return it instead.
        logger.warn({ err, jobId: job.id }, 'could not put a running job back in the queue');
      }
    }),
  );
  return returned;
}

/** Two deliveries of one stop request: a terminal's Ctrl-C reaches a process and pnpm, which relays it. */
export const SAME_SIGNAL_WINDOW_MS = 1_000;

/**
 * The body of every service's main.ts: start, then on SIGTERM/SIGINT stop taking jobs, finish the
 * active ones (within SHUTDOWN_GRACE_MS, see StartedWorker.stop), close connections and exit. A
 * second signal, more than a second after the first, exits at once. A process started by the
 * supervisor stops the same way when the supervisor goes away (its IPC channel closes).
 */
export function runUntilSignalled(name: string, logger: Logger, stop: () => Promise<void>): void {
  let stoppingSince = 0;
  const onSignal = (signal: NodeJS.Signals | 'disconnect') => {
    if (stoppingSince) {
      if (Date.now() - stoppingSince < SAME_SIGNAL_WINDOW_MS || signal === 'disconnect') return;
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, `${name} shutting down`);
    stop().then(
      () => {
        logger.info(`${name} stopped`);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, `${name} did not stop cleanly`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (process.send) process.on('disconnect', () => onSignal('disconnect'));
}
