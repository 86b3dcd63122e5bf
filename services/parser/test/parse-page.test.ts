import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import {
  closeServiceDeps,
  createServiceDeps,
  pagesRepo,
  sha1Hex,
  sha256Hex,
  type PageRef,
  type ServiceDeps,
  type StartedWorker,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSpamTerm, redisHostTermMemory, startParserWorker } from '../src';

const CORPUS = fileURLToPath(new URL('./corpus/pages/', import.meta.url));

/** Stores a page the way the crawler does and returns the reference a parse job carries. */
async function stored(
  bytes: Uint8Array,
  url: string,
  contentType: string,
  bodyGzip: Buffer = gzipSync(bytes),
): Promise<PageRef> {
  const fetchedAt = new Date();
  const page = {
    url,
    finalUrl: url,
    sourceId: 'test-source',
    crawlId: 'test-source:2026-01-01T00:00:00Z',
    status: 200,
    contentHash: sha256Hex(bytes),
  };
  const pageId = await pagesRepo.savePage(deps.db, {
    ...page,
    headers: { 'content-type': contentType },
    bodyGzip,
    bytes: bytes.length,
    fetchedAt,
  });
  return { ...page, pageId, fetchedAt: fetchedAt.toISOString(), charsetOverride: null };
}

async function failedJob(jobId: string) {
  const parser = deps.queues.get('parser');
  await waitFor(async () => (await parser.getJob(jobId))?.isFailed(), { what: `failed job ${jobId}` });
  // Read again once failed: a job read before it failed keeps its old attempt count.
  return (await parser.getJob(jobId))!;
}

async function outcomeOf(pageId: number) {
  const row = await deps.db
    .selectFrom('pages')
    .select('parse_outcome')
    .where('id', '=', pageId)
    .executeTakeFirstOrThrow();
  return row.parse_outcome;
}

let tdb: TestDatabase;
let deps: ServiceDeps;
let worker: StartedWorker;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = createServiceDeps('parser', testConfig({ DATABASE_URL: tdb.url, JOB_ATTEMPTS: '3' }));
  // An operator adds a term no shipped list knows; the worker must pick it up from Postgres.
  await addSpamTerm(deps.db, '星辰會所', 'test', 'integration test');
  worker = await startParserWorker(deps, 2);
});

afterAll(async () => {
  await worker?.stop();
  if (deps) {
    await closeServiceDeps(deps);
    await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  }
  await tdb?.drop();
});

describe('parse-page job on real Redis and PostgreSQL', () => {
  it('parses a GBK district page into one index-article job with a deterministic id, once', async () => {
    // Seed 004 on the GBK district portal, with the operator's term injected the way the spam
    // family does it: inside a number.
    const html = iconv.decode(readFileSync(`${CORPUS}seed-004.district-portal.html`), 'gb18030');
    const bytes = iconv.encode(html.replace('40311元', '40星辰會所311元'), 'gb18030');
    const payload = await stored(bytes, 'http://portal.test/art/2024/6/12/art_1.html', 'text/html');
    const expectedId = `index:${payload.contentHash}:${sha1Hex(payload.finalUrl)}`;

    await deps.queues.enqueue('parse-page', { page: payload }, { jobId: 'parse-1' });
    const indexer = deps.queues.get('indexer');
    const job = await waitFor(async () => indexer.getJob(expectedId), { what: 'index-article job' });
    const data = job.data as {
      article: { text: string; title: string; removed: { spamTerms: string[] } };
      page: Record<string, unknown>;
    };
    expect(data.article.title).toBe('浙江共同富裕示范區建設穩步推進');
    expect(data.article.text).toContain('浙江農村居民人均可支配收入達40311元');
    expect(data.article.text).not.toContain('星辰會所');
    expect(data.article.removed.spamTerms).toContain('星辰會所');
    // The index job refers to the same stored page; the bytes travel in no job.
    expect(data.page).toEqual(payload);

    // A replay of the same page (another parse job) enqueues nothing new.
    await deps.queues.enqueue('parse-page', { page: payload }, { jobId: 'parse-1-replay' });
    const parser = deps.queues.get('parser');
    await waitFor(async () => (await parser.getJob('parse-1-replay'))?.finishedOn, {
      what: 'replay finished',
    });
    const counts = await indexer.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);

    // A reparse run (after a parser fix) must reach the indexer although the page's first index
    // job is still kept: its index job is the run's own, and a replay of it is again a no-op.
    for (const jobId of ['reparse-run7-1', 'reparse-run7-1-replay'])
      await deps.queues.enqueue('parse-page', { page: payload, reparseRun: 'run7' }, { jobId });
    const rerun = await waitFor(async () => indexer.getJob(`${expectedId}-run7`), {
      what: 'index-article job of the reparse run',
    });
    expect((rerun.data as { page: PageRef }).page).toEqual(payload);
    await waitFor(async () => (await parser.getJob('reparse-run7-1-replay'))?.finishedOn, {
      what: 'reparse replay finished',
    });
    const after = await indexer.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('fails a binary page permanently at the first attempt and records the failure', async () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const page = await stored(png, 'http://portal.test/logo.png', 'image/png');
    await deps.queues.enqueue('parse-page', { page }, { jobId: 'parse-png' });
    const job = await failedJob('parse-png');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/not_text/);
    const row = await waitFor(
      async () =>
        deps.db.selectFrom('failures').selectAll().where('job_id', '=', 'parse-png').executeTakeFirst(),
      { what: 'failure row' },
    );
    expect(row.error_code).toBe('not_text');
    expect(row.permanent).toBe(true);
    // The page is accounted for: failed, with the reason in `failures`.
    expect(await outcomeOf(page.pageId)).toBe('failed');
  });

  it('fails a gzip bomb permanently without inflating it past FETCH_MAX_BYTES', async () => {
    // 64 MiB of zeros gzip to about 64 KB; the limit in this test is 10 MiB (the default).
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const page = await stored(Buffer.from('bomb'), 'http://portal.test/bomb.html', 'text/html', bomb);
    await deps.queues.enqueue('parse-page', { page }, { jobId: 'parse-bomb' });
    const job = await failedJob('parse-bomb');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/too_large.*inflates past 10485760 bytes/);
  });

  it('fails permanently, saying so, when the page row a job refers to is gone', async () => {
    const page = await stored(Buffer.from('<p>gone</p>'), 'http://portal.test/gone.html', 'text/html');
    await deps.db.deleteFrom('pages').where('id', '=', page.pageId).execute();
    await deps.queues.enqueue('parse-page', { page }, { jobId: 'parse-gone' });
    const job = await failedJob('parse-gone');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/page_missing.*is not in the pages table/);
  });
});

describe('a hostile page on the real worker', () => {
  it('fails 200,000 nested <div>s once, permanently, as too_deep, and never runs the job twice', async () => {
    // The page of issue 11: 2.2 MB of nested divs, which once held a parser 25 s and ran twice.
    const html = `<html><body>${'<div>'.repeat(200_000)}<p>近日，柯桥区获评优秀等次。</p>${'</div>'.repeat(200_000)}</body></html>`;
    const stalled: string[] = [];
    worker.worker.on('stalled', (id) => stalled.push(id));
    const active: string[] = [];
    worker.worker.on('active', (job) => active.push(String(job.id)));
    const page = await stored(Buffer.from(html), 'http://portal.test/deep.html', 'text/html; charset=utf-8');
    await deps.queues.enqueue('parse-page', { page }, { jobId: 'parse-deep' });
    const job = await failedJob('parse-deep');
    expect(job.failedReason).toMatch(/nested deeper than/);
    expect(job.attemptsMade).toBe(1);
    const row = await waitFor(
      async () =>
        deps.db.selectFrom('failures').selectAll().where('job_id', '=', 'parse-deep').executeTakeFirst(),
      { what: 'failure row' },
    );
    expect(row.error_code).toBe('too_deep');
    expect(row.permanent).toBe(true);
    expect(active.filter((id) => id === 'parse-deep')).toHaveLength(1);
    expect(stalled).toEqual([]);
  });
});

describe('host term memory in Redis', () => {
  it('confirms a term after three distinct pages of one host, not on replays, and not for other hosts', async () => {
    const redis = new Redis(deps.config.REDIS_URL, { maxRetriesPerRequest: null });
    try {
      const mem = redisHostTermMemory(redis, { prefix: deps.config.QUEUE_PREFIX, cacheMs: 0 });
      await mem.record('spam.example', 'hash-a', ['瑜珈空間']);
      await mem.record('spam.example', 'hash-a', ['瑜珈空間']); // replay of the same page
      await mem.record('spam.example', 'hash-b', ['瑜珈空間']);
      expect(await mem.confirmed('spam.example')).toEqual([]);
      await mem.record('spam.example', 'hash-c', ['瑜珈空間', '其他詞']);
      expect(await mem.confirmed('spam.example')).toEqual(['瑜珈空間']);
      expect(await mem.confirmed('gov.example')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
