import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from './config';
import { connectionErrorLogger } from './connection-errors';
import { createDb, type Db } from './db/client';
import { resolveCompletedFailure } from './db/repositories/failures.repository';
import { recordOrKeep, startFailureKeeper } from './failure-sync';
import type { QueueName } from './jobs';
import { createLogger, type Logger } from './logger';
import { createRedis, createWorker, Queues, type HandlerMap } from './queue';

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
  const db = createDb(config.DATABASE_URL, { onError: connectionErrorLogger(logger, 'postgres') });
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
  /** Stops taking jobs, lets active ones finish (BullMQ releases their locks), closes connections. */
  stop(): Promise<void>;
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
  const worker = createWorker({
    queue,
    service: queue,
    handlers,
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
  // dashboard): one indexed UPDATE that touches nothing for the usual job that never failed.
  const resolving = new Set<Promise<void>>();
  worker.on('completed', (job) => {
    const p = resolveCompletedFailure(deps.db, queue, String(job.id))
      .catch((err: unknown) => deps.logger.warn({ err, jobId: job.id }, 'could not mark failure succeeded'))
      .finally(() => resolving.delete(p));
    resolving.add(p);
  });
  return {
    worker,
    deps,
    async stop() {
      await worker.close();
      await keeper.stop();
      await Promise.allSettled([...resolving]);
      workerConnection.disconnect();
    },
  };
}

/**
 * The body of every service's main.ts: start, then on SIGTERM/SIGINT stop taking jobs, finish the
 * active ones, close connections and exit. A second signal exits at once.
 */
export function runUntilSignalled(name: string, logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
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
}
