import { closeServiceDeps, createServiceDeps, loadConfig, runUntilSignalled } from '@govwire/shared';
import { startParseThreads } from './parse-pool';
import { startParserWorker } from './worker';

/*
 * Ready to take jobs as soon as the queue worker listens: the parse threads load the parser and
 * build their contexts in the background (about a second each), and a job arriving first waits
 * for a thread. The main thread itself never loads the parser.
 */
const startedAt = performance.now();
const concurrency = loadConfig().PARSER_CONCURRENCY;
const deps = createServiceDeps('parser');
const started = await startParserWorker(deps, concurrency, startParseThreads(concurrency));
// "started" means listening: the worker's own Redis connection is up.
await started.worker.waitUntilReady();
deps.logger.info({ concurrency, readyMs: Math.round(performance.now() - startedAt) }, 'parser started');
runUntilSignalled('parser', deps.logger, async () => {
  await started.stop();
  await closeServiceDeps(deps);
});
