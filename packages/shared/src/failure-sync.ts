import { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { Db } from './db/client';
import { recordFailure } from './db/repositories/failures.repository';
import { errorMessage } from './errors';
import { FailureOutbox } from './failure-outbox';
import type { QueueName } from './jobs';
import type { Logger } from './logger';
import { isOutageError, servicePortsOf } from './outage';
import { describePayload, STALLED_REASON } from './failed-attempts';
import type { FailureRecord, Queues } from './queue';

interface FailureDeps {
  db: Db;
  redis: Redis;
  queues: Queues;
  config: Config;
}

/**
 * Records a final failure in Postgres, or, when Postgres is down, in the Redis outbox that the
 * workers flush once it answers again. Throws only when neither could take it.
 */
export async function recordOrKeep(deps: FailureDeps, failure: FailureRecord, log?: Logger): Promise<void> {
  try {
    await recordFailure(deps.db, failure);
  } catch (err) {
    if (!isOutageError(err, servicePortsOf(deps.config))) throw err;
    await new FailureOutbox(deps.redis, deps.config.QUEUE_PREFIX).put(failure);
    log?.warn(
      { error: errorMessage(err), jobId: failure.jobId },
      'PostgreSQL unavailable: failure kept in the Redis outbox until it answers',
    );
  }
}

/** Writes the failures the outbox holds to Postgres; returns how many. */
export async function flushFailureOutbox(deps: FailureDeps): Promise<number> {
  const outbox = new FailureOutbox(deps.redis, deps.config.QUEUE_PREFIX);
  if ((await outbox.size()) === 0) return 0;
  return outbox.flush((f) => recordFailure(deps.db, f));
}

const BATCH = 500;
/** Jobs that finished this close before the last sync are looked at again (clocks differ). */
const SYNC_OVERLAP_MS = 60_000;

/**
 * The safety net under the worker's own recording: every job in the queue's failed set has a
 * `failed` row in `failures`. A worker killed between failing a job and writing its row, or a
 * failure BullMQ decided without any worker listening, is found here. Only jobs that failed since
 * the last sync are read (the failed set is ordered by finish time; the mark lives in Redis).
 */
export async function syncFailedSet(deps: FailureDeps, queue: QueueName): Promise<number> {
  const q = deps.queues.get(queue);
  const failedKey = q.toKey('failed');
  const markKey = `${q.toKey('failures')}:synced-until`;
  const since = Number((await deps.redis.get(markKey)) ?? 0);
  const startedAt = Date.now();
  let recorded = 0;
  for (let offset = 0; ; offset += BATCH) {
    const ids = await deps.redis.zrangebyscore(failedKey, since, '+inf', 'LIMIT', offset, BATCH);
    if (ids.length === 0) break;
    const rows = await deps.db
      .selectFrom('failures')
      .select(['job_id', 'status', 'failed_at', 'resolved_at'])
      .where('queue', '=', queue)
      .where('job_id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [r.job_id, r]));
    for (const id of ids) {
      const row = byId.get(id);
      if (row && (row.status === 'failed' || row.status === 'discarded')) continue;
      const job = await Job.fromId(q, id);
      if (!job?.finishedOn) continue;
      // A row resolved before this failure (replayed, then failed again unseen) is failed anew.
      const resolvedAt = row ? new Date(row.resolved_at ?? row.failed_at).getTime() : 0;
      if (row && job.finishedOn <= resolvedAt) continue;
      await recordFailure(deps.db, failureOfJob(queue, job));
      recorded++;
    }
    if (ids.length < BATCH) break;
  }
  await deps.redis.set(markKey, String(Math.max(0, startedAt - SYNC_OVERLAP_MS)));
  return recorded;
}

/** A failure row rebuilt from a job in the failed set. */
export function failureOfJob(queue: QueueName, job: Job): FailureRecord {
  const reason = job.failedReason ?? 'failed';
  const code = /^\[([\w.-]+)\]/.exec(reason)?.[1];
  const stalled = reason === STALLED_REASON;
  const { url, sourceId } = describePayload(job.data);
  return {
    queue,
    jobId: String(job.id),
    jobName: job.name,
    url,
    sourceId,
    errorCode: stalled ? 'stalled' : (code ?? 'failed'),
    error: reason.replace(/^\[[\w.-]+\]\s*/, ''),
    attempts: job.attemptsMade,
    permanent: !stalled && job.attemptsMade < (job.opts.attempts ?? 1),
    payload: job.data,
    failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
  };
}

export interface FailureKeeper {
  stop(): Promise<void>;
}

/**
 * Runs in every worker process: flushes the outbox every few seconds while it holds anything, and
 * syncs the given queues' failed sets every `syncEveryMs`. An outage only postpones both.
 */
export function startFailureKeeper(
  deps: FailureDeps & { logger: Logger },
  queues: QueueName[],
  opts: { flushEveryMs?: number; syncEveryMs: number },
): FailureKeeper {
  const flushEveryMs = opts.flushEveryMs ?? 5_000;
  let nextSyncAt = Date.now() + Math.min(opts.syncEveryMs, 5_000);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    try {
      const flushed = await flushFailureOutbox(deps);
      if (flushed) deps.logger.info({ flushed }, 'failures written from the outbox');
      if (Date.now() >= nextSyncAt) {
        nextSyncAt = Date.now() + opts.syncEveryMs;
        for (const queue of queues) {
          const recorded = await syncFailedSet(deps, queue);
          if (recorded) deps.logger.warn({ queue, recorded }, 'failed jobs missing from failures recorded');
        }
      }
    } catch (err) {
      deps.logger.debug({ error: errorMessage(err) }, 'failure keeper postponed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, flushEveryMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
