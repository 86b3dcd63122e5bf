import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { Job } from 'bullmq';

/**
 * Bull Board retries a job with `job.retry(state)`, which keeps its spent attempts: a job that failed
 * after its 5 tries would get one more, not five. This adapter hands the board jobs whose retry resets
 * the attempt counters, the same as `pnpm ops replay`, for the single "retry" and for "retry all".
 */
export class FullRetryBullMQAdapter extends BullMQAdapter {
  override async getJob(id: string): Promise<Job | undefined> {
    const job = await super.getJob(id);
    return job && withFullRetry(job);
  }

  override async getJobs(...args: Parameters<BullMQAdapter['getJobs']>): Promise<Job[]> {
    return (await super.getJobs(...args)).map(withFullRetry);
  }
}

export function withFullRetry(job: Job): Job {
  const retry = job.retry.bind(job);
  job.retry = (state, opts) => retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true, ...opts });
  return job;
}
