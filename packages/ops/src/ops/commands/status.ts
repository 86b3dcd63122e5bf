import type { QueueName, WorkerAnnouncement } from '@govwire/shared';
import { queueHealth } from '../../queue-health';
import type { OpsContext } from '../context';
import { reconcileReplayed } from './failures';
import { sourceRunsCommand, sourcesCommand, type SourceRunsResult, type SourceView } from './sources';

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
  /** The workers announced for this queue (heartbeats in Redis). */
  workers: WorkerAnnouncement[];
  /** Jobs wait, the queue is not paused, and no worker is there to take them. */
  noWorker: boolean;
}

export interface StatusResult {
  at: string;
  windowMin: number;
  queues: QueueStatus[];
  sources: SourceView[];
  /** With `--source`: that source's newest runs. */
  source?: SourceRunsResult;
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
  opts: { windowMin?: number; now?: Date; sourceId?: string | undefined; runs?: number } = {},
): Promise<StatusResult> {
  const windowMin = Math.max(1, opts.windowMin ?? 5);
  const now = opts.now ?? new Date();
  const from = now.getTime() - windowMin * 60_000;
  const health = await queueHealth(ctx.queues, ctx.redis, ctx.config.QUEUE_PREFIX, now);
  const queues: QueueStatus[] = [];
  for (const h of health) {
    const counts = await ctx.queues.get(h.queue).getJobCounts('active', 'delayed', 'failed', 'completed');
    const key = (s: string) => `${ctx.config.QUEUE_PREFIX}:${h.queue}:${s}`;
    const [completedIn, failedIn, oldestCompleted] = await Promise.all([
      ctx.redis.zcount(key('completed'), from, '+inf'),
      ctx.redis.zcount(key('failed'), from, '+inf'),
      ctx.redis.zrange(key('completed'), 0, 0, 'WITHSCORES'),
    ]);
    const trimmedInWindow =
      (counts.completed ?? 0) >= ctx.config.COMPLETED_JOBS_KEEP_COUNT &&
      oldestCompleted.length === 2 &&
      Number(oldestCompleted[1]) > from;
    queues.push({
      queue: h.queue,
      paused: h.paused,
      waiting: h.waiting,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      completed: counts.completed ?? 0,
      completedPerMin: round1(completedIn / windowMin),
      failedPerMin: round1(failedIn / windowMin),
      rateIsLowerBound: trimmedInWindow,
      oldestWaitingAgeS: h.oldestWaitingAgeS,
      oldestWaitingJobId: h.oldestWaitingJobId,
      workers: h.workers,
      noWorker: h.noWorker,
    });
  }
  const reconciled = await reconcileReplayed(ctx);
  const source =
    opts.sourceId !== undefined ? await sourceRunsCommand(ctx, opts.sourceId, opts.runs) : undefined;
  const sources = source ? [] : await sourcesCommand(ctx);
  return { at: now.toISOString(), windowMin, queues, sources, ...(source ? { source } : {}), reconciled };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
