import { pagesRepo, type HandlerMap, type ServiceDeps } from '@govwire/shared';
import { parsePageHandler } from './jobs/parse-page.job';
import { cachedSpamTerms } from './repositories/spam-terms.repository';
import { redisHostTermMemory } from './state/host-terms';

/** The parser queue's handler map. */
export function parserHandlers(
  deps: Pick<ServiceDeps, 'db' | 'redis' | 'queues' | 'config'>,
): HandlerMap<'parser'> {
  return {
    'parse-page': parsePageHandler({
      enqueue: deps.queues.enqueue,
      // Bounded by the fetch limit: a stored body can never legitimately inflate past it.
      loadPage: (ref) => pagesRepo.loadPageBody(deps.db, ref, deps.config.FETCH_MAX_BYTES),
      spamTerms: cachedSpamTerms(deps.db, 60_000),
      hostTerms: redisHostTermMemory(deps.redis, { prefix: deps.config.QUEUE_PREFIX }),
    }),
  };
}
