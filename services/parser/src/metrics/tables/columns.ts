import type { Grid } from './grid';
import { columnPeriod, resolvePeriod, type Anchor, type ColumnPeriod } from './periods';
import type { TableSettings } from './settings';

/**
 * What each column of a table holds, from its header: the row label, the unit, a value or a change
 * for some period, or nothing to read (progress, shares, ranks, last year's figure, goals).
 */

export type ColumnRole = 'label' | 'unit' | 'value' | 'change' | 'skip';

export interface Column {
  index: number;
  role: ColumnRole;
  /** Header texts, top first, lower-cased. */
  parts: string[];
  /** Unit named in the header: 亿元 in 总量（亿元）, % in 增长(%). */
  unit: string | null;
  /** The period its figures are for; null when it cannot be dated. */
  period: string | null;
  /** A change column: percentage points, or an average over several years. */
  changeKind: 'annual' | 'multi_year_average' | 'percentage_points';
  /** A change column: the value column it belongs to (same period, or the nearest on its left). */
  pairedWith: number | null;
}

const PARENS_UNIT = /[((]([^()()]{1,20})[))]\s*$/;

export function headerUnit(text: string): string | null {
  return PARENS_UNIT.exec(text)?.[1]?.trim() ?? null;
}

function has(words: readonly string[], text: string): boolean {
  return words.some((w) => text.includes(w));
}

/** 比上年同期增长 compares with last year's figure: a change, not last year's column (上年同期). */
const SAME_PERIOD_BASE = /比(?:上年|去年)同期/g;

function roleOf(index: number, raw: string[], s: TableSettings): ColumnRole {
  const parts = raw.map((p) => p.replace(SAME_PERIOD_BASE, '比上年'));
  const text = parts.join(' ');
  const last = parts[parts.length - 1] ?? '';
  const h = s.headers;
  if (index === 0) return 'label';
  if (has(h.skip, text)) return 'skip';
  if (h.unit.includes(last.trim())) return 'unit';
  if (has(h.change, last) || (parts.length === 1 && has(h.change, text))) return 'change';
  return 'value';
}

/** The period words of a header (the lowest part that names one). */
function periodOf(parts: string[]): ColumnPeriod | null {
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = columnPeriod(parts[i] ?? '');
    if (p) return p;
  }
  return null;
}

/** The largest month the headers name (1-12月, 10月): dates a table whose title gives no year. */
export function latestHeaderMonth(grid: Grid): number | null {
  let best: number | null = null;
  for (const parts of grid.columns) {
    const p = periodOf(parts.map((x) => x.toLowerCase()));
    if (p && p.kind !== 'year' && typeof p.month === 'number') best = Math.max(best ?? 0, p.month);
  }
  return best;
}

/** The group a column sits under in a multi-row header (地区生产总值 over 总量 and 增长), or null. */
const groupOf = (c: Column): string | null => (c.parts.length > 1 ? (c.parts[0] ?? null) : null);

function pairChanges(columns: Column[], anchorPeriod: string | null): void {
  const values = columns.filter((v) => v.role === 'value');
  for (const c of columns) {
    if (c.role !== 'change') continue;
    const group = values.filter((v) => groupOf(v) === groupOf(c));
    const samePeriod = group.filter((v) => v.period !== null && v.period === c.period);
    const left = group.filter((v) => v.index < c.index).pop();
    const pair =
      samePeriod.length === 1
        ? samePeriod[0]
        : c.period === null || c.period === left?.period
          ? left
          : undefined;
    c.pairedWith = pair?.index ?? null;
    // A growth column with no value column beside it (指标 | 增速(%)) is for the table's period.
    c.period = pair ? pair.period : (c.period ?? (values.length === 0 ? anchorPeriod : null));
  }
}

const escapeRe = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "over 2022", "比2022年", "比上年": the base a change is measured against, removed before dating. */
function baseYearPattern(s: TableSettings): RegExp {
  const words = [...s.headers.changeBase].sort((a, b) => b.length - a.length).map(escapeRe);
  return new RegExp(`(?:${words.join('|')})\\s*(?:(?:19|20)\\d{2}\\s*年?|上年|去年)`, 'g');
}

/** The columns of a table grid, read against its anchor. */
export function tableColumns(grid: Grid, anchor: Anchor, s: TableSettings): Column[] {
  const base = baseYearPattern(s);
  const columns = grid.columns.map((raw, index): Column => {
    const parts = raw.map((x) => x.toLowerCase());
    const role = roleOf(index, parts, s);
    const text = parts.join(' ');
    // A change column's header names its period apart from the base it compares with.
    const dated = role === 'change' ? parts.map((p) => p.replace(base, ' ')) : parts;
    const own = periodOf(dated);
    return {
      index,
      role,
      parts,
      unit: headerUnit(parts[parts.length - 1] ?? ''),
      period: role === 'value' || role === 'change' ? resolvePeriod(own, anchor) : null,
      changeKind: /百分点|percentage point|\bpp\b/.test(text)
        ? 'percentage_points'
        : /年均|两年平均|average/.test(text)
          ? 'multi_year_average'
          : 'annual',
      pairedWith: null,
    };
  });
  // A change column without period words takes its value column's period, not the anchor's.
  for (const c of columns) {
    if (c.role === 'change' && periodOf(c.parts.map((p) => p.replace(base, ' '))) === null) c.period = null;
  }
  // A numbering column (序号) before the labels.
  if (columns[0]?.parts.includes('序号') && columns[1]) {
    columns[0].role = 'skip';
    columns[1].role = 'label';
  }
  pairChanges(columns, resolvePeriod(null, anchor));
  return columns;
}
