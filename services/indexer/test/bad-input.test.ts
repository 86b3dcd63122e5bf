import { PermanentError, type Metric, type ParsedArticle } from '@govwire/shared';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { indexArticlesSettled, type IndexItem } from '../src';
import { seedArticle, seedPage, SEED_FILES } from './fixtures/seed-articles';
import { useIndexDatabase } from './helpers';

/**
 * Articles beyond what an article can be: each is indexed within the limits or fails permanently
 * with a one-line reason, and never takes the rest of its batch down with it.
 */
const tdb = useIndexDatabase();

const [f000, , f002, f003, f004] = SEED_FILES as [string, string, string, string, string];
const item = (
  file: string,
  url: string,
  change: (a: ParsedArticle) => ParsedArticle = (a) => a,
): IndexItem => ({
  article: change(seedArticle(file)),
  page: { ...seedPage(file), url, finalUrl: url },
});

/** 50,000 distinct facts: one region and indicator, a period each. */
function manyMetrics(evidence: Metric['evidence']): Metric[] {
  return Array.from({ length: 50_000 }, (_, i) => ({
    region: '柯桥区',
    indicator: 'gdp',
    period: `p${String(i).padStart(5, '0')}`,
    value: i,
    unit: 'CNY',
    changePct: null,
    changeKind: null,
    rank: null,
    rankScope: null,
    qualifier: null,
    evidence,
    lang: 'zh-Hans',
  }));
}

async function storedByUrl(url: string) {
  const { rows } = await sql<{ title: string; warnings: string[]; metrics: number }>`
    select v.title, v.warnings,
           (select count(*)::int from article_metrics m where m.article_id = v.article_id) as metrics
      from article_versions v where v.url = ${url}`.execute(tdb.db);
  return rows[0];
}

describe('bad input in a batch', () => {
  it('indexes the good items and the oversized ones within limits; a 5 MB text fails alone', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const longTitle = '标'.repeat(100 * 1024);
    const batch = [
      item(f000, 'https://ok.example/000'),
      item(f002, 'https://bad.example/metrics', (a) => ({
        ...a,
        metrics: manyMetrics(a.metrics[0]!.evidence),
      })),
      item(f003, 'https://bad.example/body', (a) => ({ ...a, text: big, textSimplified: big })),
      item(f004, 'https://bad.example/title', (a) => ({ ...a, title: longTitle })),
    ];
    const settled = await indexArticlesSettled(tdb.db, batch);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);

    const failure = (settled[2] as PromiseRejectedResult).reason as PermanentError;
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure.code).toBe('article_too_large');
    expect(failure.message).toBe(
      'article from https://bad.example/body has 5242880 characters of text, over the limit of 500000',
    );
    expect(await storedByUrl('https://bad.example/body')).toBeUndefined();

    // The first 2,000 of 50,000 facts are kept, and the cut is recorded.
    const metrics = await storedByUrl('https://bad.example/metrics');
    expect(metrics?.metrics).toBe(2000);
    expect(metrics?.warnings).toContain('metrics_truncated: 50000 > 2000 facts, the first kept');

    const title = await storedByUrl('https://bad.example/title');
    expect(title?.title).toBe('标'.repeat(1000));
    expect(title?.warnings).toContain('title_truncated: 102400 > 1000 characters');

    expect(await storedByUrl('https://ok.example/000')).toMatchObject({ metrics: 5 });
  });

  it('an article Postgres refuses fails alone, permanently, and the rest of its batch commits', async () => {
    const batch = [
      item(f000, 'https://ok.example/000'),
      item(f002, 'https://bad.example/nul', (a) => ({ ...a, title: 'bad \u0000 title' })),
      item(f004, 'https://ok.example/004'),
    ];
    const settled = await indexArticlesSettled(tdb.db, batch);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = (settled[1] as PromiseRejectedResult).reason as PermanentError;
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure.code).toBe('bad_article');
    expect(failure.message).not.toContain('\n');
    expect(await storedByUrl('https://ok.example/000')).toBeDefined();
    expect(await storedByUrl('https://ok.example/004')).toBeDefined();
    expect(await storedByUrl('https://bad.example/nul')).toBeUndefined();
  });

  it('custom limits apply', async () => {
    const [s] = await indexArticlesSettled(tdb.db, [item(f000, 'https://ok.example/000')], {
      limits: { maxTextChars: 100 },
    });
    expect(s!.status).toBe('rejected');
    expect(((s as PromiseRejectedResult).reason as PermanentError).code).toBe('article_too_large');
  });
});
