import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { unitSchema } from '@govwire/shared';
import type { Unit } from '@govwire/shared';

/**
 * The indicator dictionary and the region gazetteer, loaded from `services/parser/data/metrics/`
 * and validated once, on first use.
 */

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
  embedded: z
    .object({
      zhBefore: z.array(z.string().min(1)).default([]),
      zhAfter: z.array(z.string().min(1)).default([]),
      enBefore: z.array(z.string().min(1)).default([]),
      enAfter: z.array(z.string().min(1)).default([]),
    })
    .default({ zhBefore: [], zhAfter: [], enBefore: [], enAfter: [] }),
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
  /** Whether an indicator match is part of another quantity (单位GDP能耗, 占GDP比重). */
  embedded: (text: string, start: number, end: number, lang: 'zh' | 'en') => boolean;
}

/** A phrase found in a text, at [start, end). */
export interface PhraseMatch {
  start: number;
  end: number;
  phrase: Phrase;
}

/**
 * Phrases bucketed by first character, longest first: scanning a text costs one map lookup per
 * character plus a few `startsWith`, linear in the text whatever the size of the dictionary.
 */
export class PhraseIndex {
  /**
   * Keyed by the first two UTF-16 code units as one number: one lookup, without allocating a
   * string, rejects most positions.
   */
  private readonly byPrefix = new Map<number, Phrase[]>();
  /** 1 where some phrase starts with that UTF-16 code unit: most positions stop at one array read. */
  private readonly firstUnits = new Uint8Array(65536);
  /** 1 where some phrase has that UTF-16 code unit second: rejects most of the rest unhashed. */
  private readonly secondUnits = new Uint8Array(65536);
  /** firstUnits | secondUnits << 1: what a unit can be in a phrase, one read for both. */
  private readonly unitRoles = new Uint8Array(65536);
  /** Any unit that starts a phrase: one search skips a run without one (English text, for Chinese phrases). */
  private readonly firstUnitPattern: RegExp;
  /** Each phrase text once, as at() finds it (the first phrase given with that text). */
  private readonly byText = new Map<string, Phrase>();
  /**
   * Every phrase, longest first, after no letter or digit: at each position the first alternative
   * that matches is at()'s longest phrase, so a search for it finds findAll's next word-bounded
   * candidate. Irregexp scans English text several times faster than the loop over code units.
   */
  private readonly boundedPattern: RegExp;
  /**
   * The same after `\b`, which irregexp checks faster than the look-behind. When every phrase starts
   * with a letter or digit, `\b` before it means "no letter, digit or _ before": the same as the
   * look-behind in a text without "_". Null when some phrase starts otherwise.
   */
  private readonly wordStartPattern: RegExp | null;
  /**
   * wordStartPattern with /i, for findAllInLowerCase. Null unless every phrase is lower-case ASCII.
   */
  private readonly wordStartPatternIgnoringCase: RegExp | null;

  constructor(phrases: Phrase[]) {
    for (const p of phrases) {
      if (p.text.length < 2)
        throw new Error(`metrics data: phrase "${p.text}" is shorter than two characters`);
      this.firstUnits[p.text.charCodeAt(0)] = 1;
      this.secondUnits[p.text.charCodeAt(1)] = 1;
    }
    for (let c = 0; c < 65536; c++) {
      this.unitRoles[c] = (this.firstUnits[c] ?? 0) | ((this.secondUnits[c] ?? 0) << 1);
    }
    for (const p of phrases) {
      const key = prefixKey(p.text, 0);
      const list = this.byPrefix.get(key) ?? [];
      if (!list.some((q) => q.text === p.text)) list.push(p);
      this.byPrefix.set(key, list);
      if (!this.byText.has(p.text)) this.byText.set(p.text, p);
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.text.length - a.text.length);
    // Units below the CJK blocks one by one, the CJK ones as one range from the lowest to the highest:
    // a superset (the loop checks each unit) that irregexp tests in two comparisons, not a search
    // among a hundred scattered units.
    const hex = (c: number): string => `\\u${c.toString(16).padStart(4, '0')}`;
    let units = '';
    let lowCjk = -1;
    let highCjk = -1;
    for (let c = 0; c < 65536; c++) {
      if (this.firstUnits[c] === 0) continue;
      if (c < 0x3400) units += hex(c);
      else {
        if (lowCjk < 0) lowCjk = c;
        highCjk = c;
      }
    }
    if (lowCjk >= 0) units += `${hex(lowCjk)}-${hex(highCjk)}`;
    this.firstUnitPattern = new RegExp(units === '' ? '[^\\s\\S]' : `[${units}]`);
    const longestFirst = [...this.byText.keys()].sort((a, b) => b.length - a.length);
    const alternatives = longestFirst.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
    this.boundedPattern = new RegExp(`(?<![0-9A-Za-z])(?:${alternatives})`, 'g');
    this.wordStartPattern = longestFirst.every((t) => isWordChar(t.charCodeAt(0)))
      ? new RegExp(`\\b(?:${alternatives})`, 'g')
      : null;
    this.wordStartPatternIgnoringCase =
      this.wordStartPattern !== null && longestFirst.every((t) => /^[\x00-\x40\x5b-\x7f]*$/.test(t))
        ? new RegExp(`\\b(?:${alternatives})`, 'gi')
        : null;
  }

  /** Longest phrase starting at `i`, or null. */
  at(text: string, i: number): Phrase | null {
    if (i + 1 >= text.length || this.firstUnits[text.charCodeAt(i)] === 0) return null;
    if (this.secondUnits[text.charCodeAt(i + 1)] === 0) return null;
    const list = this.byPrefix.get(prefixKey(text, i));
    if (list) for (const p of list) if (text.startsWith(p.text, i)) return p;
    return null;
  }

  /**
   * Non-overlapping matches, leftmost-longest. With `wordBoundaries`, a match must not touch a
   * letter or digit on either side (for English).
   */
  findAll(text: string, wordBoundaries = false): PhraseMatch[] {
    if (wordBoundaries) return this.findAllBounded(text);
    const out: PhraseMatch[] = [];
    const roles = this.unitRoles;
    // at() finds nothing in the last position or where no phrase starts: skip those before the call.
    let i = text.search(this.firstUnitPattern);
    if (i < 0) return out;
    const n = text.length;
    while (i + 1 < n) {
      const next = roles[text.charCodeAt(i + 1)] as number;
      // A unit that is neither first nor second in any phrase: no phrase starts at i (its second
      // unit would be this one) nor at i + 1. Two positions for one read, in most Chinese text.
      if (next === 0) {
        i += 2;
        continue;
      }
      if ((next & 2) !== 0 && ((roles[text.charCodeAt(i)] as number) & 1) !== 0) {
        const p = this.at(text, i);
        if (p) {
          out.push({ start: i, end: i + p.text.length, phrase: p });
          i += p.text.length;
          continue;
        }
      }
      i++;
    }
    return out;
  }

  /**
   * findAll(text.toLowerCase(), true), without lowering the text (slow for a text with any non-Latin-1
   * character) where a case-insensitive search is the same: phrases all lower-case ASCII, and no
   * İ (which lowers to two units) or Kelvin sign (which lowers to "k") in the text. Non-unicode /i
   * never matches a non-ASCII unit to an ASCII one, and these two are the only units that
   * toLowerCase takes into ASCII or to another length.
   */
  findAllInLowerCase(text: string): PhraseMatch[] {
    const pattern = this.wordStartPatternIgnoringCase;
    if (pattern === null || text.includes('_') || /[\u0130\u212a]/.test(text)) {
      return this.findAll(text.toLowerCase(), true);
    }
    return this.findAllBounded(text, pattern);
  }

  /** findAll(text, true), by a search for the next candidate instead of a look at every position. */
  private findAllBounded(text: string, caseless?: RegExp): PhraseMatch[] {
    const out: PhraseMatch[] = [];
    const pattern =
      caseless ??
      (this.wordStartPattern !== null && !text.includes('_') ? this.wordStartPattern : this.boundedPattern);
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      const phrase = this.byText.get(caseless ? m[0].toLowerCase() : m[0]);
      if (!phrase || (end < text.length && isWordChar(text.charCodeAt(end)))) {
        // at() found its phrase here but a letter or digit follows: the position yields nothing.
        pattern.lastIndex = start + 1;
        continue;
      }
      out.push({ start, end, phrase });
    }
    return out;
  }
}

/**
 * The first code unit and the low 11 bits of the second: a small integer (a V8 Smi, cheap to hash).
 * Collisions only share a bucket; `startsWith` decides.
 */
function prefixKey(text: string, i: number): number {
  return text.charCodeAt(i) * 2048 + (text.charCodeAt(i + 1) & 2047);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const dataDir = new URL('../../data/metrics/', import.meta.url);

let cached: MetricsData | null = null;

export function loadMetricsData(): MetricsData {
  if (cached) return cached;
  const ind = indicatorFileSchema.parse(parseYaml(readFileSync(new URL('indicators.yaml', dataDir), 'utf8')));
  const reg = regionFileSchema.parse(parseYaml(readFileSync(new URL('regions.yaml', dataDir), 'utf8')));

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
  assertUnique(zh, 'Chinese synonym');
  assertUnique(en, 'English synonym');

  const regions = new Map<string, Region>();
  const zhRegions: Phrase[] = [];
  const enRegions: Phrase[] = [];
  for (const r of reg.regions) {
    if (regions.has(r.name)) throw new Error(`regions.yaml: duplicate region ${r.name}`);
    regions.set(r.name, { name: r.name, level: r.level, parent: r.parent, english: r.english });
    for (const s of [r.name, ...r.aliases]) zhRegions.push({ text: s, indicators: [r.name] });
    for (const s of [r.english, ...r.englishAliases])
      enRegions.push({ text: s.toLowerCase(), indicators: [r.name] });
  }
  for (const r of regions.values()) {
    if (r.parent !== null && !regions.has(r.parent))
      throw new Error(`regions.yaml: ${r.name} has unknown parent ${r.parent}`);
  }
  assertUnique(zhRegions, 'region name');
  assertUnique(enRegions, 'English region name');

  const e = ind.embedded;
  const enBefore = e.enBefore.map((x) => x.toLowerCase());
  const enAfter = e.enAfter.map((x) => x.toLowerCase());
  const embedded = (text: string, start: number, end: number, lang: 'zh' | 'en'): boolean => {
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

  cached = {
    embedded,
    indicators,
    zhPhrases: new PhraseIndex(zh),
    enPhrases: new PhraseIndex(en),
    regions,
    zhRegionNames: new PhraseIndex(zhRegions),
    enRegionNames: new PhraseIndex(enRegions),
  };
  return cached;
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
