import { watch } from 'node:fs';
import path from 'node:path';
import {
  closeServiceDeps,
  createServiceDeps,
  errorMessage,
  QUEUES,
  runUntilSignalled,
  startFailureKeeper,
} from '@govwire/shared';
import { startReconcileLoop } from './reconcile/loop';
import { loadSources, resolveSourcesFile } from './sources/source-config';
import { syncSchedulers, syncSources } from './sources/sync';

/**
 * The scheduler: loads SOURCES_FILE, syncs the `sources` table and one BullMQ job scheduler per
 * enabled source, and syncs again whenever the file changes. A bad file is reported and the
 * last good schedules stay in place. Every RECONCILE_INTERVAL_S it also heals lost work: crawls
 * whose URLs have no live job, stored pages never parsed, failures not yet in `failures`.
 */
const deps = createServiceDeps('scheduler');
const file = resolveSourcesFile(deps.config.SOURCES_FILE);
const log = deps.logger.child({ file });

let running: Promise<boolean> = Promise.resolve(true);
function sync(reason: string): Promise<boolean> {
  running = running.then(async () => {
    try {
      const sources = loadSources(file);
      const { disabled } = await syncSources(deps.db, sources);
      const schedulers = await syncSchedulers(deps.queues, sources);
      log.info({ reason, sources: sources.length, disabled, ...schedulers }, 'sources synced');
      return true;
    } catch (err) {
      log.error({ reason, error: errorMessage(err) }, 'sources not synced; previous schedules kept');
      return false;
    }
  });
  return running;
}

// A file that cannot be read at start leaves nothing to schedule: exit so the supervisor says so.
if (!(await sync('start'))) {
  await closeServiceDeps(deps);
  process.exit(1);
}
// Editors replace files rather than write them: watch the directory and debounce.
let timer: NodeJS.Timeout | undefined;
const watcher = watch(path.dirname(file), (_event, name) => {
  if (name && path.basename(String(name)) !== path.basename(file)) return;
  clearTimeout(timer);
  timer = setTimeout(() => void sync('file changed'), 300);
});
const everyMs = Math.max(1, deps.config.RECONCILE_INTERVAL_S) * 1000;
const reconcile = startReconcileLoop(deps, {
  intervalMs: everyMs,
  graceMs: deps.config.RECONCILE_GRACE_S * 1000,
});
// A safety net for every queue, should a queue's own workers not be running.
const failures = startFailureKeeper(deps, [...QUEUES], { syncEveryMs: everyMs });
runUntilSignalled('scheduler', deps.logger, async () => {
  watcher.close();
  clearTimeout(timer);
  await running;
  await reconcile.stop();
  await failures.stop();
  await closeServiceDeps(deps);
});
