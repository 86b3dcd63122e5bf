import type { Redis } from 'ioredis';
import { listWorkers, QUEUES, type Queues, type QueueName, type WorkerAnnouncement } from '@govwire/shared';

/**
 * Whether each queue has someone to take its jobs: the one reading `pnpm ops status`, `/healthz`
 * and `/metrics` share, so the board and the CLI cannot disagree.
 */
export interface QueueHealth {
  queue: QueueName;
  paused: boolean;
  /** Jobs ready to run now: waiting, paused-waiting and prioritized. */
  waiting: number;
  workers: WorkerAnnouncement[];
  /** Job slots of the announced workers (their concurrency summed). */
  slots: number;
  oldestWaitingAgeS: number | null;
  oldestWaitingJobId: string | null;
  /** Jobs are waiting, the queue is not paused, and no worker is announced to take them. */
  noWorker: boolean;
}

export async function queueHealth(
  queues: Queues,
  redis: Redis,
  prefix: string,
  now: Date = new Date(),
): Promise<QueueHealth[]> {
  return Promise.all(QUEUES.map((name) => oneQueueHealth(queues, redis, prefix, name, now)));
}

async function oneQueueHealth(
  queues: Queues,
  redis: Redis,
  prefix: string,
  name: QueueName,
  now: Date,
): Promise<QueueHealth> {
  const q = queues.get(name);
  const [counts, paused, workers] = await Promise.all([
    q.getJobCounts('waiting', 'paused', 'prioritized'),
    q.isPaused(),
    listWorkers(redis, prefix, name),
  ]);
  const waiting = (counts.waiting ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0);
  // A paused queue holds its waiting jobs in the `paused` list. Oldest first; prioritized jobs sit in
  // their own set and are not counted as "oldest".
  const [oldest] = await q.getJobs([paused ? 'paused' : 'waiting'], 0, 0, true);
  return {
    queue: name,
    paused,
    waiting,
    workers,
    slots: workers.reduce((n, w) => n + w.concurrency, 0),
    oldestWaitingAgeS: oldest ? Math.max(0, Math.round((now.getTime() - oldest.timestamp) / 1000)) : null,
    oldestWaitingJobId: oldest?.id ?? null,
    noWorker: waiting > 0 && !paused && workers.length === 0,
  };
}
