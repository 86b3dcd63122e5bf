import type { Metric } from '@govwire/shared';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { seedArticle, SEED_FILES } from '../../test/fixtures/seed-articles';
import { loadDedupSettings } from '../settings/dedup-settings';
import { assertionsOf, contentOf, titleMarks } from './assertions';
import { fingerprint } from './fingerprint';
import { exactContentHash } from './normalize';
import { mergeVeto, type GuardText } from './merge-guard';

const guard = loadDedupSettings().guard;
const [f000, f001, f002, f003] = SEED_FILES;
const text = (textSimplified: string, metrics: Metric[] = []): GuardText => ({ textSimplified, metrics });
const veto = (a: string, b: string) => mergeVeto(guard, text(a), text(b));

// One weekly bulletin of a template the county sites share (issue, county, meeting, two figures).
const bulletin = (county: string, issue: number, funds: string, projects: number) =>
  [
    `共同富裕工作简报 第${issue}期`,
    `近日,${county}召开共同富裕示范区建设推进会,总结前阶段工作,部署下阶段任务。`,
    `会议指出,今年以来${county}聚焦缩小城乡差距,累计投入资金${funds}万元,新建项目${projects}个,续建项目12个。`,
    `会议要求,各乡镇要压实责任,确保各项任务按期完成。`,
  ].join('\n\n');

describe('assertionsOf: what a text asserts', () => {
  it('reads regions from the gazetteer, periods, issue numbers and figures (6 characters of context)', () => {
    const got = assertionsOf(guard, '2024年1-9月,平湖市规上工业增加值186.5亿元,增长7.2%。第12期');
    const of = (kind: string) => got.filter((a) => a.kind === kind).map((a) => a.value);
    expect(of('region')).toEqual(['平湖市']);
    expect(of('period').sort()).toEqual(['m1-9', 'y2024']);
    expect(of('issue')).toEqual(['12']);
    expect(got.filter((a) => a.kind === 'figure').map((a) => [a.context, a.quantity])).toEqual([
      ['上工业增加值', { value: 18_650_000_000, unit: 'CNY', precision: 1e7 }],
      ['增长', { value: 7.2, unit: '%', precision: 0.1 }],
    ]);
  });

  it('reads English regions, periods and issues to the same values', () => {
    const got = assertionsOf(guard, 'Issue No. 12. From January to September 2024, Pinghu City grew.');
    expect(got.map((a) => `${a.kind}:${a.value}`).sort()).toEqual([
      'issue:12',
      'period:m1-9',
      'period:y2024',
      'region:平湖市',
    ]);
  });

  it('leaves publication metadata out: date lines, credits, reprint notes, URLs', () => {
    const c = contentOf(
      guard,
      '发布时间:2022-05-06 10:00 浏览次数:321\n正文增长4.5%。\n(2022年5月7日 转载)\n原文链接:https://a.example/1',
    );
    expect(c.trim()).toBe('正文增长4.5%。');
  });
});

describe('mergeVeto: copies merge', () => {
  it('the English-only copy of the bilingual seed (000 ⊃ 001)', () => {
    expect(veto(seedArticle(f000).textSimplified, seedArticle(f001).textSimplified)).toBeNull();
  });

  it('a credit line added, a paragraph dropped, a date line or reprint note of its own', () => {
    const a = seedArticle(f002).textSimplified;
    const paragraphs = a.split('\n\n');
    expect(veto(a, `${a}\n\n(记者 王小明 通讯员 李华)`)).toBeNull();
    expect(veto(a, paragraphs.filter((_, i) => i !== 2).join('\n\n'))).toBeNull();
    expect(
      veto(
        `发布时间:2022-05-06 10:00\n\n${a}\n\n(2022年5月7日 转载)`,
        `发布时间:2022-05-09 08:30\n\n${a}\n\n(2022年5月9日 转载)`,
      ),
    ).toBeNull();
  });

  it('a traditional-script copy, once simplified as the parser does', () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
    const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const a = bulletin('平湖市', 12, '786', 16);
    expect(veto(a, toSimplified(toTraditional(a)))).toBeNull();
    const b = seedArticle(f003).textSimplified;
    expect(veto(b, toSimplified(toTraditional(b)))).toBeNull();
  });

  it('an English half states the Chinese figures in other units: 1901.08亿元 is 190.1 billion yuan', () => {
    const zh = '全区实现地区生产总值1901.08亿元,同比增长4.5%。';
    const en = 'The district’s gross regional product reached 190.1 billion yuan, up 4.5 percent.';
    expect(veto(zh, `${zh}\n\n${en}`)).toBeNull();
    // The English half alone, told in other words: matched across scripts, on the figures.
    const paraphrase = 'Its GDP was 190.1 billion yuan, an increase of 4.5 percent.';
    expect(veto(`${zh}\n\n${en}`, paraphrase)).toBeNull();
    expect(
      veto(`${zh}\n\n${en}`, 'Its GDP was 190.2 billion yuan, an increase of 4.5 percent.'),
    ).toMatchObject({
      kind: 'figure',
    });
  });
});

describe('mergeVeto: reports from one template never merge', () => {
  const a = bulletin('平湖市', 12, '786', 16);

  it('only the county differs', () => {
    expect(veto(a, bulletin('海宁市', 12, '786', 16))).toEqual({ kind: 'region', a: '平湖市', b: '海宁市' });
  });
  it('only the issue number differs', () => {
    expect(veto(a, bulletin('平湖市', 13, '786', 16))).toEqual({ kind: 'issue', a: '第12期', b: '第13期' });
  });
  it('only one figure differs, by one unit', () => {
    expect(veto(a, bulletin('平湖市', 12, '787', 16))).toEqual({
      kind: 'figure',
      a: '786万元',
      b: '787万元',
    });
  });
  it('only the month differs in a monthly release', () => {
    const release = (months: string) => `2024年${months}月,全市实现规上工业增加值186.5亿元,同比增长7.2%。`;
    expect(veto(release('1-9'), release('1-10'))).toMatchObject({
      kind: 'period',
      a: '2024年1-9月',
      b: '2024年1-10月',
    });
  });
  it('two figures swapped between their labels', () => {
    const swapped = a.replace('新建项目16个,续建项目12个', '新建项目12个,续建项目16个');
    expect(swapped).not.toBe(a);
    expect(veto(a, swapped)).toMatchObject({ kind: 'figure' });
  });
  it('a paragraph dropped AND a figure changed elsewhere (both sides assert something alone)', () => {
    const b = bulletin('平湖市', 12, '790', 16)
      .split('\n\n')
      .filter((_, i) => i !== 3)
      .join('\n\n');
    expect(veto(a, b)).toMatchObject({ kind: 'figure' });
  });
  it('the seed with its GDP changed; last year’s report with its year and figures', () => {
    const s = seedArticle(f000).textSimplified;
    expect(
      veto(s, s.replace('地区生产总值1901亿元,增长4.5%', '地区生产总值1902亿元,增长4.6%')),
    ).not.toBeNull();
    expect(
      veto(
        '2022年,全区地区生产总值1901亿元,增长4.5%。农村居民人均可支配收入增长7.4%。',
        '2021年,全区地区生产总值1800亿元,增长8.5%。农村居民人均可支配收入增长9.1%。',
      ),
    ).not.toBeNull();
  });
});

describe('titles: an issue number or a period often stands in the title alone', () => {
  const body = bulletin('嘉善县', 12, '655', 14).split('\n\n').slice(1).join('\n\n');
  it('the guard reads the title with the body', () => {
    const a = { title: '嘉善县共同富裕工作简报(第12期)', textSimplified: body, metrics: [] };
    const b = { ...a, title: '嘉善县共同富裕工作简报(第13期)' };
    expect(mergeVeto(guard, a, b)).toEqual({ kind: 'issue', a: '第12期', b: '第13期' });
    expect(mergeVeto(guard, a, { ...a, title: '嘉善县共同富裕工作简报' })).toBeNull();
  });
  it('a county the title alone names joins the exact content hash', () => {
    // A notice counties copy from the province's template: the same body under each county's
    // title (the issuing office under it is boilerplate, left out by the parser).
    const notice = '各乡镇人民政府、街道办事处:\n\n经研究,决定开展2024年度共同富裕示范区建设工作考核。';
    const hash = (title: string) => fingerprint(notice, title, guard).contentHash;
    expect(hash('建德市关于开展2024年度考核工作的通知')).not.toBe(
      hash('永嘉县关于开展2024年度考核工作的通知'),
    );
    expect(hash('建德市关于开展2024年度考核工作的通知')).toBe(hash('建德市關於開展2024年度考核工作的通知'));
    expect(titleMarks(guard, '永嘉县关于开展2024年度考核工作的通知', notice)).toEqual([
      'period:y2024',
      'region:永嘉县',
    ]);
    // The guard sees the two counties too (the texts are otherwise alike, similarity 1).
    const a = { title: '建德市关于开展2024年度考核工作的通知', textSimplified: notice, metrics: [] };
    expect(mergeVeto(guard, a, { ...a, title: '永嘉县关于开展2024年度考核工作的通知' })).toMatchObject({
      kind: 'region',
    });
  });

  it('a title in traditional script is read simplified, as the parser reads the body', () => {
    // The parser simplifies the body and keeps the title as written, so a traditional copy of a
    // release reaches the indexer with this title over the simplified body.
    const release = '2024年1-10月,海宁市实现规模以上工业增加值207.3亿元,同比增长7.2%。';
    const simplified = { title: '海宁市规上工业增加值增长7.2%', textSimplified: release, metrics: [] };
    const traditional = { ...simplified, title: '海寧市規上工業增加值增長7.2%' };
    expect(mergeVeto(guard, simplified, traditional)).toBeNull();
    // Still apart: another county, when the titles alone name the county; another figure.
    const body = '2024年1-10月,全市实现规模以上工业增加值207.3亿元,同比增长7.2%。';
    expect(
      mergeVeto(
        guard,
        { ...simplified, textSimplified: body },
        { ...traditional, textSimplified: body, title: '麗水市規上工業增加值增長7.2%' },
      ),
    ).toEqual({ kind: 'region', a: '海宁市', b: '丽水市' });
    expect(
      mergeVeto(guard, simplified, { ...traditional, title: '海寧市規上工業增加值增長7.3%' }),
    ).toMatchObject({ kind: 'figure' });
  });
  it('its issue numbers and periods join the exact content hash; a site name in it does not', () => {
    expect(titleMarks(guard, '2024年1-9月海宁市经济运行情况', '海宁市统计局')).toEqual([
      'period:m1-9',
      'period:y2024',
    ]);
    expect(titleMarks(guard, '嘉善縣共同富裕工作簡報(第12期)', body)).toEqual(['issue:12']);
    const hash = (title: string | null) => fingerprint(body, title, guard).contentHash;
    expect(hash('简报(第12期)')).not.toBe(hash('简报(第13期)'));
    expect(hash('推进会召开')).toBe(hash('推进会召开_嘉善县人民政府'));
    expect(hash('推进会召开')).toBe(exactContentHash(body));
    expect(hash(null)).toBe(exactContentHash(body));
  });
});

describe('mergeVeto: the extracted facts, by the shared "same fact" definition', () => {
  const base = seedArticle(f003);
  it('one fact with two values vetoes; a side lacking a value, or a target, does not', () => {
    const gdp = (value: number | null, qualifier: Metric['qualifier'] = null) =>
      base.metrics.map((m) => (m.indicator === 'gdp' ? { ...m, value, qualifier } : m));
    const t = base.textSimplified;
    expect(mergeVeto(guard, text(t, base.metrics), text(t, gdp(80_000_000_000)))).toMatchObject({
      kind: 'fact',
    });
    expect(mergeVeto(guard, text(t, base.metrics), text(t, gdp(null)))).toBeNull();
    expect(mergeVeto(guard, text(t, base.metrics), text(t, gdp(80_000_000_000, 'target')))).toBeNull();
    // 729.91亿 stored, and "73.0 billion" from an English copy: one figure rounded.
    expect(mergeVeto(guard, text(t, base.metrics), text(t, gdp(73_000_000_000)))).toBeNull();
  });
});
