import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrawl, syncSources, type SourceConfig } from '@govwire/crawler';
import { closeServiceDeps, createServiceDeps, type ServiceDeps, type StartedWorker } from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  type TestDatabase,
} from '@govwire/shared/testing';
import { startMirrorSite, type MirrorSite } from '../src/demo/mirror';
import { buildDemoSite } from '../src/demo/site';
import { startPipelineWorkers, waitUntilDrained } from '../src/pipeline';

// End to end: a local site serving the seed documents in five templates → crawl → parse → index →
// rows in the curated views, through the real Redis queues and a fresh PostgreSQL database.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let tdb: TestDatabase;
let site: MirrorSite;
let deps: ServiceDeps;
let workers: StartedWorker[] = [];

async function crawlOnce(): Promise<string> {
  const { crawlId } = await startCrawl(deps, 'e2e-mirror', 'manual');
  await waitUntilDrained(deps, { timeoutMs: 90_000 });
  return crawlId;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  site = await startMirrorSite(await buildDemoSite(root), 0);
  const host = new URL(site.baseUrl).host;
  deps = createServiceDeps(
    'e2e',
    testConfig({ DATABASE_URL: tdb.url, CRAWLER_ALLOWED_PRIVATE_HOSTS: host, JOB_ATTEMPTS: '2' }),
  );
  const source = {
    id: 'e2e-mirror',
    name: 'end-to-end mirror',
    enabled: true,
    startUrls: [{ url: `${site.baseUrl}/`, kind: 'list' }],
    links: { allow: [], deny: [] },
    pagination: { maxPages: 1 },
    politeness: { minIntervalMs: 0, maxInFlight: 4 },
    maxPagesPerRun: 50,
  } as SourceConfig;
  await syncSources(deps.db, [source]);
  workers = await startPipelineWorkers(deps, ['crawler', 'parser', 'indexer']);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  await closeServiceDeps(deps);
  await site.close();
  await tdb.drop();
});

describe('crawl → parse → index through real queues', () => {
  it('stores one article per seed story, merging the English copy and the second URL', async () => {
    const crawlId = await crawlOnce();

    const fetched = await tdb.db
      .selectFrom('fetch_log')
      .select(['url', 'outcome'])
      .where('crawl_id', '=', crawlId)
      .execute();
    // The list page and six article URLs (seed 002 is served twice).
    expect(fetched.filter((f) => f.outcome === 'fetched')).toHaveLength(7);

    const articles = await sql<{ title: string; urls: string[]; language: string; body: string }>`
      select title, urls, language, body from curated.articles order by title`.execute(tdb.db);
    expect(articles.rows).toHaveLength(4);

    // 000 (bilingual) and 001 (its English-only copy) are one article with both URLs, bilingual body.
    const keqiao2023 = articles.rows.find((a) => a.title.includes('Tops in the province once again'));
    expect(keqiao2023?.urls).toHaveLength(2);
    expect(keqiao2023?.language).toBe('mixed');
    expect(keqiao2023?.body).toContain('地区生产总值1901亿元');

    // 002 came from the GBK district portal under two URLs: decoded, cleaned, one article.
    const keqiao2021 = articles.rows.find((a) => a.title.includes('竞跑大赛道'));
    expect(keqiao2021?.urls).toHaveLength(2);
    expect(keqiao2021?.body).toContain('主引擎。');
    expect(keqiao2021?.body).not.toContain('本版图片由');

    // 004's injected spam terms are gone and what they split is joined again.
    const zhejiang = articles.rows.find((a) => a.title.includes('浙江共同富裕示范區'));
    expect(zhejiang?.body).toContain('63830元');
    expect(zhejiang?.body).not.toContain('九宮格');
  });

  it('publishes the facts once, with their values from the source text', async () => {
    const gdp = await sql<{ value: number; change_pct: number; article_count: number }>`
      select value, change_pct, article_count from curated.indicator_values
      where region = '柯桥区' and indicator = 'gdp' and period = '2022'`.execute(tdb.db);
    // 1901亿元, +4.5%, stated in 000 in two languages and again in 001: one fact, one article.
    expect(gdp.rows).toEqual([{ value: 190_100_000_000, change_pct: 4.5, article_count: 1 }]);

    const nanhu = await sql<{ indicator: string; value: number }>`
      select indicator, value from curated.indicator_values where region = '南湖区' and period = '2021'
      order by indicator`.execute(tdb.db);
    expect(nanhu.rows).toEqual(
      expect.arrayContaining([
        { indicator: 'urban_disposable_income_per_capita', value: 63_792 },
        { indicator: 'rural_disposable_income_per_capita', value: 42_830 },
        { indicator: 'urban_rural_income_ratio', value: 1.49 },
      ]),
    );
  });

  it('a second crawl of the unchanged site changes nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from curated.metrics`.execute(tdb.db);
    const crawlId = await crawlOnce();
    const outcomes = await tdb.db
      .selectFrom('fetch_log')
      .select('outcome')
      .where('crawl_id', '=', crawlId)
      .execute();
    expect(outcomes.length).toBeGreaterThan(0);
    const articles = await sql<{ n: number }>`select count(*)::int as n from curated.articles`.execute(
      tdb.db,
    );
    const after = await sql<{ n: number }>`select count(*)::int as n from curated.metrics`.execute(tdb.db);
    expect(articles.rows[0]?.n).toBe(4);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
