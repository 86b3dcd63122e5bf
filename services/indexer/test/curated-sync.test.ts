import type { Metric, ParsedArticle } from '@govwire/shared';
import {
  createReaderLogin,
  createTestDatabase,
  type ReaderLogin,
  type TestDatabase,
} from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { indexArticle } from '../src';
import { seedArticle, seedArticles, seedPage, SEED_FILES } from './fixtures/seed-articles';
import { truncateIndex } from './helpers';

/**
 * docs/data-contract.md as a downstream app reads it: through a login that inherits
 * govwire_reader, syncing with the documented cursor query and deletion rule.
 */
let tdb: TestDatabase;
let reader: ReaderLogin;
beforeAll(async () => {
  tdb = await createTestDatabase();
  reader = await createReaderLogin(tdb);
});
afterAll(async () => {
  await reader?.drop();
  await tdb?.drop();
});
beforeEach(async () => {
  await truncateIndex(tdb.db);
});

const [f000, , f002, f003] = SEED_FILES;

type Row = Record<string, unknown> & { id: number; sync_token: number };
const SYNCED = ['articles', 'metrics', 'indicator_values'] as const;
type Synced = (typeof SYNCED)[number];

/** The documented cursor query, page after page (small pages, so paging is exercised). */
async function pull(view: string, cursor: [number, number], page = 3) {
  const rows: Row[] = [];
  for (;;) {
    const { rows: batch } = await sql<Row>`
      select * from ${sql.table(`curated.${view}`)}
       where (sync_token, id) > (${cursor[0]}, ${cursor[1]})
         and sync_token < curated.sync_horizon()
       order by sync_token, id
       limit ${page}`.execute(reader.db);
    rows.push(...batch);
    const last = batch.at(-1);
    if (last) cursor = [last.sync_token, last.id];
    if (batch.length < page) return { rows, cursor };
  }
}

/** A downstream copy of the synced views, kept by the recipe. */
class Mirror {
  readonly rows = new Map<Synced, Map<number, Row>>(SYNCED.map((v) => [v, new Map()]));
  private readonly cursors = new Map<string, [number, number]>();

  async sync() {
    const upserts = {} as Record<Synced, Row[]>;
    // Views before deletions, the harder order: the token comparison must make it right.
    for (const view of SYNCED) {
      const { rows, cursor } = await pull(view, this.cursors.get(view) ?? [0, 0]);
      this.cursors.set(view, cursor);
      upserts[view] = rows;
      for (const r of rows) this.rows.get(view)!.set(r.id, r);
    }
    const { rows: deletions, cursor } = await pull('deletions', this.cursors.get('deletions') ?? [0, 0]);
    this.cursors.set('deletions', cursor);
    for (const d of deletions) {
      const copy = this.rows.get(d.view_name as Synced)!;
      const mine = copy.get(d.row_id as number);
      if (mine && mine.sync_token < d.sync_token) copy.delete(d.row_id as number);
    }
    return { upserts, deletions };
  }
}

async function readAll(view: Synced): Promise<Map<number, Row>> {
  const { rows } = await sql<Row>`select * from ${sql.table(`curated.${view}`)}`.execute(reader.db);
  return new Map(rows.map((r) => [r.id, r]));
}

const content = (r: Row) => JSON.stringify({ ...r, updated_at: undefined, sync_token: undefined });

/** What changed between two reads of a view, by content: the oracle a sync must match. */
function diff(before: Map<number, Row>, after: Map<number, Row>) {
  const changed = [...after.values()]
    .filter((r) => !before.has(r.id) || content(before.get(r.id)!) !== content(r))
    .map((r) => r.id);
  const gone = [...before.keys()].filter((id) => !after.has(id));
  return { changed: changed.sort((a, b) => a - b), gone: gone.sort((a, b) => a - b) };
}

async function indexSeeds() {
  for (const { file, article } of seedArticles()) await indexArticle(tdb.db, article, seedPage(file));
}

function article(title: string, text: string, metrics: Partial<Metric>[]): ParsedArticle {
  const base = {
    value: null,
    changePct: null,
    changeKind: null,
    rank: null,
    rankScope: null,
    qualifier: null,
  };
  return {
    title,
    publishedAt: '2023-10-20',
    source: null,
    canonicalUrl: null,
    language: 'zh-Hans',
    text,
    textSimplified: text,
    paragraphs: [{ text, start: 0, end: text.length, lang: 'zh-Hans' }],
    removed: { boilerplate: [], spamLinks: [], spamTerms: [] },
    warnings: [],
    metrics: metrics.map((m) => ({
      region: '嘉兴市',
      period: '2023',
      unit: 'CNY',
      lang: 'zh-Hans',
      indicator: 'gdp',
      ...base,
      ...m,
      evidence: [{ text: text.slice(0, 30), start: 0, end: 30, lang: 'zh-Hans' }],
    })) as Metric[],
  };
}

const page = (name: string) => ({
  ...seedPage(f000),
  url: `https://news.example/${name}.html`,
  finalUrl: `https://news.example/${name}.html`,
  contentHash: name.padEnd(64, '0'),
});

describe('incremental sync, as the contract describes it', () => {
  it('a second sync sees exactly what changed in between; a replay changes nothing', async () => {
    await indexSeeds();
    const mirror = new Mirror();
    await mirror.sync();
    for (const view of SYNCED) expect(mirror.rows.get(view), view).toEqual(await readAll(view));

    // Replays, and writers that rewrite the same values: no rows, no deletions.
    await indexSeeds();
    await sql`update article_metrics set value = value, updated_at = now()`.execute(tdb.db);
    await sql`update articles set title = title, updated_at = now()`.execute(tdb.db);
    const replay = await mirror.sync();
    expect(Object.values(replay.upserts).flat()).toEqual([]);
    expect(replay.deletions).toEqual([]);

    const before = new Map(await Promise.all(SYNCED.map(async (v) => [v, await readAll(v)] as const)));
    // 1. A re-parse of 000 reads its GDP differently.
    const a000 = seedArticle(f000);
    a000.metrics = a000.metrics.map((m) => (m.indicator === 'gdp' ? { ...m, value: 190_200_000_000 } : m));
    await indexArticle(tdb.db, a000, seedPage(f000));
    // 2. A re-parse of 003 no longer finds new_urban_jobs, and finds a share with a change in points.
    const a003 = seedArticle(f003);
    a003.metrics = [
      ...a003.metrics.filter((m) => m.indicator !== 'new_urban_jobs'),
      {
        ...a003.metrics[0]!,
        indicator: 'air_quality_good_days_ratio',
        value: 90.1,
        unit: '%',
        changePp: 1.2,
      },
    ];
    await indexArticle(tdb.db, a003, seedPage(f003));
    // 3. A new article.
    await indexArticle(
      tdb.db,
      article('嘉兴经济', '嘉兴市2023年地区生产总值超过七千亿元，同比增长百分之五点八，增速居全省前列。', [
        { value: 706_000_000_000, qualifier: 'above', changePct: 5.8, changeKind: 'annual' },
      ]),
      page('jiaxing'),
    );
    // 4. An operator removes 002 (and with it every metric only it stated).
    const { rows: a002 } = await sql<{ article_id: number }>`
      select article_id from article_urls where url = ${seedPage(f002).finalUrl}`.execute(tdb.db);
    await sql`delete from articles where id = ${a002[0]!.article_id}`.execute(tdb.db);
    // 5. A copy fetched again, unchanged: only its last sighting moves.
    await sql`update articles set last_seen_at = last_seen_at + interval '1 day'
               where id = (select article_id from article_urls where url = ${seedPage(f003).finalUrl})`.execute(
      tdb.db,
    );

    const { upserts, deletions } = await mirror.sync();
    for (const view of SYNCED) {
      const after = await readAll(view);
      const expected = diff(before.get(view)!, after);
      expect(
        upserts[view].map((r) => r.id).sort((a, b) => a - b),
        `${view} rows`,
      ).toEqual(expected.changed);
      expect(
        deletions
          .filter((d) => d.view_name === view)
          .map((d) => d.row_id as number)
          .sort((a, b) => a - b),
        `${view} deletions`,
      ).toEqual(expected.gone);
      expect(mirror.rows.get(view), view).toEqual(after);
    }
    // Each kind of change happened, so the equalities above say something.
    expect(upserts.articles.length).toBe(2); // the new one, and 003 seen again
    expect(upserts.metrics.length).toBe(3); // 000's GDP, 003's share, the new article's GDP
    expect(deletions.filter((d) => d.view_name === 'articles')).toHaveLength(1);
    expect(deletions.filter((d) => d.view_name === 'metrics')).toHaveLength(4); // new_urban_jobs, 002's three
    expect(deletions.filter((d) => d.view_name === 'indicator_values')).toHaveLength(4);

    const again = await mirror.sync();
    expect(Object.values(again.upserts).flat()).toEqual([]);
    expect(again.deletions).toEqual([]);
  });

  it('a transaction that commits after a later one is not skipped (a timestamp cursor would skip it)', async () => {
    await indexSeeds();
    const mirror = new Mirror();
    await mirror.sync();
    const { rows: ids } = await sql<{ id: number }>`
      select id from curated.metrics order by id limit 2`.execute(tdb.db);
    const [early, late] = ids.map((r) => r.id) as [number, number];

    let naiveCursor = new Date(0);
    await tdb.db.connection().execute(async (slow) => {
      await sql`begin`.execute(slow);
      await sql`update article_metrics set value = value + 1 where id = ${early}`.execute(slow);
      // Another writer starts later and commits first.
      await sql`update article_metrics set value = value + 1 where id = ${late}`.execute(tdb.db);
      const naive = await sql<{ updated_at: Date }>`
        select updated_at from curated.metrics where updated_at > ${naiveCursor} order by updated_at, id`.execute(
        reader.db,
      );
      naiveCursor = naive.rows.at(-1)!.updated_at;
      // The horizon holds the committed row back until the slow writer ends.
      const held = await mirror.sync();
      expect(held.upserts.metrics).toEqual([]);
      await sql`commit`.execute(slow);
    });

    const { rows: stamps } = await sql<{ id: number; updated_at: Date }>`
      select id, updated_at from curated.metrics where id in (${early}, ${late})`.execute(tdb.db);
    const at = new Map(stamps.map((r) => [r.id, r.updated_at.getTime()]));
    expect(at.get(early)!).toBeLessThan(at.get(late)!);
    const naiveAfter = await sql<{ id: number }>`
      select id from curated.metrics where updated_at > ${naiveCursor}`.execute(reader.db);
    expect(naiveAfter.rows.map((r) => r.id)).not.toContain(early);

    const caught = await mirror.sync();
    expect(caught.upserts.metrics.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      [early, late].sort((a, b) => a - b),
    );
  });
});

describe('the sync horizon', () => {
  it('waits for a writer of this database, not for one of another database in the cluster', async () => {
    const other = await createTestDatabase();
    try {
      await other.db.connection().execute(async (elsewhere) => {
        await sql`begin`.execute(elsewhere);
        await sql`insert into spam_terms (term, added_by) values ('elsewhere', 'test')`.execute(elsewhere);
        await indexSeeds();
        // Transaction ids are cluster-wide, yet the open writer of the other database holds nothing back.
        const mirror = new Mirror();
        const { upserts } = await mirror.sync();
        expect(upserts.articles).toHaveLength(4);
        await sql`rollback`.execute(elsewhere);
      });
    } finally {
      await other.drop();
    }
  });
});

describe('context in the metric views', () => {
  it('carries qualifiers, change kinds, changes in points, rank kinds and period bounds', async () => {
    const text = (n: string) =>
      `嘉兴市统计公报${n}：全市经济运行稳中有进，居民收入持续增长，生态环境质量不断改善。`;
    await indexArticle(
      tdb.db,
      article('公报一', text('第一号'), [
        { value: 706_000_000_000, qualifier: 'above', changePct: 5.0, changeKind: 'multi_year_average' },
        {
          indicator: 'disposable_income_per_capita',
          value: 70_000,
          rank: 10,
          qualifier: 'top_n',
          rankScope: 'nation',
        },
        {
          indicator: 'air_quality_good_days_ratio',
          period: '2023-01/2023-09',
          value: 90.1,
          unit: '%',
          changePct: 1.2,
          changeKind: 'percentage_points',
        },
        {
          indicator: 'urban_rural_income_ratio',
          period: '2023-Q3',
          value: 1.56,
          unit: 'ratio',
          changePp: -0.02,
        },
      ]),
      page('report-1'),
    );
    const { rows: metrics } = await sql<Row>`
      select * from curated.metrics where region = '嘉兴市' order by indicator`.execute(reader.db);
    const byIndicator = new Map(metrics.map((m) => [m.indicator as string, m]));
    expect(byIndicator.get('gdp')).toMatchObject({
      value: 706_000_000_000,
      qualifier: 'above',
      change_pct: 5,
      change_kind: 'multi_year_average',
      rank_kind: null,
      period_start: '2023-01-01',
      period_end: '2023-12-31',
    });
    expect(byIndicator.get('disposable_income_per_capita')).toMatchObject({
      rank: 10,
      rank_kind: 'top_n',
      rank_scope: 'nation',
    });
    // A change the parser recorded in change_pct with kind percentage_points reads as points.
    expect(byIndicator.get('air_quality_good_days_ratio')).toMatchObject({
      change_pct: null,
      change_pp: 1.2,
      change_kind: 'percentage_points',
      period_start: '2023-01-01',
      period_end: '2023-09-30',
    });
    expect(byIndicator.get('urban_rural_income_ratio')).toMatchObject({
      change_pp: -0.02,
      period_start: '2023-07-01',
      period_end: '2023-09-30',
    });

    const gdp = async () =>
      (
        await sql<Row>`select * from curated.indicator_values
                        where region = '嘉兴市' and indicator = 'gdp' and period = '2023'`.execute(reader.db)
      ).rows[0]!;
    // One article: the value is a bound, the change a multi-year average, and the view says so.
    expect(await gdp()).toMatchObject({
      value: 706_000_000_000,
      qualifier: 'above',
      change_pct: 5,
      change_kind: 'multi_year_average',
      agreeing_count: 1,
      disagree: false,
    });
    const income = (
      await sql<Row>`select * from curated.indicator_values
                      where region = '嘉兴市' and indicator = 'disposable_income_per_capita'`.execute(
        reader.db,
      )
    ).rows[0]!;
    expect(income).toMatchObject({
      value: 70_000,
      qualifier: null,
      rank: 10,
      rank_kind: 'top_n',
      rank_scope: 'nation',
    });

    // A second article states the plain figure and annual growth: a tie, read plain and annual.
    await indexArticle(
      tdb.db,
      article('公报二', '嘉兴新闻：全年全市生产总值七千零六十亿元，比上年增长百分之五点八，增速创新高。', [
        { value: 706_000_000_000, changePct: 5.8, changeKind: 'annual' },
      ]),
      page('report-2'),
    );
    expect(await gdp()).toMatchObject({
      value: 706_000_000_000,
      qualifier: null,
      change_pct: 5.8,
      change_kind: 'annual',
      article_count: 2,
      agreeing_count: 1,
      disagree: true,
    });
    // A third states the bound and the average again: most articles now say "above", "average".
    await indexArticle(
      tdb.db,
      article('公报三', '嘉兴日报讯：过去两年嘉兴经济总量突破七千亿元，两年平均增长百分之五，动能强劲。', [
        { value: 706_000_000_000, qualifier: 'above', changePct: 5.0, changeKind: 'multi_year_average' },
      ]),
      page('report-3'),
    );
    expect(await gdp()).toMatchObject({
      value: 706_000_000_000,
      qualifier: 'above',
      change_pct: 5,
      change_kind: 'multi_year_average',
      article_count: 3,
      agreeing_count: 2,
      disagree: true,
    });
  });

  it('carries an absolute change and a rank total, and a new one refreshes the fact', async () => {
    const ratio = (changeAbs: number) => ({
      indicator: 'urban_rural_income_ratio',
      value: 1.56,
      unit: 'ratio' as const,
      changeAbs,
    });
    const income = {
      indicator: 'disposable_income_per_capita',
      value: 70_000,
      rank: 1,
      rankScope: 'province' as const,
      rankTotal: 90,
    };
    const text =
      '嘉兴市统计公报：城乡居民收入比缩小至1.56，比上年缩小0.02；居民人均可支配收入居全省90个县（市、区）首位。';
    await indexArticle(tdb.db, article('公报', text, [ratio(-0.02), income]), page('abs-1'));
    const metric = async (indicator: string) =>
      (
        await sql<Row>`select * from curated.metrics
                        where region = '嘉兴市' and indicator = ${indicator}`.execute(reader.db)
      ).rows[0]!;
    expect(await metric('urban_rural_income_ratio')).toMatchObject({
      change_abs: -0.02,
      change_pct: null,
      change_pp: null,
      rank_total: null,
      period_start: '2023-01-01',
      period_end: '2023-12-31',
    });
    expect(await metric('disposable_income_per_capita')).toMatchObject({
      rank: 1,
      rank_total: 90,
      rank_kind: 'exact',
      change_abs: null,
    });
    const fact = async (indicator: string) =>
      (
        await sql<Row>`select * from curated.indicator_values
                        where region = '嘉兴市' and indicator = ${indicator}`.execute(reader.db)
      ).rows[0]!;
    expect(await fact('urban_rural_income_ratio')).toMatchObject({ change_abs: -0.02, rank_total: null });
    expect(await fact('disposable_income_per_capita')).toMatchObject({ rank: 1, rank_total: 90 });

    // The same article restated with another absolute change: the row and the fact follow it.
    const before = (await fact('urban_rural_income_ratio')).sync_token;
    await indexArticle(tdb.db, article('公报', text, [ratio(-0.03), income]), page('abs-1'));
    expect(await metric('urban_rural_income_ratio')).toMatchObject({ change_abs: -0.03 });
    const after = await fact('urban_rural_income_ratio');
    expect(after).toMatchObject({ change_abs: -0.03 });
    expect(Number(after.sync_token)).toBeGreaterThan(Number(before));
  });

  it('evidence and source_url resolve to the URL of the copy they were read on', async () => {
    await indexSeeds();
    const { rows } = await sql<{
      evidence: { versionId: number; url: string }[];
      source_url: string;
      urls: string[];
    }>`
      select m.evidence, m.source_url, a.urls
        from curated.metrics m join curated.articles a on a.id = m.article_id`.execute(reader.db);
    const { rows: versions } = await sql<{
      id: number;
      url: string;
    }>`select id, url from article_versions`.execute(tdb.db);
    const urlOf = new Map(versions.map((v) => [v.id, v.url]));
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.urls).toContain(r.source_url);
      for (const e of r.evidence) {
        expect(e.url).toBe(urlOf.get(e.versionId));
        expect(r.urls).toContain(e.url);
      }
    }
    // The merged 000/001 article quotes both copies.
    const urls = new Set(rows.flatMap((r) => r.evidence.map((e) => e.url)));
    expect(urls).toContain(seedPage(SEED_FILES[0]).finalUrl);
    expect(urls).toContain(seedPage(SEED_FILES[1]).finalUrl);
  });
});

describe('search and look-up', () => {
  it('finds every article whose simplified text contains the query, whatever its script', async () => {
    await indexSeeds();
    // Both pairs of 发展发 are in this text, never together: a candidate the text check must drop.
    await indexArticle(
      tdb.db,
      article('陷阱', '只有发展，展发两字倒着写也在这里，但三个字连着并不出现。GDP统计口径说明。', []),
      page('trap'),
    );
    const { rows: all } = await sql<{ id: number; body_simplified: string }>`
      select id, body_simplified from curated.articles`.execute(reader.db);
    for (const q of [
      '发展',
      '發展',
      '高质量发展',
      '发展发',
      '富',
      '柯桥区',
      'gdp',
      'Charity',
      '不存在的词语',
    ]) {
      const expected = all
        .filter((a) => a.body_simplified.toLowerCase().includes(q.toLowerCase()))
        .map((a) => a.id)
        .sort((a, b) => a - b);
      const { rows } = await sql<{ id: number }>`select id from curated.search_articles(${q})`.execute(
        reader.db,
      );
      expect(
        rows.map((r) => r.id).sort((a, b) => a - b),
        q,
      ).toEqual(expected);
    }
    // The traditional seed (004: 發展) is found by the simplified query.
    const { rows: hits } = await sql<{ language: string; body: string }>`
      select language, body from curated.search_articles('发展')`.execute(reader.db);
    expect(hits.some((h) => h.body.includes('發展') && !h.body.includes('发展'))).toBe(true);
    expect(hits.length).toBeGreaterThanOrEqual(3);
  });

  it('a URL leads to its article', async () => {
    await indexSeeds();
    const find = async (url: string) =>
      (
        await sql<{ id: number; urls: string[] }>`
          select a.id, a.urls from curated.article_urls u join curated.articles a on a.id = u.article_id
           where u.url = ${url} order by u.last_seen_at desc limit 1`.execute(reader.db)
      ).rows[0];
    const a = await find(seedPage(SEED_FILES[0]).finalUrl);
    const b = await find(seedPage(SEED_FILES[1]).finalUrl);
    expect(a!.id).toBe(b!.id);
    expect(a!.urls).toEqual([seedPage(SEED_FILES[0]).finalUrl, seedPage(SEED_FILES[1]).finalUrl]);
    expect(await find('https://mirror.example/unknown.html')).toBeUndefined();
  });
});

describe('reference data', () => {
  it('every region and indicator of the metrics resolves, with codes, parents, English names and definitions', async () => {
    await indexSeeds();
    const { rows: unresolved } = await sql<{ region: string; indicator: string }>`
      select m.region, m.indicator from curated.metrics m
       where not exists (select 1 from curated.regions r where r.name = m.region)
          or not exists (select 1 from curated.indicators i where i.code = m.indicator)`.execute(reader.db);
    expect(unresolved).toEqual([]);
    const { rows: keqiao } = await sql`
      select r.code, r.level, r.parent, r.parent_code, r.name_en, p.parent as grandparent
        from curated.regions r join curated.regions p on p.code = r.parent_code
       where r.name = '柯桥区'`.execute(reader.db);
    expect(keqiao).toEqual([
      {
        code: '330603',
        level: 'district',
        parent: '绍兴市',
        parent_code: '330600',
        name_en: 'Keqiao District',
        grandparent: '浙江省',
      },
    ]);
    const { rows: counts } = await sql<{ level: string; n: number }>`
      select level, count(*)::int as n from curated.regions group by level order by level`.execute(reader.db);
    // The gazetteer's own header: 1 province, 11 cities, 37 districts, 20 county-level cities, 33 counties.
    expect(counts).toEqual([
      { level: 'city', n: 11 },
      { level: 'county', n: 33 },
      { level: 'county_city', n: 20 },
      { level: 'district', n: 37 },
      { level: 'province', n: 1 },
    ]);
    const { rows: gdp } = await sql`
      select name_zh, name_en, unit, length(definition) > 20 as defined from curated.indicators where code = 'gdp'`.execute(
      reader.db,
    );
    expect(gdp).toEqual([
      { name_zh: '地区生产总值', name_en: 'Gross regional product', unit: 'CNY', defined: true },
    ]);
  });
});
