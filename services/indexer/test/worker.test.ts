import { gzipSync } from 'node:zlib';
import {
  closeServiceDeps,
  createServiceDeps,
  pagesRepo,
  startQueueWorker,
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
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexerHandlers } from '../src';
import { seedArticle, seedArticles, seedPage, SEED_FILES } from './fixtures/seed-articles';
import { snapshot } from './helpers';

/** The index-article job through real BullMQ queues on Redis, into a real database. */
let tdb: TestDatabase;
let deps: ServiceDeps;
let started: StartedWorker;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = createServiceDeps('indexer', testConfig({ DATABASE_URL: tdb.url, JOB_ATTEMPTS: '2' }));
  started = startQueueWorker('indexer', deps, indexerHandlers(deps), 4);
});
afterAll(async () => {
  await started?.stop();
  if (deps) {
    await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
    await closeServiceDeps(deps);
  }
  await tdb?.drop();
});

/** A seed's page as the crawler would have stored it: index jobs refer to a real `pages` row. */
async function storedPage(file: string, finalUrl?: string) {
  const page = { ...seedPage(file), ...(finalUrl ? { url: finalUrl, finalUrl } : {}) };
  const pageId = await pagesRepo.savePage(tdb.db, {
    ...page,
    headers: {},
    bodyGzip: gzipSync(Buffer.from(file)),
    bytes: file.length,
    fetchedAt: new Date(page.fetchedAt),
  });
  return { ...page, pageId };
}

async function parseOutcomes(pageIds: number[]) {
  const rows = await tdb.db
    .selectFrom('pages')
    .select(['id', 'parse_outcome'])
    .where('id', 'in', pageIds)
    .execute();
  return new Set(rows.map((r) => r.parse_outcome));
}

async function runJobs(
  jobs: { article: ReturnType<typeof seedArticle>; page: Awaited<ReturnType<typeof storedPage>> }[],
) {
  const added = await Promise.all(jobs.map((j) => deps.queues.enqueue('index-article', j)));
  const queue = deps.queues.get('indexer');
  await waitFor(
    async () => {
      const states = await Promise.all(added.map(async (j) => (await queue.getJob(j.id!))?.getState()));
      return states.every((s) => s === 'completed' || s === 'failed');
    },
    { what: 'index jobs to finish' },
  );
  return Promise.all(added.map(async (j) => queue.getJob(j.id!)));
}

describe('index-article on the indexer queue', () => {
  it('indexes the seeds (each enqueued twice, four at a time) into four articles, and a replay changes nothing', async () => {
    const seeds = await Promise.all(
      seedArticles().map(async ({ file, article }) => ({ article, page: await storedPage(file) })),
    );
    const first = await runJobs([...seeds, ...seeds]);
    expect(first.map((j) => j?.failedReason).filter(Boolean)).toEqual([]);
    // Every stored page is accounted for: the reconcile sweep will not re-queue them.
    expect(await parseOutcomes(seeds.map((s) => s.page.pageId))).toEqual(new Set(['article']));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from curated.articles`.execute(
      tdb.db,
    );
    expect(rows[0]!.n).toBe(4);
    const gdp =
      await sql`select * from curated.indicator_values where region = '柯桥区' and indicator = 'gdp' and period = '2022'`.execute(
        tdb.db,
      );
    expect(gdp.rows).toHaveLength(1);
    const keqiao = await sql<{
      urls: string[];
    }>`select urls from curated.articles where body like '%1901亿元%'`.execute(tdb.db);
    expect(keqiao.rows[0]!.urls.sort()).toEqual(
      [seedPage(SEED_FILES[0]).finalUrl, seedPage(SEED_FILES[1]).finalUrl].sort(),
    );

    const before = await snapshot(tdb.db);
    const replay = await runJobs(seeds);
    expect(replay.map((j) => (j?.returnvalue as { match: string }).match)).toEqual([
      'exact',
      'exact',
      'exact',
      'exact',
      'exact',
    ]);
    expect(await snapshot(tdb.db)).toEqual(before);
  });

  it('fails an article without text at once and records it for operators', async () => {
    const empty = {
      ...seedArticle(SEED_FILES[2]),
      text: '',
      textSimplified: '  ',
      paragraphs: [],
      metrics: [],
    };
    const [job] = await runJobs([
      { article: empty, page: await storedPage(SEED_FILES[2], 'https://empty.example/') },
    ]);
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(1);
    const failure = await tdb.db
      .selectFrom('failures')
      .selectAll()
      .where('job_id', '=', job!.id!)
      .executeTakeFirstOrThrow();
    expect(failure).toMatchObject({ queue: 'indexer', error_code: 'empty_article', permanent: true });
    const pageId = (job!.data as { page: { pageId: number } }).page.pageId;
    expect(await parseOutcomes([pageId])).toEqual(new Set(['failed']));
  });

  it('jobs taken together still end apart: an oversized article fails alone, the others complete', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const oversized = { ...seedArticle(SEED_FILES[3]), text: big, textSimplified: big, paragraphs: [] };
    const jobs = await runJobs([
      {
        article: seedArticle(SEED_FILES[0]),
        page: await storedPage(SEED_FILES[0], 'https://batch.example/0'),
      },
      { article: oversized, page: await storedPage(SEED_FILES[3], 'https://batch.example/big') },
      {
        article: seedArticle(SEED_FILES[4]),
        page: await storedPage(SEED_FILES[4], 'https://batch.example/4'),
      },
    ]);
    expect(await Promise.all(jobs.map((j) => j!.getState()))).toEqual(['completed', 'failed', 'completed']);
    expect(jobs[1]!.attemptsMade).toBe(1);
    expect(jobs[1]!.failedReason).toBe(
      '[article_too_large] article from https://batch.example/big has 5242880 characters of text, over the limit of 500000',
    );
    const failure = await tdb.db
      .selectFrom('failures')
      .selectAll()
      .where('job_id', '=', jobs[1]!.id!)
      .executeTakeFirstOrThrow();
    expect(failure).toMatchObject({ queue: 'indexer', error_code: 'article_too_large', permanent: true });
  });
});
