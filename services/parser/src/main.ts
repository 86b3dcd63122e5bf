import { closeServiceDeps, createServiceDeps, runUntilSignalled } from '@govwire/shared';
import { startParserWorker } from './worker';

const startedAt = performance.now();
const deps = createServiceDeps('parser');
const concurrency = deps.config.PARSER_CONCURRENCY;
const started = await startParserWorker(deps, concurrency);
deps.logger.info({ concurrency, readyMs: Math.round(performance.now() - startedAt) }, 'parser started');
runUntilSignalled('parser', deps.logger, async () => {
  await started.stop();
  await closeServiceDeps(deps);
});
