import type { TableSettings } from './settings';

/**
 * A table paragraph as a grid: one line per row, cells separated by a tab (extract/table.ts lays
 * spanned cells out on every column they cover). The header is the rows above the first row with a
 * figure; each column's header is the distinct texts of those rows, top first (地区生产总值 over
 * 总量（亿元）).
 */

export interface TableRow {
  /** The row as it stands in the article text (evidence). */
  text: string;
  start: number;
  /** Matching cells: simplified, half-width, trimmed (same order as the row's cells). */
  cells: string[];
  /** The label cell began with spaces (an indented sub-row). */
  indented: boolean;
}

export interface Grid {
  header: TableRow[];
  rows: TableRow[];
  /** Per column, the header texts above it, top first, without repeats. */
  columns: string[][];
}

/** A cell's figure: a number, `empty` (—, blank: no value), or null (text, not a figure). */
export type CellFigure = number | 'empty' | null;

const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const YEAR_CELL = /^(?:19|20)\d\d年?$/;

export function cellFigure(cell: string, placeholders: readonly string[]): CellFigure {
  const plain = cell.replace(/[\s,]/g, '').replace(/^[−–]/, '-');
  if (placeholders.includes(plain.toLowerCase())) return 'empty';
  const bare = plain.endsWith('%') ? plain.slice(0, -1) : plain;
  if (!NUMBER.test(bare)) return null;
  const n = Number(bare);
  return Number.isFinite(n) ? n : null;
}

/** A row with a figure in some cell after the first (a year heading a column is not one). */
function hasFigure(row: TableRow, placeholders: readonly string[]): boolean {
  return row.cells
    .slice(1)
    .some((c) => !YEAR_CELL.test(c) && typeof cellFigure(c, placeholders) === 'number');
}

export function tableRows(
  original: string,
  matching: string,
  start: number,
): { rows: TableRow[]; cells: number; longestCell: number } {
  const rows: TableRow[] = [];
  let cells = 0;
  let longestCell = 0;
  let pos = 0;
  const matchLines = matching.split('\n');
  original.split('\n').forEach((line, i) => {
    if (line.trim() !== '') {
      const raw = (matchLines[i] ?? line).split('\t');
      cells += raw.length;
      for (const c of raw) longestCell = Math.max(longestCell, c.length);
      rows.push({
        text: line,
        start: start + pos,
        cells: raw.map((c) => c.trim()),
        indented: /^[\s\u3000]/.test(raw[0] ?? ''),
      });
    }
    pos += line.length + 1;
  });
  return { rows, cells, longestCell };
}

export function tableGrid(rows: TableRow[], settings: TableSettings): Grid {
  let headerCount = 0;
  while (
    headerCount < rows.length - 1 &&
    headerCount < settings.limits.maxHeaderRows &&
    !hasFigure(rows[headerCount] as TableRow, settings.placeholders)
  )
    headerCount++;
  const header = rows.slice(0, headerCount);
  const width = Math.max(0, ...rows.map((r) => r.cells.length));
  const columns: string[][] = [];
  for (let c = 0; c < width; c++) {
    const parts: string[] = [];
    for (const h of header) {
      const t = h.cells[c] ?? '';
      if (t !== '' && !parts.includes(t)) parts.push(t);
    }
    columns.push(parts);
  }
  return { header, rows: rows.slice(headerCount), columns };
}
