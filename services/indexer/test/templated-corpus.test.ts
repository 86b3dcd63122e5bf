import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexArticle, loadDedupSettings, type IndexOptions, type IndexResult } from '../src';
import { mergeVeto } from '../src/dedup';
import { truncateIndex } from './helpers';
import { expectedArticleCount, loadCorpus, type CorpusItem } from './templated-corpus/corpus';

/**
 * The templated corpus through the real parser and the real indexer into Postgres: every report
 * of a template (another county, issue, month or figure) is its own article, and every copy (a
 * credit, a dropped paragraph, an English half, the traditional script, a mirror's boilerplate)
 * joined its original. In manifest order (originals first) and reversed (copies first).
 */
let tdb: TestDatabase;
let items: CorpusItem[];
// The shipped settings, as the worker passes them (thresholds, candidates verified, the guard).
const { thresholds, maxCandidates, guard } = loadDedupSettings();
const options: IndexOptions = { thresholds, maxCandidates, guard };
beforeAll(async () => {
  tdb = await createTestDatabase();
  items = loadCorpus();
});
afterAll(async () => {
  await tdb?.drop();
});

async function indexAll(order: CorpusItem[]): Promise<Map<CorpusItem, IndexResult>> {
  await truncateIndex(tdb.db);
  const out = new Map<CorpusItem, IndexResult>();
  for (const item of order) out.set(item, await indexArticle(tdb.db, item.article, item.page, options));
  return out;
}

/** The stored article of each expected one: each must map to exactly one, and no two to the same. */
function outcome(results: Map<CorpusItem, IndexResult>) {
  const idsByExpected = new Map<string, Set<number>>();
  for (const [item, r] of results) {
    const ids = idsByExpected.get(item.expectedArticle) ?? new Set<number>();
    ids.add(r.articleId);
    idsByExpected.set(item.expectedArticle, ids);
  }
  const split = [...idsByExpected].filter(([, ids]) => ids.size > 1).map(([name]) => name);
  const owners = new Map<number, string[]>();
  for (const [name, ids] of idsByExpected)
    for (const id of ids) owners.set(id, [...(owners.get(id) ?? []), name]);
  const merged = [...owners.values()].filter((names) => names.length > 1);
  return { split, merged };
}

describe('the templated corpus, parsed and indexed', () => {
  it('holds at least 30 template reports and a copy of every kind', () => {
    expect(items.filter((i) => i.kind === 'template').length).toBeGreaterThanOrEqual(30);
    for (const kind of ['credit', 'dropped-paragraph', 'english-half', 'traditional', 'mirror'] as const)
      expect(items.some((i) => i.kind === kind)).toBe(true);
    // 37 template reports and the four seed articles (001 is 000’s English copy).
    expect(expectedArticleCount(items)).toBe(41);
  });

  it('the guard alone: any two texts of one article pass it, any two reports of one template do not', () => {
    const pass: string[] = [];
    const vetoed: string[] = [];
    for (const a of items)
      for (const b of items) {
        if (a === b) continue;
        const veto = mergeVeto(guard, a.article, b.article);
        if (a.expectedArticle === b.expectedArticle && veto)
          vetoed.push(`${a.file} ~ ${b.file}: ${JSON.stringify(veto)}`);
        const template = (i: CorpusItem) => i.kind === 'template' && i.file.split('-')[0];
        if (template(a) && template(a) === template(b) && !veto) pass.push(`${a.file} ~ ${b.file}`);
      }
    expect(vetoed).toEqual([]);
    expect(pass).toEqual([]);
  });

  for (const [name, order] of [
    ['originals first', (xs: CorpusItem[]) => xs],
    ['copies first', (xs: CorpusItem[]) => [...xs].reverse()],
  ] as const) {
    it(`every report is its own article and every copy joined its original (${name})`, async () => {
      const results = await indexAll(order(items));
      expect(outcome(results)).toEqual({ split: [], merged: [] });
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from curated.articles`.execute(
        tdb.db,
      );
      expect(rows[0]!.n).toBe(41);
    });
  }

  it('each copy joined as a copy, its URL listed on the original’s article', async () => {
    const results = await indexAll(items);
    const copies = items.filter((i) => i.kind !== 'template' && i.kind !== 'seed');
    expect(copies.filter((c) => results.get(c)!.match === 'new').map((c) => c.file)).toEqual([]);
    // The English half and the dropped paragraph change the text: near-duplicates, not exact ones.
    const english = items.find((i) => i.file === 'copy-tongxiang-12-english.txt')!;
    expect(results.get(english)).toMatchObject({ match: 'near', created: false });
    const { rows } = await sql<{ urls: string[] }>`
      select urls from curated.articles where id = ${results.get(english)!.articleId}`.execute(tdb.db);
    expect(rows[0]!.urls).toContain(english.page.finalUrl);
  });
});
