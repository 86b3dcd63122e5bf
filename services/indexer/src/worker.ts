import type { HandlerMap, ServiceDeps } from '@govwire/shared';
import { indexArticleHandler } from './jobs/index-article.job';

/** The indexer queue's handler map. */
export function indexerHandlers(deps: Pick<ServiceDeps, 'db'>): HandlerMap<'indexer'> {
  return {
    'index-article': indexArticleHandler({ db: deps.db }),
  };
}
