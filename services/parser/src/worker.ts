import {
  pagesRepo,
  startQueueWorker,
  type HandlerMap,
  type ServiceDeps,
  type StartedWorker,
} from '@govwire/shared';
import { parsePageHandler } from './jobs/parse-page.job';
import { startParseThreads, type PageParser } from './parse-pool';
import { cachedSpamTerms } from './repositories/spam-terms.repository';
import { redisHostTermMemory } from './state/host-terms';

/** The parser queue's handler map; `parser` runs the parse itself (a thread pool in the service). */
export function parserHandlers(
  deps: Pick<ServiceDeps, 'db' | 'redis' | 'queues' | 'config'>,
  parser: PageParser,
): HandlerMap<'parser'> {
  return {
    'parse-page': parsePageHandler({
      enqueue: deps.queues.enqueue,
      // Bounded by the fetch limit: a stored body can never legitimately inflate past it.
      loadPage: (ref) => pagesRepo.loadPageBody(deps.db, ref, deps.config.FETCH_MAX_BYTES),
      parse: (input) => parser.parse(input),
      spamTerms: cachedSpamTerms(deps.db, 60_000),
      hostTerms: redisHostTermMemory(deps.redis, { prefix: deps.config.QUEUE_PREFIX }),
    }),
  };
}

/**
 * The parse-page worker with its thread pool, taking jobs at once: the threads load the parser in
 * the background, and a job that comes first waits for a thread (as it would for a busy one).
 * Stopping it closes the queue worker, then the threads.
 */
export async function startParserWorker(
  deps: ServiceDeps,
  concurrency: number,
  pool: PageParser = startParseThreads(concurrency),
): Promise<StartedWorker> {
  const started = startQueueWorker('parser', deps, parserHandlers(deps, pool), concurrency);
  return {
    ...started,
    async stop() {
      await started.stop();
      await pool.close();
    },
  };
}
