// The crawler's public API. No side effects: importing this starts nothing.
export { crawlerHandlers } from './worker';
export { startCrawl, crawlIdFor, SCHEDULED_CRAWL_ID } from './jobs/crawl-source.job';
export { fetchJobId, crawlJobId } from './jobs/queue-fetches';
export {
  loadSources,
  parseSourcesYaml,
  validateSources,
  SourcesFileError,
  sourceConfigSchema,
} from './sources/source-config';
export type { SourceConfig } from './sources/source-config';
export { syncSources, syncSchedulers, schedulerId } from './sources/sync';
export { normalizeUrl, tryNormalizeUrl } from './url/normalize';
export { createCrawlerRuntime, type CrawlerRuntime, type CrawlerDeps } from './runtime';
export { HttpClient, httpClientOptions } from './fetch/http-client';
export { PolitenessGate } from './politeness/gate';
export { reconcileCrawls, type CrawlReconcileResult } from './reconcile/crawls';
export { startReconcileLoop } from './reconcile/loop';
