import { errorMessage, reconcilePages, type ServiceDeps } from '@govwire/shared';
import { reconcileCrawls } from './crawls';

export interface ReconcileLoop {
  stop(): Promise<void>;
}

/**
 * The scheduler's periodic sweep: crawls whose remaining URLs have no live job are settled and
 * ended, and stored pages never parsed (older than the grace period, no live job) are queued
 * again. Counts are logged whenever the sweep changed anything; an outage only postpones it.
 */
export function startReconcileLoop(
  deps: ServiceDeps,
  opts: { intervalMs: number; graceMs: number },
): ReconcileLoop {
  const log = deps.logger.child({ task: 'reconcile' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const sweep = async () => {
    try {
      const crawls = await reconcileCrawls(deps, { graceMs: opts.graceMs });
      const pages = await reconcilePages(deps, { graceMs: opts.graceMs });
      const changed =
        crawls.finished + crawls.requeued + crawls.failed + pages.requeued + pages.indexed + pages.failed;
      if (changed > 0) log.warn({ crawls, pages }, 'reconciled lost work');
      else log.debug({ crawls, pages }, 'nothing to reconcile');
    } catch (err) {
      log.warn({ error: errorMessage(err) }, 'reconcile sweep postponed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweep().finally(schedule);
    }, opts.intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
