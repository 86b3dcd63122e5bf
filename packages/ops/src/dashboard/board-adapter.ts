import type { AsyncLocalStorage } from 'node:async_hooks';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { Job, Queue } from 'bullmq';

/** What one board request did to jobs, collected while Bull Board handles it. */
export interface BoardRequestRecord {
  touched: Array<{ queue: string; jobId: string; effect: 'replayed' | 'discarded' | 'removed' }>;
}

/** Keeps the Postgres record in step with what the admin board does to jobs. */
export interface BoardHooks {
  /** Before a job is retried: its failure row becomes `replayed`, as `ops replay` does. */
  retrying(queue: string, jobId: string): Promise<void>;
  /** The retry could not be done: the row is `failed` again. */
  retryFailed(queue: string, jobId: string): Promise<void>;
  /** Jobs removed; those that were failed have their failure rows `discarded`, as `ops discard` does. */
  removed(queue: string, jobIds: string[], wereFailed: boolean): Promise<void>;
}

/**
 * The admin board's adapter. Bull Board retries with `job.retry(state)`, which keeps the spent
 * attempts (a job that failed after 5 tries would get one more, not five): its jobs retry with the
 * counters reset, as `pnpm ops replay` does, for "retry" and "retry all". Retries, deletions and
 * cleans go through the hooks, and are noted in the request's record for the audit log.
 */
export class AuditedBullMQAdapter extends BullMQAdapter {
  constructor(
    private readonly bullQueue: Queue,
    private readonly hooks: BoardHooks,
    private readonly requests: AsyncLocalStorage<BoardRequestRecord>,
  ) {
    super(bullQueue, { readOnlyMode: false });
  }

  override async getJob(id: string): Promise<Job | undefined> {
    const job = await super.getJob(id);
    return job && this.hooked(job);
  }

  override async getJobs(...args: Parameters<BullMQAdapter['getJobs']>): Promise<Job[]> {
    return (await super.getJobs(...args)).map((j) => this.hooked(j));
  }

  override async clean(jobStatus: Parameters<BullMQAdapter['clean']>[0], graceTimeMs: number): Promise<void> {
    const ids = await this.bullQueue.clean(graceTimeMs, Number.MAX_SAFE_INTEGER, jobStatus as never);
    await this.hooks.removed(this.bullQueue.name, ids, jobStatus === 'failed');
    this.note(ids, jobStatus === 'failed' ? 'discarded' : 'removed');
  }

  private note(jobIds: string[], effect: BoardRequestRecord['touched'][number]['effect']): void {
    this.requests
      .getStore()
      ?.touched.push(...jobIds.map((jobId) => ({ queue: this.bullQueue.name, jobId, effect })));
  }

  private hooked(job: Job): Job {
    const queue = this.bullQueue.name;
    const id = String(job.id);
    const retry = job.retry.bind(job);
    job.retry = async (state, opts) => {
      await this.hooks.retrying(queue, id);
      try {
        await retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true, ...opts });
      } catch (err) {
        await this.hooks.retryFailed(queue, id);
        throw err;
      }
      this.note([id], 'replayed');
    };
    const remove = job.remove.bind(job);
    job.remove = async (opts) => {
      const wasFailed = await job.isFailed();
      await remove(opts);
      await this.hooks.removed(queue, [id], wasFailed);
      this.note([id], wasFailed ? 'discarded' : 'removed');
    };
    return job;
  }
}
