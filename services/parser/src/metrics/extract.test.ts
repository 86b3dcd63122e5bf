import { metricSchema } from '@govwire/shared';
import { describe, expect, it } from 'vitest';
import { extractMetrics } from './index';
import {
  buildInput,
  EXPECTED,
  readSeed,
  SEEDS,
  seed000,
  seed001,
  seed002,
  seed003,
} from '../../test/support/seed-fixtures';
import { assertExpected } from '../../test/support/expect-metrics';
import { ctx } from '../../test/support/context';

describe.each(Object.keys(SEEDS))('seed %s (clean text)', (id) => {
  const input = SEEDS[id]!();
  const metrics = extractMetrics(ctx.metrics, input);

  it.each(EXPECTED[id]!.map((e) => [`${e.indicator} ${e.period}`, e] as const))('states %s', (_name, e) => {
    assertExpected(metrics, e);
  });

  it('emits valid metrics whose evidence is the text at its offsets', () => {
    for (const m of metrics) {
      expect(() => metricSchema.parse(m)).not.toThrow();
      for (const ev of m.evidence) {
        expect(input.text.slice(ev.start, ev.end)).toBe(ev.text);
        expect(ev.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('never states a figure twice', () => {
    const keys = metrics.map((m) => `${m.indicator}|${m.region}|${m.period}|${m.qualifier === 'target'}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('bilingual facts', () => {
  it('000: the GDP stated in English and Chinese is one metric with both evidences', () => {
    const input = seed000();
    const gdp = extractMetrics(ctx.metrics, input).filter((m) => m.indicator === 'gdp');
    expect(gdp).toHaveLength(1);
    const m = gdp[0]!;
    expect(m.lang).toBe('mixed');
    expect(m.evidence.map((e) => e.lang).sort()).toEqual(['en', 'zh-Hans']);
    expect(m.evidence.find((e) => e.lang === 'en')!.text).toContain('190.1 billion');
    expect(m.evidence.find((e) => e.lang === 'zh-Hans')!.text).toContain('地区生产总值1901亿元');
  });

  it('001: the English-only copy gives the same figures, each once, in English', () => {
    const en = extractMetrics(ctx.metrics, seed001());
    const mixed = extractMetrics(ctx.metrics, seed000()).filter((m) => m.lang === 'mixed');
    expect(en.every((m) => m.lang === 'en' && m.evidence.length === 1)).toBe(true);
    for (const m of mixed) {
      const same = en.find((x) => x.indicator === m.indicator);
      expect(same?.value, m.indicator).toBe(m.value);
    }
  });
});

describe('targets are never actual values (002)', () => {
  for (const publishedAt of [null, '2022-05-06']) {
    it(`with publishedAt ${publishedAt}`, () => {
      const metrics = extractMetrics(ctx.metrics, seed002(publishedAt));
      const actual = metrics.filter((m) => m.qualifier !== 'target');
      // 2026年全区地区生产总值突破2500亿元
      expect(actual.some((m) => m.value === 250_000_000_000)).toBe(false);
      expect(actual.some((m) => m.period === '2026')).toBe(false);
      // 固定资产投资总量突破600亿元的目标
      expect(actual.some((m) => m.indicator === 'fixed_asset_investment')).toBe(false);
      // 地区生产总值增长7.5%以上 (this year's goal)
      expect(actual.some((m) => m.changePct === 7.5)).toBe(false);
      const target2026 = metrics.find((m) => m.period === '2026');
      expect(target2026).toMatchObject({ indicator: 'gdp', value: 250_000_000_000, qualifier: 'target' });
      if (publishedAt) {
        expect(metrics.find((m) => m.indicator === 'fixed_asset_investment')).toMatchObject({
          value: 60_000_000_000,
          qualifier: 'target',
          period: '2022',
        });
        expect(metrics.find((m) => m.changePct === 7.5)).toMatchObject({
          indicator: 'gdp',
          qualifier: 'target',
          period: '2022',
        });
      }
    });
  }
});

describe('003 (traditional)', () => {
  it('兩年平均增長7% is a two-year average, not the annual change', () => {
    const gdp = extractMetrics(ctx.metrics, SEEDS['003']!()).find((m) => m.indicator === 'gdp')!;
    expect(gdp.changeKind).toBe('multi_year_average');
    expect(gdp.changeKind).not.toBe('annual');
    // 兩年平均增速列全市第二 ranks the growth rate, not the GDP.
    expect(gdp.rank).toBeNull();
  });

  it('reads nothing from the keyword line and the spam headline lists left in the text', () => {
    const input = seed003(true);
    const spamStart = input.text.indexOf('關鍵詞');
    expect(spamStart).toBeGreaterThan(0);
    const metrics = extractMetrics(ctx.metrics, input);
    expect(metrics.every((m) => m.evidence.every((e) => e.start < spamStart))).toBe(true);
    expect(metrics).toHaveLength(EXPECTED['003']!.length);
  });
});

describe('004', () => {
  it('a number split by a spam term that cleaning missed is not read (63九宮格830元)', () => {
    const raw = buildInput(readSeed('004_809b2510820eaeed.txt').split(/\n\s*\n/), {
      title: '浙江共同富裕示范區建設穩步推進',
      publishedAt: null,
      source: null,
      traditional: true,
    });
    const dpi = extractMetrics(ctx.metrics, raw).filter(
      (m) => m.indicator === 'disposable_income_per_capita',
    );
    expect(dpi.map((m) => m.value)).not.toContain(830);
    expect(dpi.map((m) => m.value)).not.toContain(63);
  });

  it('the 26 mountain counties’ GDP is not the province’s', () => {
    const metrics = extractMetrics(ctx.metrics, SEEDS['004']!());
    expect(metrics.filter((m) => m.indicator === 'gdp').map((m) => m.value)).toEqual([8_000_000_000_000]);
  });
});
