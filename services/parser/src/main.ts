import { closeServiceDeps, createServiceDeps, runUntilSignalled, startQueueWorker } from '@govwire/shared';
import { parserHandlers } from './worker';

const deps = createServiceDeps('parser');
const started = startQueueWorker('parser', deps, parserHandlers(deps), deps.config.PARSER_CONCURRENCY);
deps.logger.info({ concurrency: deps.config.PARSER_CONCURRENCY }, 'parser started');
runUntilSignalled('parser', deps.logger, async () => {
  await started.stop();
  await closeServiceDeps(deps);
});
