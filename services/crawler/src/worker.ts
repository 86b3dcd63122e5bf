import type { HandlerMap, ServiceDeps } from '@govwire/shared';
import { crawlSourceHandler } from './jobs/crawl-source.job';
import { fetchPageHandler } from './jobs/fetch-page.job';
import { createCrawlerRuntime, type CrawlerRuntime } from './runtime';

/**
 * The crawler queue's handler map. Given plain service deps it builds its own HTTP client,
 * politeness gate and robots cache; tests and the benchmark may pass their own.
 */
export function crawlerHandlers(deps: ServiceDeps, runtime?: Partial<CrawlerRuntime>): HandlerMap<'crawler'> {
  const full = { ...deps, ...createCrawlerRuntime(deps, runtime) };
  return {
    'crawl-source': crawlSourceHandler(full),
    'fetch-page': fetchPageHandler(full),
  };
}
