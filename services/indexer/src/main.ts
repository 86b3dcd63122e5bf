import { closeServiceDeps, createServiceDeps, runUntilSignalled, startQueueWorker } from '@govwire/shared';
import { indexerHandlers } from './worker';

const deps = createServiceDeps('indexer');
const started = startQueueWorker('indexer', deps, indexerHandlers(deps), deps.config.INDEXER_CONCURRENCY);
deps.logger.info({ concurrency: deps.config.INDEXER_CONCURRENCY }, 'indexer started');
runUntilSignalled('indexer', deps.logger, async () => {
  await started.stop();
  await closeServiceDeps(deps);
});
