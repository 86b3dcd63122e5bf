import { PermanentError, UsageError, type JobContext, type JobData, type ServiceDeps } from '@govwire/shared';
import {
  createCrawl,
  finishEmptyCrawl,
  findSource,
  listSourceIds,
  upsertSources,
} from '../repositories/crawler.repository';
import type { CrawlerDeps } from '../runtime';
import { loadSources } from '../sources/source-config';
import { normalizeUrl } from '../url/normalize';
import { crawlJobId, queueFetches } from './queue-fetches';

/** The crawlId a scheduler's job template carries; the handler replaces it with the run's own. */
export const SCHEDULED_CRAWL_ID = 'scheduled';

/**
 * A scheduled run's crawl id derives from its scheduled time (BullMQ scheduler job ids are
 * `repeat:<scheduler>:<millis>`), so a retried run keeps its id and its dedup keys.
 */
export function crawlIdFor(
  data: JobData<'crawl-source'>,
  job: { id?: string | undefined; timestamp: number },
): string {
  if (data.crawlId !== SCHEDULED_CRAWL_ID) return data.crawlId;
  const millis = /:(\d{10,})$/.exec(job.id ?? '')?.[1];
  return `${data.sourceId}:${new Date(millis ? Number(millis) : job.timestamp).toISOString()}`;
}

export function crawlSourceHandler(deps: CrawlerDeps) {
  return async (data: JobData<'crawl-source'>, ctx: JobContext) => {
    const stored = await findSource(deps.db, data.sourceId);
    if (!stored)
      throw new PermanentError('unknown_source', `source "${data.sourceId}" is not in the sources table`);
    if (data.trigger === 'schedule' && !stored.enabled) {
      ctx.log.warn({ sourceId: data.sourceId }, 'scheduled run of a disabled source ignored');
      return { skipped: 'disabled' };
    }
    const source = stored.config;
    const crawlId = crawlIdFor(data, ctx.job);
    await createCrawl(deps.db, { id: crawlId, sourceId: source.id, trigger: data.trigger });
    const { queued, overLimit } = await queueFetches(
      deps,
      source,
      crawlId,
      source.startUrls.map((s) => ({ url: normalizeUrl(s.url), kind: s.kind, depth: 0, referrer: null })),
    );
    if (queued === 0) await finishEmptyCrawl(deps.db, crawlId);
    ctx.log.info({ crawlId, queued, overLimit }, 'crawl started');
    return { crawlId, queued };
  };
}

/**
 * Starts one crawl of a source now (`pnpm ops crawl <source>`, the demo). Works for disabled
 * sources too: `enabled` governs the schedule only. A source missing from the table is looked up
 * in SOURCES_FILE and synced first, so a fresh installation can crawl before the scheduler ran.
 */
export async function startCrawl(
  deps: Pick<ServiceDeps, 'db' | 'queues' | 'config'>,
  sourceId: string,
  trigger: 'manual' | 'demo' | 'schedule' = 'manual',
): Promise<{ crawlId: string; jobId: string }> {
  let stored = await findSource(deps.db, sourceId);
  if (!stored) {
    let fromFile: ReturnType<typeof loadSources> = [];
    try {
      fromFile = loadSources(deps.config.SOURCES_FILE);
    } catch {
      // The file is the scheduler's to report on; here we only name the unknown source.
    }
    if (fromFile.some((s) => s.id === sourceId)) {
      await upsertSources(deps.db, fromFile);
      stored = await findSource(deps.db, sourceId);
    }
  }
  if (!stored) {
    const known = await listSourceIds(deps.db);
    throw new UsageError(
      `unknown source "${sourceId}"; known sources: ${known.length ? known.join(', ') : '(none: is SOURCES_FILE synced?)'}`,
    );
  }
  const crawlId = `${sourceId}:${new Date().toISOString()}`;
  const jobId = crawlJobId(crawlId);
  await deps.queues.enqueue('crawl-source', { sourceId, crawlId, trigger }, { jobId });
  return { crawlId, jobId };
}
