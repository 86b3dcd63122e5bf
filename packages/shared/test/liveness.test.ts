import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announceWorker,
  closeServiceDeps,
  createServiceDeps,
  govwireVersion,
  listWorkers,
  startQueueWorker,
  type HandlerMap,
  type ServiceDeps,
} from '../src';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '../src/testing';

// Workers announce themselves, vanish from the list when they stop or die, and a stopping worker
// hands jobs it cannot finish within the grace period back to the queue.
let tdb: TestDatabase;
let deps: ServiceDeps;
beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = createServiceDeps(
    'liveness-test',
    testConfig({ DATABASE_URL: tdb.url, WORKER_HEARTBEAT_MS: '100' }),
  );
});
afterAll(async () => {
  await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  await closeServiceDeps(deps);
  await tdb.drop();
});

const prefix = () => deps.config.QUEUE_PREFIX;

describe('worker announcements', () => {
  it('a started worker is listed with host, pid, concurrency and version, and unlisted when it stops', async () => {
    const handlers: HandlerMap<'indexer'> = { 'index-article': async () => 'ok' };
    const w = startQueueWorker('indexer', deps, handlers, 3);
    const [listed] = await waitFor(async () => {
      const ws = await listWorkers(deps.redis, prefix(), 'indexer');
      return ws.length ? ws : null;
    });
    expect(listed).toMatchObject({
      queue: 'indexer',
      host: hostname(),
      pid: process.pid,
      concurrency: 3,
      version: govwireVersion(),
    });
    expect(govwireVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await listWorkers(deps.redis, prefix(), 'parser')).toEqual([]);
    await w.stop();
    // Withdrawn at once, not after the heartbeat expires.
    expect(await listWorkers(deps.redis, prefix(), 'indexer')).toEqual([]);
  });

  it('a worker that dies without a word drops out after three missed beats', async () => {
    const own = new Redis(deps.config.REDIS_URL, { maxRetriesPerRequest: null });
    const beat = announceWorker(own, {
      prefix: prefix(),
      queue: 'parser',
      concurrency: 2,
      intervalMs: 100,
      onError: () => {},
    });
    await waitFor(async () => (await listWorkers(deps.redis, prefix(), 'parser')).length === 1);
    // Its connection is gone, as when the process is killed: no beat, no goodbye.
    own.disconnect();
    await waitFor(async () => (await listWorkers(deps.redis, prefix(), 'parser')).length === 0, {
      timeoutMs: 3_000,
      what: 'the dead worker to drop out',
    });
    expect(await deps.redis.smembers(`${prefix()}:workers:parser`)).toEqual([]);
    await beat.stop();
  });
});

describe('stopping within a grace period', () => {
  it('lets a quick job finish and hands a stuck one back to the queue without spending an attempt', async () => {
    const release: Array<() => void> = [];
    const handlers: HandlerMap<'crawler'> = {
      'crawl-source': async () => undefined,
      'fetch-page': async (d) => {
        if (d.url.includes('quick')) await new Promise((r) => setTimeout(r, 300));
        // The stuck one waits until the test ends.
        else await new Promise<void>((r) => release.push(r));
        return 'done';
      },
    };
    const w = startQueueWorker('crawler', deps, handlers, 2);
    const crawler = deps.queues.get('crawler');
    const page = (url: string) => ({ sourceId: 's', crawlId: 'c', url, kind: 'article' as const });
    await deps.queues.enqueue('fetch-page', page('http://a.test/quick'), { jobId: 'quick' });
    await deps.queues.enqueue('fetch-page', page('http://a.test/stuck'), { jobId: 'stuck' });
    await waitFor(async () => (await crawler.getActiveCount()) === 2, { what: 'both jobs active' });

    await w.stop(1_000);
    expect(await crawler.getJobState('quick')).toBe('completed');
    expect(await crawler.getJobState('stuck')).toBe('waiting');
    const stuck = (await crawler.getJob('stuck'))!;
    expect(stuck.attemptsMade).toBe(0);
    for (const r of release) r();
  });
});
