import { reconcileCrawls, type CrawlReconcileResult } from '@govwire/crawler';
import {
  FailureOutbox,
  flushFailureOutbox,
  QUEUES,
  reconcilePages,
  syncFailedSet,
  type PageReconcileResult,
} from '@govwire/shared';
import type { OpsContext } from '../context';
import { insertAudit } from '../repositories/ops.repository';

export interface ReconcileResult {
  dryRun: boolean;
  graceS: number;
  failures: {
    /** Failures kept in the Redis outbox during an outage: written now (or waiting, on a dry run). */
    outbox: number;
    /** Jobs in BullMQ's failed sets that had no row in `failures`, recorded now. */
    recorded: number;
  };
  crawls: CrawlReconcileResult;
  pages: PageReconcileResult;
  auditId?: number;
}

/**
 * `pnpm ops reconcile`: what the scheduler's sweep does, at once and with progress. After Redis
 * lost data (no AOF, or AOF's last second) or jobs vanished, this heals the record: failures
 * reach `failures`, crawls end with true counts, stored pages never parsed are queued again.
 */
export async function reconcileCommand(
  ctx: OpsContext,
  opts: { dryRun?: boolean; graceMs?: number } = {},
): Promise<ReconcileResult> {
  const dryRun = Boolean(opts.dryRun);
  const graceMs = opts.graceMs ?? ctx.config.RECONCILE_GRACE_S * 1000;
  const failures = { outbox: 0, recorded: 0 };
  if (dryRun) failures.outbox = await new FailureOutbox(ctx.redis, ctx.config.QUEUE_PREFIX).size();
  else {
    failures.outbox = await flushFailureOutbox(ctx);
    for (const q of QUEUES) failures.recorded += await syncFailedSet(ctx, q);
  }
  const crawls = await reconcileCrawls(ctx, { graceMs, dryRun });
  const pages = await reconcilePages(ctx, {
    graceMs,
    dryRun,
    onStart: (n) => {
      ctx.note(`${n} stored page${n === 1 ? '' : 's'} without a parse outcome, older than the grace period`);
      ctx.progress.start(n, dryRun ? 'checking pages' : 'reconciling pages');
    },
    onProgress: (n) => ctx.progress.tick(n),
  });
  if (pages.candidates) ctx.progress.stop();
  const result: ReconcileResult = { dryRun, graceS: Math.round(graceMs / 1000), failures, crawls, pages };
  if (!dryRun) {
    result.auditId = await insertAudit(ctx.db, {
      action: 'reconcile',
      actor: ctx.actor,
      selection: { graceS: result.graceS, result: { failures, crawls, pages } },
      count: failures.outbox + failures.recorded + crawls.finished + crawls.requeued + pages.requeued,
    });
  }
  return result;
}

export function renderReconcile(r: ReconcileResult): string {
  const would = r.dryRun ? 'would be ' : '';
  const f = r.failures;
  const c = r.crawls;
  const p = r.pages;
  return [
    r.dryRun
      ? `failures: ${f.outbox} waiting in the outbox`
      : `failures: ${f.outbox} written from the outbox, ${f.recorded} failed job(s) recorded that were missing`,
    `crawls: ${c.running} running; ${c.finished} ${would}ended, ${c.requeued} URL(s) ${would}queued again, ${c.failed} URL(s) ${would}marked failed`,
    `pages: ${p.candidates} stored page(s) without a parse outcome (older than ${r.graceS} s): ${p.requeued} ${would}queued again, ${p.live} still queued, ${p.indexed} found indexed, ${p.failed} found failed`,
  ].join('\n');
}
