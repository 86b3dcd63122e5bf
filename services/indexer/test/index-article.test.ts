import type { ParsedArticle } from '@govwire/shared';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { indexArticle, indexArticles, indexArticlesSettled, type IndexItem, type IndexResult } from '../src';
import { seedArticle, seedArticles, seedPage, SEED_FILES } from './fixtures/seed-articles';
import { snapshot, truncateIndex, useIndexDatabase } from './helpers';

const tdb = useIndexDatabase();

const [f000, f001, f002, f003, f004] = SEED_FILES;
const items = (): IndexItem[] =>
  seedArticles().map(({ file, article }) => ({ article, page: seedPage(file) }));

async function curatedArticles() {
  const { rows } = await sql<{
    id: number;
    title: string;
    body: string;
    urls: string[];
    language: string;
    published_at: string | null;
  }>`
    select * from curated.articles order by id`.execute(tdb.db);
  return rows;
}

async function keqiaoGdp2022() {
  const { rows } = await sql<{
    value: number;
    unit: string;
    change_pct: number;
    article_count: number;
    agreeing_count: number;
    disagree: boolean;
  }>`
    select * from curated.indicator_values where region = '柯桥区' and indicator = 'gdp' and period = '2022'`.execute(
    tdb.db,
  );
  return rows;
}

describe('indexing the five seeds', () => {
  it('stores four articles: 000 and 001 merged with both URLs and the bilingual body', async () => {
    const results: IndexResult[] = [];
    for (const it of items()) results.push(await indexArticle(tdb.db, it.article, it.page));
    expect(results.map((r) => r.match)).toEqual(['new', 'near', 'new', 'new', 'new']);
    expect(results[1]!.articleId).toBe(results[0]!.articleId);

    const articles = await curatedArticles();
    expect(articles).toHaveLength(4);
    const keqiao = articles.find((a) => a.id === results[0]!.articleId)!;
    expect(keqiao.urls.sort()).toEqual([seedPage(f000).finalUrl, seedPage(f001).finalUrl].sort());
    // The bilingual version is the body: it holds the Chinese paragraphs 001 lacks.
    expect(keqiao.body).toContain('地区生产总值1901亿元');
    expect(keqiao.body).toContain('gross regional product reached a towering 190.1 billion');
    expect(keqiao.language).toBe('mixed');
    expect(keqiao.published_at).toBe('2023-03-28');

    // Keqiao's 2022 GDP: one fact, stated in two languages on one page and again on its copy.
    expect(await keqiaoGdp2022()).toEqual([
      expect.objectContaining({
        value: 190_100_000_000,
        unit: 'CNY',
        change_pct: 4.5,
        article_count: 1,
        agreeing_count: 1,
        disagree: false,
      }),
    ]);
    const { rows: gdpRows } = await sql<{
      language: string;
      evidence: { versionId: number; lang: string }[];
    }>`
      select * from curated.metrics where region = '柯桥区' and indicator = 'gdp' and period = '2022'`.execute(
      tdb.db,
    );
    expect(gdpRows).toHaveLength(1);
    expect(gdpRows[0]!.language).toBe('mixed');
  });

  it('ingesting the same pages again changes nothing', async () => {
    for (const it of items()) await indexArticle(tdb.db, it.article, it.page);
    const before = await snapshot(tdb.db);
    const again: IndexResult[] = [];
    for (const it of items()) again.push(await indexArticle(tdb.db, it.article, it.page));
    expect(again.map((r) => r.match)).toEqual(['exact', 'exact', 'exact', 'exact', 'exact']);
    expect(again.every((r) => !r.changed)).toBe(true);
    expect(await snapshot(tdb.db)).toEqual(before);
  });

  it('gives the same record whichever copy comes first', async () => {
    const [i0, i1, ...rest] = items();
    for (const it of [i1!, i0!, ...rest.reverse()]) await indexArticle(tdb.db, it.article, it.page);
    const articles = await curatedArticles();
    expect(articles).toHaveLength(4);
    const keqiao = articles.find((a) => a.urls.includes(seedPage(f001).finalUrl))!;
    expect(keqiao.urls).toContain(seedPage(f000).finalUrl);
    expect(keqiao.body).toBe(seedArticle(f000).text);
    expect(keqiao.title).toBe(seedArticle(f000).title);
    expect(await keqiaoGdp2022()).toHaveLength(1);
  });

  it('a batch in one transaction stores what one-by-one indexing stores', async () => {
    const results = await indexArticles(tdb.db, items());
    expect(results.map((r) => r.match)).toEqual(['new', 'near', 'new', 'new', 'new']);
    expect(await curatedArticles()).toHaveLength(4);
    expect(await keqiaoGdp2022()).toHaveLength(1);
  });
});

describe('batches', () => {
  it('copies inside one batch see the items before them (look-ups prefetched for the batch are redone)', async () => {
    const page = (f: string, u: string) => ({ ...seedPage(f), url: u, finalUrl: u });
    const results = await indexArticles(tdb.db, [
      { article: seedArticle(f002), page: seedPage(f002) },
      { article: seedArticle(f000), page: page(f000, 'https://a.example/') },
      { article: seedArticle(f000), page: page(f000, 'https://b.example/') },
      { article: seedArticle(f001), page: page(f001, 'https://c.example/') },
      { article: seedArticle(f002), page: page(f002, 'https://d.example/') },
    ]);
    expect(results.map((r) => r.match)).toEqual(['new', 'new', 'exact', 'near', 'exact']);
    const rows = await curatedArticles();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.urls.length).sort()).toEqual([2, 3]);
    expect(await keqiaoGdp2022()).toHaveLength(1);
  });

  it('a text stored when the batch looked but gone when it holds the lock is stored with its bands', async () => {
    // The text is stored when the batch looks before the lock, so it skips the fingerprint; the
    // article is deleted before the batch reads under the lock, so the text is new again and
    // must be stored with its LSH bands, or no later copy could find it.
    const first = await indexArticle(tdb.db, seedArticle(f000), seedPage(f000));
    const again = await indexArticle(tdb.db, seedArticle(f000), seedPage(f000), {
      afterLock: async () => {
        await sql`delete from articles where id = ${first.articleId}`.execute(tdb.db);
      },
    });
    expect(again.match).toBe('new');
    const { rows } = await sql<{ keys: number }>`
      select cardinality(lsh_keys) as keys from article_versions where id = ${again.versionId}`.execute(
      tdb.db,
    );
    expect(rows[0]!.keys).toBeGreaterThan(0);
    const copy = await indexArticle(tdb.db, seedArticle(f001), seedPage(f001));
    expect(copy).toMatchObject({ match: 'near', articleId: again.articleId });
    // And seen again while stored, it is the same version.
    const third = await indexArticle(tdb.db, seedArticle(f000), seedPage(f000));
    expect(third).toMatchObject({ match: 'exact', versionId: again.versionId });
  });
});

describe('a batch that dies between its two transactions', () => {
  /** What readers see, without ids, tokens and clocks. */
  async function record() {
    const { rows: articles } = await sql<{
      title: string;
      body: string;
      urls: string[];
      version_count: number;
    }>`
      select a.title, a.body, a.version_count,
             (select array_agg(u.url order by u.url) from article_urls u where u.article_id = a.id) as urls
        from articles a order by a.title, a.body`.execute(tdb.db);
    const { rows: metrics } = await sql<{ region: string; indicator: string; period: string; value: number }>`
      select region, indicator, period, value from curated.metrics
       order by region, indicator, period, value`.execute(tdb.db);
    return { articles, metrics };
  }
  const mirror = {
    ...seedPage(f002),
    url: 'https://mirror.example/002',
    finalUrl: 'https://mirror.example/002',
  };
  // A new article (000), a copy joining it (001), a mirror of a stored text (002), on top of 002.
  const batch = (): IndexItem[] => [
    { article: seedArticle(f000), page: seedPage(f000) },
    { article: seedArticle(f001), page: seedPage(f001) },
    { article: seedArticle(f002), page: mirror },
  ];

  it('its retried jobs finish it: the record equals one written without the crash', async () => {
    await indexArticle(tdb.db, seedArticle(f002), seedPage(f002));
    await indexArticles(tdb.db, batch());
    const clean = await record();
    expect(clean.articles.map((a) => a.version_count).sort()).toEqual([1, 2]);

    await truncateIndex(tdb.db);
    await indexArticle(tdb.db, seedArticle(f002), seedPage(f002));
    const crash = async () => {
      throw new Error('the worker died here');
    };
    const settled = await indexArticlesSettled(tdb.db, batch(), { beforeSettle: crash });
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // The versions committed; the article they make does not exist yet, and readers see only 002.
    const half = await record();
    expect(half.articles).toHaveLength(1);
    expect(half.articles[0]!.urls).toEqual([seedPage(f002).finalUrl]);

    const retried = await indexArticles(tdb.db, batch());
    expect(retried.map((r) => r.match)).toEqual(['exact', 'exact', 'exact']);
    expect(await record()).toEqual(clean);
  });
});

describe('near-duplicates and what is never merged', () => {
  it('a republished copy with a reporter credit joins the original and, being longer, becomes the body', async () => {
    const original = seedArticle(f002);
    const credit = '\n\n(记者 王小明 通讯员 李华)';
    const copy = {
      ...original,
      text: original.text + credit,
      textSimplified: original.textSimplified + credit,
    };
    const a = await indexArticle(tdb.db, original, seedPage(f002));
    const b = await indexArticle(tdb.db, copy, {
      ...seedPage(f002),
      url: 'https://copy.example/1',
      finalUrl: 'https://copy.example/1',
      sourceId: 'copies',
    });
    expect(b.match).toBe('near');
    expect(b.articleId).toBe(a.articleId);
    const [row] = (
      await sql<{
        body: string;
        urls: string[];
        source_ids: string[];
      }>`select * from curated.articles`.execute(tdb.db)
    ).rows;
    expect(row!.body.endsWith('李华)')).toBe(true);
    expect(row!.source_ids).toEqual(['copies', 'seeds']);
  });

  it('two pages whose figures differ are never merged, however alike their text', async () => {
    const a = seedArticle(f000);
    const changed = (s: string) =>
      s.replace('地区生产总值1901亿元,增长4.5%', '地区生产总值1950亿元,增长5.1%');
    const b = { ...a, text: changed(a.text), textSimplified: changed(a.textSimplified) };
    expect(b.text).not.toBe(a.text);
    const ra = await indexArticle(tdb.db, a, seedPage(f000));
    const rb = await indexArticle(tdb.db, b, {
      ...seedPage(f000),
      url: 'https://other.example/x',
      finalUrl: 'https://other.example/x',
    });
    expect(rb.match).toBe('new');
    expect(rb.articleId).not.toBe(ra.articleId);
  });

  it('a copy whose extracted metrics disagree is not merged either', async () => {
    const a = seedArticle(f003);
    const credit = '\n\n(来源:嘉兴日报)';
    const copy = { ...a, text: a.text + credit, textSimplified: a.textSimplified + credit };
    const otherGdp = a.metrics.map((m) => (m.indicator === 'gdp' ? { ...m, value: 80_000_000_000 } : m));
    const ra = await indexArticle(tdb.db, a, seedPage(f003));
    const page = (u: string) => ({ ...seedPage(f003), url: u, finalUrl: u });
    const rb = await indexArticle(tdb.db, { ...copy, metrics: otherGdp }, page('https://b.example/'));
    expect(rb.match).toBe('new');
    // The same copy stating the same figures joins.
    const credit2 = '\n\n(来源:南湖发布)';
    const copy2 = { ...a, text: a.text + credit2, textSimplified: a.textSimplified + credit2 };
    const rc = await indexArticle(tdb.db, copy2, page('https://c.example/'));
    expect(rc.match).toBe('near');
    expect(rc.articleId).not.toBe(rb.articleId);
    expect(rc.articleId).toBe(ra.articleId);
  });

  it('a copy finds its own article when a near-identical article (one figure apart) has many stored copies', async () => {
    const base = seedArticle(f002);
    const withLine = (a: ParsedArticle, line: string) => ({
      ...a,
      text: `${a.text}\n\n${line}`,
      textSimplified: `${a.textSimplified}\n\n${line}`,
    });
    const page = (u: string) => ({ ...seedPage(f002), url: u, finalUrl: u });
    const original = await indexArticle(tdb.db, base, seedPage(f002));
    const names = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄';
    for (const [i, name] of [...names].entries()) {
      const r = await indexArticle(
        tdb.db,
        withLine(base, `(记者 ${name}${name}${name})`),
        page(`https://copy.example/${i}`),
      );
      expect(r.articleId).toBe(original.articleId);
    }
    // Last year's report from the same template: one figure differs, so a separate article...
    const change = (t: string) => t.replace('城乡居民收入倍差缩小至1.648', '城乡居民收入倍差缩小至1.702');
    const other = { ...base, text: change(base.text), textSimplified: change(base.textSimplified) };
    expect(other.text).not.toBe(base.text);
    const f = await indexArticle(tdb.db, other, page('https://other.example/'));
    expect(f.match).toBe('new');
    // ...and a copy of it finds it, though the first article has far more stored versions.
    const copy = await indexArticle(
      tdb.db,
      withLine(other, '(来源:绍兴日报)'),
      page('https://other-copy.example/'),
    );
    expect(copy.match).toBe('near');
    expect(copy.articleId).toBe(f.articleId);
  });

  it('traditional and simplified copies of one article are one article', async () => {
    const trad = seedArticle(f004);
    const simp = { ...trad, text: trad.textSimplified, language: 'zh-Hans' as const };
    const a = await indexArticle(tdb.db, trad, seedPage(f004));
    const b = await indexArticle(tdb.db, simp, {
      ...seedPage(f004),
      finalUrl: 'https://simp.example/',
      url: 'https://simp.example/',
    });
    // Hashes are taken on the simplified text: the two are exact duplicates.
    expect(b.match).toBe('exact');
    expect(b.articleId).toBe(a.articleId);
  });
});

describe('provenance', () => {
  it('keeps the page a version came from, and ignores a page id this database never stored', async () => {
    const { id: pageId } = await tdb.db
      .insertInto('pages')
      .values({
        url: 'https://mirror.example/000.html',
        final_url: 'https://mirror.example/000.html',
        source_id: 'seeds',
        crawl_id: null,
        status: 200,
        content_hash: 'a'.repeat(64),
        headers: '{}',
        body_gzip: Buffer.from([]),
        bytes: 0,
        fetched_at: '2026-11-22T03:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const a = await indexArticle(tdb.db, seedArticle(f000), { ...seedPage(f000), pageId });
    const b = await indexArticle(tdb.db, seedArticle(f002), { ...seedPage(f002), pageId: 999_999 });
    const versions = await tdb.db
      .selectFrom('article_versions')
      .select(['id', 'page_id', 'url', 'source_id'])
      .orderBy('id')
      .execute();
    expect(versions).toEqual([
      { id: a.versionId, page_id: pageId, url: seedPage(f000).finalUrl, source_id: 'seeds' },
      { id: b.versionId, page_id: null, url: seedPage(f002).finalUrl, source_id: 'seeds' },
    ]);
  });

  it('a re-parse of the same page updates its metrics; a mirror of the text elsewhere does not flip them', async () => {
    const a = seedArticle(f003);
    const fixed = a.metrics.map((m) => (m.indicator === 'new_urban_jobs' ? { ...m, value: 12_901 } : m));
    await indexArticle(tdb.db, a, seedPage(f003));
    const mirror = {
      ...seedPage(f003),
      url: 'https://mirror2.example/',
      finalUrl: 'https://mirror2.example/',
    };
    await indexArticle(tdb.db, { ...a, metrics: fixed, title: 'mirror title' }, mirror);
    const jobs = async () =>
      (
        await sql<{ value: number; title: string }>`
        select m.value, a.title from curated.metrics m join curated.articles a on a.id = m.article_id
         where m.indicator = 'new_urban_jobs'`.execute(tdb.db)
      ).rows;
    expect(await jobs()).toEqual([{ value: 12_900, title: a.title }]);
    // The parser fixed: the same page parsed again.
    await indexArticle(tdb.db, { ...a, metrics: fixed }, seedPage(f003));
    expect(await jobs()).toEqual([{ value: 12_901, title: a.title }]);
  });

  it('sightings of one stored text in one batch apply as they would one after another', async () => {
    const a = seedArticle(f003);
    await indexArticle(tdb.db, a, seedPage(f003, '2026-11-22T03:00:00.000Z'));
    const jobsFixed = (value: number) =>
      a.metrics.map((m) => (m.indicator === 'new_urban_jobs' ? { ...m, value } : m));
    const mirror = {
      ...seedPage(f003, '2026-11-19T03:00:00.000Z'),
      url: 'https://m.example/',
      finalUrl: 'https://m.example/',
    };
    await indexArticles(tdb.db, [
      // Its own page parsed twice (the second parse is the later fix), a mirror between them, and
      // its own page again with an earlier date than the batch's last sighting.
      { article: { ...a, metrics: jobsFixed(12_901) }, page: seedPage(f003, '2026-11-26T03:00:00.000Z') },
      { article: { ...a, metrics: jobsFixed(1), title: 'mirror title' }, page: mirror },
      { article: { ...a, metrics: jobsFixed(12_902) }, page: seedPage(f003, '2026-11-24T03:00:00.000Z') },
    ]);
    const { rows } = await sql<{ value: number; title: string; first_seen_at: Date; last_seen_at: Date }>`
      select m.value, a.title, a.first_seen_at, a.last_seen_at
        from curated.metrics m join curated.articles a on a.id = m.article_id
       where m.indicator = 'new_urban_jobs'`.execute(tdb.db);
    expect(rows).toEqual([
      {
        value: 12_902,
        title: a.title,
        first_seen_at: new Date('2026-11-19T03:00:00.000Z'),
        last_seen_at: new Date('2026-11-26T03:00:00.000Z'),
      },
    ]);
  });

  it('keeps first and last seen across sightings of the same text', async () => {
    const a = seedArticle(f002);
    await indexArticle(tdb.db, a, seedPage(f002, '2026-11-22T03:00:00.000Z'));
    await indexArticle(tdb.db, a, seedPage(f002, '2026-11-20T03:00:00.000Z'));
    await indexArticle(tdb.db, a, seedPage(f002, '2026-11-25T03:00:00.000Z'));
    const [row] = (
      await sql<{ first_seen_at: Date; last_seen_at: Date }>`select * from curated.articles`.execute(tdb.db)
    ).rows;
    expect(row!.first_seen_at.toISOString()).toBe('2026-11-20T03:00:00.000Z');
    expect(row!.last_seen_at.toISOString()).toBe('2026-11-25T03:00:00.000Z');
  });
});
