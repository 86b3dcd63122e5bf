import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { indexArticle, indexArticles, indexArticlesSettled, type IndexResult } from '../src';
import {
  fixedParse as fixed,
  gdpOf,
  mirrorPage,
  mirrorParse as mirror,
  misreadParse as misread,
  pageAt,
  refreshedPage as page,
} from './fixtures/refreshed-page';
import { truncateIndex, useIndexDatabase } from './helpers';

const tdb = useIndexDatabase();

async function storedGdp(articleId: number): Promise<number[]> {
  const { rows } = await sql<{ value: number }>`
    select value from article_metrics where article_id = ${articleId} and indicator = 'gdp' order by value`.execute(
    tdb.db,
  );
  return rows.map((r) => Number(r.value));
}

/**
 * A page parsed again after a parser fix refreshes its stored version's title and metrics. Copies
 * are compared with those metrics (the merge guard keeps texts apart whose figures differ), so a
 * refresh must be ordered with the decisions as if the jobs ran one at a time.
 */
describe('a refreshed version, as the decisions after it see it', () => {
  it('the fixture: the mirror conflicts with the misread figure and agrees with the fixed one', async () => {
    expect(gdpOf(misread.metrics)).not.toBe(gdpOf(fixed.metrics));
    const first = await indexArticle(tdb.db, misread, page);
    const apart = await indexArticle(tdb.db, mirror, mirrorPage);
    expect(apart.match).toBe('new');
    await truncateIndex(tdb.db);
    const stored = await indexArticle(tdb.db, fixed, page);
    const joined = await indexArticle(tdb.db, mirror, mirrorPage);
    expect(joined).toMatchObject({ match: 'near', articleId: stored.articleId });
    expect(first.match).toBe('new');
  });

  it('a batch that decides after the refresh took the index lock sees the fixed figure', async () => {
    const first = await indexArticle(tdb.db, misread, page);
    // The refresh's batch has released the index lock and not yet written its article when the
    // mirror's batch runs from start to end: one at a time, the refresh came first.
    let copy: IndexResult | undefined;
    const again = await indexArticle(tdb.db, fixed, page, {
      beforeSettle: async () => {
        copy ??= await indexArticle(tdb.db, mirror, mirrorPage);
      },
    });
    expect(again).toMatchObject({ match: 'exact', versionId: first.versionId });
    expect(copy).toMatchObject({ match: 'near', articleId: first.articleId });
    expect(await storedGdp(first.articleId)).toEqual([gdpOf(fixed.metrics)]);
  });

  it('a later item of the same batch sees the fixed figure', async () => {
    const first = await indexArticle(tdb.db, misread, page);
    const results = await indexArticles(tdb.db, [
      { article: fixed, page: page },
      { article: mirror, page: mirrorPage },
    ]);
    expect(results.map((r) => [r.match, r.articleId])).toEqual([
      ['exact', first.articleId],
      ['near', first.articleId],
    ]);
  });

  it('an item of the batch from another URL refreshes nothing, and nothing is seen as refreshed', async () => {
    // Only the version's own page refreshes its record: the same text from a mirror's URL is a
    // sighting of it, with whatever that copy's parse said.
    const first = await indexArticle(tdb.db, misread, page);
    const elsewhere = pageAt('https://other.example/a');
    const results = await indexArticles(tdb.db, [
      { article: fixed, page: elsewhere },
      { article: mirror, page: mirrorPage },
    ]);
    expect(results.map((r) => r.match)).toEqual(['exact', 'new']);
    expect(await storedGdp(first.articleId)).toEqual([gdpOf(misread.metrics)]);
  });

  it('a refresh whose batch died before writing its article is written by the retried job', async () => {
    const first = await indexArticle(tdb.db, misread, page);
    const crash = async () => {
      throw new Error('the worker died here');
    };
    const [died] = await indexArticlesSettled(tdb.db, [{ article: fixed, page: page }], {
      beforeSettle: crash,
    });
    expect(died!.status).toBe('rejected');
    expect(await storedGdp(first.articleId)).toEqual([gdpOf(misread.metrics)]);
    const retried = await indexArticle(tdb.db, fixed, page);
    expect(retried).toMatchObject({ match: 'exact', versionId: first.versionId, changed: true });
    expect(await storedGdp(first.articleId)).toEqual([gdpOf(fixed.metrics)]);
    // Settled once: seen again, nothing changes.
    const third = await indexArticle(tdb.db, fixed, page);
    expect(third.changed).toBe(false);
  });
});
