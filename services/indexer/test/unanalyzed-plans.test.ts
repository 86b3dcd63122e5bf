import { createDb, type Db } from '@govwire/shared';
import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionsOfArticlesQuery } from '../src/repositories/articles.repository';

/**
 * On a machine whose Postgres runs without autovacuum (ours), the indexer's tables are never
 * analyzed, and the planner guesses: for the versions of 50 articles it expected ~15,000 rows and,
 * on a plain connection, ran a two-worker parallel scan (114 ms a call late in a 100k reparse,
 * the indexer's costliest statement). The workers' connections (SHORT_QUERY_SETTINGS) and the
 * test databases plan without parallel workers.
 */
describe('indexer plans on tables never analyzed', () => {
  let tdb: TestDatabase;
  const N = 40_000;
  const ids = Array.from({ length: 50 }, (_, i) => N - 100 + i);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // Articles with one version each, the text ~640 characters and 32 LSH keys: enough pages for
    // the planner to consider a parallel plan. No analyze.
    await sql`
      with a as (
        insert into articles (content_hash, title, language, body, body_simplified, version_count)
        select 'fill' || g, 'filler ' || g, 'zh-Hans', 'filler', 'filler', 1 from generate_series(1, ${N}::int) g
        returning id, content_hash)
      insert into article_versions (article_id, content_hash, match_kind, url, title, language, text,
                                    text_simplified, paragraphs, metrics, warnings, is_bilingual, clean_chars,
                                    lsh_keys, first_seen_at, last_seen_at)
      select id, content_hash, 'new', 'https://fill.example/' || id, 'filler', 'zh-Hans',
             repeat(md5(id::text), 20), 'x', '[]', '[]', '[]', false, 640,
             (select array_agg(b::bigint) from generate_series(1, 32) b), now(), now()
        from a`.execute(tdb.db);
  });
  afterAll(async () => tdb?.drop());

  const usesParallelWorkers = async (db: Db) => {
    const plan = await versionsOfArticlesQuery(db, ids).explain('json');
    return JSON.stringify(plan).includes('"Workers Planned"');
  };

  it('a plain connection plans parallel workers for the versions of 50 articles', async () => {
    // The failure the settings exist for; if Postgres stops planning it, this says so.
    const plain = createDb(tdb.url, { max: 1 });
    try {
      expect(await usesParallelWorkers(plain)).toBe(true);
    } finally {
      await plain.destroy();
    }
  });

  it('the workers and the tests plan none', async () => {
    expect(await usesParallelWorkers(tdb.db)).toBe(false);
    const rows = await versionsOfArticlesQuery(tdb.db, ids).execute();
    expect(rows.map((r) => Number(r.article_id))).toEqual(ids);
  });
});
