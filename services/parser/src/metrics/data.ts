import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';
import { unitSchema, type Unit } from '@govwire/shared/article';
import type { ScriptConverter } from '../text/script';
import { loadTableSettings, type TableSettings } from './tables/settings';
import { TermIndex, type TermMatch } from '../text/term-index';

const codeSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);

const indicatorFileSchema = z.object({
  indicators: z
    .array(
      z.object({
        code: codeSchema,
        unit: unitSchema,
        note: z.string().optional(),
        zh: z.array(z.string().min(2)).min(1),
        traditional: z.array(z.string().min(2)).default([]),
        en: z.array(z.string().min(3)).default([]),
      }),
    )
    .min(1),
  compounds: z
    .array(
      z.object({
        zh: z.string().min(2).optional(),
        traditional: z.string().optional(),
        en: z.string().min(3).optional(),
        indicators: z.array(codeSchema).min(2),
      }),
    )
    .default([]),
  distributive: z
    .object({
      joiners: z.array(z.string().min(1)).min(1),
      minHead: z.number().int().min(2),
      maxPart: z.number().int().min(1),
    })
    .optional(),
  elliptical: z
    .array(
      z.object({
        zh: z.string().min(2).optional(),
        en: z.string().min(3).optional(),
        indicator: codeSchema,
        after: z.array(z.string().min(2)).min(1),
      }),
    )
    .default([]),
  embedded: z
    .object({
      zhBefore: z.array(z.string().min(1)).default([]),
      zhAfter: z.array(z.string().min(1)).default([]),
      enBefore: z.array(z.string().min(1)).default([]),
      enAfter: z.array(z.string().min(1)).default([]),
    })
    .default({ zhBefore: [], zhAfter: [], enBefore: [], enAfter: [] }),
});

const documentFileSchema = z.object({
  yearOnlyTitles: z.array(z.string().min(2)).min(1),
  comparisonBasisZh: z.array(z.string().min(2)).min(1),
  milestonesZh: z.object({
    before: z.array(z.string().min(2)).min(1),
    after: z.array(z.string().min(2)).min(1),
  }),
  changeWordsEn: z.object({
    rise: z.array(z.string().min(2)).min(1),
    fall: z.array(z.string().min(2)).min(1),
  }),
});

const regionLevelSchema = z.enum(['province', 'city', 'district', 'county', 'county_city']);

const regionFileSchema = z.object({
  regions: z
    .array(
      z.object({
        name: z.string().min(2),
        level: regionLevelSchema,
        parent: z.string().nullable(),
        traditional: z.string().min(2),
        english: z.string().min(2),
        pinyin: z.string().min(2),
        aliases: z.array(z.string().min(2)).default([]),
        englishAliases: z.array(z.string().min(2)).default([]),
      }),
    )
    .min(1),
});

export type RegionLevel = z.infer<typeof regionLevelSchema>;

export interface IndicatorDef {
  code: string;
  unit: Unit;
}

export interface Region {
  name: string;
  level: RegionLevel;
  parent: string | null;
  english: string;
}

/** A phrase that names one indicator or several (a compound such as 城乡人均可支配收入). */
export interface Phrase {
  text: string;
  indicators: string[];
}

export interface MetricsData {
  indicators: Map<string, IndicatorDef>;
  /** Simplified Chinese phrases, longest first within each first character. */
  zhPhrases: PhraseIndex;
  /** Lower-cased English phrases. */
  enPhrases: PhraseIndex;
  regions: Map<string, Region>;
  zhRegionNames: PhraseIndex;
  enRegionNames: PhraseIndex;
  /** Per UTF-16 code unit, its one-unit simplified form (matchingText converts with it). */
  simplifiedUnit: Uint16Array;
  /** Short forms that name an indicator only after a fuller mention in the same sentence. */
  elliptical: { phrase: Phrase; after: string[]; lang: 'zh' | 'en' }[];
  /** Whether a title's year is the report's year but not its results' period (政府工作报告). */
  yearOnlyTitle: (simplifiedTitle: string) => boolean;
  /** Whether an indicator match is part of another quantity (单位GDP能耗, 占GDP比重). */
  embedded: (text: string, start: number, end: number, lang: 'zh' | 'en') => boolean;
  /** How statistical tables are read, and the caps on bad input (tables.yaml). */
  tables: TableSettings;
  /** English change words (document.yaml changeWordsEn): a pattern over all, and the falls. */
  changeWordsEn: { change: RegExp; fall: ReadonlySet<string> };
  /** Clauses naming a comparison's basis (按不变价格计算, 同比), stepped over between figure and change. */
  comparisonBasisZh: ReadonlySet<string>;
  /** Milestone words (迈上…台阶, 跨越…大关): the figure between them is a threshold passed. */
  milestonesZh: { before: RegExp; after: RegExp; clause: RegExp };
}

/** A phrase found in a text, at [start, end). */
export type PhraseMatch = TermMatch<Phrase>;

/** The parser's one prefilter index, over indicator phrases or region names. */
export type PhraseIndex = TermIndex<Phrase>;

type IndicatorFile = z.infer<typeof indicatorFileSchema>;
type RegionFile = z.infer<typeof regionFileSchema>;

/** The indicator dictionary: each code's unit, and the Chinese and English phrases that name codes. */
function indicatorPhrases(ind: IndicatorFile): {
  indicators: Map<string, IndicatorDef>;
  zh: Phrase[];
  en: Phrase[];
} {
  const indicators = new Map<string, IndicatorDef>();
  const zh: Phrase[] = [];
  const en: Phrase[] = [];
  for (const i of ind.indicators) {
    if (indicators.has(i.code)) throw new Error(`indicators.yaml: duplicate code ${i.code}`);
    indicators.set(i.code, { code: i.code, unit: i.unit });
    for (const s of i.zh) zh.push({ text: s, indicators: [i.code] });
    for (const s of i.en) en.push({ text: s.toLowerCase(), indicators: [i.code] });
  }
  for (const c of ind.compounds) {
    for (const code of c.indicators) {
      if (!indicators.has(code)) throw new Error(`indicators.yaml: compound names unknown code ${code}`);
    }
    if (c.zh) zh.push({ text: c.zh, indicators: c.indicators });
    if (c.en) en.push({ text: c.en.toLowerCase(), indicators: c.indicators });
  }
  if (ind.distributive) zh.push(...distributivePhrases(ind, ind.distributive, zh));
  assertUnique(zh, 'Chinese synonym');
  assertUnique(en, 'English synonym');
  return { indicators, zh, en };
}

/** The longest common ending of two strings. */
function commonSuffix(a: string, b: string): string {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return a.slice(a.length - n);
}

/**
 * 城镇、农村居民人均可支配收入: two synonyms sharing a head noun (居民人均可支配收入), written once
 * after both parts. Each such phrase names both indicators in order, as a compound does, so 分别为
 * a和b and 分别增长 x%和y% pair in order. A text two different pairs would give is left out.
 */
function distributivePhrases(
  ind: IndicatorFile,
  d: NonNullable<IndicatorFile['distributive']>,
  taken: Phrase[],
): Phrase[] {
  const syn = ind.indicators.flatMap((i) => i.zh.map((text) => ({ text, code: i.code, unit: i.unit })));
  const out = new Map<string, string[] | null>();
  for (const a of syn) {
    for (const b of syn) {
      if (a.code === b.code || a.unit !== b.unit) continue;
      const head = commonSuffix(a.text, b.text);
      const pa = a.text.slice(0, a.text.length - head.length);
      const pb = b.text.slice(0, b.text.length - head.length);
      if (head.length < d.minHead || pa === '' || pb === '') continue;
      if (pa.length > d.maxPart || pb.length > d.maxPart) continue;
      for (const j of d.joiners) {
        const text = `${pa}${j}${pb}${head}`;
        const prev = out.get(text);
        out.set(text, prev === undefined || prev?.join() === `${a.code},${b.code}` ? [a.code, b.code] : null);
      }
    }
  }
  const have = new Set(taken.map((p) => p.text));
  return [...out]
    .filter((e): e is [string, string[]] => e[1] !== null && !have.has(e[0]))
    .map(([text, indicators]) => ({ text, indicators }));
}

/** The gazetteer: regions by name, and the Chinese and English names that name them. */
function regionNames(reg: RegionFile): { regions: Map<string, Region>; zh: Phrase[]; en: Phrase[] } {
  const regions = new Map<string, Region>();
  const zh: Phrase[] = [];
  const en: Phrase[] = [];
  for (const r of reg.regions) {
    if (regions.has(r.name)) throw new Error(`regions.yaml: duplicate region ${r.name}`);
    regions.set(r.name, { name: r.name, level: r.level, parent: r.parent, english: r.english });
    for (const s of [r.name, ...r.aliases]) zh.push({ text: s, indicators: [r.name] });
    for (const s of [r.english, ...r.englishAliases])
      en.push({ text: s.toLowerCase(), indicators: [r.name] });
  }
  en.push(...englishStems(reg, en));
  // Lin'an is written Lin’an as often: each name with a straight apostrophe also with a curly one.
  for (const p of [...en]) if (p.text.includes("'")) en.push({ ...p, text: p.text.replaceAll("'", '’') });
  for (const r of regions.values()) {
    if (r.parent !== null && !regions.has(r.parent))
      throw new Error(`regions.yaml: ${r.name} has unknown parent ${r.parent}`);
  }
  assertUnique(zh, 'region name');
  assertUnique(en, 'English region name');
  return { regions, zh, en };
}

/**
 * English text names a county by its bare name (Anji, Longquan, "Yiwu's"): the English name less
 * its level word, when no other region has that stem and it is not a name already.
 */
function englishStems(reg: RegionFile, names: Phrase[]): Phrase[] {
  const taken = new Set(names.map((p) => p.text));
  const byStem = new Map<string, string[]>();
  for (const r of reg.regions) {
    const stem = r.english
      .replace(/\s+(?:County|District|City|Province|Autonomous County)$/i, '')
      .toLowerCase();
    if (stem === r.english.toLowerCase() || stem.length < 3) continue;
    byStem.set(stem, [...(byStem.get(stem) ?? []), r.name]);
  }
  const out: Phrase[] = [];
  for (const [stem, regions] of byStem) {
    if (regions.length === 1 && !taken.has(stem)) out.push({ text: stem, indicators: regions });
  }
  return out;
}

function ellipticalPhrases(ind: IndicatorFile, known: Map<string, IndicatorDef>): MetricsData['elliptical'] {
  return ind.elliptical.map((e) => {
    if (!known.has(e.indicator))
      throw new Error(`indicators.yaml: elliptical names unknown code ${e.indicator}`);
    const text = e.zh ?? e.en?.toLowerCase();
    if (text === undefined || (e.zh !== undefined) === (e.en !== undefined))
      throw new Error(`indicators.yaml: elliptical ${e.indicator} needs one of zh or en`);
    const lang = e.zh !== undefined ? 'zh' : 'en';
    const after = lang === 'en' ? e.after.map((w) => w.toLowerCase()) : e.after;
    return { phrase: { text, indicators: [e.indicator] }, after, lang };
  });
}

/** Whether an indicator match is part of another quantity, by the words around it. */
function embeddedTest(e: IndicatorFile['embedded']): MetricsData['embedded'] {
  const enBefore = e.enBefore.map((x) => x.toLowerCase());
  const enAfter = e.enAfter.map((x) => x.toLowerCase());
  return (text, start, end, lang) => {
    if (lang === 'zh') {
      const before = text.slice(Math.max(0, start - 4), start);
      const after = text.slice(end, end + 4);
      return e.zhBefore.some((w) => before.endsWith(w)) || e.zhAfter.some((w) => after.startsWith(w));
    }
    const before = text
      .slice(Math.max(0, start - 20), start)
      .toLowerCase()
      .trimEnd();
    const after = text
      .slice(end, end + 12)
      .toLowerCase()
      .trimStart();
    return enBefore.some((w) => before.endsWith(w)) || enAfter.some((w) => after.startsWith(w));
  };
}

/**
 * The indicator dictionary and gazetteer of a directory (`data/metrics/`), read and validated; part
 * of the parser context, with the script converter's per-character table for aligned matching.
 */
export function loadMetricsData(dataDir: string, script: ScriptConverter): MetricsData {
  const ind = indicatorFileSchema.parse(parseYaml(readFileSync(`${dataDir}indicators.yaml`, 'utf8')));
  const reg = regionFileSchema.parse(parseYaml(readFileSync(`${dataDir}regions.yaml`, 'utf8')));
  const doc = documentFileSchema.parse(parseYaml(readFileSync(`${dataDir}document.yaml`, 'utf8')));
  const yearOnly = doc.yearOnlyTitles.map((w) => w.toLowerCase());
  const phrases = indicatorPhrases(ind);
  const names = regionNames(reg);
  return {
    embedded: embeddedTest(ind.embedded),
    elliptical: ellipticalPhrases(ind, phrases.indicators),
    yearOnlyTitle: (title) => {
      const t = title.toLowerCase();
      return yearOnly.some((w) => t.includes(w));
    },
    indicators: phrases.indicators,
    zhPhrases: new TermIndex(phrases.zh),
    enPhrases: new TermIndex(phrases.en),
    regions: names.regions,
    zhRegionNames: new TermIndex(names.zh),
    enRegionNames: new TermIndex(names.en),
    simplifiedUnit: script.simplifiedUnit,
    tables: loadTableSettings(dataDir),
    changeWordsEn: changeWords(doc.changeWordsEn),
    comparisonBasisZh: new Set(doc.comparisonBasisZh),
    milestonesZh: milestoneWords(doc.milestonesZh),
  };
}

/** Patterns over document.yaml milestonesZh: the words end the text before a figure, or start the text after it. */
function milestoneWords(w: { before: string[]; after: string[] }): MetricsData['milestonesZh'] {
  const alt = (xs: string[]) => [...xs].sort((a, b) => b.length - a.length).join('|');
  return {
    before: new RegExp(`(?:${alt(w.before)})["“'‘]?$`),
    after: new RegExp(`^["”'’]?(?:${alt(w.after)})`),
    clause: new RegExp(`(?:${alt(w.before)}).{1,12}(?:${alt(w.after)})`),
  };
}

/** Longest first, so "increased" is taken whole before "increase". */
function changeWords(w: { rise: string[]; fall: string[] }): MetricsData['changeWordsEn'] {
  const all = [...w.rise, ...w.fall].map((x) => x.toLowerCase()).sort((a, b) => b.length - a.length);
  // "grew 5.7 percent", "an average annual increase of 6%"; matchesOf resets lastIndex on each use.
  const change = new RegExp(
    `\\b(?:(average annual|annual average|average)\\s+)?(${all.join('|')})\\s+(?:of\\s+|by\\s+)?(?:about\\s+)?(\\d+(?:\\.\\d+)?)\\s*(%|percentage points?|percent|per cent)`,
    'gi',
  );
  return { change, fall: new Set(w.fall.map((x) => x.toLowerCase())) };
}

function assertUnique(phrases: Phrase[], what: string): void {
  const seen = new Map<string, string>();
  for (const p of phrases) {
    const key = p.indicators.join('+');
    const prev = seen.get(p.text);
    if (prev !== undefined && prev !== key)
      throw new Error(`metrics data: ${what} "${p.text}" maps to both ${prev} and ${key}`);
    seen.set(p.text, key);
  }
}
