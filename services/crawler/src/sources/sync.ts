import type { Db, Queues } from '@govwire/shared';
import { SCHEDULED_CRAWL_ID } from '../jobs/crawl-source.job';
import { upsertSources } from '../repositories/crawler.repository';
import type { SourceConfig } from './source-config';

/** Writes the file's sources into the `sources` table; sources gone from the file are disabled. */
export async function syncSources(db: Db, sources: SourceConfig[]): Promise<{ disabled: string[] }> {
  return db.transaction().execute((tx) => upsertSources(tx, sources));
}

const SCHEDULER_PREFIX = 'crawl-source-';

export function schedulerId(sourceId: string): string {
  return `${SCHEDULER_PREFIX}${sourceId}`;
}

export interface SchedulerSyncResult {
  upserted: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * One BullMQ job scheduler per enabled source with a schedule: created, changed and removed to
 * match the file. Each run enqueues `crawl-source` with trigger `schedule`.
 */
export async function syncSchedulers(queues: Queues, sources: SourceConfig[]): Promise<SchedulerSyncResult> {
  const queue = queues.get('crawler');
  const existing = new Map(
    (await queue.getJobSchedulers(0, -1))
      .filter((s) => s.key.startsWith(SCHEDULER_PREFIX))
      .map((s) => [s.key, s]),
  );
  const result: SchedulerSyncResult = { upserted: [], unchanged: [], removed: [] };
  const wanted = new Set<string>();
  for (const s of sources) {
    if (!s.enabled || !s.schedule) continue;
    const id = schedulerId(s.id);
    wanted.add(id);
    const cur = existing.get(id);
    if (cur && cur.pattern === s.schedule.cron && cur.tz === s.schedule.timezone) {
      result.unchanged.push(s.id);
      continue;
    }
    await queue.upsertJobScheduler(
      id,
      { pattern: s.schedule.cron, tz: s.schedule.timezone },
      { name: 'crawl-source', data: { sourceId: s.id, crawlId: SCHEDULED_CRAWL_ID, trigger: 'schedule' } },
    );
    result.upserted.push(s.id);
  }
  for (const id of existing.keys()) {
    if (wanted.has(id)) continue;
    await queue.removeJobScheduler(id);
    result.removed.push(id.slice(SCHEDULER_PREFIX.length));
  }
  return result;
}
