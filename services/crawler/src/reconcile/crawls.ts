import type { Queue } from 'bullmq';
import {
  failuresRepo,
  validatePayload,
  type Db,
  type DbOrTx,
  type JobInput,
  type Logger,
  type Queues,
} from '@govwire/shared';
import { crawlJobId, fetchJobId } from '../jobs/queue-fetches';
import {
  failEmptyCrawl,
  finishCrawlIfDone,
  logFetch,
  markUrlDone,
  markUrlRequeued,
  openUrls,
  runningCrawls,
  noteCrawl,
  type OpenUrl,
  type RunningCrawl,
} from '../repositories/crawler.repository';
import { schedulerId } from '../sources/sync';

/**
 * A crawl ends when every URL it claimed reached an outcome; a fetch job that vanished (a Redis
 * that lost it) or that BullMQ failed without running the handler (stalled twice) never reports
 * one, and the crawl would stay `running` forever. The sweep settles each such URL from what the
 * queue holds: alive → wait; failed → failed; missing → queued again once, then failed and
 * recorded in `failures` so `pnpm ops replay` can fetch it later.
 */

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused']);

export interface CrawlReconcileResult {
  /** Crawls still running when the sweep looked. */
  running: number;
  /** Crawls the sweep ended (done, or failed when nothing was ever queued). */
  finished: number;
  /** URLs whose vanished fetch job was queued again. */
  requeued: number;
  /** URLs marked failed: their job failed unseen, or vanished twice. */
  failed: number;
}

interface CrawlDeps {
  db: Db;
  queues: Queues;
  logger?: Logger;
}

export interface CrawlReconcileOptions {
  /** URLs queued (or re-queued) more recently than this, and crawls younger, are left alone. */
  graceMs: number;
  dryRun?: boolean;
  now?: Date;
}

export async function reconcileCrawls(
  deps: CrawlDeps,
  opts: CrawlReconcileOptions,
): Promise<CrawlReconcileResult> {
  const result: CrawlReconcileResult = { running: 0, finished: 0, requeued: 0, failed: 0 };
  const cutoff = (opts.now ?? new Date()).getTime() - opts.graceMs;
  for (const crawl of await runningCrawls(deps.db)) {
    result.running++;
    await reconcileCrawl(deps, crawl, cutoff, Boolean(opts.dryRun), result);
  }
  return result;
}

async function reconcileCrawl(
  deps: CrawlDeps,
  crawl: RunningCrawl,
  cutoff: number,
  dryRun: boolean,
  result: CrawlReconcileResult,
): Promise<void> {
  const queue = deps.queues.get('crawler');
  const open = await openUrls(deps.db, crawl.id);
  if (open.length === 0 && crawl.pages_queued === 0) {
    // Nothing was ever queued: the crawl-source job is still coming, or it failed or vanished.
    if (crawl.started_at.getTime() > cutoff || (await sourceJobAlive(queue, crawl))) return;
    if (!dryRun) {
      await failEmptyCrawl(deps.db, crawl.id, 'no URL was queued: its crawl-source job failed or was lost');
    }
    result.finished++;
    return;
  }
  let failed = 0;
  for (const u of open) {
    const jobId = fetchJobId(crawl.id, u.url);
    const state = await queue.getJobState(jobId);
    if (LIVE.has(state)) continue;
    if (state === 'completed') {
      const job = await queue.getJob(jobId);
      const outcome = (job?.returnvalue as { outcome?: string } | null)?.outcome ?? 'fetched';
      if (!dryRun) await markUrlDone(deps.db, crawl.id, u.url, outcome);
    } else if (state === 'failed') {
      const job = await queue.getJob(jobId);
      if (!dryRun) await failUrl(deps.db, crawl, u, `[unseen] ${job?.failedReason ?? 'failed'}`);
      failed++;
    } else if ((u.requeued_at ?? u.queued_at).getTime() > cutoff) {
      continue; // just queued (or re-queued): give it time to show up
    } else if (!u.requeued_at) {
      if (!dryRun) await requeueUrl(deps, crawl, u, jobId);
      result.requeued++;
    } else {
      if (!dryRun) await loseUrl(deps, crawl, u, jobId);
      failed++;
    }
  }
  result.failed += failed;
  if (dryRun) return;
  if (failed) await noteCrawl(deps.db, crawl.id, `${failed} URL(s) without a live job marked failed`);
  if (await finishCrawlIfDone(deps.db, crawl.id)) result.finished++;
}

/** The crawl-source job of a crawl: `crawl-<sha1>` when started by hand, `repeat:…` when scheduled. */
async function sourceJobAlive(queue: Queue, crawl: RunningCrawl): Promise<boolean> {
  const ids = [crawlJobId(crawl.id)];
  const millis = Date.parse(crawl.id.slice(crawl.source_id.length + 1));
  if (Number.isFinite(millis)) ids.push(`repeat:${schedulerId(crawl.source_id)}:${millis}`);
  for (const id of ids) if (LIVE.has(await queue.getJobState(id))) return true;
  return false;
}

/** Marks a still-open URL failed and logs why; false if the handler marked it since the listing. */
async function failUrl(db: DbOrTx, crawl: RunningCrawl, u: OpenUrl, error: string): Promise<boolean> {
  if (!(await markUrlDone(db, crawl.id, u.url, 'failed'))) return false;
  await logFetch(db, {
    crawl_id: crawl.id,
    source_id: crawl.source_id,
    url: u.url,
    final_url: null,
    status: null,
    bytes: null,
    ms: null,
    outcome: 'failed',
    error,
  });
  return true;
}

function fetchPayload(crawl: RunningCrawl, u: OpenUrl) {
  const input: JobInput<'fetch-page'> = {
    sourceId: crawl.source_id,
    crawlId: crawl.id,
    url: u.url,
    kind: u.kind as JobInput<'fetch-page'>['kind'],
    depth: u.depth,
    referrer: u.referrer,
  };
  return validatePayload('fetch-page', input);
}

/** A fetch job that vanished: queued again under its own id (gone from Redis, so add() takes it). */
async function requeueUrl(deps: CrawlDeps, crawl: RunningCrawl, u: OpenUrl, jobId: string): Promise<void> {
  // A job that completed since the listing (and was trimmed) left its URL done: nothing to do.
  if (!(await markUrlRequeued(deps.db, crawl.id, u.url))) return;
  await deps.queues.get('crawler').add('fetch-page', fetchPayload(crawl, u), { jobId });
  deps.logger?.warn({ crawlId: crawl.id, url: u.url, jobId }, 'fetch job had vanished: queued again');
}

/** Vanished again: failed, and recorded with its payload so `pnpm ops replay` can fetch it. */
async function loseUrl(deps: CrawlDeps, crawl: RunningCrawl, u: OpenUrl, jobId: string): Promise<void> {
  const error = 'fetch job vanished from Redis twice (queued again once by the reconcile sweep)';
  // One transaction: a URL is never marked failed without the failure row that makes it replayable.
  await deps.db.transaction().execute(async (tx) => {
    if (!(await failUrl(tx, crawl, u, `[lost] ${error}`))) return;
    await failuresRepo.recordFailure(tx, {
      queue: 'crawler',
      jobId,
      jobName: 'fetch-page',
      url: u.url,
      sourceId: crawl.source_id,
      errorCode: 'lost',
      error,
      attempts: 0,
      permanent: false,
      payload: fetchPayload(crawl, u),
    });
  });
}
