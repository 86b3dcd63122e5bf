import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from './config';
import { createDb, type Db } from './db/client';
import { recordFailure, resolveCompletedFailure } from './db/repositories/failures.repository';
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
  const redis = createRedis(config.REDIS_URL);
  const db = createDb(config.DATABASE_URL);
  return { config, logger, db, redis, queues: new Queues(redis, config) };
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

/** Wires one queue's handler map to a BullMQ worker that records final failures in Postgres. */
export function startQueueWorker<Q extends QueueName>(
  queue: Q,
  deps: ServiceDeps,
  handlers: HandlerMap<Q>,
  concurrency: number,
): StartedWorker {
  // The worker gets its own connection: blocking commands must not stall the producer's.
  const workerConnection = createRedis(deps.config.REDIS_URL);
  const worker = createWorker({
    queue,
    service: queue,
    handlers,
    connection: workerConnection,
    config: deps.config,
    logger: deps.logger,
    concurrency,
    recordFailure: (f) => recordFailure(deps.db, f),
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'worker error'));
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
