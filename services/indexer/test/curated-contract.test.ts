import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexArticle } from '../src';
import { seedArticles, seedPage } from './fixtures/seed-articles';

/**
 * The curated views are a published contract, and docs/data-contract.md is its text: this test
 * reads the column tables from the document and compares them with information_schema, so a view
 * that changes shape (or a column left undocumented) fails here.
 */
const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/data-contract.md');

function documentedViews(): Map<string, { column: string; type: string }[]> {
  const views = new Map<string, { column: string; type: string }[]>();
  let current: string | null = null;
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const heading = /^###\s+(curated\.\w+)\s*$/.exec(line);
    if (heading) {
      current = heading[1]!;
      views.set(current, []);
      continue;
    }
    if (/^#{1,3}\s/.test(line)) current = null;
    const row = /^\|\s*`(\w+)`\s*\|\s*([^|]+?)\s*\|/.exec(line);
    if (current && row) views.get(current)!.push({ column: row[1]!, type: row[2]! });
  }
  return views;
}

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

describe('curated schema contract', () => {
  it('documents the three views', () => {
    expect([...documentedViews().keys()].sort()).toEqual([
      'curated.articles',
      'curated.indicator_values',
      'curated.metrics',
    ]);
  });

  it('every view has exactly the documented columns, in order, with the documented types', async () => {
    const { rows } = await sql<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
    }>`
      select table_name, column_name, data_type, udt_name
        from information_schema.columns
       where table_schema = 'curated'
       order by table_name, ordinal_position`.execute(tdb.db);
    const actual = new Map<string, { column: string; type: string }[]>();
    for (const r of rows) {
      const type = r.data_type === 'ARRAY' ? `${r.udt_name.replace(/^_/, '')}[]` : r.data_type;
      const key = `curated.${r.table_name}`;
      actual.set(key, [...(actual.get(key) ?? []), { column: r.column_name, type }]);
    }
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(documentedViews()));
  });

  it('nothing but views lives in curated', async () => {
    const { rows } = await sql<{ table_name: string; table_type: string }>`
      select table_name, table_type from information_schema.tables where table_schema = 'curated'`.execute(
      tdb.db,
    );
    expect(rows.every((r) => r.table_type === 'VIEW')).toBe(true);
  });
});

describe('govwire_reader', () => {
  it('reads the curated views and nothing else, and writes nothing', async () => {
    for (const { file, article } of seedArticles()) await indexArticle(tdb.db, article, seedPage(file));
    await tdb.db.connection().execute(async (conn) => {
      await sql`set role govwire_reader`.execute(conn);
      try {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from curated.articles`.execute(
          conn,
        );
        expect(rows[0]!.n).toBe(4);
        await sql`select * from curated.metrics`.execute(conn);
        await sql`select * from curated.indicator_values`.execute(conn);
        await expect(sql`select * from public.articles`.execute(conn)).rejects.toThrow(/permission denied/);
        await expect(sql`select * from article_metrics`.execute(conn)).rejects.toThrow(/permission denied/);
        await expect(sql`delete from curated.articles`.execute(conn)).rejects.toThrow(/permission denied/);
      } finally {
        await sql`reset role`.execute(conn);
      }
    });
  });

  it('the role migration tolerates an existing role (migrations run in many databases at once)', async () => {
    const others = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await Promise.all(others.map((o) => o.drop()));
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_roles where rolname = 'govwire_reader'`.execute(tdb.db);
    expect(rows[0]!.n).toBe(1);
  });
});
