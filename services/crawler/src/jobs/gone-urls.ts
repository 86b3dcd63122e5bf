import { GovwireError, errorCode, type JobContext, type JobData } from '@govwire/shared';
import {
  finishCrawlIfDone,
  getUrlState,
  logFetch,
  markUrlDone,
  type UrlState,
} from '../repositories/crawler.repository';
import { clearFailedCrawls, countFailedCrawl } from '../repositories/gone.repository';
import type { CrawlerDeps } from '../runtime';
import { normalizeUrl } from '../url/normalize';
import type { FetchOutcome } from './fetch-page.job';

/** A permanent HTTP answer about the page itself: 404, 410, 403… (408 and 429 are never permanent). */
function isPageGoneError(err: unknown): string | null {
  if (!(err instanceof GovwireError) || err.retryable) return null;
  const code = errorCode(err);
  return /^http_4\d\d$/.test(code) ? code : null;
}

/**
 * Nutch-style gone URLs around `fetch-page`: an article URL whose fetch failed permanently on
 * CRAWLER_GONE_AFTER_CRAWLS crawls in a row is marked gone in `url_state` and skipped from then on
 * (logged `skipped [gone]`), until `pnpm ops revive` clears it. A good fetch resets the count.
 * List pages are never marked: a source whose start page fails should stay loud.
 */
/** `state`: the URL's url_state row as read before (null: none), undefined when not read yet. */
type FetchPage = (
  data: JobData<'fetch-page'>,
  ctx: JobContext,
  state?: UrlState | null,
) => Promise<FetchOutcome>;
type FetchJob = (data: JobData<'fetch-page'>, ctx: JobContext) => Promise<FetchOutcome>;

export function skipGoneUrls(deps: Pick<CrawlerDeps, 'db' | 'config'>, fetchPage: FetchPage): FetchJob {
  return async (data, ctx) => {
    if (data.kind !== 'article' || deps.config.CRAWLER_GONE_AFTER_CRAWLS === 0) return fetchPage(data, ctx);
    const url = normalizeUrl(data.url);
    // One read serves both this check and the fetch's conditional GET.
    const state = (await getUrlState(deps.db, url)) ?? null;
    const since = state?.gone_at ? new Date(state.gone_at) : null;
    if (since) {
      const reason = `[gone] ${url} failed permanently on ${deps.config.CRAWLER_GONE_AFTER_CRAWLS} crawls in a row; marked gone ${since.toISOString()} (pnpm ops revive)`;
      ctx.log.info({ goneSince: since }, 'gone URL not fetched');
      await logFetch(deps.db, {
        crawl_id: data.crawlId,
        source_id: data.sourceId,
        url,
        final_url: null,
        status: null,
        bytes: null,
        ms: null,
        outcome: 'skipped',
        error: reason,
      });
      await markUrlDone(deps.db, data.crawlId, url, 'skipped');
      await finishCrawlIfDone(deps.db, data.crawlId);
      return { outcome: 'skipped', reason };
    }
    try {
      const outcome = await fetchPage(data, ctx, state);
      // Only a URL that failed before has a run of failures to end (most never did).
      if (outcome.outcome !== 'skipped' && (state?.failed_crawls ?? 0) > 0)
        await clearFailedCrawls(deps.db, url);
      return outcome;
    } catch (err) {
      const reason = isPageGoneError(err);
      if (reason) {
        const r = await countFailedCrawl(deps.db, {
          url,
          sourceId: data.sourceId,
          crawlId: data.crawlId,
          reason,
          goneAfter: deps.config.CRAWLER_GONE_AFTER_CRAWLS,
        });
        if (r.gone) ctx.log.warn({ failedCrawls: r.failedCrawls, reason }, 'URL marked gone');
      }
      throw err;
    }
  };
}
