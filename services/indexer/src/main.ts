import { closeServiceDeps, createServiceDeps, runUntilSignalled, startQueueWorker } from '@govwire/shared';
import { indexerConcurrency, indexerHandlers } from './worker';

const deps = createServiceDeps('indexer');
const concurrency = indexerConcurrency(deps.config);
const started = startQueueWorker('indexer', deps, indexerHandlers(deps), concurrency);
deps.logger.info({ concurrency, batch: deps.config.INDEXER_BATCH_SIZE }, 'indexer started');
runUntilSignalled('indexer', deps.logger, async () => {
  await started.stop();
  await closeServiceDeps(deps);
});
