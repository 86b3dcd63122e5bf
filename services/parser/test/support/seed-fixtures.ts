import { readFileSync } from 'node:fs';
import type { Language, Paragraph } from '@govwire/shared';
import type { MetricsInput } from '../../src/metrics/index';

/**
 * Test fixtures: the seed documents as the parser's clean output should be (boilerplate, captions,
 * spam and pinyin debris removed by hand, following seeds/README.md), split into paragraphs, and the
 * metrics the README lists for each. Used by the unit tests and by bench/metrics.eval.ts.
 */

const seedDir = new URL('../../../../seeds/documents/', import.meta.url);

export function readSeed(name: string): string {
  return readFileSync(new URL(name, seedDir), 'utf8');
}

function detectLang(s: string, traditional: boolean): Language {
  const cjk = (s.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latin = (s.match(/[A-Za-z]/g) ?? []).length;
  if (cjk === 0) return 'en';
  if (latin > cjk * 2) return 'mixed';
  return traditional ? 'zh-Hant' : 'zh-Hans';
}

/** Joins paragraphs with blank lines and computes their offsets. */
export function buildInput(
  paragraphs: string[],
  meta: { title: string; publishedAt: string | null; source: string | null; traditional?: boolean },
): MetricsInput {
  const paras: Paragraph[] = [];
  let text = '';
  for (const p of paragraphs.map((x) => x.trim()).filter((x) => x !== '')) {
    if (text !== '') text += '\n\n';
    paras.push({
      text: p,
      lang: detectLang(p, meta.traditional ?? false),
      start: text.length,
      end: text.length + p.length,
    });
    text += p;
  }
  return { text, paragraphs: paras, title: meta.title, publishedAt: meta.publishedAt, source: meta.source };
}

function dropLines(raw: string, drop: (line: string) => boolean): string {
  return raw
    .split('\n')
    .filter((l) => !drop(l.trim()))
    .join('\n');
}

const byBlankLines = (s: string): string[] => s.split(/\n\s*\n/);

export function seed000(): MetricsInput {
  const raw = readSeed('000_470bb5686944492e.txt');
  const body = dropLines(raw, (l) =>
    /^(查看原文|其他|Tops in the province once again!\|蝉联!全省优秀!|柯桥传媒集团 柯桥发布 2023-03-28|一起为浙江稠州金租男篮加油|图片:.*|编辑:.*|翻译:.*|终审:.*|您可能也对以下帖子感兴趣|文章有问题\?点此查看未经处理的缓存)$/.test(
      l,
    ),
  );
  return buildInput(byBlankLines(body), {
    title: 'Tops in the province once again!|蝉联!全省优秀!',
    publishedAt: '2023-03-28',
    source: '柯桥发布',
  });
}

export function seed001(): MetricsInput {
  const raw = readSeed('001_3f8d7578f9eff8c9.txt');
  const body = dropLines(raw, (l) =>
    /^(Tops in the province once again!\|蝉联!全省优秀!|柯桥传媒集团 柯桥发布 2023-03-28|图片:.*)$/.test(l),
  );
  return buildInput(byBlankLines(body), {
    title: 'Tops in the province once again!|蝉联!全省优秀!',
    publishedAt: '2023-03-28',
    source: '柯桥发布',
  });
}

export function seed002(publishedAt: string | null = null): MetricsInput {
  const raw = readSeed('002_c648c510082db0c0.txt');
  let body = dropLines(raw, (l) =>
    /^(柯桥:全国“十强区” 竞跑大赛道|金燕翔|和美瓜渚湖|中国轻纺城|漓渚千亩花田|羊山攀岩馆 赵炜 摄|\(本版图片由.*\)|我们走在|大路上|高质量发展建设|共同富裕示范区)$/.test(
      l,
    ),
  );
  // Words broken across columns are re-joined, as the parser does.
  body = body
    .replace(/主引\s*\n\s*擎/, '主引擎')
    .replace(/“造\s*\n\s*自主/, '“造血”能力……自主')
    .replace(/数字化应用\s*\n\s*试点/, '数字化应用试点');
  return buildInput(byBlankLines(body), { title: '柯桥:全国“十强区” 竞跑大赛道', publishedAt, source: null });
}

/** `keepSpam`: leave the keyword line and the headline lists in, to test that nothing comes from them. */
export function seed003(keepSpam = false): MetricsInput {
  const raw = readSeed('003_c3625e4dd3ccaf1d.txt');
  const cut = keepSpam ? -1 : raw.indexOf('關鍵詞');
  const body = (cut >= 0 ? raw.slice(0, cut) : raw).replace(
    /([\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/g,
    '$1',
  );
  // Each line of this page is a paragraph.
  return buildInput(body.split('\n'), { title: '', publishedAt: null, source: null, traditional: true });
}

export function seed004(): MetricsInput {
  const raw = readSeed('004_809b2510820eaeed.txt');
  const lines = raw.split('\n');
  const end = lines.findIndex((l) => l.trim() === '已發佈');
  const body = lines
    .slice(1, end >= 0 ? end : undefined)
    .join('\n')
    .replace(/九宮格講座|九宮格|個人空間|共享空間|舞蹈教室/g, '');
  return buildInput(byBlankLines(body), {
    title: '浙江共同富裕示范區建設穩步推進',
    publishedAt: null,
    source: '中國網',
    traditional: true,
  });
}

export interface ExpectedMetric {
  indicator: string;
  region: string;
  period: string;
  value: number | null;
  unit: string;
  changePct?: number | null;
  changeKind?: string | null;
  rank?: number | null;
  rankScope?: string | null;
  qualifier?: string | null;
  lang?: Language;
}

/** The metrics seeds/README.md lists, per seed. */
export const EXPECTED: Record<string, ExpectedMetric[]> = {
  '000': [
    {
      indicator: 'gdp',
      region: '柯桥区',
      period: '2022',
      value: 190_100_000_000,
      unit: 'CNY',
      changePct: 4.5,
      lang: 'mixed',
    },
    {
      indicator: 'rural_disposable_income_per_capita',
      region: '柯桥区',
      period: '2022',
      value: 50_000,
      unit: 'CNY',
      changePct: 7.4,
      rank: 1,
      rankScope: 'province',
      qualifier: 'above',
      lang: 'mixed',
    },
    {
      indicator: 'urban_rural_income_ratio',
      region: '柯桥区',
      period: '2022',
      value: 1.599,
      unit: 'ratio',
      lang: 'mixed',
    },
    {
      indicator: 'charity_index',
      region: '柯桥区',
      period: '2022',
      value: 82.42,
      unit: 'points',
      rank: 1,
      rankScope: 'province',
      lang: 'mixed',
    },
    {
      indicator: 'new_market_entities',
      region: '柯桥区',
      period: '2022',
      value: 28_200,
      unit: 'count',
      lang: 'mixed',
    },
    {
      indicator: 'village_collective_operating_income_per_village',
      region: '柯桥区',
      period: '2022',
      value: 3_560_000,
      unit: 'CNY',
      lang: 'mixed',
    },
  ],
  '001': [
    {
      indicator: 'gdp',
      region: '柯桥区',
      period: '2022',
      value: 190_100_000_000,
      unit: 'CNY',
      changePct: 4.5,
      lang: 'en',
    },
    {
      indicator: 'rural_disposable_income_per_capita',
      region: '柯桥区',
      period: '2022',
      value: 50_000,
      unit: 'CNY',
      changePct: 7.4,
      rank: 1,
      rankScope: 'province',
      qualifier: 'above',
      lang: 'en',
    },
    {
      indicator: 'urban_rural_income_ratio',
      region: '柯桥区',
      period: '2022',
      value: 1.599,
      unit: 'ratio',
      lang: 'en',
    },
    {
      indicator: 'charity_index',
      region: '柯桥区',
      period: '2022',
      value: 82.42,
      unit: 'points',
      rank: 1,
      rankScope: 'province',
      lang: 'en',
    },
    {
      indicator: 'new_market_entities',
      region: '柯桥区',
      period: '2022',
      value: 28_200,
      unit: 'count',
      lang: 'en',
    },
    {
      indicator: 'village_collective_operating_income_per_village',
      region: '柯桥区',
      period: '2022',
      value: 3_560_000,
      unit: 'CNY',
      lang: 'en',
    },
  ],
  '002': [
    {
      indicator: 'disposable_income_per_capita',
      region: '柯桥区',
      period: '2021',
      value: 70_000,
      unit: 'CNY',
      rank: 4,
      rankScope: 'province',
      qualifier: 'above',
    },
    { indicator: 'urban_rural_income_ratio', region: '柯桥区', period: '2021', value: 1.648, unit: 'ratio' },
    {
      indicator: 'rural_disposable_income_per_capita',
      region: '柯桥区',
      period: '2021',
      value: 48_000,
      unit: 'CNY',
      rank: 2,
      rankScope: 'province',
    },
    {
      indicator: 'village_collective_income',
      region: '柯桥区',
      period: '2021',
      value: 2_048_000_000,
      unit: 'CNY',
    },
    {
      indicator: 'village_collective_operating_income',
      region: '柯桥区',
      period: '2021',
      value: 1_032_000_000,
      unit: 'CNY',
    },
    { indicator: 'air_quality_good_days_ratio', region: '柯桥区', period: '2021', value: 90, unit: '%' },
  ],
  '003': [
    {
      indicator: 'gdp',
      region: '南湖区',
      period: '2021',
      value: 72_991_000_000,
      unit: 'CNY',
      changePct: 7,
      changeKind: 'multi_year_average',
      lang: 'zh-Hant',
    },
    {
      indicator: 'urban_disposable_income_per_capita',
      region: '南湖区',
      period: '2021',
      value: 63_792,
      unit: 'CNY',
      changePct: 9.2,
    },
    {
      indicator: 'rural_disposable_income_per_capita',
      region: '南湖区',
      period: '2021',
      value: 42_830,
      unit: 'CNY',
      changePct: 10.2,
    },
    { indicator: 'urban_rural_income_ratio', region: '南湖区', period: '2021', value: 1.49, unit: 'ratio' },
    { indicator: 'new_urban_jobs', region: '南湖区', period: '2021', value: 12_900, unit: 'persons' },
  ],
  '004': [
    {
      indicator: 'gdp',
      region: '浙江省',
      period: '2023',
      value: 8_000_000_000_000,
      unit: 'CNY',
      qualifier: 'above',
    },
    {
      indicator: 'disposable_income_per_capita',
      region: '浙江省',
      period: '2023',
      value: 63_830,
      unit: 'CNY',
    },
    {
      indicator: 'rural_disposable_income_per_capita',
      region: '浙江省',
      period: '2023',
      value: 40_311,
      unit: 'CNY',
    },
    {
      indicator: 'industrial_value_added',
      region: '浙江省',
      period: '2023',
      value: null,
      unit: 'CNY',
      changePct: 4.9,
    },
  ],
};

export const SEEDS: Record<string, () => MetricsInput> = {
  '000': seed000,
  '001': seed001,
  '002': () => seed002(null),
  '003': () => seed003(false),
  '004': seed004,
};

/**
 * Metrics the README does not list but the text states, checked by hand against the sentence:
 * an extractor that emits them is right, not wrong.
 */
export const ALSO_TRUE: Record<string, ExpectedMetric[]> = {
  // 仅去年新增上市企业1家
  '000': [{ indicator: 'new_listed_companies', region: '柯桥区', period: '2022', value: 1, unit: 'count' }],
  '001': [],
  // 力争2026年全区地区生产总值突破2500亿元: a target, stored only as one.
  '002': [
    {
      indicator: 'gdp',
      region: '柯桥区',
      period: '2026',
      value: 250_000_000_000,
      unit: 'CNY',
      qualifier: 'target',
    },
  ],
  '003': [],
  '004': [],
};
