import { failuresRepo, QUEUES, type QueueName } from '@govwire/shared';
import { mapLimit } from '../concurrency';
import type { OpsContext } from '../context';
import { failureStates } from '../repositories/ops.repository';
import type { JobOutcome } from './failures';

export type FollowedState = 'succeeded' | 'failed' | 'running' | 'missing';

export interface FollowedJob {
  queue: string;
  jobId: string;
  state: FollowedState;
  errorCode?: string;
  error?: string;
}

export interface ReplayFollowResult {
  succeeded: number;
  failedAgain: number;
  /** Failed again, by error code. */
  failedBy: Record<string, number>;
  stillRunning: number;
  /** Gone from the queue without an outcome (removed by hand). */
  missing: number;
  timedOut: boolean;
  jobs: FollowedJob[];
}

/** `[http_404] …` → `http_404`: how final failures carry their code in BullMQ's failedReason. */
function codeOf(reason: string | undefined): string {
  return /^\[([^\]]+)\]/.exec(reason ?? '')?.[1] ?? 'error';
}

/**
 * Follows replayed jobs until each has succeeded or failed for good, or the timeout passes. The
 * failure rows say it first (the worker marks them succeeded, or records the new failure); BullMQ
 * is asked about rows still `replayed`, for a worker that could not write its outcome (or has not
 * yet: a completed job's row is then marked succeeded here, so what the summary says is what
 * `ops failed` shows).
 */
export async function followReplay(
  ctx: OpsContext,
  replayed: JobOutcome[],
  opts: { timeoutMs: number; pollMs?: number },
): Promise<ReplayFollowResult> {
  const pending = new Map(
    replayed.filter((j) => j.action === 'retried' || j.action === 're-added').map((j) => [j.failureId, j]),
  );
  const done: FollowedJob[] = [];
  const settle = (id: number, job: FollowedJob) => {
    pending.delete(id);
    done.push(job);
    ctx.progress.tick();
  };
  const deadline = Date.now() + opts.timeoutMs;
  if (pending.size) ctx.progress.start(pending.size, 'following replayed jobs');
  while (pending.size > 0) {
    for (const row of await failureStates(ctx.db, [...pending.keys()])) {
      const view = { queue: row.queue, jobId: row.job_id };
      if (row.status === 'succeeded') settle(row.id, { ...view, state: 'succeeded' });
      else if (row.status === 'failed')
        settle(row.id, { ...view, state: 'failed', errorCode: row.error_code, error: row.error });
    }
    await mapLimit([...pending.entries()], 16, async ([id, j]) => {
      if (!(QUEUES as readonly string[]).includes(j.queue)) return;
      const state = await ctx.queues.get(j.queue as QueueName).getJobState(j.runsAs);
      const view = { queue: j.queue, jobId: j.runsAs };
      if (state === 'completed') {
        // The worker marks the row as it completes; a moment later, or never if it could not.
        await failuresRepo.resolveCompletedFailures(ctx.db, j.queue, [j.runsAs]);
        settle(id, { ...view, state: 'succeeded' });
      } else if (state === 'unknown') settle(id, { ...view, state: 'missing' });
      else if (state === 'failed') {
        const job = await ctx.queues.get(j.queue as QueueName).getJob(j.runsAs);
        const reason = job?.failedReason;
        settle(id, {
          ...view,
          state: 'failed',
          errorCode: codeOf(reason),
          ...(reason ? { error: reason } : {}),
        });
      }
    });
    if (pending.size === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 300));
  }
  if (replayed.length) ctx.progress.stop();
  for (const j of pending.values()) done.push({ queue: j.queue, jobId: j.runsAs, state: 'running' });
  const failedBy: Record<string, number> = {};
  for (const j of done.filter((x) => x.state === 'failed'))
    failedBy[j.errorCode!] = (failedBy[j.errorCode!] ?? 0) + 1;
  const count = (s: FollowedState) => done.filter((j) => j.state === s).length;
  return {
    succeeded: count('succeeded'),
    failedAgain: count('failed'),
    failedBy,
    stillRunning: count('running'),
    missing: count('missing'),
    timedOut: pending.size > 0,
    jobs: done,
  };
}
