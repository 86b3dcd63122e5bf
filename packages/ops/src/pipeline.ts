import type { Job } from 'bullmq';
import { crawlerHandlers, createCrawlerRuntime } from '@govwire/crawler';
import { indexerConcurrency, indexerHandlers } from '@govwire/indexer';
import { startParserWorker } from '@govwire/parser';
import { startQueueWorker, type QueueName, type ServiceDeps, type StartedWorker } from '@govwire/shared';

/**
 * The three workers started inside one process, for `pnpm ingest` and `pnpm demo`: the same handler
 * maps and the same worker wrapper as the standalone services, so the demo exercises the real path.
 */
export async function startPipelineWorkers(deps: ServiceDeps, which: QueueName[]): Promise<StartedWorker[]> {
  const started: StartedWorker[] = [];
  if (which.includes('crawler')) {
    // The crawler's runtime holds connections of its own (the politeness gate's subscription, the
    // HTTP agent): stopping the worker closes them too.
    const runtime = createCrawlerRuntime(deps);
    const crawler = startQueueWorker(
      'crawler',
      deps,
      crawlerHandlers(deps, runtime),
      deps.config.CRAWLER_CONCURRENCY,
    );
    started.push({
      ...crawler,
      async stop() {
        await crawler.stop();
        await runtime.gate.close();
        await runtime.http.close();
      },
    });
  }
  if (which.includes('parser')) {
    started.push(await startParserWorker(deps, deps.config.PARSER_CONCURRENCY));
  }
  if (which.includes('indexer')) {
    started.push(startQueueWorker('indexer', deps, indexerHandlers(deps), indexerConcurrency(deps.config)));
  }
  return started;
}

export type JobOutcome =
  | { state: 'completed'; job: Job; returnvalue: unknown }
  | { state: 'failed'; job: Job; reason: string }
  | { state: 'missing' };

/** Polls a job until it has completed or finally failed (a retrying job is still in flight). */
export async function waitForJob(
  deps: ServiceDeps,
  queue: QueueName,
  jobId: string,
  timeoutMs = 120_000,
): Promise<JobOutcome> {
  const q = deps.queues.get(queue);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await q.getJob(jobId);
    if (!job) return { state: 'missing' };
    const state = await job.getState();
    if (state === 'completed') return { state, job, returnvalue: job.returnvalue };
    if (state === 'failed') return { state, job, reason: job.failedReason };
    if (Date.now() > deadline)
      return { state: 'failed', job, reason: `still ${state} after ${timeoutMs} ms` };
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export async function queueCounts(deps: ServiceDeps, queue: QueueName): Promise<QueueCounts> {
  const c = await deps.queues
    .get(queue)
    .getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return {
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
  };
}

/**
 * Waits until no queue has waiting, active or delayed jobs on several polls in a row (a job that
 * finishes may enqueue the next stage a moment later). Reports progress through `onProgress`.
 */
export async function waitUntilDrained(
  deps: ServiceDeps,
  opts: { timeoutMs: number; onProgress?: (counts: Record<QueueName, QueueCounts>) => void },
): Promise<Record<QueueName, QueueCounts>> {
  const deadline = Date.now() + opts.timeoutMs;
  let quiet = 0;
  for (;;) {
    const counts = {
      crawler: await queueCounts(deps, 'crawler'),
      parser: await queueCounts(deps, 'parser'),
      indexer: await queueCounts(deps, 'indexer'),
    };
    opts.onProgress?.(counts);
    const busy = Object.values(counts).some((c) => c.waiting + c.active + c.delayed > 0);
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= 5) return counts;
    if (Date.now() > deadline)
      throw new Error(`queues still busy after ${Math.round(opts.timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
