import type { Queue } from 'bullmq';
import type { Db } from './db/client';
import {
  claimParseJob,
  countUnparsedPages,
  pageRefOf,
  setParseOutcome,
  sourceCharsetOverrides,
  unparsedPagesBatch,
  type UnparsedPage,
} from './db/repositories/pages.repository';
import { indexJobId, parseJobId, reparseRunOf } from './jobs';
import type { Queues } from './queue';

/**
 * Stored pages whose parse or index job was lost (a Redis without persistence that restarted, a
 * job trimmed before it ran) are found by their missing outcome (`pages.parse_outcome`) and queued
 * again. Every check goes through the page's known job ids, so a page whose job is still waiting
 * is never queued twice.
 */

/** What became of an unparsed page when it was looked at. */
export type PageFate =
  /** a parse or index job for it is waiting, delayed or running: nothing to do */
  | 'live'
  /** its index job completed (the outcome was not written): recorded as an article now */
  | 'indexed'
  /** its parse or index job is in the failed set: recorded as failed (the failure says why) */
  | 'failed'
  /** no job anywhere: a parse job was queued again under a fresh id */
  | 'requeued';

const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused']);

interface PageDeps {
  db: Db;
  queues: Queues;
}

async function stateOf(queue: Queue, jobId: string): Promise<string> {
  return queue.getJobState(jobId);
}

/** The code a failed job's reason starts with (`[no_article] …`), if any. */
async function failedCode(queue: Queue, jobId: string): Promise<string | undefined> {
  const job = await queue.getJob(jobId);
  return /^\[([\w.-]+)\]/.exec(job?.failedReason ?? '')?.[1];
}

/** The page's index job ids: the plain one, and its last reparse run's when it has one. */
function indexJobIds(page: UnparsedPage): string[] {
  const ref = { contentHash: page.content_hash, finalUrl: page.final_url };
  const run = reparseRunOf(page.parse_job_id);
  return [indexJobId(ref), ...(run ? [indexJobId(ref, run)] : [])];
}

/**
 * Settles one stored page that has no outcome: leaves it when a job for it is alive, records what
 * a finished job did, or queues a parse job under a fresh id (a completed job kept in Redis under
 * the old id would make add() a no-op). `dryRun` only says what would happen.
 */
export async function settleUnparsedPage(
  deps: PageDeps,
  page: UnparsedPage,
  opts: { charsetOverride?: string | null; dryRun?: boolean } = {},
): Promise<PageFate> {
  const parser = deps.queues.get('parser');
  const parseIds = [parseJobId(page.id), ...(page.parse_job_id ? [page.parse_job_id] : [])];
  const parseStates = await Promise.all(parseIds.map((id) => stateOf(parser, id)));
  const indexStates = await Promise.all(
    indexJobIds(page).map((id) => stateOf(deps.queues.get('indexer'), id)),
  );
  if ([...parseStates, ...indexStates].some((s) => LIVE.has(s))) return 'live';
  if (indexStates.includes('completed')) {
    if (!opts.dryRun) await setParseOutcome(deps.db, [page.id], 'article');
    return 'indexed';
  }
  const failedParse = parseIds.find((_, i) => parseStates[i] === 'failed');
  if (indexStates.includes('failed') || failedParse) {
    const code = failedParse ? await failedCode(parser, failedParse) : undefined;
    if (!opts.dryRun)
      await setParseOutcome(deps.db, [page.id], code === 'no_article' ? 'no_article' : 'failed');
    return 'failed';
  }
  if (opts.dryRun) return 'requeued';
  const jobId = `${parseJobId(page.id)}-r${Date.now().toString(36)}`;
  if (!(await claimParseJob(deps.db, page.id, page.parse_job_id, jobId))) return 'live';
  await deps.queues.enqueue('parse-page', { page: pageRefOf(page, opts.charsetOverride ?? null) }, { jobId });
  return 'requeued';
}

export interface PageReconcileResult {
  /** Stored pages without an outcome older than the grace period (latest version of each URL). */
  candidates: number;
  live: number;
  indexed: number;
  failed: number;
  requeued: number;
}

export interface PageReconcileOptions {
  /** Pages stored more recently than this are left alone: their jobs may be on their way. */
  graceMs: number;
  dryRun?: boolean;
  batchSize?: number;
  now?: Date;
  onStart?: (candidates: number) => void;
  onProgress?: (done: number) => void;
}

/** Finds every stored page never parsed (older than the grace period) and settles it. */
export async function reconcilePages(
  deps: PageDeps,
  opts: PageReconcileOptions,
): Promise<PageReconcileResult> {
  const before = new Date((opts.now ?? new Date()).getTime() - opts.graceMs);
  const candidates = await countUnparsedPages(deps.db, before);
  const result: PageReconcileResult = { candidates, live: 0, indexed: 0, failed: 0, requeued: 0 };
  if (candidates === 0) return result;
  opts.onStart?.(candidates);
  const charsets = await sourceCharsetOverrides(deps.db);
  let afterId = 0;
  for (;;) {
    const pages = await unparsedPagesBatch(deps.db, before, afterId, opts.batchSize ?? 200);
    if (pages.length === 0) break;
    afterId = pages[pages.length - 1]!.id;
    for (const page of pages) {
      const charset = page.source_id ? charsets.get(page.source_id) : undefined;
      const fate = await settleUnparsedPage(deps, page, {
        charsetOverride: charset ?? null,
        dryRun: opts.dryRun,
      });
      result[fate]++;
    }
    opts.onProgress?.(pages.length);
  }
  return result;
}
