import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJobId, STALLED_REASON } from '@govwire/shared';
import type { TestDatabase } from '@govwire/shared/testing';
import { fetchJobId, queueFetches } from '../src/jobs/queue-fetches';
import { reconcileCrawls } from '../src/reconcile/crawls';
import { createCrawl } from '../src/repositories/crawler.repository';
import { validateSources } from '../src/sources/source-config';
import { createTestDatabase, startHarness, type Harness } from './harness';
import { articlePage, html, listPage, startSite, type Site } from './site';

// Lost work on the crawler's side, on the real Redis and PostgreSQL: parse jobs gone with a Redis
// that kept nothing, and fetch jobs that vanished or failed without the handler seeing it.
let tdb: TestDatabase;
let site: Site | undefined;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  await site?.close();
  site = undefined;
});
afterAll(async () => {
  await tdb.drop();
});

const para = (n: number) => [
  `柯桥区地区生产总值1901亿元，增长4.5%。这是第${n}篇。`,
  '农村居民人均可支配收入首破"五万元"。',
];

describe('a re-crawl of unchanged pages that were never parsed', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  it('queues their parse jobs again under fresh ids, and only while none is waiting', async () => {
    h = await startHarness(tdb);
    site = await startSite({
      '/': html(listPage('list', ['/art/etag.html', '/art/plain.html'])),
      // 304 on the second visit
      '/art/etag.html': (req, res) => {
        if (req.headers['if-none-match'] === '"e1"') return void res.writeHead(304, { etag: '"e1"' }).end();
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"e1"' })
          .end(articlePage('一', para(1)));
      },
      // the same bytes again (no validators)
      '/art/plain.html': html(articlePage('二', para(2))),
    });
    await h.addSource({ id: 'lost-parse', startUrls: [site.url('/')] });
    await h.crawl('lost-parse');
    const first = await h.parseJobs();
    expect(first).toHaveLength(2);

    // Redis restarts without persistence: every parse job is gone, the pages stay unparsed.
    await h.deps.queues.get('parser').obliterate({ force: true });
    const c2 = await h.crawl('lost-parse');
    const outcomes = (await h.fetchLog(c2)).filter((r) => r.url.includes('/art/'));
    expect(outcomes.map((r) => [r.outcome, r.status]).sort()).toEqual([
      ['unchanged', 200],
      ['unchanged', 304],
    ]);
    const jobs = await h.deps.queues.get('parser').getJobs(['waiting']);
    expect(jobs.map((j) => (j.data as { page: { pageId: number } }).page.pageId).sort()).toEqual(
      first.map((p) => p.pageId).sort(),
    );
    for (const j of jobs) {
      expect(j.id).not.toBe(parseJobId((j.data as { page: { pageId: number } }).page.pageId));
    }

    // A third crawl finds those jobs waiting: nothing more is queued.
    await h.crawl('lost-parse');
    expect(await h.parseJobs()).toHaveLength(2);
  });
});

describe('reconcileCrawls', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  async function claim(crawlId: string, paths: string[]) {
    const [source] = validateSources({
      sources: [{ id: 'rec', name: 'rec', startUrls: ['https://rec.gov.cn/'] }],
    });
    await h.addSource({ id: 'rec', startUrls: ['https://rec.gov.cn/'] });
    await createCrawl(h.deps.db, { id: crawlId, sourceId: 'rec', trigger: 'manual' });
    const urls = paths.map((p) => ({
      url: `https://rec.gov.cn${p}`,
      kind: 'article',
      depth: 0,
      referrer: null,
    }));
    await queueFetches(h.deps, source!, crawlId, urls);
    return urls.map((u) => u.url);
  }

  const crawlRow = (id: string) =>
    h.deps.db.selectFrom('crawls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const urlRows = (id: string) =>
    h.deps.db
      .selectFrom('crawl_urls')
      .select(['url', 'outcome', 'done_at'])
      .where('crawl_id', '=', id)
      .orderBy('url')
      .execute();

  it('ends a crawl whose jobs vanished or failed unseen, with true counts and replayable failures', async () => {
    h = await startHarness(tdb, {}, { workers: 0 });
    const crawlId = 'rec:2026-12-01T00:00:00.000Z';
    const [vanished, stalled, waiting] = await claim(crawlId, ['/a.html', '/b.html', '/c.html']);
    const queue = h.deps.queues.get('crawler');
    await (await queue.getJob(fetchJobId(crawlId, vanished!)))!.remove();
    // BullMQ fails the second one itself (stalled twice): no handler marks its URL.
    const dying = new Worker('crawler', null, {
      connection: h.deps.redis.duplicate(),
      prefix: h.config.QUEUE_PREFIX,
    });
    dying.on('error', () => undefined);
    for (;;) {
      const job = await dying.getNextJob('t');
      if (!job) continue;
      if (job.id === fetchJobId(crawlId, stalled!)) {
        await job.moveToFailed(new UnrecoverableError(STALLED_REASON), 't');
        break;
      }
      await job.moveToDelayed(Date.now() + 60_000, 't'); // the others stay alive
    }
    await dying.close();

    const first = await reconcileCrawls(h.deps, { graceMs: 0 });
    expect(first).toEqual({ running: 1, finished: 0, requeued: 1, failed: 1 });
    expect(await queue.getJobState(fetchJobId(crawlId, vanished!))).toBe('waiting');
    expect((await crawlRow(crawlId)).status).toBe('running');

    // The re-queued job vanishes again, and the last one completes without its URL marked (a
    // worker killed between the two): the crawl ends, every URL accounted for.
    await (await queue.getJob(fetchJobId(crawlId, vanished!)))!.remove();
    await (await queue.getJob(fetchJobId(crawlId, waiting!)))!.remove();
    await queue.add(
      'fetch-page',
      { sourceId: 'rec', crawlId, url: waiting, kind: 'article', depth: 0, referrer: null },
      {
        jobId: fetchJobId(crawlId, waiting!),
      },
    );
    const finisher = new Worker('crawler', async () => ({ outcome: 'unchanged', status: 304 }), {
      connection: h.deps.redis.duplicate(),
      prefix: h.config.QUEUE_PREFIX,
    });
    finisher.on('error', () => undefined);
    while ((await queue.getJobState(fetchJobId(crawlId, waiting!))) !== 'completed')
      await new Promise((r) => setTimeout(r, 20));
    await finisher.close();

    const second = await reconcileCrawls(h.deps, { graceMs: 0 });
    expect(second).toEqual({ running: 1, finished: 1, requeued: 0, failed: 1 });
    const crawl = await crawlRow(crawlId);
    expect(crawl).toMatchObject({ status: 'done', pages_queued: 3, pages_done: 3 });
    expect(crawl.error).toMatch(/URL\(s\) without a live job marked failed/);
    expect((await urlRows(crawlId)).map((u) => u.outcome)).toEqual(['failed', 'failed', 'unchanged']);
    const lost = await h.deps.db
      .selectFrom('failures')
      .selectAll()
      .where('job_id', '=', fetchJobId(crawlId, vanished!))
      .executeTakeFirstOrThrow();
    expect(lost).toMatchObject({ queue: 'crawler', error_code: 'lost', status: 'failed', url: vanished });
    expect(lost.payload).toMatchObject({ crawlId, url: vanished, kind: 'article' });
    const log = await h.fetchLog(crawlId);
    expect(
      log
        .filter((r) => r.outcome === 'failed')
        .map((r) => r.error?.slice(0, 8))
        .sort(),
    ).toEqual(['[lost] f', '[unseen]']);

    // Nothing left: a third sweep changes nothing.
    expect(await reconcileCrawls(h.deps, { graceMs: 0 })).toEqual({
      running: 0,
      finished: 0,
      requeued: 0,
      failed: 0,
    });
  });

  it('fails a crawl that never got a URL queued once its crawl-source job is gone', async () => {
    h = await startHarness(tdb, {}, { workers: 0 });
    await h.addSource({ id: 'rec', startUrls: ['https://rec.gov.cn/'] });
    const crawlId = 'rec:2026-12-02T00:00:00.000Z';
    await createCrawl(h.deps.db, { id: crawlId, sourceId: 'rec', trigger: 'manual' });
    expect(await reconcileCrawls(h.deps, { graceMs: 3_600_000 })).toMatchObject({ finished: 0 });
    expect(await reconcileCrawls(h.deps, { graceMs: 0 })).toMatchObject({ finished: 1 });
    expect(await crawlRow(crawlId)).toMatchObject({ status: 'failed', pages_done: 0 });
  });
});
