import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createReaderLogin,
  createTestDatabase,
  type ReaderLogin,
  type TestDatabase,
} from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexArticle } from '../src';
import { seedArticles, seedPage } from './fixtures/seed-articles';

/**
 * The curated views are a published contract, and docs/data-contract.md is its text: this test
 * reads the column tables from the document and compares them with information_schema, so a view
 * that changes shape (or a column left undocumented) fails here.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DOC = path.join(REPO, 'docs/data-contract.md');

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
let reader: ReaderLogin;
beforeAll(async () => {
  tdb = await createTestDatabase();
  reader = await createReaderLogin(tdb);
});
afterAll(async () => {
  await reader?.drop();
  await tdb?.drop();
});

describe('curated schema contract', () => {
  it('documents every view', async () => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.views where table_schema = 'curated' order by table_name`.execute(
      tdb.db,
    );
    expect([...documentedViews().keys()].sort()).toEqual(rows.map((r) => `curated.${r.table_name}`));
    expect([...documentedViews().keys()].sort()).toEqual([
      'curated.article_urls',
      'curated.articles',
      'curated.deletions',
      'curated.indicator_values',
      'curated.indicators',
      'curated.metrics',
      'curated.regions',
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

  it('documents every function', async () => {
    const { rows } = await sql<{ proname: string }>`
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'curated' order by p.proname`.execute(tdb.db);
    const functions = readFileSync(DOC, 'utf8').split('## Functions')[1]!.split('\n## ')[0]!;
    for (const { proname } of rows) expect(functions).toContain(`\`curated.${proname}(`);
    expect(rows.length).toBe(5);
  });

  it('nothing but views lives in curated', async () => {
    const { rows } = await sql<{ table_name: string; table_type: string }>`
      select table_name, table_type from information_schema.tables where table_schema = 'curated'`.execute(
      tdb.db,
    );
    expect(rows.every((r) => r.table_type === 'VIEW')).toBe(true);
  });

  it('every period form the contract lists gives the bounds it lists; other strings give none', async () => {
    const periods = readFileSync(DOC, 'utf8').split('## Periods')[1]!.split('\n## ')[0]!;
    const rows = [
      ...periods.matchAll(/^\|[^|]+\|\s*`([^`]+)`\s*\|\s*(\d{4}-\d\d-\d\d) \.\. (\d{4}-\d\d-\d\d)\s*\|/gm),
    ];
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const bounds = async (p: string) =>
      (
        await sql<{ s: string | null; e: string | null }>`
          select period_start::text as s, period_end::text as e from curated.period_bounds(${p})`.execute(
          reader.db,
        )
      ).rows[0];
    for (const [, period, start, end] of rows)
      expect(await bounds(period!), period).toEqual({ s: start, e: end });
    for (const bad of [
      '2023-13',
      '2023-02-30',
      '2023/2022',
      '2023-Q5',
      '２０２３',
      '2023-01/2023-06/2023-09',
      '',
    ])
      expect(await bounds(bad), bad).toEqual({ s: null, e: null });
  });

  it('links nothing outside the repository', () => {
    const text = readFileSync(DOC, 'utf8');
    expect(text).not.toMatch(/https?:\/\//);
    // Markdown links resolve to files of the repository; no absolute paths anywhere.
    for (const [, target] of text.matchAll(/\]\(([^)]+)\)/g)) {
      const file = path.resolve(path.dirname(DOC), target!.split('#')[0]!);
      expect(file.startsWith(REPO + path.sep), target).toBe(true);
      expect(existsSync(file), target).toBe(true);
    }
    expect(text).not.toMatch(/`\/(work|home|tmp|usr|etc)\//);
  });
});

describe('govwire_reader, through a login that inherits it', () => {
  it('reads every curated view and calls every curated function', async () => {
    for (const { file, article } of seedArticles()) await indexArticle(tdb.db, article, seedPage(file));
    const { rows: views } = await sql<{ table_name: string }>`
      select table_name from information_schema.views where table_schema = 'curated'`.execute(tdb.db);
    expect(views.length).toBe(7);
    for (const { table_name } of views) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(`curated.${table_name}`)}`.execute(reader.db);
      if (table_name !== 'deletions') expect(rows[0]!.n, table_name).toBeGreaterThan(0);
    }
    const { rows } = await sql<{ h: number; hits: number; p: string }>`
      select curated.sync_horizon() as h,
             (select count(*)::int from curated.search_articles('柯桥')) as hits,
             (select period_end::text from curated.period_bounds('2023-Q3')) as p`.execute(reader.db);
    expect(rows[0]!.h).toBeGreaterThan(0);
    expect(rows[0]!.hits).toBeGreaterThan(0);
    expect(rows[0]!.p).toBe('2023-09-30');
  });

  it('reads nothing private and writes nothing', async () => {
    for (const table of ['articles', 'article_metrics', 'article_sync', 'curated_deletions', 'ref_regions']) {
      await expect(sql`select 1 from ${sql.table(table)}`.execute(reader.db), table).rejects.toThrow(
        /permission denied/,
      );
    }
    // Single-table views PostgreSQL could write through: refused for want of the privilege.
    await expect(sql`delete from curated.deletions`.execute(reader.db)).rejects.toThrow(/permission denied/);
    await expect(sql`update curated.indicators set unit = 'x'`.execute(reader.db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql`delete from curated.article_urls`.execute(reader.db)).rejects.toThrow(
      /permission denied/,
    );
  });

  it('has a statement timeout: set on govwire_reader, and on the login as the contract says', async () => {
    const { rows } = await sql<{ setconfig: string[] }>`
      select s.setconfig from pg_db_role_setting s
       where s.setrole = 'govwire_reader'::regrole and s.setdatabase = 0`.execute(tdb.db);
    expect(rows[0]?.setconfig).toContain('statement_timeout=30s');
    const { rows: shown } = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(
      reader.db,
    );
    expect(shown[0]!.statement_timeout).toBe('30s');
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
