import type { Db } from '@govwire/shared';
import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { truncateIndex } from '../src/repositories/maintenance.repository';

export { truncateIndex };

/**
 * A database of the test file's own, created before its tests, emptied of everything indexed
 * before each one and dropped after them all. Read `db` inside a test or hook, once it exists.
 */
export function useIndexDatabase(): { readonly db: Db } {
  let tdb: TestDatabase | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(async () => {
    await truncateIndex(tdb!.db);
  });
  return {
    get db() {
      if (!tdb) throw new Error('the test database is created in beforeAll: read db inside a test');
      return tdb.db;
    },
  };
}

/** Everything the indexer stored, in a stable order: two equal snapshots mean nothing changed. */
export async function snapshot(db: Db) {
  const q = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
  return {
    articles: await q(sql`select * from articles order by id`),
    urls: await q(sql`select * from article_urls order by url, article_id`),
    versions: await q(sql`select * from article_versions order by id`),
    lshKeys: await q(
      sql`select count(*)::int as n, sum(k)::numeric as s from article_versions, unnest(lsh_keys) k`,
    ),
    metrics: await q(
      sql`select * from article_metrics order by article_id, region, indicator, period, is_target`,
    ),
    curatedArticles: await q(sql`select * from curated.articles order by id`),
    curatedMetrics: await q(
      sql`select * from curated.metrics order by article_id, region, indicator, period`,
    ),
    indicatorValues: await q(sql`select * from curated.indicator_values order by region, indicator, period`),
  };
}
