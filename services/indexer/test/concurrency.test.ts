import { createDb, type Db } from '@govwire/shared';
import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { indexArticle, indexArticles, type IndexItem } from '../src';
import { seedArticle, seedArticles, seedPage, SEED_FILES } from './fixtures/seed-articles';
import { truncateIndex } from './helpers';

/**
 * Two indexers handling copies of one article at the same moment must leave one correct record.
 * Each racer gets its own connection pool (as two worker processes would), and the races are
 * repeated so an interleaving that breaks the record has many chances to show up.
 */
let tdb: TestDatabase;
let pools: Db[];
beforeAll(async () => {
  tdb = await createTestDatabase();
  pools = Array.from({ length: 4 }, () => createDb(tdb.url, { max: 2 }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy()));
  await tdb?.drop();
});
beforeEach(async () => {
  await truncateIndex(tdb.db);
});

const [f000, f001] = SEED_FILES;

/**
 * Holds each racer inside its transaction (locks taken, nothing decided yet) until all racers are
 * there or `maxWaitMs` passes: without the index lock every racer would decide at the same moment
 * on the same empty tables; with it, they arrive one after another.
 */
function barrier(parties: number, maxWaitMs = 100): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return async () => {
    if (++arrived >= parties) release();
    await Promise.race([all, new Promise((r) => setTimeout(r, maxWaitMs))]);
  };
}
const at = (file: string, url: string) => ({ ...seedPage(file), url, finalUrl: url });

async function counts() {
  const { rows } = await sql<{
    articles: number;
    versions: number;
    urls: number;
    metrics: number;
    gdp: number;
  }>`
    select (select count(*)::int from articles) as articles,
           (select count(*)::int from article_versions) as versions,
           (select count(*)::int from article_urls) as urls,
           (select count(*)::int from article_metrics) as metrics,
           (select count(*)::int from curated.indicator_values
             where region = '柯桥区' and indicator = 'gdp' and period = '2022') as gdp`.execute(tdb.db);
  return rows[0]!;
}

describe('racing indexers', () => {
  it('copies of one article indexed at the same moment end as one article', async () => {
    for (let round = 0; round < 4; round++) {
      await truncateIndex(tdb.db);
      const jobs: IndexItem[] = [
        { article: seedArticle(f000), page: at(f000, 'https://a.example/000') },
        { article: seedArticle(f001), page: at(f001, 'https://b.example/001') },
        { article: seedArticle(f000), page: at(f000, 'https://c.example/000-mirror') },
        { article: seedArticle(f001), page: at(f001, 'https://d.example/001-mirror') },
      ];
      // Alternate the order so either copy may win the race.
      if (round % 2) jobs.reverse();
      const afterLock = barrier(jobs.length);
      const results = await Promise.all(
        jobs.map((j, i) => indexArticle(pools[i % pools.length]!, j.article, j.page, { afterLock })),
      );
      expect(new Set(results.map((r) => r.articleId)).size, `round ${round}`).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await counts()).toEqual({ articles: 1, versions: 2, urls: 4, metrics: 5, gdp: 1 });
      const { rows } = await sql<{ body: string }>`select body from curated.articles`.execute(tdb.db);
      expect(rows[0]!.body).toBe(seedArticle(f000).text);
    }
  });

  it('the same job replayed concurrently leaves one version and one URL', async () => {
    const job = { article: seedArticle(f000), page: seedPage(f000) };
    const afterLock = barrier(pools.length);
    const results = await Promise.all(
      pools.map((p) => indexArticle(p, job.article, job.page, { afterLock })),
    );
    expect(new Set(results.map((r) => r.versionId)).size).toBe(1);
    expect(results.filter((r) => r.match === 'new')).toHaveLength(1);
    expect(results.filter((r) => r.match === 'exact')).toHaveLength(3);
    expect(await counts()).toEqual({ articles: 1, versions: 1, urls: 1, metrics: 5, gdp: 1 });
  });

  it('two batches holding copies of the same seeds race to four articles', async () => {
    const all = seedArticles().map(({ file, article }) => ({ article, page: seedPage(file) }));
    const mirrored = all.map((it) => ({
      ...it,
      page: { ...it.page, url: `${it.page.url}?m`, finalUrl: `${it.page.finalUrl}?m` },
    }));
    const afterLock = barrier(3);
    await Promise.all([
      indexArticles(pools[0]!, all, { afterLock }),
      indexArticles(pools[1]!, [...mirrored].reverse(), { afterLock }),
      indexArticles(pools[2]!, all, { afterLock }),
    ]);
    const c = await counts();
    expect(c.articles).toBe(4);
    expect(c.urls).toBe(10);
    expect(c.gdp).toBe(1);
  });

  it('two batches holding copies of one another give the record sequential indexing gives', async () => {
    const seeds = seedArticles().map(({ file, article }) => ({ article, page: seedPage(file) }));
    // A copy with a credit line added: a near duplicate, not the same text (an exact copy would
    // meet its original on the unique content hash, which would hide a race in the dedup decision).
    const copy = (it: IndexItem, tag: string): IndexItem => {
      const credit = `(记者 王小明 通讯员 李华 ${tag})`;
      const article = {
        ...it.article,
        text: `${it.article.text}\n\n${credit}`,
        textSimplified: `${it.article.textSimplified}\n\n${credit}`,
      };
      return {
        article,
        page: { ...it.page, url: `${it.page.url}?${tag}`, finalUrl: `${it.page.finalUrl}?${tag}` },
      };
    };
    // 000 and 001 are one article (a near copy); each batch holds one of them and the other's
    // mirror, so each batch's items are copies of the other's.
    const [s0, s1, s2, s3, s4] = seeds as [IndexItem, IndexItem, IndexItem, IndexItem, IndexItem];
    const a = [s0, s2, copy(s1, 'a'), copy(s3, 'a'), s4];
    const b = [s1, copy(s0, 'b'), s3, copy(s2, 'b'), copy(s4, 'b')];

    for (const item of [...a, ...b]) await indexArticle(tdb.db, item.article, item.page);
    const sequential = await record();
    // By hand: 4 articles (000+001 merged), 10 URLs, the 000/001 article holding 4 of them.
    expect(sequential.groups).toHaveLength(4);
    expect(sequential.groups.flat()).toHaveLength(10);
    expect(sequential.groups.some((g) => g.length === 4 && g.every((u) => /00[01]/.test(u)))).toBe(true);

    for (let round = 0; round < 6; round++) {
      await truncateIndex(tdb.db);
      const afterLock = barrier(2);
      const [x, y] = round % 2 ? [b, a] : [a, b];
      await Promise.all([
        indexArticles(pools[0]!, x, { afterLock }),
        indexArticles(pools[1]!, y, { afterLock }),
      ]);
      expect(await record(), `round ${round}`).toEqual(sequential);
    }
  });

  it('copies inside one batch find each other as they would one at a time', async () => {
    const seeds = seedArticles().map(({ file, article }) => ({ article, page: seedPage(file) }));
    const mirrors = seeds.map((it) => ({
      ...it,
      page: { ...it.page, url: `${it.page.url}?m`, finalUrl: `${it.page.finalUrl}?m` },
    }));
    const batch = [...seeds, ...mirrors].reverse();
    for (const item of batch) await indexArticle(tdb.db, item.article, item.page);
    const sequential = await record();
    await truncateIndex(tdb.db);
    const results = await indexArticles(tdb.db, batch);
    expect(await record()).toEqual(sequential);
    expect(sequential.groups).toHaveLength(4);
    // Each mirror is an exact copy of its original, found inside the same batch.
    expect(results.filter((r) => r.match === 'exact')).toHaveLength(5);
  });
});

/**
 * The record independent of ids: which URLs share an article, each article's body, and its facts.
 * Two runs giving equal records stored the same thing.
 */
async function record() {
  const { rows } = await sql<{ urls: string[]; body: string; facts: string[] | null }>`
    select a.urls, a.body,
           (select array_agg(m.region || '|' || m.indicator || '|' || m.period || '|' || coalesce(m.value::text, '-')
                             order by 1)
              from curated.metrics m where m.article_id = a.id) as facts
      from curated.articles a`.execute(tdb.db);
  const articles = rows
    .map((r) => ({ urls: [...r.urls].sort(), body: r.body, facts: r.facts ?? [] }))
    .sort((x, y) => x.urls[0]!.localeCompare(y.urls[0]!));
  return { groups: articles.map((x) => x.urls), articles };
}
