import { loadConfig } from '@govwire/shared/config';
import { startParseThreads } from './parse-pool';

/*
 * The parse threads start first: loading the parser and building each thread's context runs while
 * this thread loads the queue and database libraries (the larger share of a cold start).
 */
const startedAt = performance.now();
const concurrency = loadConfig().PARSER_CONCURRENCY;
const threads = startParseThreads(concurrency);
const { closeServiceDeps, createServiceDeps, runUntilSignalled } = await import('@govwire/shared');
const { startParserWorker } = await import('./worker');
const deps = createServiceDeps('parser');
const started = await startParserWorker(deps, concurrency, threads);
deps.logger.info({ concurrency, readyMs: Math.round(performance.now() - startedAt) }, 'parser started');
runUntilSignalled('parser', deps.logger, async () => {
  await started.stop();
  await closeServiceDeps(deps);
});
