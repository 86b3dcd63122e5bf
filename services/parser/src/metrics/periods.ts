import { ENGLISH_MONTHS } from '@govwire/shared/months';
import { matchesOf } from './text';

/**
 * Periods: years (2022年, "in 2022"), parts of a year with or without their year (1-9月, 1—2月,
 * 前三季度, 上半年, 一季度, 三季度当季, 12月份, 当月; "the first three quarters", "January-September",
 * "in the first half"), and relative years (去年, 全年, "last year"). A part of a year with no year
 * takes the report's year (the title's, else the publication date's); a relative year resolves
 * against the publication date. A year that is a comparison base (比上年, 比1-8月, "than last year")
 * or a starting point (自2006年以来) is not the period of a figure.
 *
 * Period strings: `2023`, `2023-09`, `2023-01/2023-09`; 1-12月 is the year.
 */

export interface PeriodMention {
  start: number;
  end: number;
  /** `2022`, `2022-09` or `2022-01/2022-06`; null when it cannot be dated. */
  period: string | null;
}

/** What a period without its year is resolved against. */
export interface ReportDates {
  publishedAt: string | null;
  /** The year the report is about (its title's), when known. */
  reportYear?: number | null;
  /** The month the report is about (a monthly release's last month), for 当月 and 本月. */
  reportMonth?: number | null;
}

const RANGE = String.raw`\s*[-—–~至到]\s*`;
// A written year, or none (今年上半年 is fine; 20233年1-9月 is not a part of any year).
const YEAR_PREFIX = String.raw`(?:(\d{4})年(?:的)?|(?<!\d年)(?<!\d))`;
const MONTH_RANGE_ZH = new RegExp(String.raw`${YEAR_PREFIX}(\d{1,2})(?:月)?${RANGE}(\d{1,2})月(?:份)?`, 'g');
const HALF_ZH = new RegExp(String.raw`${YEAR_PREFIX}(上|下)半年`, 'g');
const FIRST_QUARTERS_ZH = new RegExp(String.raw`${YEAR_PREFIX}前([二两三])(?:个)?季度`, 'g');
const QUARTER_ZH = new RegExp(String.raw`${YEAR_PREFIX}(?:第)?([一二三四1-4])季度(?:当季)?`, 'g');
const MONTH_ZH = new RegExp(
  String.raw`${YEAR_PREFIX}(?<![\d\-—–~至到])(\d{1,2})月(份|当月)?(?![\d日末底初中旬])`,
  'g',
);
const THIS_MONTH_ZH = /当月|本月/g;
/** Spans of years (近年来, 十三五期间, 多年来): their figures belong to no single year. */
const SPAN_ZH =
  /近年来|近几年|近些年|近年|多年来|历年来|过去(?!一年)[一二三四五六七八九十两几\d]+年|["“]?十[一二三四五]五["”]?(?:期间|时期|以来)|[一二三四五六七八九十两几\d]+年来|今年以来/g;
const MAY_SPAN_ZH = /近|年来|以来|过去|十/;
const YEAR_ZH = /(\d{4,})年(?!\d|代|底前|以前|以后|以来)/g;
const RELATIVE_ZH = /(去年|上年|上一年|今年|本年|前年|全年|过去一年)(?!同期)/g;
/** Words before a period that make it a comparison base or a starting point, not the period. */
const ZH_NOT_PERIOD_BEFORE = /(比|较|同比|与|和|自|从|由|相比|对比|截至|截止|到|至)$/;
const ZH_NOT_PERIOD_AFTER = /^(以来|来|相比|同期|起|开始|前|末|底)/;
const QUARTER_NUMBER: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function yearOf(publishedAt: string | null): number | null {
  if (!publishedAt) return null;
  const y = Number(publishedAt.slice(0, 4));
  return Number.isFinite(y) ? y : null;
}

function plausibleYear(y: number): boolean {
  return y >= 1949 && y <= 2100;
}

export function relativeYear(word: string, publishedAt: string | null): number | null {
  const y = yearOf(publishedAt);
  if (y === null) return null;
  switch (word) {
    case '去年':
    case '上年':
    case '上一年':
    case '过去一年':
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

/** Months `a` to `b` of year `y` as a period string: one month, a range, or the year. */
export function monthsPeriod(y: number, a: number, b: number): string | null {
  if (!plausibleYear(y) || a < 1 || b > 12 || a > b) return null;
  if (a === 1 && b === 12) return String(y);
  return a === b ? `${y}-${pad(a)}` : `${y}-${pad(a)}/${y}-${pad(b)}`;
}

/**
 * The year of a part of a year written without one: the report's year; with none, the publication
 * year, or the year before when the part would end after the publication month (12月份 in January).
 */
function impliedYear(dates: ReportDates, lastMonth: number): number | null {
  if (dates.reportYear != null) return dates.reportYear;
  const y = yearOf(dates.publishedAt);
  if (y === null || !dates.publishedAt) return null;
  const month = Number(dates.publishedAt.slice(5, 7));
  return Number.isFinite(month) && month > 0 && lastMonth > month ? y - 1 : y;
}

/** A part of a year (months a..b), with its written year when there is one. */
function partPeriod(written: string | undefined, a: number, b: number, dates: ReportDates): string | null {
  const y = written !== undefined ? Number(written) : impliedYear(dates, b);
  return y === null ? null : monthsPeriod(y, a, b);
}

type Accept = (start: number, end: number, period: string | null) => void;

/** 前三季度 (months 1-9), 一季度 and 三季度当季 (one quarter), with or without the year. */
function quartersZh(s: string, dates: ReportDates, accept: Accept): void {
  for (const m of matchesOf(FIRST_QUARTERS_ZH, s)) {
    const q = QUARTER_NUMBER[m[2] ?? ''] ?? 0;
    accept(m.index, m.index + m[0].length, partPeriod(m[1], 1, q * 3, dates));
  }
  for (const m of matchesOf(QUARTER_ZH, s)) {
    const q = QUARTER_NUMBER[m[2] ?? ''] ?? 0;
    accept(m.index, m.index + m[0].length, q === 0 ? null : partPeriod(m[1], q * 3 - 2, q * 3, dates));
  }
}

/** 1-9月, 上半年, 前三季度, 三季度当季, 12月份 and 当月, each with or without its year. */
function partsOfYearZh(s: string, dates: ReportDates, accept: Accept): void {
  const hasMonth = s.includes('月');
  for (const m of hasMonth ? matchesOf(MONTH_RANGE_ZH, s) : [])
    accept(m.index, m.index + m[0].length, partPeriod(m[1], Number(m[2]), Number(m[3]), dates));
  for (const m of s.includes('半年') ? matchesOf(HALF_ZH, s) : []) {
    const [a, b] = m[2] === '上' ? [1, 6] : [7, 12];
    accept(m.index, m.index + m[0].length, partPeriod(m[1], a, b, dates));
  }
  if (s.includes('季度')) quartersZh(s, dates, accept);
  for (const m of hasMonth ? matchesOf(MONTH_ZH, s) : []) {
    // A bare 9月 is a period only as a clause head (9月，…) or with 份/当月; otherwise it is a date.
    const end = m.index + m[0].length;
    if (m[1] === undefined && m[3] === undefined && s[end] !== ',') continue;
    const month = Number(m[2]);
    accept(m.index, end, partPeriod(m[1], month, month, dates));
  }
  for (const m of s.includes('当月') || s.includes('本月') ? matchesOf(THIS_MONTH_ZH, s) : []) {
    const month = dates.reportMonth;
    accept(m.index, m.index + m[0].length, month == null ? null : partPeriod(undefined, month, month, dates));
  }
}

/**
 * 今年, 去年, 全年 (the report's year), 过去一年. 全年 after another period of the sentence is that
 * period's whole year (今年…全年固定资产投资): it adds no period of its own.
 */
function relativeYearsZh(s: string, dates: ReportDates, accept: Accept, found: PeriodMention[]): void {
  for (const m of matchesOf(RELATIVE_ZH, s)) {
    const word = m[1] ?? '';
    if (word === '全年' && found.some((p) => p.start < m.index)) continue;
    const y = word === '全年' ? (dates.reportYear ?? null) : relativeYear(word, dates.publishedAt);
    accept(m.index, m.index + m[0].length, y === null ? null : String(y));
  }
}

/** Period mentions in simplified Chinese text, in order of position. */
export function findPeriodsZh(
  s: string,
  publishedAt: string | null,
  reportYear: number | null = null,
  reportMonth: number | null = null,
): PeriodMention[] {
  if (!/[年月季期]/.test(s)) return [];
  const dates: ReportDates = { publishedAt, reportYear, reportMonth };
  const out: PeriodMention[] = [];
  const covered: [number, number][] = [];
  const overlaps = (start: number, end: number): boolean => covered.some(([a, b]) => start < b && end > a);
  const accept: Accept = (start, end, period) => {
    if (overlaps(start, end)) return;
    covered.push([start, end]);
    const before = s.slice(Math.max(0, start - 2), start);
    if (ZH_NOT_PERIOD_BEFORE.test(before) || ZH_NOT_PERIOD_AFTER.test(s.slice(end, end + 3))) return;
    out.push({ start, end, period });
  };
  partsOfYearZh(s, dates, accept);
  // Every SPAN_ZH match has 近, 年来, 以来, 过去 or 十 in it.
  if (MAY_SPAN_ZH.test(s))
    for (const m of matchesOf(SPAN_ZH, s)) accept(m.index, m.index + m[0].length, null);
  for (const m of s.includes('年') ? matchesOf(YEAR_ZH, s) : []) {
    // 20233年 is a typo, not a year: the figure it dates cannot be trusted.
    const y = Number(m[1]);
    accept(m.index, m.index + m[0].length, (m[1] ?? '').length === 4 && plausibleYear(y) ? String(y) : null);
  }
  if (s.includes('年')) relativeYearsZh(s, dates, accept, out);
  return out.sort((a, b) => a.start - b.start);
}

const MONTH_EN = `(${ENGLISH_MONTHS.join('|')})`;
const ORDINAL_EN: Readonly<Record<string, number>> = { first: 1, second: 2, third: 3, fourth: 4 };
const COUNT_EN: Readonly<Record<string, number>> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
};
/** The year a part of a year names after it: "of 2024", ", 2024", or "of this year" / "of last year". */
const OF_YEAR = String.raw`(?:,?\s+(?:of\s+)?((?:19|20)\d\d)|\s+of\s+(this|last)\s+year)?`;
const PARTS_EN: { re: RegExp; months: (m: RegExpExecArray) => [number, number] | null }[] = [
  {
    re: new RegExp(String.raw`\bfirst (two|three) quarters${OF_YEAR}`, 'gi'),
    months: (m) => [1, (COUNT_EN[(m[1] ?? '').toLowerCase()] ?? 0) * 3],
  },
  {
    re: new RegExp(String.raw`\b(first|second|third|fourth) quarter${OF_YEAR}`, 'gi'),
    months: (m) => quarterMonths(ORDINAL_EN[(m[1] ?? '').toLowerCase()] ?? 0),
  },
  { re: new RegExp(String.raw`\bQ([1-4])${OF_YEAR}`, 'g'), months: (m) => quarterMonths(Number(m[1])) },
  {
    re: new RegExp(String.raw`\b(first|second) half${OF_YEAR}`, 'gi'),
    months: (m) => ((m[1] ?? '').toLowerCase() === 'first' ? [1, 6] : [7, 12]),
  },
  {
    re: new RegExp(String.raw`\bfirst (${Object.keys(COUNT_EN).join('|')}) months${OF_YEAR}`, 'gi'),
    months: (m) => [1, COUNT_EN[(m[1] ?? '').toLowerCase()] ?? 0],
  },
  {
    re: new RegExp(String.raw`\b${MONTH_EN}\s*(?:-|–|—|to|through)\s*${MONTH_EN}${OF_YEAR}`, 'gi'),
    months: (m) => [monthNumber(m[1]), monthNumber(m[2])],
  },
];

function quarterMonths(q: number): [number, number] | null {
  return q >= 1 && q <= 4 ? [q * 3 - 2, q * 3] : null;
}

function monthNumber(name: string | undefined): number {
  return ENGLISH_MONTHS.indexOf((name ?? '').toLowerCase()) + 1;
}

/** Every PARTS_EN match has one of these words. */
const MAY_PART_EN =
  /quarter|half|months|Q[1-4]|january|february|march|april|may|june|july|august|september|october|november/i;
const YEAR_EN = /(?<![\d,.])((?:19|20)\d\d)(?!\d|[.,]\d)/g;
const SPAN_EN =
  /\b(?:in recent years|recent years|over the (?:past|last) (?:\w+ )?(?:years|decade)|during the \d+(?:st|nd|rd|th) five-year plan|so far this year)\b/gi;
const RELATIVE_EN = /\b(last year|this year|the previous year)\b/gi;
const EN_NOT_PERIOD_BEFORE = /\b(than|over|from|since|compared (?:with|to)|versus|vs\.?)\s*(?:the\s+)?$/i;

/** Parts of a year in English, each with its attached year ("first half of 2024") or the report's. */
function partsOfYearEn(s: string, dates: ReportDates, accept: Accept): void {
  for (const { re, months } of PARTS_EN) {
    for (const m of matchesOf(re, s)) {
      const range = months(m);
      const relative = m[m.length - 1];
      // "of this year" is the report's year, said so: a year that cannot be dated leaves no period.
      const said =
        relative === undefined ? null : relativeYear(`${relative.toLowerCase()} year`, dates.publishedAt);
      const written = relative === undefined ? m[m.length - 2] : String(said ?? NaN);
      const period = range === null ? null : partPeriod(written, range[0], range[1], dates);
      accept(m.index, m.index + m[0].length, period);
    }
  }
}

/** Period mentions in English text (any case), in order of position. */
export function findPeriodsEn(
  s: string,
  publishedAt: string | null,
  reportYear: number | null = null,
  reportMonth: number | null = null,
): PeriodMention[] {
  const dates: ReportDates = { publishedAt, reportYear, reportMonth };
  const out: PeriodMention[] = [];
  const covered: [number, number][] = [];
  const accept: Accept = (start, end, period) => {
    if (covered.some(([a, b]) => start < b && end > a)) return;
    covered.push([start, end]);
    if (EN_NOT_PERIOD_BEFORE.test(s.slice(Math.max(0, start - 20), start))) return;
    out.push({ start, end, period });
  };
  if (MAY_PART_EN.test(s)) partsOfYearEn(s, dates, accept);
  if (/year|decade/i.test(s))
    for (const m of matchesOf(SPAN_EN, s)) accept(m.index, m.index + m[0].length, null);
  for (const m of matchesOf(YEAR_EN, s)) {
    // "2022 people" is a count, not a year.
    const after = s.slice(m.index + 4, m.index + 12);
    if (/^(?:\.\d|\s*(?:yuan|people|persons|villages|%|percent))/i.test(after)) continue;
    accept(m.index, m.index + 4, String(Number(m[1])));
  }
  for (const m of /year/i.test(s) ? matchesOf(RELATIVE_EN, s) : []) {
    const y = relativeYear((m[1] ?? '').toLowerCase(), publishedAt);
    accept(m.index, m.index + m[0].length, y === null ? null : String(y));
  }
  return out.sort((a, b) => a.start - b.start);
}
