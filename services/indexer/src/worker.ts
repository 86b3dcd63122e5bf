import type { Config, HandlerMap, ServiceDeps } from '@govwire/shared';
import { ComparableCache } from './batch/comparable-cache';
import { indexArticleHandler } from './jobs/index-article.job';
import { loadDedupSettings, type DedupSettings } from './settings/dedup-settings';

/**
 * The indexer queue's handler map; dedup thresholds come from `data/dedup.yaml` unless given.
 * With `config`, jobs are indexed in batches and the size limits are the configured ones.
 */
export function indexerHandlers(
  deps: Pick<ServiceDeps, 'db'> & Partial<Pick<ServiceDeps, 'config' | 'logger'>>,
  settings: DedupSettings = loadDedupSettings(),
): HandlerMap<'indexer'> {
  const c = deps.config;
  return {
    'index-article': indexArticleHandler({
      db: deps.db,
      log: deps.logger,
      options: {
        thresholds: settings.thresholds,
        maxCandidates: settings.maxCandidates,
        guard: settings.guard,
        comparableCache: new ComparableCache(c && c.INDEXER_CACHE_MB * 1024 * 1024),
        limits: c && {
          maxTitleChars: c.INDEXER_MAX_TITLE_CHARS,
          maxTextChars: c.INDEXER_MAX_TEXT_CHARS,
          maxMetrics: c.INDEXER_MAX_METRICS,
        },
      },
      batch: c && { maxItems: c.INDEXER_BATCH_SIZE, maxWaitMs: c.INDEXER_BATCH_WAIT_MS },
    }),
  };
}

/**
 * Jobs one indexer process takes at once: enough for two batches, so one is gathered and
 * fingerprinted while the other holds the index lock (with one, the CPU and the database took
 * turns).
 */
export function indexerConcurrency(config: Config): number {
  const batches = config.INDEXER_BATCH_SIZE > 1 ? 2 * config.INDEXER_BATCH_SIZE : 0;
  return Math.max(1, config.INDEXER_CONCURRENCY, batches);
}
