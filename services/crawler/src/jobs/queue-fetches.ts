import { sha1Hex, validatePayload, type JobInput } from '@govwire/shared';
import { claimUrls, type UrlToQueue } from '../repositories/crawler.repository';
import type { SourceConfig } from '../sources/source-config';
import type { CrawlerDeps } from '../runtime';

/** One job id per (crawl, normalized URL): BullMQ refuses a second job with the same id. */
export function fetchJobId(crawlId: string, url: string): string {
  return `fetch-${sha1Hex(`${crawlId}\n${url}`)}`;
}

export function crawlJobId(crawlId: string): string {
  return `crawl-${sha1Hex(crawlId)}`;
}

/**
 * Queues fetch-page jobs for URLs of a crawl: claimed in Postgres (unique per crawl, capped by
 * the source's pages-per-run) and added to the queue inside the same transaction, so a failure
 * between the two leaves neither and the retry claims them again.
 */
export async function queueFetches(
  deps: Pick<CrawlerDeps, 'db' | 'queues'>,
  source: SourceConfig,
  crawlId: string,
  urls: UrlToQueue[],
): Promise<{ queued: number; overLimit: number; claimed: Set<string> }> {
  if (urls.length === 0) return { queued: 0, overLimit: 0, claimed: new Set() };
  return deps.db.transaction().execute(async (tx) => {
    const { claimed, overLimit } = await claimUrls(tx, crawlId, urls, source.maxPagesPerRun);
    if (claimed.length) {
      const queue = deps.queues.get('crawler');
      await queue.addBulk(
        claimed.map((u) => {
          const input: JobInput<'fetch-page'> = {
            sourceId: source.id,
            crawlId,
            url: u.url,
            kind: u.kind as JobInput<'fetch-page'>['kind'],
            depth: u.depth,
            referrer: u.referrer,
            ...(u.request ? { request: u.request } : {}),
            ...(u.pager ? { pager: u.pager } : {}),
          };
          return {
            name: 'fetch-page',
            data: validatePayload('fetch-page', input),
            opts: { jobId: fetchJobId(crawlId, u.url) },
          };
        }),
      );
    }
    return { queued: claimed.length, overLimit, claimed: new Set(claimed.map((u) => u.url)) };
  });
}
