import { UsageError, pagesRepo, reparseJobId, storablePayload } from '@govwire/shared';
import type { OpsContext } from '../context';
import {
  countLatestPages,
  insertAudit,
  latestPagesBatch,
  type LatestPage,
  type PageFilter,
} from '../repositories/ops.repository';

export interface ReparseOptions extends PageFilter {
  /**
   * Names the run; job ids derive from it, so running again with the same id (after an interruption)
   * enqueues only what is missing. Defaults to the start time.
   */
  runId?: string | undefined;
  dryRun?: boolean | undefined;
  batchSize?: number | undefined;
  now?: Date | undefined;
}

export interface ReparseResult {
  runId: string;
  dryRun: boolean;
  pages: number;
  enqueued: number;
  /** Job ids already present (a resumed run). */
  alreadyQueued: number;
  auditId?: number;
}

export function reparseRunId(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

/**
 * Re-runs parse (and so index) over stored raw pages after a rules change: the latest stored version of
 * each URL matching the filters becomes a `parse-page` job. Older versions are left alone: indexing them
 * after the newest would only churn the article.
 */
export async function reparseCommand(ctx: OpsContext, opts: ReparseOptions = {}): Promise<ReparseResult> {
  const runId = opts.runId ?? reparseRunId(opts.now ?? new Date());
  if (!/^[A-Za-z0-9_-]+$/.test(runId)) throw new UsageError('--run-id: letters, digits, _ and - only');
  const filter: PageFilter = { sourceId: opts.sourceId, since: opts.since };
  const total = await countLatestPages(ctx.db, filter);
  const dryRun = Boolean(opts.dryRun);
  ctx.note(`${dryRun ? 'would reparse' : 'reparsing'} ${total} page${total === 1 ? '' : 's'} (run ${runId})`);
  const result: ReparseResult = { runId, dryRun, pages: total, enqueued: 0, alreadyQueued: 0 };
  if (dryRun || total === 0) {
    if (!dryRun) result.auditId = await audit(ctx, filter, result);
    return result;
  }
  const charsets = await pagesRepo.sourceCharsetOverrides(ctx.db);
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  ctx.progress.start(total, 'reparse');
  let afterId = 0;
  for (;;) {
    const pages = await latestPagesBatch(ctx.db, filter, afterId, batchSize);
    if (pages.length === 0) break;
    afterId = Number(pages[pages.length - 1]!.id);
    const queued = await enqueueBatch(ctx, runId, pages, charsets);
    result.enqueued += queued.length;
    result.alreadyQueued += pages.length - queued.length;
    // The reconcile sweep finds a page's live job by this id and does not queue it twice.
    await pagesRepo.setParseJobIds(ctx.db, queued);
    ctx.progress.tick(pages.length);
  }
  ctx.progress.stop();
  result.auditId = await audit(ctx, filter, result);
  return result;
}

/**
 * One batch of pages as parse jobs: which already exist (a resumed run) is asked concurrently, and
 * the rest are added in one `addBulk` (a round trip per batch, not per page).
 */
async function enqueueBatch(
  ctx: OpsContext,
  runId: string,
  pages: LatestPage[],
  charsets: Map<string, string>,
): Promise<Array<{ pageId: number; jobId: string }>> {
  const parser = ctx.queues.get('parser');
  const ids = pages.map((p) => reparseJobId(runId, Number(p.id)));
  // add() with an existing id is a no-op; checking first lets a resumed run report what it skipped.
  const existing = await Promise.all(ids.map((id) => parser.getJob(id)));
  const fresh = pages.flatMap((p, i) => (existing[i] ? [] : [{ p, jobId: ids[i]! }]));
  await parser.addBulk(
    fresh.map(({ p, jobId }) => {
      const page = pagesRepo.pageRefOf(p, (p.source_id && charsets.get(p.source_id)) || null);
      const data = storablePayload(
        'parse-page',
        { page, reparseRun: runId },
        ctx.config.JOB_MAX_PAYLOAD_BYTES,
      );
      return { name: 'parse-page', data, opts: { jobId } };
    }),
  );
  return fresh.map(({ p, jobId }) => ({ pageId: Number(p.id), jobId }));
}

async function audit(ctx: OpsContext, filter: PageFilter, r: ReparseResult): Promise<number> {
  return insertAudit(ctx.db, {
    action: 'reparse',
    actor: ctx.actor,
    selection: {
      ...(filter.sourceId ? { source: filter.sourceId } : {}),
      ...(filter.since ? { since: filter.since.toISOString() } : {}),
      runId: r.runId,
      result: { pages: r.pages, enqueued: r.enqueued, alreadyQueued: r.alreadyQueued },
    },
    count: r.enqueued,
  });
}
