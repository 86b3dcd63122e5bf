import { QUEUES, type QueueName } from '@govwire/shared';
import type { OpsContext } from '../context';
import { lastCrawlPerSource, type SourceLastCrawl } from '../repositories/ops.repository';
import { reconcileReplayed } from './failures';

export interface QueueStatus {
  queue: QueueName;
  paused: boolean;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Jobs completed per minute over the window. */
  completedPerMin: number;
  failedPerMin: number;
  /**
   * True when the completed set has been trimmed inside the window (COMPLETED_JOBS_KEEP_COUNT), so the
   * rate is a lower bound.
   */
  rateIsLowerBound: boolean;
  oldestWaitingAgeS: number | null;
  oldestWaitingJobId: string | null;
}

export interface StatusResult {
  at: string;
  windowMin: number;
  queues: QueueStatus[];
  sources: SourceLastCrawl[];
  /** Replayed failures found completed and marked succeeded by this call. */
  reconciled: number;
}

/**
 * Throughput is counted from BullMQ's finished sets, which are sorted by finish time, rather than from
 * `getMetrics` (which needs every worker started with the metrics option): one ZCOUNT per set, exact
 * unless retention trimmed the set inside the window, which the result says.
 */
export async function statusCommand(
  ctx: OpsContext,
  opts: { windowMin?: number; now?: Date } = {},
): Promise<StatusResult> {
  const windowMin = Math.max(1, opts.windowMin ?? 5);
  const now = opts.now ?? new Date();
  const from = now.getTime() - windowMin * 60_000;
  const queues: QueueStatus[] = [];
  for (const name of QUEUES) {
    const q = ctx.queues.get(name);
    const counts = await q.getJobCounts(
      'waiting',
      'paused',
      'prioritized',
      'active',
      'delayed',
      'failed',
      'completed',
    );
    const key = (s: string) => `${ctx.config.QUEUE_PREFIX}:${name}:${s}`;
    const [completedIn, failedIn, oldestCompleted] = await Promise.all([
      ctx.redis.zcount(key('completed'), from, '+inf'),
      ctx.redis.zcount(key('failed'), from, '+inf'),
      ctx.redis.zrange(key('completed'), 0, 0, 'WITHSCORES'),
    ]);
    const trimmedInWindow =
      (counts.completed ?? 0) >= ctx.config.COMPLETED_JOBS_KEEP_COUNT &&
      oldestCompleted.length === 2 &&
      Number(oldestCompleted[1]) > from;
    // A paused queue holds its waiting jobs in the `paused` list. Oldest first; prioritized jobs sit in
    // their own set and are not counted as "oldest".
    const paused = await q.isPaused();
    const [oldest] = await q.getJobs([paused ? 'paused' : 'waiting'], 0, 0, true);
    queues.push({
      queue: name,
      paused,
      waiting: (counts.waiting ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      completed: counts.completed ?? 0,
      completedPerMin: round1(completedIn / windowMin),
      failedPerMin: round1(failedIn / windowMin),
      rateIsLowerBound: trimmedInWindow,
      oldestWaitingAgeS: oldest ? Math.max(0, Math.round((now.getTime() - oldest.timestamp) / 1000)) : null,
      oldestWaitingJobId: oldest?.id ?? null,
    });
  }
  const reconciled = await reconcileReplayed(ctx);
  const sources = await lastCrawlPerSource(ctx.db);
  return { at: now.toISOString(), windowMin, queues, sources, reconciled };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
