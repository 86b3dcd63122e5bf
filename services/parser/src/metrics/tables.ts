import type { Language, Metric, Unit } from '@govwire/shared';
import { compatible, makeMetric } from './candidate';
import type { Change, Context } from './candidate';
import { scanNumbersZh } from './extract-zh';
import type { NumberToken } from './extract-zh';
import { findPeriodsZh } from './periods';
import { clauseRegion } from './regions';
import { matchingText } from './text';

/**
 * Statistical tables: one paragraph, one line per row, cells separated by a tab. The first row is a
 * header when its cells after the first hold no figures; its cells say which column is the value,
 * which the change, and may carry the unit, `指标\t绝对值(亿元)\t比上年增长(%)`. Without a header,
 * the first figure that fits the indicator is the value and a following percentage the change.
 */

type ColumnRole = 'value' | 'change' | 'unit' | 'rank' | 'other';

interface Column {
  role: ColumnRole;
  /** Unit text from the header, 亿元 in 绝对值(亿元). */
  unit: string | null;
  period: string | null;
}

const CHANGE_HEADER = /增长|增速|增幅|同比|比上年|±|growth|change|yoy/i;
const VALUE_HEADER = /绝对值|数值|总量|金额|数额|本期|实绩|完成|累计|全年|value|amount|total|^\d{4}年?/i;
const UNIT_HEADER = /^(单位|计量单位|unit)$/i;
const RANK_HEADER = /位次|排名|排位|rank/i;

function headerUnit(cell: string): string | null {
  return /\(([^()]+)\)\s*$/.exec(cell)?.[1]?.trim() ?? null;
}

function classify(cell: string, publishedAt: string | null): Column {
  const unit = headerUnit(cell);
  const period = findPeriodsZh(cell, publishedAt)[0]?.period ?? null;
  if (UNIT_HEADER.test(cell.trim())) return { role: 'unit', unit: null, period: null };
  if (RANK_HEADER.test(cell)) return { role: 'rank', unit, period };
  if (CHANGE_HEADER.test(cell)) return { role: 'change', unit, period };
  if (VALUE_HEADER.test(cell) || unit !== null) return { role: 'value', unit, period };
  return { role: 'other', unit, period };
}

/** A cell's number with the unit the header or a unit column supplies when the cell has none. */
function cellToken(cell: string, unit: string | null): NumberToken | null {
  const plain = cell.trim();
  if (plain === '' || !/\d/.test(plain)) return null;
  const withUnit = unit && /^[-+]?\d[\d,.]*$/.test(plain) ? plain + unit : plain;
  const negative = withUnit.startsWith('-');
  const tokens = scanNumbersZh(withUnit.replace(/^[-+]/, ''));
  const t = tokens[0];
  if (!t) return null;
  return negative ? { ...t, value: -t.value } : t;
}

export function isTableParagraph(text: string): boolean {
  if (!text.includes('\t')) return false;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length >= 2 && lines.filter((l) => l.includes('\t')).length >= Math.ceil(lines.length / 2);
}

interface TableLine {
  text: string;
  /** Half-width, simplified when the table is Chinese (same length as `text`). */
  match: string;
  start: number;
}

/** The table's non-empty lines, with their matching text and their offset in the article. */
function tableLines(ctx: Context, para: { text: string; start: number; lang: Language }): TableLine[] {
  const convert = para.lang !== 'en' && para.lang !== 'zh-Hans';
  const lines: TableLine[] = [];
  let pos = 0;
  for (const line of para.text.split('\n')) {
    if (line.trim() !== '') {
      const simplify = convert || /[\u3400-\u9fff]/.test(line);
      lines.push({
        text: line,
        match: matchingText(line, simplify ? ctx.data.simplifiedUnit : null),
        start: para.start + pos,
      });
    }
    pos += line.length + 1;
  }
  return lines;
}

/** What a table says about itself: its columns (when the first row is a header), period and region. */
interface TableFrame {
  header: string[];
  columns: Column[] | null;
  period: string;
  region: string;
  /** `指标\t2021年\t2022年`: value columns, one per year (two at least), else empty. */
  yearColumns: Array<{ index: number; period: string }>;
}

function tableFrame(
  ctx: Context,
  first: TableLine,
  caption: string,
  contextPeriod: string | null | undefined,
): TableFrame | null {
  const captionMatch = matchingText(caption, ctx.data.simplifiedUnit);
  const header = first.match.split('\t');
  const isHeader = header.slice(1).every((c) => !/\d/.test(c.replace(/\(\D*\)|\d{4}年?/g, '')));
  const columns = isHeader ? header.map((c) => classify(c, ctx.publishedAt)) : null;
  const captionPeriods = findPeriodsZh(captionMatch, ctx.publishedAt);
  const period =
    columns?.find((c) => c.role === 'value' && c.period !== null)?.period ??
    captionPeriods[captionPeriods.length - 1]?.period ??
    contextPeriod;
  const region = clauseRegion(ctx.data, captionMatch, ctx.subject);
  if (period === null || period === undefined || region === undefined) return null;
  const yearColumns = (columns ?? [])
    .map((c, index) => ({ index, period: c.period, role: c.role }))
    .filter(
      (c): c is { index: number; period: string; role: ColumnRole } =>
        c.role === 'value' && c.period !== null,
    );
  const distinct = new Set(yearColumns.map((c) => c.period)).size === yearColumns.length;
  return {
    header,
    columns,
    period,
    region,
    yearColumns: distinct && yearColumns.length >= 2 ? yearColumns : [],
  };
}

/** A row's value and change: by the header's columns, or the first fitting figure and a percentage after it. */
function rowFigures(
  frame: TableFrame,
  cells: string[],
  unit: Unit,
  rowUnit: string | null,
): { value: NumberToken | null; change: Change | null } {
  let value: NumberToken | null = null;
  let change: Change | null = null;
  if (!frame.columns) {
    for (const cell of cells.slice(1)) {
      const t = cellToken(cell, rowUnit);
      if (!t) continue;
      if (value === null && compatible(unit, t.kind)) value = t;
      else if (value !== null && change === null && t.kind === '%') change = { pct: t.value, kind: 'annual' };
    }
    return { value, change };
  }
  frame.columns.forEach((col, i) => {
    if (i === 0) return;
    const cell = cells[i] ?? '';
    if (col.role === 'value' && value === null) {
      const t = cellToken(cell, col.unit ?? rowUnit);
      if (t && compatible(unit, t.kind)) value = t;
    } else if (col.role === 'change' && change === null) {
      const t = cellToken(cell, col.unit ?? '%');
      if (t && (t.kind === '%' || t.kind === 'pp')) {
        const kind =
          t.kind === 'pp'
            ? 'percentage_points'
            : /年均/.test(frame.header[i] ?? '')
              ? 'multi_year_average'
              : 'annual';
        change = { pct: t.value, kind };
      }
    }
  });
  return { value, change };
}

/** The metrics of one row: one per year column, or one with the row's value and change. */
function rowMetrics(ctx: Context, frame: TableFrame, line: TableLine, lang: Language): Metric[] {
  const cells = line.match.split('\t');
  const name = cells[0] ?? '';
  const found = ctx.data.zhPhrases.findAll(name);
  const f = found[0];
  // The row must be about one indicator, named in its first cell and not a sub-item of it.
  if (found.length !== 1 || !f || f.phrase.indicators.length !== 1 || /其中|^\s*[#-]/.test(name)) return [];
  const code = f.phrase.indicators[0] ?? '';
  const def = ctx.data.indicators.get(code);
  if (!def) return [];
  const unitIdx = frame.columns?.findIndex((c) => c.role === 'unit') ?? -1;
  const rowUnit = unitIdx >= 0 ? (cells[unitIdx]?.trim() ?? null) : headerUnit(name);
  const evidence = { text: line.text, start: line.start, end: line.start + line.text.length, lang };
  const metric = (period: string, value: number | null, change: Change | null) =>
    makeMetric({
      indicator: code,
      unit: def.unit,
      region: frame.region,
      period,
      value,
      qualifier: null,
      change,
      rank: null,
      evidence,
    });
  if (frame.yearColumns.length > 0) {
    return frame.yearColumns.flatMap(({ index, period }) => {
      const t = cellToken(cells[index] ?? '', frame.columns?.[index]?.unit ?? rowUnit);
      return t && compatible(def.unit, t.kind) ? [metric(period, t.value, null)] : [];
    });
  }
  const { value, change } = rowFigures(frame, cells, def.unit, rowUnit);
  if (value === null && change === null) return [];
  return [metric(frame.period, (value as NumberToken | null)?.value ?? null, change)];
}

/** The metrics of a statistics table (one paragraph of tab-separated rows); `caption` is the paragraph before it. */
export function extractTable(
  ctx: Context,
  para: { text: string; start: number; lang: Language },
  caption: string,
  contextPeriod: string | null | undefined,
): Metric[] {
  const lines = tableLines(ctx, para);
  const first = lines[0];
  if (!first) return [];
  const frame = tableFrame(ctx, first, caption, contextPeriod);
  if (!frame) return [];
  return (frame.columns ? lines.slice(1) : lines).flatMap((line) => rowMetrics(ctx, frame, line, para.lang));
}
