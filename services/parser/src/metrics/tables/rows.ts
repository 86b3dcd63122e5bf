import type { Language, Metric, Unit } from '@govwire/shared';
import { makeMetric, type Change } from '../candidate';
import type { IndicatorDef } from '../data';
import type { Column } from './columns';
import { cellFigure, type TableRow } from './grid';
import type { TableSettings, UnitKind } from './settings';

/**
 * The facts of one row: one per period, its value from the value column of that period and its
 * change from the change column paired with that value column (never from another row or column).
 */

export interface RowContext {
  settings: TableSettings;
  columns: Column[];
  /** Units a line above the table names (单位：亿元、%), in order. */
  captionUnits: string[];
  region: string;
  lang: Language;
  /** The header rows, quoted after the row as evidence of its columns. */
  header: TableRow | null;
}

interface UnitFactor {
  kind: UnitKind;
  factor: number;
}

/** The unit a unit text names (亿元, 100 million yuan, %), or null. */
export function unitOf(text: string | null, s: TableSettings): UnitFactor | null {
  if (text === null) return null;
  const t = text.trim().toLowerCase();
  return s.units.find((u) => u.text === t) ?? null;
}

/** The first caption unit that measures the indicator (单位：亿元、% gives 亿元 to GDP, % to a ratio). */
function captionUnit(units: string[], indicator: Unit, s: TableSettings): UnitFactor | null {
  for (const u of units) {
    const f = unitOf(u, s);
    if (f?.kind === indicator) return f;
  }
  return null;
}

/**
 * How the value cells of a row in column `col` read: as values in the indicator's unit (with the
 * factor to base units), as growth rates (a % row of a CNY indicator), or not at all.
 */
function cellReading(
  def: IndicatorDef,
  rowUnit: string | null,
  unitCell: string | null,
  col: Column,
  ctx: RowContext,
): { as: 'value'; factor: number } | { as: 'change' } | null {
  const s = ctx.settings;
  const named = rowUnit ?? (unitCell !== null && unitOf(unitCell, s) ? unitCell : null) ?? col.unit;
  const u = named !== null ? unitOf(named, s) : captionUnit(ctx.captionUnits, def.unit, s);
  if (u === null) return def.unit === 'ratio' && named === null ? { as: 'value', factor: 1 } : null;
  if (u.kind === def.unit) return { as: 'value', factor: u.factor };
  return u.kind === '%' ? { as: 'change' } : null;
}

interface Slot {
  value: number | null;
  change: Change | null;
}

function slotFor(slots: Map<string, Slot>, period: string): Slot {
  let slot = slots.get(period);
  if (!slot) slots.set(period, (slot = { value: null, change: null }));
  return slot;
}

/** Rounds away binary noise of the scaling (415.27 × 1e8). */
const scaled = (n: number, factor: number): number => Number((n * factor).toPrecision(12));

export function rowMetrics(
  row: TableRow,
  def: IndicatorDef,
  label: { unit: string | null; growth: boolean },
  ctx: RowContext,
): Metric[] {
  const unitCol = ctx.columns.find((c) => c.role === 'unit');
  const unitCell = unitCol ? (row.cells[unitCol.index] ?? null) : null;
  const slots = new Map<string, Slot>();
  for (const col of ctx.columns) {
    if (col.role !== 'value' || col.period === null) continue;
    const n = cellFigure(row.cells[col.index] ?? '', ctx.settings.placeholders);
    if (typeof n !== 'number') continue;
    const reading = label.growth
      ? { as: 'change' as const }
      : cellReading(def, label.unit, unitCell, col, ctx);
    if (reading === null) continue;
    const slot = slotFor(slots, col.period);
    if (reading.as === 'value') {
      slot.value = scaled(n, reading.factor);
    } else slot.change ??= { pct: n, kind: 'annual' };
  }
  for (const col of ctx.columns) {
    if (col.role !== 'change' || col.period === null || label.growth) continue;
    // A change of a % figure in percent is ambiguous (percent or points): only points are read.
    if (def.unit === '%' && col.changeKind !== 'percentage_points') continue;
    const n = cellFigure(row.cells[col.index] ?? '', ctx.settings.placeholders);
    if (typeof n !== 'number') continue;
    const slot = slotFor(slots, col.period);
    slot.change = { pct: n, kind: col.changeKind };
  }
  return [...slots.entries()]
    .filter(([, s]) => s.value !== null || s.change !== null)
    .map(([period, s]) => rowMetric(row, def, period, s, ctx));
}

function rowMetric(row: TableRow, def: IndicatorDef, period: string, slot: Slot, ctx: RowContext): Metric {
  const evidence = { text: row.text, start: row.start, end: row.start + row.text.length, lang: ctx.lang };
  const m = makeMetric({
    indicator: def.code,
    unit: def.unit,
    region: ctx.region,
    period,
    value: slot.value,
    qualifier: null,
    change: slot.change,
    rank: null,
    evidence,
  });
  const h = ctx.header;
  // The header row says what the row's cells are: quoted as a second piece of evidence.
  if (h) m.evidence.push({ text: h.text, start: h.start, end: h.start + h.text.length, lang: ctx.lang });
  return m;
}
