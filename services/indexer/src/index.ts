// The indexer's public API. No side effects: importing this starts nothing.
export { indexerConcurrency, indexerHandlers } from './worker';
export { indexArticleHandler } from './jobs/index-article.job';
export {
  indexArticle,
  indexArticles,
  lookupNearDuplicate,
  indexArticlesSettled,
  type NearMatch,
  type IndexItem,
  type IndexOptions,
  type IndexPage,
  type IndexResult,
} from './index-article';
export * as dedup from './dedup';
export { ComparableCache } from './batch/comparable-cache';
export { loadDedupSettings, DEFAULT_DEDUP_FILE, type DedupSettings } from './settings/dedup-settings';
