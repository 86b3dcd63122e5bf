import { matchesOf } from './text';
/**
 * Periods: explicit years (2022年, "in 2022"), month ranges (2022年1-6月), and relative years (去年,
 * 上年, "last year") resolved against the publication date. A year that is a comparison base (比上年,
 * 比2020年, "than last year") or a starting point (自2006年以来) is not the period of a figure.
 */

export interface PeriodMention {
  start: number;
  end: number;
  /** `2022` or `2022-01/2022-06`; null when relative and the publication date is unknown. */
  period: string | null;
}

const MONTH_RANGE = /(\d{4})年(?:的)?(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})月/g;
const HALF_YEAR = /(\d{4})年(上|下)半年/g;
const QUARTER_ZH = /(\d{4})年(?:第)?([一二三四1-4])季度/g;
const FIRST_QUARTERS_ZH = /(\d{4})年前([二三])季度/g;
/** Spans of years (近年来, 十三五期间, 多年来): their figures belong to no single year. */
const SPAN_ZH =
  /近年来|近几年|近些年|近年|多年来|历年来|过去[一二三四五六七八九十两几\d]+年|["“]?十[一二三四五]五["”]?(?:期间|时期|以来)|[一二三四五六七八九十两几\d]+年来/g;
/** A part of a year with no year: the figure is not an annual one and cannot be dated. */
const PARTIAL_NO_YEAR_ZH =
  /(?<!\d年|\d年第|\d年前)(?:第?[一二三四1-4]季度|前[二三]季度|[上下]半年|\d{1,2}\s*[-—–~至到]\s*\d{1,2}月|\d{1,2}月份)/g;
const YEAR_ZH = /(\d{4})年(?!\d|代|底前|以前|以后|以来)/g;
const RELATIVE_ZH = /(去年|上年|上一年|今年|本年|前年)(?!同期)/g;
/** Words before a year that make it a comparison base or a starting point, not the period. */
const ZH_NOT_PERIOD_BEFORE = /(比|较|同比|与|和|自|从|由|相比|对比|截至|截止|到|至)$/;
const ZH_NOT_PERIOD_AFTER = /^(以来|来|相比|同期|起|开始|前|末|底)/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function yearOf(publishedAt: string | null): number | null {
  if (!publishedAt) return null;
  const y = Number(publishedAt.slice(0, 4));
  return Number.isFinite(y) ? y : null;
}

export function relativeYear(word: string, publishedAt: string | null): number | null {
  const y = yearOf(publishedAt);
  if (y === null) return null;
  switch (word) {
    case '去年':
    case '上年':
    case '上一年':
    case 'last year':
    case 'the previous year':
      return y - 1;
    case '前年':
      return y - 2;
    case '今年':
    case '本年':
    case 'this year':
      return y;
    default:
      return null;
  }
}

function plausibleYear(y: number): boolean {
  return y >= 1949 && y <= 2100;
}

/** Period mentions in simplified Chinese text, in order of position. */
export function findPeriodsZh(s: string, publishedAt: string | null): PeriodMention[] {
  const out: PeriodMention[] = [];
  const covered: [number, number][] = [];
  const accept = (start: number, end: number, period: string | null): void => {
    const before = s.slice(Math.max(0, start - 2), start);
    const after = s.slice(end, end + 3);
    if (ZH_NOT_PERIOD_BEFORE.test(before) || ZH_NOT_PERIOD_AFTER.test(after)) return;
    if (covered.some(([a, b]) => start < b && end > a)) return;
    covered.push([start, end]);
    out.push({ start, end, period });
  };
  // Each pattern needs a telltale character; testing for it first skips most regex runs.
  const hasMonth = s.includes('月');
  const hasQuarter = s.includes('季度');
  const hasHalf = s.includes('半年');
  const hasYear = s.includes('年');
  for (const m of hasMonth && hasYear ? matchesOf(MONTH_RANGE, s) : []) {
    const y = Number(m[1]);
    const a = Number(m[2]);
    const b = Number(m[3]);
    if (!plausibleYear(y) || a < 1 || b > 12 || a > b) continue;
    const period = a === 1 && b === 12 ? String(y) : `${y}-${pad(a)}/${y}-${pad(b)}`;
    accept(m.index, m.index + m[0].length, period);
  }
  for (const m of hasHalf ? matchesOf(HALF_YEAR, s) : []) {
    const y = Number(m[1]);
    if (!plausibleYear(y)) continue;
    accept(m.index, m.index + m[0].length, m[2] === '上' ? `${y}-01/${y}-06` : `${y}-07/${y}-12`);
  }
  const quarterNames: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
  for (const m of hasQuarter ? matchesOf(QUARTER_ZH, s) : []) {
    const y = Number(m[1]);
    const q = quarterNames[m[2] ?? ''] ?? 0;
    if (!plausibleYear(y) || q === 0) continue;
    accept(m.index, m.index + m[0].length, `${y}-${pad(q * 3 - 2)}/${y}-${pad(q * 3)}`);
  }
  for (const m of hasQuarter ? matchesOf(FIRST_QUARTERS_ZH, s) : []) {
    const y = Number(m[1]);
    if (!plausibleYear(y)) continue;
    accept(m.index, m.index + m[0].length, `${y}-01/${y}-${m[2] === '二' ? '06' : '09'}`);
  }
  for (const m of hasMonth || hasQuarter || hasHalf ? matchesOf(PARTIAL_NO_YEAR_ZH, s) : []) {
    if (covered.some(([a, b]) => m.index < b && m.index + m[0].length > a)) continue;
    covered.push([m.index, m.index + m[0].length]);
    out.push({ start: m.index, end: m.index + m[0].length, period: null });
  }
  // Every SPAN_ZH match has 近, 年来, 过去 or 十 in it.
  const maySpan =
    (hasYear || s.includes('期')) &&
    (s.includes('近') || s.includes('年来') || s.includes('过去') || s.includes('十'));
  for (const m of maySpan ? matchesOf(SPAN_ZH, s) : []) {
    if (covered.some(([a, b]) => m.index < b && m.index + m[0].length > a)) continue;
    covered.push([m.index, m.index + m[0].length]);
    out.push({ start: m.index, end: m.index + m[0].length, period: null });
  }
  for (const m of hasYear ? matchesOf(YEAR_ZH, s) : []) {
    const y = Number(m[1]);
    if (!plausibleYear(y)) continue;
    accept(m.index, m.index + m[0].length, String(y));
  }
  for (const m of hasYear ? matchesOf(RELATIVE_ZH, s) : []) {
    const y = relativeYear(m[1] ?? '', publishedAt);
    accept(m.index, m.index + m[0].length, y === null ? null : String(y));
  }
  return out.sort((a, b) => a.start - b.start);
}

const YEAR_EN = /(?<![\d,.])((?:19|20)\d\d)(?!\d|[.,]\d)/g;
const SPAN_EN =
  /\b(?:in recent years|recent years|over the (?:past|last) (?:\w+ )?(?:years|decade)|during the \d+(?:st|nd|rd|th) five-year plan)\b/gi;
const PARTIAL_EN =
  /\b(?:(?:first|second|third|fourth) quarter|first three quarters|(?:first|second) half|Q[1-4]|(?:january|february|march|april|may|june|july|august|september|october|november)\s*(?:-|–|to|through)\s*(?:january|february|march|april|may|june|july|august|september|october|november|december))\b/gi;
const RELATIVE_EN = /\b(last year|this year|the previous year)\b/gi;
const EN_NOT_PERIOD_BEFORE = /\b(than|over|from|since|compared (?:with|to)|versus|vs\.?)\s*$/i;

/** Period mentions in English text (any case), in order of position. */
export function findPeriodsEn(s: string, publishedAt: string | null): PeriodMention[] {
  const out: PeriodMention[] = [];
  for (const m of matchesOf(YEAR_EN, s)) {
    const y = Number(m[1]);
    if (!plausibleYear(y)) continue;
    const yearStart = m.index;
    const before = s.slice(Math.max(0, yearStart - 20), yearStart);
    if (EN_NOT_PERIOD_BEFORE.test(before)) continue;
    // "2022 people" is a count, not a year.
    const after = s.slice(yearStart + 4, yearStart + 12);
    if (/^(?:\.\d|\s*(?:yuan|people|persons|villages|%|percent))/i.test(after)) continue;
    out.push({ start: yearStart, end: yearStart + 4, period: String(y) });
  }
  // A quarter or a half, even with its year ("first quarter of 2023"), is not an annual figure and
  // English word order does not say which year goes with it: the whole sentence is undatable.
  if (PARTIAL_EN.test(s)) {
    PARTIAL_EN.lastIndex = 0;
    return [
      ...out,
      ...matchesOf(PARTIAL_EN, s).map((m) => ({
        start: m.index,
        end: m.index + m[0].length,
        period: null,
      })),
    ]
      .map((p) => ({ ...p, period: null }))
      .sort((a, b) => a.start - b.start);
  }
  // Every SPAN_EN and RELATIVE_EN match has "year" or "decade" in it.
  if (!/year|decade/i.test(s)) return out.sort((a, b) => a.start - b.start);
  for (const m of matchesOf(SPAN_EN, s))
    out.push({ start: m.index, end: m.index + m[0].length, period: null });
  for (const m of matchesOf(RELATIVE_EN, s)) {
    const before = s.slice(Math.max(0, m.index - 20), m.index);
    if (EN_NOT_PERIOD_BEFORE.test(before)) continue;
    const y = relativeYear((m[1] ?? '').toLowerCase(), publishedAt);
    out.push({ start: m.index, end: m.index + m[0].length, period: y === null ? null : String(y) });
  }
  return out.sort((a, b) => a.start - b.start);
}
