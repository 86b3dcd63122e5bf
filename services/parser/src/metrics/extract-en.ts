import type { Metric, Qualifier, Unit } from '@govwire/shared/article';
import { makeMetric } from './candidate';
import type { Change, Context, Rank, TokenKind } from './candidate';
import type { SentenceInput } from './extract-zh';
import {
  ENGLISH_NUMBER_WORDS,
  numberWithMultiplier,
  parseEnglishNumberWords,
  parseEnglishSmallNumber,
} from './numbers';
import type { MetricsData, PhraseMatch } from './data';
import { withElliptical } from './elliptical';
import { clauseRegion, regionMentions } from './regions';
import { matchesOf } from './text';

/**
 * English sentences. English puts the figure on either side of the indicator ("28,200 new market
 * entities", "GDP reached 190.1 billion"), so a sentence is cut into segments at `;`, dashes,
 * "while" and "of which", and each indicator reads the numbers of its own segment.
 */

interface EnToken {
  start: number;
  end: number;
  value: number;
  kind: TokenKind;
  /** Written with a scale word and no unit ("190.1 billion"): money when the indicator is. */
  scaledBare: boolean;
}

const NUM_EN =
  /(?<![\w.,])(?:(RMB|CNY|US\$|\$|¥)\s?)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion)\b)?(?:\s*(%|percent\b|per cent\b|percentage points?\b|yuan\b|RMB\b|CNY\b|points?\b|people\b|persons\b|residents\b|jobs\b|workers\b|companies\b|enterprises\b|firms\b|entities\b|dollars\b|US dollars\b|villages\b|projects\b|years?\b|days\b|times\b))?/gi;

/** What an English unit word says a number measures. */
const UNIT_KINDS_EN: Readonly<Record<string, TokenKind>> = {
  yuan: 'CNY',
  rmb: 'CNY',
  cny: 'CNY',
  '%': '%',
  percent: '%',
  'per cent': '%',
  'percentage point': 'pp',
  'percentage points': 'pp',
  point: 'points',
  points: 'points',
  people: 'persons',
  persons: 'persons',
  residents: 'persons',
  jobs: 'persons',
  workers: 'persons',
  companies: 'count',
  enterprises: 'count',
  firms: 'count',
  entities: 'count',
};

function kindEn(
  prefix: string | undefined,
  unit: string | undefined,
  core: string,
  scale: string | undefined,
): TokenKind {
  const u = unit?.toLowerCase();
  if (prefix === '$' || prefix === 'US$' || u === 'dollars' || u === 'us dollars') return 'other';
  if (prefix) return 'CNY';
  if (u !== undefined) return UNIT_KINDS_EN[u] ?? 'other';
  if (!scale && /^(?:19|20)\d\d$/.test(core)) return 'other';
  return 'plain';
}

const NUM_WORDS_EN = new RegExp(
  String.raw`\b(?:${ENGLISH_NUMBER_WORDS})(?:(?:[\s-]+|\s+and\s+)(?:${ENGLISH_NUMBER_WORDS}))*\b`,
  'gi',
);
const ANY_NUMBER_WORD_EN = new RegExp(String.raw`\b(?:${ENGLISH_NUMBER_WORDS})\b`, 'i');
const UNIT_AFTER_WORDS_EN =
  /^\s*(%|percent\b|per cent\b|yuan\b|people\b|persons\b|residents\b|jobs\b|workers\b|companies\b|enterprises\b|firms\b|entities\b|villages\b|projects\b|years?\b|days\b|times\b)/i;

/**
 * Numbers written in words ("twenty-six", "twenty-four thousand five hundred"). A lone "one" is
 * left out: "one of the best" is not a figure.
 */
function wordNumbersEn(s: string): EnToken[] {
  if (!ANY_NUMBER_WORD_EN.test(s)) return [];
  const out: EnToken[] = [];
  for (const m of matchesOf(NUM_WORDS_EN, s)) {
    if (/^(?:one|zero)$/i.test(m[0])) continue;
    const value = parseEnglishNumberWords(m[0]);
    if (value === null) continue;
    const end = m.index + m[0].length;
    const unit = UNIT_AFTER_WORDS_EN.exec(s.slice(end))?.[1];
    out.push({
      start: m.index,
      end,
      value,
      // The words themselves, not their value: "two thousand" entities is a count, never the year 2000.
      kind: kindEn(undefined, unit, m[0], undefined),
      scaledBare: false,
    });
  }
  return out;
}

export function scanNumbersEn(s: string): EnToken[] {
  const out: EnToken[] = wordNumbersEn(s);
  for (const m of matchesOf(NUM_EN, s)) {
    const core = m[2] ?? '';
    const scale = m[3]?.toLowerCase();
    const value = numberWithMultiplier(core, scale);
    if (value === null) continue;
    const kind = kindEn(m[1], m[4], core, scale);
    const next = s
      .slice(m.index + m[0].length)
      .match(/^\W*([A-Za-z]+)/)?.[1]
      ?.toLowerCase();
    const scaledBare =
      kind === 'plain' &&
      scale !== undefined &&
      (next === undefined ||
        /^(at|in|and|with|for|to|of|by|an?|the|while|last|this|up|down|over)$/.test(next));
    out.push({ start: m.index, end: m.index + m[0].length, value, kind, scaledBare });
  }
  return out.sort((a, b) => a.start - b.start);
}

function compatibleEn(unit: Unit, t: EnToken, adjacentBefore: boolean): boolean {
  switch (unit) {
    case 'CNY':
      return t.kind === 'CNY' || t.scaledBare;
    case '%':
      return t.kind === '%';
    case 'ratio':
      return t.kind === 'plain' && !t.scaledBare;
    case 'points':
      return t.kind === 'points';
    case 'persons':
      return t.kind === 'persons' || (adjacentBefore && t.kind === 'plain');
    case 'count':
      return t.kind === 'count' || (adjacentBefore && t.kind === 'plain');
  }
}

const ORD = '(\\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)';
const SCOPE_EN =
  '(province-wide|provincewide|in the province|in zhejiang|citywide|city-wide|in the city|nationwide|in china|in the country)';
const RANK_EN_1 = new RegExp(`\\brank(?:s|ed|ing)?\\s+(?:no\\.\\s*)?${ORD}\\b(?:\\s+${SCOPE_EN})?`, 'i');
const RANK_EN_2 = new RegExp(`\\b${ORD}\\s+${SCOPE_EN}`, 'i');
const TOP_EN = new RegExp(`\\btop\\s+(ten|five|three|\\d+)\\s+${SCOPE_EN}`, 'i');
const ABOVE_EN =
  /(more than|over|above|exceeding|exceeded|exceeds?|surpassing|surpassed|breaking|broke|broken|topping|topped)\s+(?:the\s+)?["“]?$/i;
const ABOUT_EN = /(about|around|approximately|nearly|almost|close to)\s+["“]?$/i;
const BELOW_EN = /(less than|under|below|fewer than)\s+["“]?$/i;
export const TARGET_EN =
  /\b(target(?:s|ed)?|aims? to|aiming to|strive|striving|will|plans? to|planned|goal|expected to|is set to|projected)\b/i;

function scopeOf(word: string | undefined): Rank['scope'] {
  if (!word) return null;
  const w = word.toLowerCase();
  if (w.includes('province') || w.includes('zhejiang')) return 'province';
  if (w.includes('city')) return 'city';
  return 'nation';
}

const AMONG_EN = new RegExp(
  String.raw`\b(?:rank(?:s|ed|ing)?\s+${ORD}|(?:the\s+)?(?:${ORD}[\s-]+)?(highest|largest|biggest|top))\s+among\s+([^.;,]*)`,
  'i',
);
const LEVEL_OWNER_EN =
  /\bthe\s+(city|province|country|nation)['’]s\b|\b(?:in|of|across)\s+the\s+(city|province|country|nation)\b/i;
const OWNER_EN = /\b([A-Z][a-z]+)['’]s\b|\bof\s+([A-Z][a-z]+)\b/;
const TOTAL_EN = new RegExp(
  String.raw`^(?:the\s+)?(?:[A-Z][a-z]+['’]s\s+)?(\d+|(?:${ENGLISH_NUMBER_WORDS})(?:[\s-]+(?:${ENGLISH_NUMBER_WORDS}))*)\s`,
  'i',
);

/** The scope a ranked set names: Zhejiang's counties (province), Lishui's (city), China's provinces. */
function amongScope(data: MetricsData, phrase: string): Rank['scope'] {
  // "the city's ten districts", "counties in the province": the set's owner named by its level.
  const byLevel = LEVEL_OWNER_EN.exec(phrase);
  const owned = byLevel?.[1] ?? byLevel?.[2];
  if (owned !== undefined) return /^(?:country|nation)$/i.test(owned) ? 'nation' : scopeOf(owned);
  const owner = OWNER_EN.exec(phrase);
  const name = owner?.[1] ?? owner?.[2];
  if (name === undefined) return /\bprovinces\b/i.test(phrase) ? 'nation' : null;
  if (/^China$/i.test(name)) return 'nation';
  const region = regionMentions(data, name)[0]?.region;
  const level = region === undefined ? undefined : data.regions.get(region)?.level;
  if (level === 'province') return 'province';
  return level === 'city' ? 'city' : null;
}

/** "the third highest among Hangzhou's thirteen districts and counties": rank 3 of 13, scope city. */
function readAmongEn(data: MetricsData, s: string): Rank | null {
  const m = AMONG_EN.exec(s);
  if (!m) return null;
  const rank = parseEnglishSmallNumber(m[1] ?? m[2] ?? '') ?? (m[3] ? 1 : null);
  if (rank === null || rank <= 0) return null;
  const phrase = m[4] ?? '';
  const totalWords = TOTAL_EN.exec(phrase)?.[1];
  const total =
    totalWords === undefined
      ? null
      : /^\d+$/.test(totalWords)
        ? Number(totalWords)
        : parseEnglishNumberWords(totalWords);
  return {
    rank,
    scope: amongScope(data, phrase),
    topN: false,
    total: total !== null && total >= rank ? total : null,
  };
}

function readRankEn(data: MetricsData, s: string): Rank | null {
  if (/growth rate|rate of (?:growth|increase)/i.test(s)) return null;
  if (/\bamong\b/i.test(s)) return readAmongEn(data, s);
  if (
    !/rank|top|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d(?:st|nd|rd|th)\b/i.test(s)
  )
    return null;
  if (/growth rate|rate of (?:growth|increase)/i.test(s)) return null;
  const top = TOP_EN.exec(s);
  if (top) {
    const n = parseEnglishSmallNumber(top[1] ?? '');
    if (n) return { rank: n, scope: scopeOf(top[2]), topN: true };
  }
  const r = RANK_EN_1.exec(s) ?? RANK_EN_2.exec(s);
  if (!r) return null;
  const n = parseEnglishSmallNumber(r[1] ?? '');
  return n ? { rank: n, scope: scopeOf(r[2]), topN: false } : null;
}

function segments(s: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const cut = /;|\s[-–—]\s|,?\s+while\s+|,\s*(?=of which\b)/gi;
  let start = 0;
  for (const m of matchesOf(cut, s)) {
    out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  out.push({ start, end: s.length });
  return out;
}

/** Indicator phrases of an English sentence that stand for the indicator itself, in order. */
export function indicatorPhrasesEn(data: MetricsData, s: string): PhraseMatch[] {
  const found = data.enPhrases.findAllWords(s).filter((f) => !data.embedded(s, f.start, f.end, 'en'));
  return found.length === 0 ? found : withElliptical(data, 'en', s, found);
}

interface Located {
  change: Change;
  start: number;
  end: number;
}

const MORE_CHANGES_EN = /^\s*(?:,|and|, and)\s*(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)/i;

/** The changes stated in a window of the sentence (offsets in the sentence). */
function changesIn(data: MetricsData, window: string, offset: number): Located[] {
  const out: Located[] = [];
  if (!/%|percent|per cent|point/i.test(window)) return out;
  for (const m of matchesOf(data.changeWordsEn.change, window)) {
    const sign = data.changeWordsEn.fall.has((m[2] ?? '').toLowerCase()) ? -1 : 1;
    const kind: Change['kind'] = /point/i.test(m[4] ?? '')
      ? 'percentage_points'
      : m[1]
        ? 'multi_year_average'
        : 'annual';
    const start = offset + m.index;
    out.push({ change: { pct: sign * Number(m[3]), kind }, start, end: start + m[0].length });
    // "increased by 9.2% and 10.2% respectively": the following figures are changes too.
    let rest = m.index + m[0].length;
    for (
      let more = MORE_CHANGES_EN.exec(window.slice(rest));
      more;
      more = MORE_CHANGES_EN.exec(window.slice(rest))
    ) {
      const at = offset + rest;
      out.push({ change: { pct: sign * Number(more[1]), kind }, start: at, end: at + more[0].length });
      rest += more[0].length;
    }
  }
  return out;
}

/** One indicator phrase of a segment, with the window of the sentence that is its own. */
interface PhraseWindow {
  f: PhraseMatch;
  /** Its index among the phrases of its segment. */
  index: number;
  winStart: number;
  winEnd: number;
  region: string;
  period: string;
  tokens: EnToken[];
  changes: Located[];
}

interface SentenceFrame {
  ctx: Context;
  s: string;
  target: boolean;
  evidence: Metric['evidence'][number];
}

const LINKING_VERB_EN =
  /^[\w\s,'’-]{0,30}?\b(?:was|were|is|are|reached|totall?ed|totall?ing|hit|stood at|amounted to|numbered)\s*$/i;

/** The value of a single indicator: the first fitting number after it, else the last right before it. */
function valueEn(fr: SentenceFrame, w: PhraseWindow, unit: Unit): EnToken | null {
  const { s } = fr;
  const { f } = w;
  // "narrowed by 0.03", "up 2": a distance, never the value.
  const notDistance = (t: EnToken): boolean =>
    !/\b(?:by|up|down)\s*$/i.test(s.slice(Math.max(0, t.start - 6), t.start));
  // "new market entities in Keqiao was 28,200": a bare count right after a linking verb.
  const linked = (t: EnToken): boolean =>
    t.start - f.end <= 40 && LINKING_VERB_EN.test(s.slice(f.end, t.start));
  const after = w.tokens.find((t) => t.start >= f.end && notDistance(t) && compatibleEn(unit, t, linked(t)));
  if (after) return after;
  const before = w.tokens.filter((t) => {
    const gap = s.slice(t.end, f.start);
    return t.end <= f.start && compatibleEn(unit, t, /^\s+(?:new\s+)?$/.test(gap) || gap.trim() === '');
  });
  return before[before.length - 1] ?? null;
}

function qualifierEn(s: string, winStart: number, v: EnToken | null): Qualifier | null {
  if (!v) return null;
  const gap = s.slice(Math.max(winStart, v.start - 25), v.start);
  if (ABOVE_EN.test(gap)) return 'above';
  if (ABOUT_EN.test(gap)) return 'about';
  return BELOW_EN.test(gap) ? 'below' : null;
}

const VERB_BEFORE_EN = /\b(grew|expanded|increased|raised|boosted|cut|reduced)\s+(?:(?:its|the)\s+)?$/i;
const BY_AFTER_EN = /^\s+by\s+(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)/i;

/** "grew its economy by 5.9 percent": the verb before the phrase, the change after it. */
function verbBeforeChange(s: string, f: PhraseMatch): Change | null {
  const verb = VERB_BEFORE_EN.exec(s.slice(Math.max(0, f.start - 20), f.start));
  const by = verb ? BY_AFTER_EN.exec(s.slice(f.end, f.end + 30)) : null;
  if (!verb || !by) return null;
  const sign = /^(?:cut|reduced)$/i.test(verb[1] ?? '') ? -1 : 1;
  return { pct: sign * Number(by[1]), kind: 'annual' };
}

/** The metric of a phrase naming one indicator. */
function singleEn(fr: SentenceFrame, w: PhraseWindow): Metric | null {
  const code = w.f.phrase.indicators[0] ?? '';
  const def = fr.ctx.data.indicators.get(code);
  if (!def) return null;
  const v = valueEn(fr, w, def.unit);
  // A change before the phrase is its own only when no other figure precedes it in the segment
  // ("up 7.1 percent, and the income ratio narrowed to 1.59" is the income's change); a ratio
  // changes by a distance, never by a percentage.
  const own = w.changes.filter((c) => w.index === 0 || c.start >= w.f.end);
  const change = def.unit === 'ratio' ? null : (own[0]?.change ?? verbBeforeChange(fr.s, w.f));
  const rank = readRankEn(fr.ctx.data, fr.s.slice(w.winStart, w.winEnd));
  if (!v && !change && !rank) return null;
  const qualifier = fr.target ? 'target' : qualifierEn(fr.s, w.winStart, v);
  return makeMetric({
    indicator: code,
    unit: def.unit,
    region: w.region,
    period: w.period,
    value: v?.value ?? null,
    qualifier,
    change,
    rank,
    evidence: fr.evidence,
  });
}

/** "urban and rural per capita disposable income ... respectively": values pair in order. */
function respectivelyEn(fr: SentenceFrame, w: PhraseWindow): Metric[] {
  const codes = w.f.phrase.indicators;
  if (!/\brespectively\b/i.test(fr.s.slice(w.winStart, w.winEnd))) return [];
  const units = codes.map((c) => fr.ctx.data.indicators.get(c)?.unit ?? 'CNY');
  const vals = w.tokens.filter((t) => t.start >= w.f.end && units.every((u) => compatibleEn(u, t, false)));
  const chs = w.changes.filter((c) => c.start >= w.f.end);
  const out: Metric[] = [];
  codes.forEach((code, i) => {
    const v = vals.length === codes.length ? vals[i] : undefined;
    const c = chs.length === codes.length ? chs[i]?.change : undefined;
    if (!v && !c) return;
    const qualifier = fr.target ? 'target' : null;
    out.push(
      makeMetric({
        indicator: code,
        unit: units[i] ?? 'CNY',
        region: w.region,
        period: w.period,
        value: v?.value ?? null,
        qualifier,
        change: c ?? null,
        rank: null,
        evidence: fr.evidence,
      }),
    );
  });
  return out;
}

/** The window, region and period of the phrase `fi` of a segment; null when either cannot be told. */
function phraseWindow(
  fr: SentenceFrame,
  sent: SentenceInput,
  seg: { start: number; end: number },
  inSeg: PhraseMatch[],
  fi: number,
): PhraseWindow | null {
  const { s } = fr;
  const f = inSeg[fi] as PhraseMatch;
  const winStart = fi === 0 ? seg.start : (inSeg[fi - 1]?.end ?? seg.start);
  const winEnd = inSeg[fi + 1]?.start ?? seg.end;
  const region = clauseRegion(
    fr.ctx.data,
    s.slice(Math.max(seg.start, f.start - 160), f.start),
    fr.ctx.subject,
  );
  if (region === undefined) return null;
  const before = sent.periods.filter((p) => p.end <= f.start);
  const lastBefore = before[before.length - 1];
  const period = lastBefore
    ? lastBefore.period
    : (sent.periods.find((p) => p.start >= f.end && p.end <= winEnd)?.period ?? sent.contextPeriod);
  if (period === null || period === undefined) {
    // A figure no level of the document dates: a warning, never a guess.
    if (/\d/.test(s.slice(f.end, winEnd)))
      fr.ctx.warn(
        `metric dropped (${period === null ? 'an untrustworthy period' : 'no period'}): ${f.phrase.indicators.join('+')} in "${s.slice(0, 40)}"`,
      );
    return null;
  }
  const window = s.slice(winStart, winEnd);
  const changes = changesIn(fr.ctx.data, window, winStart);
  const tokens = scanNumbersEn(window)
    .map((t) => ({ ...t, start: t.start + winStart, end: t.end + winStart }))
    .filter((t) => !changes.some((c) => t.start >= c.start && t.end <= c.end));
  return { f, index: fi, winStart, winEnd, region, period, tokens, changes };
}

/** `found`: indicatorPhrasesEn of `sent.original`. */
export function extractSentenceEn(ctx: Context, sent: SentenceInput, found: PhraseMatch[]): Metric[] {
  const s = sent.original;
  if (found.length === 0) return [];
  const fr: SentenceFrame = {
    ctx,
    s,
    target: TARGET_EN.test(s),
    evidence: { text: s, start: sent.start, end: sent.start + s.length, lang: sent.lang },
  };
  const out: Metric[] = [];
  for (const seg of segments(s)) {
    if (/^\s*of which\b/i.test(s.slice(seg.start, seg.end))) continue;
    const inSeg = found.filter((f) => f.start >= seg.start && f.end <= seg.end);
    for (let fi = 0; fi < inSeg.length; fi++) {
      const w = phraseWindow(fr, sent, seg, inSeg, fi);
      if (w === null) continue;
      if (w.f.phrase.indicators.length > 1) out.push(...respectivelyEn(fr, w));
      else {
        const m = singleEn(fr, w);
        if (m) out.push(m);
      }
    }
  }
  return out;
}
