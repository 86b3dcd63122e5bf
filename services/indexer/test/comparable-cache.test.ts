import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComparableCache, indexArticle, indexArticlesSettled } from '../src';
import { comparableText } from '../src/dedup';
import { versionTexts } from '../src/repositories/articles.repository';
import { DEFAULT_MERGE_GUARD } from '../src/settings/dedup-settings';
import { fixedParse, mirrorPage, mirrorParse, misreadParse, refreshedPage } from './fixtures/refreshed-page';
import { seedArticle, seedPage, SEED_FILES } from './fixtures/seed-articles';
import { truncateIndex } from './helpers';

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

  it('a version its page refreshed is compared with its facts as stored now, not as remembered', async () => {
    await truncateIndex(tdb.db);
    const opts = { comparableCache: new ComparableCache() };
    // A parser bug read one figure wrong; the page parsed again after the fix refreshes the
    // stored version's metrics (same text, same page), while this worker still holds the first.
    expect(misreadParse.metrics).not.toEqual(fixedParse.metrics);
    const first = await indexArticle(tdb.db, misreadParse, refreshedPage, opts);
    expect(opts.comparableCache.has(first.versionId)).toBe(true);
    const again = await indexArticle(tdb.db, fixedParse, refreshedPage, opts);
    expect(again.match).toBe('exact');
    const [stored] = await versionTexts(tdb.db, [first.versionId]);
    expect(stored!.metrics).toEqual(fixedParse.metrics);
    // A mirror with a credit line states the figures as the page now does: it is the same article.
    const joined = await indexArticle(tdb.db, mirrorParse, mirrorPage, opts);
    expect(joined.match).toBe('near');
    expect(joined.articleId).toBe(first.articleId);
  });
});
