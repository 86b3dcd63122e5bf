import { UsageError } from '@govwire/shared';
import type { OpsContext } from '../context';
import {
  countGoneUrls,
  insertAudit,
  listGoneUrls,
  reviveUrls,
  type GoneUrl,
} from '../repositories/ops.repository';

export interface GoneResult {
  total: number;
  urls: GoneUrl[];
}

/** URLs the crawler no longer fetches: they failed permanently on CRAWLER_GONE_AFTER_CRAWLS crawls in a row. */
export async function goneCommand(
  ctx: OpsContext,
  opts: { sourceId?: string | undefined; limit: number },
): Promise<GoneResult> {
  const [total, urls] = await Promise.all([
    countGoneUrls(ctx.db, opts.sourceId),
    listGoneUrls(ctx.db, opts.sourceId, opts.limit),
  ]);
  return { total, urls };
}

export interface ReviveResult {
  revived: string[];
  /** Named URLs that were not marked gone. */
  notGone: string[];
  auditId?: number;
}

/** Clears the gone mark: the next crawl that finds the URL fetches it again. */
export async function reviveCommand(
  ctx: OpsContext,
  sel: { urls: string[]; sourceId?: string | undefined; all?: boolean | undefined },
): Promise<ReviveResult> {
  if (!sel.urls.length && !sel.sourceId && !sel.all)
    throw new UsageError('revive: say which URLs: give URLs, --source <source>, or --all');
  if (sel.urls.length && sel.all) throw new UsageError('revive: give URLs or --all, not both');
  const revived = await reviveUrls(ctx.db, { urls: sel.urls, sourceId: sel.sourceId });
  const notGone = sel.urls.filter((u) => !revived.includes(u));
  const result: ReviveResult = { revived, notGone };
  if (revived.length) {
    result.auditId = await insertAudit(ctx.db, {
      action: 'revive',
      actor: ctx.actor,
      selection: {
        ...(sel.urls.length ? { urls: sel.urls } : {}),
        ...(sel.sourceId ? { source: sel.sourceId } : {}),
        ...(sel.all ? { all: true } : {}),
        revived: revived.length,
      },
      count: revived.length,
    });
  }
  return result;
}
