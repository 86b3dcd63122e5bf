import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { splitmix32 } from '../src/dedup';
import * as batchRepo from '../src/repositories/batch.repository';
import { useIndexDatabase } from './helpers';

const tdb = useIndexDatabase();

/** 3,000 random Han characters: too long and too random to stay inline, so the body is TOASTed. */
function longBody(seed: number): string {
  const next = splitmix32(seed);
  return Array.from({ length: 3000 }, () => String.fromCodePoint(0x4e00 + (next() % 8000))).join('');
}

function version(id: number, articleId: number, text: string): batchRepo.VersionInsert {
  return {
    id,
    articleId,
    contentHash: `hash-${id}`,
    matchKind: 'new',
    matchedVersionId: null,
    similarity: null,
    url: `https://example.gov.cn/${id}.html`,
    ...{ sourceId: null, pageId: null, pageContentHash: null, crawlId: null },
    ...{ title: '标题', publishedAt: null, source: null, language: 'zh-Hans' },
    ...{ text, textSimplified: text, paragraphs: [], metrics: [], warnings: [] },
    ...{
      isBilingual: false,
      cleanChars: text.length,
      lshKeys: [],
      assertionKeys: [],
      seenAt: '2026-11-01T00:00:00Z',
    },
  };
}

const state = (bestVersionId: number, contentHash: string, versionCount: number) => ({
  id: 1,
  contentHash,
  title: '标题',
  publishedAt: null,
  source: null,
  language: 'zh-Hans',
  bestVersionId,
  versionCount,
  firstSeenAt: new Date('2026-11-01T00:00:00Z'),
  lastSeenAt: new Date('2026-11-02T00:00:00Z'),
});

/** Updates of `articles` in this transaction so far: all of them, and those that were HOT. */
async function articleUpdates(tx: Parameters<typeof batchRepo.upsertArticles>[0]) {
  const { rows } = await sql<{ all: string; hot: string }>`
    select pg_stat_get_xact_tuples_updated('articles'::regclass) as all,
           pg_stat_get_xact_tuples_hot_updated('articles'::regclass) as hot`.execute(tx);
  return { all: Number(rows[0]!.all), hot: Number(rows[0]!.hot) };
}

const body = async (tx: Parameters<typeof batchRepo.upsertArticles>[0]) =>
  (await sql<{ body: string }>`select body from articles where id = 1`.execute(tx)).rows[0]!.body;

it('a copy joining an article whose best text stays is a HOT update that keeps the body', async () => {
  const text = longBody(1);
  await tdb.db.transaction().execute(async (tx) => {
    await batchRepo.insertVersions(tx, [version(10, 1, text), version(11, 1, `${text}。`)]);
    await batchRepo.upsertArticles(tx, [state(10, 'hash-10', 1)]);
    // A second version joined: the count changes, the best version (and so the body) does not.
    expect(await batchRepo.upsertArticles(tx, [state(10, 'hash-10', 2)])).toEqual(new Set([1]));
    expect(await articleUpdates(tx)).toEqual({ all: 1, hot: 1 });
    expect(await body(tx)).toBe(text);
  });
});

it('a new best version replaces the body', async () => {
  const text = longBody(2);
  await tdb.db.transaction().execute(async (tx) => {
    await batchRepo.insertVersions(tx, [version(10, 1, text), version(11, 1, `${text}。`)]);
    await batchRepo.upsertArticles(tx, [state(10, 'hash-10', 1)]);
    await batchRepo.upsertArticles(tx, [state(11, 'hash-11', 2)]);
    expect(await body(tx)).toBe(`${text}。`);
  });
});

it('the stamp trigger names every column of articles, one by one (a column it misses would never stamp)', async () => {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
     where table_schema = 'public' and table_name = 'articles'`.execute(tdb.db);
  const { rows: def } = await sql<{ src: string }>`
    select pg_get_functiondef('articles_stamp'::regproc) as src`.execute(tdb.db);
  expect(rows.length).toBeGreaterThan(10);
  for (const { column_name } of rows) expect(def[0]!.src).toContain(`new.${column_name}`);
  // Whole-row comparisons are what made every update rewrite the bodies (migration 20261204T1000).
  expect(def[0]!.src).not.toMatch(/to_jsonb\(new\)|new is not distinct/);
});

it('an update that changes nothing visible keeps updated_at; one that changes the title stamps it', async () => {
  const text = longBody(3);
  await batchRepo.insertVersions(tdb.db, [version(10, 1, text)]);
  await batchRepo.upsertArticles(tdb.db, [state(10, 'hash-10', 1)]);
  const stamp = async () =>
    (
      await sql<{ updated_at: Date; sync_token: string }>`
        select a.updated_at, s.sync_token from articles a join article_sync s on s.article_id = a.id`.execute(
        tdb.db,
      )
    ).rows[0]!;
  const before = await stamp();
  await batchRepo.upsertArticles(tdb.db, [state(10, 'hash-10', 5)]);
  expect(await stamp()).toEqual(before);
  await batchRepo.upsertArticles(tdb.db, [{ ...state(10, 'hash-10', 5), title: '新标题' }]);
  const after = await stamp();
  expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  expect(after.sync_token).not.toBe(before.sync_token);
});
