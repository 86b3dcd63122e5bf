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
 * The parse-page worker with its `threads` parse threads, taking jobs at once: the threads load the
 * parser in the background, and a job that comes first waits for a thread (as it would for a busy
 * one). Stopping it closes the queue worker, then the threads.
 *
 * It holds PARSER_JOBS_PER_THREAD jobs per thread: a job spends most of its time away from its
 * thread (loading the page from PostgreSQL, queueing the article, completing in Redis), and with a
 * job per thread the threads stood idle through those waits. In a 20k-page reparse on 2 cores,
 * 6 jobs per thread took 76.8 and 92.2 s, one per thread 98.6 and 101.0 s (alternating runs).
 */
export async function startParserWorker(
  deps: ServiceDeps,
  threads: number,
  pool: PageParser = startParseThreads(threads),
): Promise<StartedWorker> {
  const jobs = threads * Math.max(1, deps.config.PARSER_JOBS_PER_THREAD);
  const started = startQueueWorker('parser', deps, parserHandlers(deps, pool), jobs);
  return {
    ...started,
    async stop() {
      await started.stop();
      await pool.close();
    },
  };
}
