import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComparableCache, indexArticlesSettled } from '../src';
import { comparableText } from '../src/dedup';
import { versionTexts } from '../src/repositories/articles.repository';
import { DEFAULT_MERGE_GUARD } from '../src/settings/dedup-settings';
import { seedArticle, seedPage, SEED_FILES } from './fixtures/seed-articles';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

describe('the worker keeps the versions it stored as comparable texts', () => {
  it('what it remembers is what shingling the stored row gives, after the size limits', async () => {
    const cache = new ComparableCache();
    const file = SEED_FILES[2]!;
    const article = { ...seedArticle(file), title: `${'长'.repeat(50)} 第12期` };
    expect(article.metrics.length).toBeGreaterThan(2);
    const [settled] = await indexArticlesSettled(tdb.db, [{ article, page: seedPage(file) }], {
      comparableCache: cache,
      limits: { maxTitleChars: 40, maxMetrics: 2 },
    });
    const s = settled!;
    if (s.status !== 'fulfilled') throw s.reason;
    // Remembered at commit, before anything asked for it.
    expect(cache.has(s.value.versionId)).toBe(true);
    const [stored] = await versionTexts(tdb.db, [s.value.versionId]);
    // The stored row was cut by the limits; a miss would shingle the row as stored.
    expect(stored!.title.length).toBeLessThanOrEqual(40);
    expect(stored!.metrics).toHaveLength(2);
    const remembered = cache.get(stored!);
    const fromRow = comparableText(stored!);
    const { assertions: a, ...rememberedData } = remembered;
    const { assertions: b, ...rowData } = fromRow;
    expect(rememberedData).toEqual(rowData);
    expect(a(DEFAULT_MERGE_GUARD)).toEqual(b(DEFAULT_MERGE_GUARD));
  });
});
