/**
 * The dates of a table: the anchor its title or caption gives (2024年1-10月, 2023年11月, January-June
 * 2024, 2023年), and each column's period read against it (本月, 1-本月累计, 1-12月, 10月, Jan-Sep,
 * 本年). Period strings as the parser writes them: `2023`, `2023-09`, `2023-01/2023-09`.
 */

export interface Anchor {
  year: number;
  /** The last month the table covers (10 in 2024年1-10月 or 2024年10月), null for a year. */
  month: number | null;
  /** The anchor is a range from January (1-10月, 上半年), not a single month. */
  cumulative: boolean;
}

/** What a column header says of its period, before the year is known. */
export type ColumnPeriod =
  | { kind: 'month'; month: number | 'anchor' }
  | { kind: 'cumulative'; month: number | 'anchor' }
  | { kind: 'year'; year: number | null };

const MONTHS_EN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_EN = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const RANGE = '\\s*[-—–~至到]\\s*';
const PARTS_ZH: Record<string, number> = {
  一季度: 3,
  第一季度: 3,
  '1季度': 3,
  上半年: 6,
  前两季度: 6,
  前二季度: 6,
  前三季度: 9,
  全年: 12,
};
const PART_ZH = '(第一季度|一季度|1季度|上半年|前两季度|前二季度|前三季度|全年)';
const PARTS_EN: Array<[RegExp, number]> = [
  [/\b(?:first half|h1)\b/, 6],
  [/\b(?:first quarter|q1)\b/, 3],
  [/\b(?:first three quarters|q1\s*-\s*q3)\b/, 9],
];

const monthEn = (m: string): number => MONTHS_EN.indexOf(m.slice(0, 3)) + 1;

function anchorZh(s: string): Anchor | null {
  let m = new RegExp(`(?<!\\d)(\\d{4})年\\s*(\\d{1,2})${RANGE}(\\d{1,2})月`).exec(s);
  if (m && Number(m[2]) === 1) return { year: Number(m[1]), month: Number(m[3]), cumulative: true };
  m = new RegExp(`(?<!\\d)(\\d{4})年(?:度)?\\s*${PART_ZH}`).exec(s);
  if (m) return { year: Number(m[1]), month: PARTS_ZH[m[2] ?? ''] ?? null, cumulative: true };
  m = /(?<!\d)(\d{4})年\s*(\d{1,2})月/.exec(s);
  if (m) return { year: Number(m[1]), month: Number(m[2]), cumulative: false };
  m = /(?<!\d)(\d{4})年(?!\d)/.exec(s);
  return m ? { year: Number(m[1]), month: null, cumulative: false } : null;
}

function anchorEn(s: string): Anchor | null {
  const lower = s.toLowerCase();
  const year = /(?<!\d)((?:19|20)\d\d)(?!\d)/.exec(lower);
  if (!year) return null;
  const y = Number(year[1]);
  const range = new RegExp(`\\b${MONTH_EN}${RANGE}${MONTH_EN}`).exec(lower);
  if (range && monthEn(range[1] ?? '') === 1)
    return { year: y, month: monthEn(range[2] ?? ''), cumulative: true };
  for (const [re, month] of PARTS_EN) if (re.test(lower)) return { year: y, month, cumulative: true };
  return { year: y, month: null, cumulative: false };
}

/** The first anchor of the texts, in order (the caption before the page title); `typo` for 20233年. */
export function tableAnchor(texts: readonly string[]): Anchor | 'typo' | null {
  for (const t of texts) {
    if (/\d{5,}\s*年/.test(t)) return 'typo';
    const a = anchorZh(t) ?? (/[a-z]/i.test(t) ? anchorEn(t) : null);
    if (a && a.month !== null && (a.month < 1 || a.month > 12)) return 'typo';
    if (a) return a;
  }
  return null;
}

function columnPeriodZh(h: string): ColumnPeriod | null {
  if (/1\s*[-—–~至到]\s*本月|累计|本年|1\s*[-—–~至到]\s*本期/.test(h))
    return { kind: 'cumulative', month: 'anchor' };
  if (/本月|当月/.test(h)) return { kind: 'month', month: 'anchor' };
  let m = new RegExp(`(?<!\\d)(\\d{1,2})${RANGE}(\\d{1,2})月`).exec(h);
  if (m) return Number(m[1]) === 1 ? { kind: 'cumulative', month: Number(m[2]) } : null;
  m = new RegExp(PART_ZH).exec(h);
  if (m) return { kind: 'cumulative', month: PARTS_ZH[m[1] ?? ''] ?? 12 };
  m = /(?<!\d)(\d{1,2})月/.exec(h);
  if (m) return { kind: 'month', month: Number(m[1]) };
  m = /(?<!\d)((?:19|20)\d\d)年?(?!\d)/.exec(h);
  return m ? { kind: 'year', year: Number(m[1]) } : null;
}

function columnPeriodEn(h: string): ColumnPeriod | null {
  if (/year to date|ytd|cumulative|this year/.test(h)) return { kind: 'cumulative', month: 'anchor' };
  if (/this month|current month/.test(h)) return { kind: 'month', month: 'anchor' };
  const range = new RegExp(`\\b${MONTH_EN}${RANGE}${MONTH_EN}`).exec(h);
  if (range)
    return monthEn(range[1] ?? '') === 1 ? { kind: 'cumulative', month: monthEn(range[2] ?? '') } : null;
  for (const [re, month] of PARTS_EN) if (re.test(h)) return { kind: 'cumulative', month };
  if (/full year|annual/.test(h)) return { kind: 'cumulative', month: 12 };
  const year = /(?<!\d)((?:19|20)\d\d)(?!\d)/.exec(h);
  return year ? { kind: 'year', year: Number(year[1]) } : null;
}

/** A column header's period (lower-cased matching text), or null when it names none. */
export function columnPeriod(header: string): ColumnPeriod | null {
  return columnPeriodZh(header) ?? (/[a-z]/.test(header) ? columnPeriodEn(header) : null);
}

const pad = (n: number): string => String(n).padStart(2, '0');

function periodString(year: number, month: number, cumulative: boolean): string | null {
  if (month < 1 || month > 12) return null;
  if (cumulative && month === 12) return String(year);
  if (cumulative && month > 1) return `${year}-01/${year}-${pad(month)}`;
  return `${year}-${pad(month)}`;
}

/**
 * A column's period string: its own words resolved against the anchor, or the anchor's own period
 * when the header names none (`绝对值` in a 2024年上半年 table). Null when it cannot be dated: 本月
 * with no month known, a single-month anchor for a column that says nothing.
 */
export function resolvePeriod(col: ColumnPeriod | null, anchor: Anchor): string | null {
  if (col === null) {
    if (anchor.month === null) return String(anchor.year);
    return anchor.cumulative ? periodString(anchor.year, anchor.month, true) : null;
  }
  if (col.kind === 'year') return String(col.year ?? anchor.year);
  const month = col.month === 'anchor' ? anchor.month : col.month;
  if (month === null) return col.kind === 'cumulative' && col.month === 'anchor' ? String(anchor.year) : null;
  return periodString(anchor.year, month, col.kind === 'cumulative');
}

/**
 * The anchor of a table whose title and caption give no year: the publication's year, or the year
 * before when the table's last month is after the publication month (1-12月 published in January).
 */
export function publishedAnchor(publishedAt: string | null, month: number | null): Anchor | null {
  const m = publishedAt ? /^(\d{4})-(\d{2})/.exec(publishedAt) : null;
  if (!m) return null;
  const year = Number(m[1]);
  const last = month ?? 12;
  return { year: last <= Number(m[2]) ? year : year - 1, month, cumulative: month !== null };
}
