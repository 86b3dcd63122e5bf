import { UsageError } from '@govwire/shared';
import type { OpsContext } from '../context';

export interface CrawlResult {
  sourceId: string;
  crawlId: string;
  jobId: string;
}

/**
 * Queues a manual crawl through the crawler's own `startCrawl` (which knows sources, crawl ids and the
 * crawl-source job id). The crawler is imported when this command runs, not when the CLI starts, so the
 * other subcommands stay fast and work even where the crawler package does not load.
 */
export async function crawlCommand(ctx: OpsContext, sourceId: string): Promise<CrawlResult> {
  const id = sourceId.trim();
  if (!id) throw new UsageError('crawl: give a source id (see: pnpm ops status)');
  const { startCrawl } = await import('@govwire/crawler');
  const r = await startCrawl({ db: ctx.db, queues: ctx.queues, config: ctx.config }, id, 'manual');
  return { sourceId: id, ...r };
}
