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

describe('the cache is bounded by the bytes its entries hold', () => {
  // Five texts of about one size: a seed and a sentence of its own each.
  const seed = seedArticle(SEED_FILES[2]!);
  const texts = ['一', '二', '三', '四', '五'].map((n, i) => ({
    ...seed,
    textSimplified: `${seed.textSimplified}\n第${n}段落另有说明。`,
    id: i + 1,
    articleId: i + 1,
  }));
  // What an entry holds: the shingles of its text, 4 bytes each, and a small overhead.
  const bytesOf = (t: (typeof texts)[number]) =>
    Object.values(comparableText(t).shingles).reduce((n, s) => n + s.byteLength, 0);

  it('drops the least recently used versions once full, and keeps the rest', () => {
    const size = Math.max(...texts.map(bytesOf));
    expect(Math.min(...texts.map(bytesOf))).toBeGreaterThan(size - 100);
    // Room for two texts and their overheads, never for three.
    const cache = new ComparableCache(2.5 * size);
    for (const t of texts) cache.get(t);
    expect(texts.filter((t) => cache.has(t.id)).map((t) => t.id)).toEqual([4, 5]);
    // A look-up makes the version the most recently used: a new one drops the other.
    cache.get(texts[4]!);
    cache.get(texts[0]!);
    expect(cache.has(5)).toBe(true);
    expect(cache.has(1)).toBe(true);
    // INDEXER_CACHE_MB=0: each text is shingled when asked for, and nothing is kept.
    const none = new ComparableCache(0);
    expect(none.get(texts[0]!).shingles).toEqual(comparableText(texts[0]!).shingles);
    expect(none.has(1)).toBe(false);
  });

  it('reads the assertions of a refreshed title again, and keeps the shingles', () => {
    const cache = new ComparableCache();
    const t = { ...texts[0]!, title: '共同富裕工作简报 第12期' };
    const first = cache.get(t);
    const issues = (c: typeof first) =>
      c
        .assertions(DEFAULT_MERGE_GUARD)
        .filter((a) => a.kind === 'issue')
        .map((a) => a.text);
    expect(issues(first)).toEqual(['第12期']);
    const retitled = cache.get({ ...t, title: '共同富裕工作简报 第13期' });
    expect(retitled.shingles).toBe(first.shingles);
    expect(issues(retitled)).toEqual(['第13期']);
    expect(issues(cache.get(t))).toEqual(['第12期']);
  });
});
