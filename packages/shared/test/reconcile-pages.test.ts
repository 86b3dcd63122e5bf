import { gzipSync } from 'node:zlib';
import { Worker } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  indexJobId,
  pagesRepo,
  parseJobId,
  reconcilePages,
  reparseJobId,
  settleUnparsedPage,
  sha256Hex,
  type ServiceDeps,
} from '../src';
import { createTestDatabase, deleteQueuePrefix, testConfig, type TestDatabase } from '../src/testing';

// Stored pages whose jobs were lost are found by their missing outcome and queued again, exactly
// once, on the real Redis and PostgreSQL. No parser runs: the jobs it would take are inspected.
let tdb: TestDatabase;
let deps: ServiceDeps;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});
afterEach(async () => {
  await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  await closeServiceDeps(deps);
  await sql`truncate pages cascade`.execute(tdb.db);
});

const HOUR = 3_600_000;

async function storePage(url: string, body: string, ageMs: number): Promise<pagesRepo.UnparsedPage> {
  const bytes = Buffer.from(`<html><body><h1>${body}</h1></body></html>`);
  await pagesRepo.savePage(tdb.db, {
    url,
    finalUrl: url,
    sourceId: 'src',
    crawlId: 'src:1',
    status: 200,
    contentHash: sha256Hex(bytes),
    headers: { 'content-type': 'text/html; charset=utf-8' },
    bodyGzip: gzipSync(bytes),
    bytes: bytes.length,
    fetchedAt: new Date(Date.now() - ageMs),
  });
  return (await pagesRepo.findPageVersion(tdb.db, url, sha256Hex(bytes)))!;
}

const parseJobs = async () =>
  (await deps.queues.get('parser').getJobs(['waiting'])).map((j) => ({
    id: j.id!,
    pageId: (j.data as { page: { pageId: number } }).page.pageId,
  }));

/** Runs every waiting job of a queue to completion with a bare worker (the job ids stay in Redis). */
async function complete(queue: 'parser' | 'indexer'): Promise<void> {
  const w = new Worker(queue, async () => 'done', {
    connection: deps.redis.duplicate(),
    prefix: deps.config.QUEUE_PREFIX,
  });
  w.on('error', () => undefined);
  while (((await deps.queues.get(queue).getJobCounts('waiting', 'active')).waiting ?? 0) > 0) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await w.close();
}

describe('reconcilePages', () => {
  it('queues again, under a fresh id and only once, each latest page whose jobs are gone', async () => {
    deps = createServiceDeps('test', testConfig({ DATABASE_URL: tdb.url }));
    const lost = await storePage('https://a.gov.cn/lost', 'lost', 2 * HOUR);
    // Parsed once (its completed parse job is still kept in Redis), but its index job vanished.
    const kept = await storePage('https://a.gov.cn/kept', 'kept', 2 * HOUR);
    await deps.queues.enqueue(
      'parse-page',
      { page: pagesRepo.pageRefOf(kept, null) },
      { jobId: parseJobId(kept.id) },
    );
    await complete('parser');
    const waiting = await storePage('https://a.gov.cn/waiting', 'waiting', 2 * HOUR);
    await deps.queues.enqueue(
      'parse-page',
      { page: pagesRepo.pageRefOf(waiting, null) },
      { jobId: parseJobId(waiting.id) },
    );
    const young = await storePage('https://a.gov.cn/young', 'young', 60_000);
    const parsed = await storePage('https://a.gov.cn/parsed', 'parsed', 2 * HOUR);
    await pagesRepo.setParseOutcome(tdb.db, [parsed.id], 'article');
    await storePage('https://a.gov.cn/versions', 'old version', 3 * HOUR);
    const latest = await storePage('https://a.gov.cn/versions', 'new version', 2 * HOUR);

    const dry = await reconcilePages(deps, { graceMs: HOUR, dryRun: true });
    expect(dry).toEqual({ candidates: 4, live: 1, indexed: 0, failed: 0, requeued: 3 });
    expect((await parseJobs()).map((j) => j.pageId)).toEqual([waiting.id]);

    const r = await reconcilePages(deps, { graceMs: HOUR });
    expect(r).toEqual({ candidates: 4, live: 1, indexed: 0, failed: 0, requeued: 3 });
    const jobs = await parseJobs();
    expect(jobs.map((j) => j.pageId).sort()).toEqual([lost.id, kept.id, waiting.id, latest.id].sort());
    // Fresh ids: `parse-<id>` of the kept page is a completed job, and add() would have done nothing.
    const keptJob = jobs.find((j) => j.pageId === kept.id)!;
    expect(keptJob.id).not.toBe(parseJobId(kept.id));
    expect(jobs.every((j) => j.pageId !== young.id && j.pageId !== parsed.id)).toBe(true);

    // A second sweep finds the new jobs waiting: nothing is queued twice.
    expect(await reconcilePages(deps, { graceMs: HOUR })).toMatchObject({ live: 4, requeued: 0 });
    expect(await parseJobs()).toHaveLength(4);
  });

  it('records the outcome a finished index job left unwritten, instead of parsing again', async () => {
    deps = createServiceDeps('test', testConfig({ DATABASE_URL: tdb.url }));
    const page = await storePage('https://a.gov.cn/indexed', 'indexed', 2 * HOUR);
    const ref = pagesRepo.pageRefOf(page, null);
    const article = {
      title: '标题',
      publishedAt: null,
      source: null,
      language: 'zh-Hans' as const,
      text: '正文。',
      textSimplified: '正文。',
      paragraphs: [],
      removed: { boilerplate: [], spamLinks: [], spamTerms: [] },
      warnings: [],
      metrics: [],
    };
    await deps.queues.enqueue('index-article', { article, page: ref }, { jobId: indexJobId(ref) });
    expect(await settleUnparsedPage(deps, page)).toBe('live');
    await complete('indexer');
    expect(await settleUnparsedPage(deps, page)).toBe('indexed');
    const row = await tdb.db
      .selectFrom('pages')
      .select('parse_outcome')
      .where('id', '=', page.id)
      .executeTakeFirst();
    expect(row?.parse_outcome).toBe('article');
    expect(await parseJobs()).toHaveLength(0);
  });

  it("finds a reparse run's own index job by the page's parse job id", async () => {
    deps = createServiceDeps('test', testConfig({ DATABASE_URL: tdb.url }));
    const stored = await storePage('https://a.gov.cn/reparsed', 'reparsed', 2 * HOUR);
    await pagesRepo.setParseJobIds(tdb.db, [{ pageId: stored.id, jobId: reparseJobId('run9', stored.id) }]);
    const page = (await pagesRepo.findPageVersion(tdb.db, stored.url, stored.content_hash))!;
    const ref = pagesRepo.pageRefOf(page, null);
    const article = {
      ...{ title: '标题', publishedAt: null, source: null, language: 'zh-Hans' as const },
      ...{ text: '正文。', textSimplified: '正文。', paragraphs: [], warnings: [], metrics: [] },
      removed: { boilerplate: [], spamLinks: [], spamTerms: [] },
    };
    // The run's index job waits (its parse job is done and gone): the page is not parsed again.
    await deps.queues.enqueue('index-article', { article, page: ref }, { jobId: indexJobId(ref, 'run9') });
    expect(await settleUnparsedPage(deps, page)).toBe('live');
    await complete('indexer');
    expect(await settleUnparsedPage(deps, page)).toBe('indexed');
    expect(await parseJobs()).toHaveLength(0);
  });
});
