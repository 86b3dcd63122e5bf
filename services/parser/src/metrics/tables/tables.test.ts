import type { Metric } from '@govwire/shared';
import { describe, expect, it } from 'vitest';
import { ctx } from '../../../test/support/context';
import { parseDocument } from '../../parse';
import { extractMetrics } from '../index';

/**
 * Statistical tables through the whole parser (HTML in, facts out), and bad input. Every expected
 * figure below was worked out by hand from the table in the test: 亿元 × 1e8, 万元 × 1e4.
 */
function parse(html: string, publishedAt?: string) {
  const meta = publishedAt ? `<meta name="PubDate" content="${publishedAt} 10:00">` : '';
  const page = `<html><head><meta charset="utf-8"><title>统计数据</title>${meta}</head><body>${html}</body></html>`;
  return parseDocument(ctx, { bytes: new TextEncoder().encode(page) });
}

const pick = (ms: Metric[], indicator: string, period: string) =>
  ms.filter((m) => m.indicator === indicator && m.period === period);

describe('statistical tables', () => {
  it('pairs each growth column with the value of its own period, and only in its own row', () => {
    const r = parse(`<h2>嘉善县2024年1-5月主要经济指标</h2>
      <table border="1">
      <tr><th>指标</th><th>单位</th><th>5月</th><th>1-5月</th><th>5月增长(%)</th><th>1-5月增长(%)</th></tr>
      <tr><td>社会消费品零售总额</td><td>亿元</td><td>24.13</td><td>118.7</td><td>-1.6</td><td>3.9</td></tr>
      <tr><td>规模以上工业增加值</td><td>亿元</td><td>31.02</td><td>150.44</td><td>—</td><td>9.1</td></tr>
      </table>`);
    expect(pick(r.metrics, 'retail_sales', '2024-05')).toMatchObject([
      { region: '嘉善县', value: 2_413_000_000, changePct: -1.6, changeKind: 'annual' },
    ]);
    expect(pick(r.metrics, 'retail_sales', '2024-01/2024-05')).toMatchObject([
      { value: 11_870_000_000, changePct: 3.9 },
    ]);
    // The May growth of industry is "—": no change, and never the retail row's -1.6.
    expect(pick(r.metrics, 'industrial_value_added', '2024-05')).toMatchObject([
      { value: 3_102_000_000, changePct: null },
    ]);
    expect(pick(r.metrics, 'industrial_value_added', '2024-01/2024-05')).toMatchObject([
      { value: 15_044_000_000, changePct: 9.1 },
    ]);
    expect(r.metrics).toHaveLength(4);
  });

  it('quotes the row and the header as evidence, at their offsets in the text', () => {
    const r = parse(`<p>2023年温岭市主要经济指标</p>
      <table><tr><td>指标</td><td>单位</td><td>1-12月</td><td>比上年增长(%)</td></tr>
      <tr><td>地区生产总值</td><td>亿元</td><td>1386.9</td><td>6.5</td></tr>
      <tr><td>财政总收入</td><td>亿元</td><td>148.2</td><td>4.7</td></tr></table>`);
    const gdp = pick(r.metrics, 'gdp', '2023')[0]!;
    expect(gdp).toMatchObject({ region: '温岭市', value: 138_690_000_000, changePct: 6.5 });
    expect(gdp.evidence.map((e) => e.text)).toEqual([
      '地区生产总值\t亿元\t1386.9\t6.5',
      '指标\t单位\t1-12月\t比上年增长(%)',
    ]);
    for (const e of gdp.evidence) expect(r.text.slice(e.start, e.end)).toBe(e.text);
  });

  it('skips rows whose label is no indicator, and columns of goals, shares and last year', () => {
    const r = parse(`<h3>2024年上半年龙游县主要经济指标</h3>
      <table><tr><td>指标</td><td>单位</td><td>2024年目标</td><td>1-6月</td><td>上年同期</td><td>增长(%)</td><td>占全市比重(%)</td></tr>
      <tr><td>规上工业增加值</td><td>亿元</td><td>90</td><td>41.6</td><td>38.2</td><td>8.9</td><td>6.1</td></tr>
      <tr><td>限额以上批零业销售额</td><td>亿元</td><td>—</td><td>210.3</td><td>199.1</td><td>5.6</td><td>3.0</td></tr>
      <tr><td>规上工业利润</td><td>亿元</td><td>—</td><td>3.2</td><td>2.9</td><td>10.3</td><td>4.2</td></tr></table>`);
    expect(r.metrics).toHaveLength(1);
    expect(r.metrics[0]).toMatchObject({
      region: '龙游县',
      indicator: 'industrial_value_added',
      period: '2024-01/2024-06',
      value: 4_160_000_000,
      changePct: 8.9,
      qualifier: null,
    });
  });

  it('reads one row per region, indicators from a two-row header', () => {
    const r = parse(`<p>2023年台州市及所辖县（市、区）地区生产总值</p>
      <table border="1">
      <tr><th rowspan="2">地区</th><th colspan="2">地区生产总值</th></tr>
      <tr><th>总量（亿元）</th><th>增长（%）</th></tr>
      <tr><td>全市</td><td>6240.7</td><td>6.0</td></tr>
      <tr><td>黄岩区</td><td>604.3</td><td>5.8</td></tr>
      <tr><td>温岭市</td><td>1386.9</td><td>6.5</td></tr>
      </table>`);
    const gdp = r.metrics.filter((m) => m.indicator === 'gdp' && m.period === '2023');
    expect(gdp.map((m) => [m.region, m.value, m.changePct])).toEqual([
      ['台州市', 624_070_000_000, 6],
      ['黄岩区', 60_430_000_000, 5.8],
      ['温岭市', 138_690_000_000, 6.5],
    ]);
  });

  it('reads an English table with a unit column', () => {
    const r = parse(`<h1>Main Economic Indicators of Yiwu, January-March 2024</h1>
      <table><tr><th>Indicator</th><th>Unit</th><th>Jan-Mar</th><th>YoY (%)</th></tr>
      <tr><td>Total imports and exports</td><td>100 million yuan</td><td>1,605.2</td><td>21.3</td></tr>
      <tr><td>Per capita disposable income</td><td>yuan</td><td>25,146</td><td>5.2</td></tr></table>`);
    expect(pick(r.metrics, 'total_import_export', '2024-01/2024-03')).toMatchObject([
      { region: '义乌市', value: 160_520_000_000, changePct: 21.3 },
    ]);
    expect(pick(r.metrics, 'disposable_income_per_capita', '2024-01/2024-03')).toMatchObject([
      { value: 25_146, changePct: 5.2 },
    ]);
  });

  it('a growth header naming a base year (over 2023, 比2023年) is the growth of the value column', () => {
    const r = parse(`<h2>Tonglu County: Key Indicators 2024</h2>
      <table><tr><th>Indicator</th><th>Unit</th><th>2024</th><th>Change from 2023 (%)</th></tr>
      <tr><td>GDP</td><td>100 million yuan</td><td>512.6</td><td>6.3</td></tr>
      <tr><td>Retail sales of consumer goods</td><td>100 million yuan</td><td>243.1</td><td>-0.8</td></tr></table>
      <h2>2024年桐庐县主要指标</h2>
      <table><tr><td>指标</td><td>单位</td><td>2024年</td><td>比2023年增长(%)</td></tr>
      <tr><td>一般公共预算收入</td><td>万元</td><td>456780</td><td>3.4</td></tr></table>`);
    expect(pick(r.metrics, 'gdp', '2024')).toMatchObject([
      { region: '桐庐县', value: 51_260_000_000, changePct: 6.3 },
    ]);
    expect(pick(r.metrics, 'retail_sales', '2024')).toMatchObject([
      { value: 24_310_000_000, changePct: -0.8 },
    ]);
    expect(pick(r.metrics, 'general_public_budget_revenue', '2024')).toMatchObject([
      { value: 4_567_800_000, changePct: 3.4 },
    ]);
    expect(r.metrics.filter((m) => m.period === '2023')).toEqual([]);
  });

  it('dates a table without a year by its publication: 1-12月 published in January is last year', () => {
    const r = parse(
      `<p>瑞安市主要经济指标</p><table><tr><td>指标</td><td>单位</td><td>1-12月</td><td>增长(%)</td></tr>
       <tr><td>一般公共预算收入</td><td>万元</td><td>825614</td><td>7.2</td></tr>
       <tr><td>城镇新增就业</td><td>人</td><td>15230</td><td>—</td></tr></table>`,
      '2024-01-26',
    );
    expect(r.metrics.map((m) => [m.indicator, m.period, m.value, m.changePct])).toEqual([
      ['general_public_budget_revenue', '2023', 8_256_140_000, 7.2],
      ['new_urban_jobs', '2023', 15_230, null],
    ]);
  });
});

describe('bad input', () => {
  const row = (i: number) => `<tr><td>地区生产总值</td><td>亿元</td><td>${i}.5</td><td>6.1</td></tr>`;

  it('a table of 2 MB gets a warning and no fact', () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => row(i)).join('');
    const html = `<h2>2023年柯桥区主要经济指标</h2><table><tr><td>指标</td><td>单位</td><td>1-12月</td><td>增长(%)</td></tr>${rows}</table>`;
    expect(html.length).toBeGreaterThan(2_000_000);
    const r = parse(html);
    expect(r.metrics).toEqual([]);
    expect(
      r.warnings.some((w) => /table at \d+ not read: too large: \d+ rows \(maxTableRows 400\)/.test(w)),
    ).toBe(true);
  });

  it('a table whose caption gives the year 20233年 gets a warning and no fact', () => {
    // Published in 2024: still no guess of the year from the date.
    const r = parse(
      `<p>20233年柯桥区主要经济指标</p><table><tr><td>指标</td><td>单位</td><td>1-12月</td><td>增长(%)</td></tr>
      ${row(2083)}${row(2084)}</table>`,
      '2024-02-01',
    );
    expect(r.metrics).toEqual([]);
    expect(r.warnings).toContainEqual(
      expect.stringMatching(/not read: its title or caption gives an impossible date/),
    );
  });

  it('a sentence of 10,000 numbers gets a warning and no fact; the sentences around it are read', () => {
    const numbers = Array.from({ length: 10_000 }, (_, i) => `${(i % 900) + 100}.${i % 10}`).join('、');
    const lead = '2023年，柯桥区地区生产总值2083.4亿元，比上年增长5.9%。';
    const text = `${lead}各村集体经济收入（万元）依次为${numbers}。`;
    const warnings: string[] = [];
    const r = extractMetrics(ctx.metrics, {
      text,
      paragraphs: [{ text, start: 0, end: text.length, lang: 'zh-Hans' }],
      title: '2023年柯桥区经济运行情况',
      publishedAt: '2024-02-01',
      source: null,
      warnings,
    });
    expect(warnings).toEqual([
      `metrics: sentence at ${lead.length} not read: more than 60 numbers (maxNumbersPerSentence)`,
    ]);
    expect(r.map((m) => [m.region, m.indicator, m.period, m.value, m.changePct])).toEqual([
      ['柯桥区', 'gdp', '2023', 208_340_000_000, 5.9],
    ]);
  });

  it('a year written 20233年 in prose gets a warning and no fact', () => {
    const text = '20233年，全县实现地区生产总值356.8亿元，增长6.1%。';
    const warnings: string[] = [];
    const r = extractMetrics(ctx.metrics, {
      text,
      paragraphs: [{ text, start: 0, end: text.length, lang: 'zh-Hans' }],
      title: '松阳县经济运行情况通报',
      publishedAt: '2024-01-20',
      source: null,
      warnings,
    });
    expect(r).toEqual([]);
    expect(warnings).toEqual(['metrics: sentence at 0 not read: an impossible year (20233年)']);
  });
});
