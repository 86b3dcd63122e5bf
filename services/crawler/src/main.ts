import { closeServiceDeps, createServiceDeps, runUntilSignalled, startQueueWorker } from '@govwire/shared';
import { createCrawlerRuntime } from './runtime';
import { crawlerHandlers } from './worker';

const deps = createServiceDeps('crawler');
const runtime = createCrawlerRuntime(deps);
const started = startQueueWorker(
  'crawler',
  deps,
  crawlerHandlers(deps, runtime),
  deps.config.CRAWLER_CONCURRENCY,
);
deps.logger.info(
  { concurrency: deps.config.CRAWLER_CONCURRENCY, prefix: deps.config.QUEUE_PREFIX },
  'crawler started',
);
runUntilSignalled('crawler', deps.logger, async () => {
  await started.stop();
  await runtime.gate.close();
  await runtime.http.close();
  await closeServiceDeps(deps);
});
