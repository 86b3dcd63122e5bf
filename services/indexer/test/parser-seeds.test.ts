import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createParserContext, parseDocument } from '@govwire/parser';
import { parsedArticleSchema, type ParsedArticle } from '@govwire/shared';
import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexArticle, type IndexResult } from '../src';
import { SEEDS_DIR, SEED_FILES, seedPage } from './fixtures/seed-articles';
import { snapshot } from './helpers';

const parser = createParserContext();

/**
 * The seeds through the real parser, then the indexer: what `pnpm ingest ../shared/seeds/*.txt`
 * does minus the queues. Four articles, 000 and 001 one article with both URLs, and one row for
 * Keqiao's 2022 GDP; indexing the same parses again changes nothing.
 */
let tdb: TestDatabase;
let parsed: { file: string; article: ParsedArticle }[];
beforeAll(async () => {
  tdb = await createTestDatabase();
  parsed = SEED_FILES.map((file) => ({
    file,
    // Through the job schema, as the index-article payload would be (extra parser fields dropped).
    article: parsedArticleSchema.parse(
      parseDocument(parser, { bytes: readFileSync(path.join(SEEDS_DIR, file)) }),
    ),
  }));
});
afterAll(async () => {
  await tdb?.drop();
});

describe('seeds parsed by @govwire/parser, then indexed', () => {
  it('leave four articles, 000 and 001 merged with both URLs, and one Keqiao 2022 GDP row', async () => {
    const results: IndexResult[] = [];
    for (const { file, article } of parsed) results.push(await indexArticle(tdb.db, article, seedPage(file)));
    expect(results[1]!.articleId).toBe(results[0]!.articleId);
    const { rows } = await sql<{ id: number; urls: string[]; language: string; body: string }>`
      select * from curated.articles order by id`.execute(tdb.db);
    expect(rows).toHaveLength(4);
    const keqiao = rows.find((r) => r.id === results[0]!.articleId)!;
    expect(keqiao.urls.sort()).toEqual(
      [seedPage(SEED_FILES[0]).finalUrl, seedPage(SEED_FILES[1]).finalUrl].sort(),
    );
    expect(keqiao.body).toMatch(/1901亿元/);
    const gdp = await sql<{ value: number; article_count: number }>`
      select * from curated.indicator_values where region = '柯桥区' and indicator = 'gdp' and period = '2022'`.execute(
      tdb.db,
    );
    expect(gdp.rows).toHaveLength(1);
    expect(gdp.rows[0]).toMatchObject({ value: 190_100_000_000, article_count: 1 });
  });

  it('indexing the same parses again changes nothing', async () => {
    const before = await snapshot(tdb.db);
    for (const { file, article } of parsed) {
      expect((await indexArticle(tdb.db, article, seedPage(file))).match).toBe('exact');
    }
    expect(await snapshot(tdb.db)).toEqual(before);
  });
});
