import { QueueEvents } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  connectionErrorLogger,
  createRedis,
  listWorkers,
  QUEUES,
  type Config,
  type Db,
  type Logger,
  type Queues,
} from '@govwire/shared';
import type { Redis } from 'ioredis';
import { queueHealth } from '../queue-health';

const STATES = ['waiting', 'paused', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

export interface QueueMetrics {
  registry: Registry;
  close(): Promise<void>;
}

/**
 * Prometheus metrics for every queue. Depth gauges are read from Redis on each scrape. Completions and
 * final failures come from BullMQ's event streams, read from the point the dashboard started (so a
 * restart does not count old events twice); durations are the job's processedOn → finishedOn.
 */
export async function createQueueMetrics(
  config: Config,
  queues: Queues,
  redis: Redis,
  logger: Logger,
  db: Db,
): Promise<QueueMetrics> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'govwire_dashboard_' });
  registerLivenessGauges(registry, config, queues, redis, db);

  new Gauge({
    name: 'govwire_queue_jobs',
    help: 'Jobs in each queue by state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const q of QUEUES) {
        const counts = await queues.get(q).getJobCounts(...STATES);
        for (const s of STATES) this.set({ queue: q, state: s }, counts[s] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'govwire_queue_paused',
    help: '1 when the queue is paused',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const q of QUEUES) this.set({ queue: q }, (await queues.get(q).isPaused()) ? 1 : 0);
    },
  });
  const completed = new Counter({
    name: 'govwire_jobs_completed_total',
    help: 'Jobs completed since the dashboard started',
    labelNames: ['queue', 'job'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'govwire_jobs_failed_total',
    help: 'Jobs failed for good (no retries left, or permanent) since the dashboard started',
    labelNames: ['queue', 'job'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'govwire_job_duration_seconds',
    help: 'Processing time of completed jobs (last attempt)',
    labelNames: ['queue', 'job'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });

  const jobFields = async (queue: string, jobId: string) => {
    const [name, processedOn, finishedOn] = await redis.hmget(
      `${config.QUEUE_PREFIX}:${queue}:${jobId}`,
      'name',
      'processedOn',
      'finishedOn',
    );
    return { name: name ?? 'unknown', processedOn: Number(processedOn), finishedOn: Number(finishedOn) };
  };

  const listeners: Array<{ events: QueueEvents; connection: Redis }> = [];
  for (const q of QUEUES) {
    // Start after the newest event already in the stream: nothing before it is counted, nothing after missed.
    const last = await redis.xrevrange(`${config.QUEUE_PREFIX}:${q}:events`, '+', '-', 'COUNT', 1);
    const connection = createRedis(config.REDIS_URL, connectionErrorLogger(logger, `${q} events redis`));
    const events = new QueueEvents(q, {
      connection,
      prefix: config.QUEUE_PREFIX,
      lastEventId: last[0]?.[0] ?? '0',
    });
    events.on('error', (err) => logger.warn({ err, queue: q }, 'queue events error'));
    events.on('completed', ({ jobId }) => {
      jobFields(q, jobId).then(
        (f) => {
          completed.inc({ queue: q, job: f.name });
          if (f.processedOn > 0 && f.finishedOn >= f.processedOn) {
            duration.observe({ queue: q, job: f.name }, (f.finishedOn - f.processedOn) / 1000);
          }
        },
        (err: unknown) => logger.warn({ err }, 'metrics: could not read a completed job'),
      );
    });
    events.on('failed', ({ jobId }) => {
      jobFields(q, jobId).then(
        (f) => failed.inc({ queue: q, job: f.name }),
        (err: unknown) => logger.warn({ err }, 'metrics: could not read a failed job'),
      );
    });
    listeners.push({ events, connection });
  }
  await Promise.all(listeners.map((l) => l.events.waitUntilReady()));

  return {
    registry,
    async close() {
      await Promise.all(listeners.map((l) => l.events.close()));
      for (const l of listeners) l.connection.disconnect();
    },
  };
}

/**
 * Whether anyone is there to work: announced workers and their slots per queue, the age of the
 * oldest waiting job (a queue nobody drains grows it), and final failures Postgres still holds
 * unresolved. Read at scrape time.
 */
function registerLivenessGauges(
  registry: Registry,
  config: Config,
  queues: Queues,
  redis: Redis,
  db: Db,
): void {
  new Gauge({
    name: 'govwire_workers',
    help: 'Workers announced for each queue (heartbeats in Redis)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const q of QUEUES)
        this.set({ queue: q }, (await listWorkers(redis, config.QUEUE_PREFIX, q)).length);
    },
  });
  new Gauge({
    name: 'govwire_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const h of await queueHealth(queues, redis, config.QUEUE_PREFIX))
        this.set({ queue: h.queue }, h.oldestWaitingAgeS ?? 0);
    },
  });
  new Gauge({
    name: 'govwire_failures_unresolved',
    help: 'Final failures in Postgres not yet replayed, succeeded or discarded, per queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('failures')
        .select(['queue', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'failed')
        .groupBy('queue')
        .execute();
      for (const q of QUEUES) this.set({ queue: q }, Number(rows.find((r) => r.queue === q)?.n ?? 0));
    },
  });
}
