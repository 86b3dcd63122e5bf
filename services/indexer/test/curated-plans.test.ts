import {
  createReaderLogin,
  createTestDatabase,
  type ReaderLogin,
  type TestDatabase,
} from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curatedQueries, explain, fillCurated } from './fixtures/curated-bulk';

/**
 * The contract's cursor, URL and search queries on 100,000 rows per view, read as a downstream
 * login: each must reach its index (no sequential scan of a large table). The timings are printed
 * by `pnpm bench:curated`; this test asserts plans only.
 */
const N = 100_000;

let tdb: TestDatabase;
let reader: ReaderLogin;
let token: number;
beforeAll(async () => {
  tdb = await createTestDatabase();
  reader = await createReaderLogin(tdb);
  token = await tdb.db.transaction().execute((tx) => fillCurated(tx, N));
  // Statistics of the committed rows, once: the 100,000 inserts would otherwise wake autovacuum's
  // analyze at some moment of the test, and a plan read before it and one read after differed
  // (a CI run under load saw article_sync scanned whole for the one-character search).
  await sql`analyze`.execute(tdb.db);
}, 120_000);
afterAll(async () => {
  await reader?.drop();
  await tdb?.drop();
});

describe(`query plans on ${N.toLocaleString('en')} rows per view`, () => {
  for (const q of curatedQueries(N, 0)) {
    it(`${q.name} uses ${q.index}`, async () => {
      const [query] = curatedQueries(N, token).filter((x) => x.name === q.name);
      const plan = await explain(reader.db, query!.query);
      expect(plan.indexes).toContain(q.index);
      // No large table read whole (a small one, such as the empty article_versions, may be).
      const { rows: large } = await sql<{ relname: string }>`
        select relname from pg_class where relname = any (${plan.seqScans}::text[]) and reltuples > 1000`.execute(
        reader.db,
      );
      expect(large).toEqual([]);
      expect(plan.rows).toBeGreaterThan(0);
    });
  }
});
