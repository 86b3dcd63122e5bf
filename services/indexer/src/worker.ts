import type { HandlerMap, ServiceDeps } from '@govwire/shared';
import { indexArticleHandler } from './jobs/index-article.job';
import { loadDedupSettings, type DedupSettings } from './settings/dedup-settings';

/** The indexer queue's handler map; dedup thresholds come from `data/dedup.yaml` unless given. */
export function indexerHandlers(
  deps: Pick<ServiceDeps, 'db'>,
  settings: DedupSettings = loadDedupSettings(),
): HandlerMap<'indexer'> {
  return {
    'index-article': indexArticleHandler({
      db: deps.db,
      options: { thresholds: settings.thresholds, maxCandidates: settings.maxCandidates },
    }),
  };
}
