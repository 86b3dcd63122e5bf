import { gunzipSync } from 'node:zlib';
import {
  closeServiceDeps,
  createServiceDeps,
  type Config,
  pagesRepo,
  type PageRef,
  type ServiceDeps,
  type StartedWorker,
  startQueueWorker,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { startCrawl } from '../src/jobs/crawl-source.job';
import { validateSources, type SourceInput } from '../src/sources/source-config';
import { syncSources } from '../src/sources/sync';
import { crawlerHandlers } from '../src/worker';
import { createCrawlerRuntime, type CrawlerRuntime } from '../src/runtime';

/**
 * One crawler installation for a test: its own queue prefix, the file's test database, and N
 * crawler workers (each with its own deps, HTTP client and robots cache, as separate processes
 * would have).
 */
export interface Harness {
  config: Config;
  deps: ServiceDeps;
  workers: StartedWorker[];
  addSource(s: Partial<SourceInput> & { id: string; startUrls: SourceInput['startUrls'] }): Promise<void>;
  crawl(sourceId: string, timeoutMs?: number): Promise<string>;
  fetchLog(crawlId?: string): Promise<
    Array<{
      url: string;
      outcome: string;
      status: number | null;
      error: string | null;
      final_url: string | null;
    }>
  >;
  parseJobs(): Promise<PageRef[]>;
  /** The raw bytes and headers a queued parse job refers to, as stored in `pages`. */
  stored(page: PageRef): Promise<pagesRepo.StoredPageBody>;
  stop(): Promise<void>;
}

export async function startHarness(
  tdb: TestDatabase,
  env: Partial<Record<keyof Config, string>> = {},
  opts: { workers?: number; concurrency?: number } = {},
): Promise<Harness> {
  const config = testConfig({
    DATABASE_URL: tdb.url,
    CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    CRAWLER_DEFAULT_MIN_INTERVAL_MS: '0',
    CRAWLER_DEFAULT_MAX_IN_FLIGHT: '4',
    JOB_ATTEMPTS: '3',
    ...env,
  });
  const deps = createServiceDeps('crawler-test', config);
  const workerDeps: ServiceDeps[] = [];
  const runtimes: CrawlerRuntime[] = [];
  const workers: StartedWorker[] = [];
  for (let i = 0; i < (opts.workers ?? 1); i++) {
    const d = createServiceDeps(`crawler-test-${i}`, config);
    const rt = createCrawlerRuntime(d);
    workerDeps.push(d);
    runtimes.push(rt);
    workers.push(startQueueWorker('crawler', d, crawlerHandlers(d, rt), opts.concurrency ?? 4));
  }
  const sources = new Map<string, SourceInput>();
  return {
    config,
    deps,
    workers,
    async addSource(s) {
      sources.set(s.id, { name: s.id, ...s } as SourceInput);
      await syncSources(deps.db, validateSources({ sources: [...sources.values()] }));
    },
    async crawl(sourceId, timeoutMs = 30_000) {
      const { crawlId } = await startCrawl(deps, sourceId, 'manual');
      await waitFor(
        async () => {
          const row = await deps.db
            .selectFrom('crawls')
            .select('status')
            .where('id', '=', crawlId)
            .executeTakeFirst();
          return row?.status === 'done';
        },
        { timeoutMs, what: `crawl ${crawlId} to finish` },
      );
      return crawlId;
    },
    async fetchLog(crawlId) {
      let q = deps.db
        .selectFrom('fetch_log')
        .select(['url', 'outcome', 'status', 'error', 'final_url'])
        .orderBy('id');
      if (crawlId) q = q.where('crawl_id', '=', crawlId);
      return q.execute();
    },
    async parseJobs() {
      const jobs = await deps.queues.get('parser').getJobs(['waiting', 'delayed', 'prioritized']);
      return jobs.map((j) => (j.data as { page: PageRef }).page);
    },
    async stored(page) {
      return pagesRepo.loadPageBody(deps.db, page, config.FETCH_MAX_BYTES);
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(runtimes.map((r) => r.gate.close()));
      await Promise.all(runtimes.map((r) => r.http.close()));
      await Promise.all(workerDeps.map((d) => closeServiceDeps(d)));
      await closeServiceDeps(deps);
      await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
    },
  };
}

export function gunzip(b: Buffer): Buffer {
  return gunzipSync(b);
}

export { createTestDatabase, waitFor };
