import type { Metric } from '@govwire/shared';
import { describe, expect, it } from 'vitest';
import { earliestPublished, rankVersions } from './best-version';
import { mergeLang, mergeMetrics } from './metrics';

const at = (s: string) => new Date(s);

describe('rankVersions', () => {
  it('bilingual over monolingual, then longer clean text, then earliest date', () => {
    const versions = [
      {
        id: 1,
        isBilingual: false,
        cleanChars: 4119,
        publishedAt: '2023-03-28',
        firstSeenAt: at('2026-01-01'),
      },
      {
        id: 2,
        isBilingual: true,
        cleanChars: 3000,
        publishedAt: '2023-03-29',
        firstSeenAt: at('2026-01-02'),
      },
      { id: 3, isBilingual: false, cleanChars: 5000, publishedAt: null, firstSeenAt: at('2026-01-01') },
      {
        id: 4,
        isBilingual: false,
        cleanChars: 5000,
        publishedAt: '2023-03-30',
        firstSeenAt: at('2026-01-03'),
      },
    ];
    expect(rankVersions(versions).map((v) => v.id)).toEqual([2, 4, 3, 1]);
    expect(earliestPublished(versions)).toBe('2023-03-28');
  });
});

const metric = (x: Partial<Metric>): Metric => ({
  region: '柯桥区',
  indicator: 'gdp',
  period: '2022',
  value: 190_100_000_000,
  unit: 'CNY',
  changePct: 4.5,
  changeKind: 'annual',
  rank: null,
  rankScope: null,
  qualifier: null,
  evidence: [{ text: '地区生产总值1901亿元,增长4.5%', start: 0, end: 10, lang: 'zh-Hans' }],
  lang: 'zh-Hans',
  ...x,
});

describe('mergeMetrics', () => {
  it('counts one fact once across the bilingual page and its English copy', () => {
    const en = {
      text: 'the gross regional product reached a towering 190.1 billion',
      start: 5,
      end: 50,
      lang: 'en' as const,
    };
    const merged = mergeMetrics([
      { versionId: 10, metrics: [metric({}), metric({ lang: 'en', evidence: [en] })] },
      { versionId: 11, metrics: [metric({ lang: 'en', evidence: [en] })] },
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      value: 190_100_000_000,
      changePct: 4.5,
      lang: 'mixed',
      versionId: 10,
      isTarget: false,
    });
    // The English sentence is the same evidence in both versions: kept once.
    expect(merged[0]!.evidence.map((e) => [e.lang, e.versionId])).toEqual([
      ['zh-Hans', 10],
      ['en', 10],
    ]);
  });

  it('takes a value a better version lacks from a lesser one, and keeps targets apart', () => {
    const merged = mergeMetrics([
      {
        versionId: 1,
        metrics: [
          metric({ value: null, changePct: 4.5 }),
          metric({ value: 2e11, changePct: null, qualifier: 'target' }),
        ],
      },
      {
        versionId: 2,
        metrics: [metric({ value: 190_100_000_000, changePct: null, rank: 3, rankScope: 'province' })],
      },
    ]);
    const actual = merged.find((m) => !m.isTarget)!;
    expect(actual).toMatchObject({
      value: 190_100_000_000,
      changePct: 4.5,
      rank: 3,
      rankScope: 'province',
      versionId: 2,
    });
    expect(merged.find((m) => m.isTarget)).toMatchObject({ value: 2e11, qualifier: 'target' });
  });

  it('writes a figure as exactly as any version does, by the shared "same figure" only', () => {
    // The best version (bilingual) says "190.1 billion"; a copy says 1901.08亿元, the same figure
    // rounded differently; another copy states 1950亿元 for the same fact, which is not it.
    const merged = mergeMetrics([
      { versionId: 1, metrics: [metric({ value: 190_100_000_000 })] },
      { versionId: 2, metrics: [metric({ value: 195_000_000_000 })] },
      { versionId: 3, metrics: [metric({ value: 190_108_000_000 })] },
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ value: 190_108_000_000, versionId: 3 });
    // A value in another unit is never taken for the figure, however close.
    const ratio = mergeMetrics([
      { versionId: 1, metrics: [metric({ indicator: 'x', value: 1.6, unit: 'ratio' })] },
      { versionId: 2, metrics: [metric({ indicator: 'x', value: 1.599, unit: '%' })] },
    ]);
    expect(ratio[0]).toMatchObject({ value: 1.6, unit: 'ratio', versionId: 1 });
  });

  it('merges languages', () => {
    expect(mergeLang(['en', 'zh-Hant'])).toBe('mixed');
    expect(mergeLang(['zh-Hant'])).toBe('zh-Hant');
    expect(mergeLang(['en', 'en'])).toBe('en');
  });
});
