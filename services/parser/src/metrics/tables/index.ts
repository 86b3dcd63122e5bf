import type { Language, Metric } from '@govwire/shared';
import type { Context } from '../candidate';
import { clauseRegion } from '../regions';
import { matchingText } from '../text';
import { latestHeaderMonth, tableColumns, type Column } from './columns';
import { tableGrid, tableRows, type Grid, type TableRow } from './grid';
import { readLabel } from './labels';
import { publishedAnchor, tableAnchor, type Anchor } from './periods';
import { regionRowMetrics, regionRows } from './regions';
import { rowMetrics, type RowContext } from './rows';

/**
 * Statistical tables (统计月报, 主要经济指标) read the way a statistician reads them: the header says
 * what each column is (the label, the unit, a value or a change, for which period); the title or
 * caption says the year and the region; each row label names an indicator of the dictionary, or the
 * row is skipped. Each cell with a value becomes one fact, its row (and the header) as evidence.
 */

export { isTableParagraph } from './shape';

export interface TableInput {
  text: string;
  start: number;
  lang: Language;
}

export interface TableSurroundings {
  /** Paragraphs just before the table, nearest last (a heading, 单位：亿元、%). */
  before: string[];
  title: string;
  /** Where a warning about the table goes (too large, a year that cannot be). */
  warnings?: string[];
}

/** 单位：亿元、% (or Unit: 100 million yuan): the units a line above the table names. */
function captionUnits(texts: string[]): string[] {
  for (const t of texts) {
    const m = /(?:单位|unit)\s*[:]\s*(.+)$/i.exec(t.trim());
    if (m)
      return (m[1] ?? '')
        .split(/[、,;/]|\s+and\s+/)
        .map((u) => u.trim())
        .filter((u) => u !== '');
  }
  return [];
}

function anchorOf(ctx: Context, texts: string[], grid: Grid): Anchor | 'typo' | null {
  return tableAnchor(texts) ?? publishedAnchor(ctx.publishedAt, latestHeaderMonth(grid));
}

/** The region of a table of indicator rows: the caption's, the title's, or the article's subject. */
function tableRegion(ctx: Context, texts: string[]): string | undefined {
  for (const t of texts) {
    const r = clauseRegion(ctx.data, t, null);
    if (r !== undefined) return r;
  }
  return ctx.subject?.name;
}

function indicatorRows(grid: Grid, columns: Column[], ctx: Context, rc: RowContext): Metric[] {
  const label = columns.find((c) => c.role === 'label')?.index ?? 0;
  const out: Metric[] = [];
  let parent: string | null = null;
  for (const row of grid.rows) {
    const read = readLabel(ctx.data, row.cells[label] ?? '', parent);
    if (read.parentable && !row.indented) parent = read.text;
    if (read.label) out.push(...rowMetrics(row, read.label.indicator, read.label, rc));
  }
  return out;
}

function tooLarge(
  ctx: Context,
  rows: { cells: number; longestCell: number; rows: TableRow[] },
): string | null {
  const l = ctx.data.tables.limits;
  if (rows.rows.length > l.maxTableRows) return `${rows.rows.length} rows (maxTableRows ${l.maxTableRows})`;
  if (rows.cells > l.maxTableCells) return `${rows.cells} cells (maxTableCells ${l.maxTableCells})`;
  if (rows.longestCell > l.maxCellChars)
    return `a cell of ${rows.longestCell} characters (maxCellChars ${l.maxCellChars})`;
  return null;
}

/** The metrics of one table paragraph (tab-separated cells, one row per line). */
export function extractTable(ctx: Context, para: TableInput, around: TableSurroundings): Metric[] {
  const warn = (w: string): Metric[] => {
    around.warnings?.push(`table at ${para.start} not read: ${w}`);
    return [];
  };
  const simplify = para.lang !== 'en';
  const match = simplify ? matchingText(para.text, ctx.data.simplifiedUnit) : para.text;
  const read = tableRows(para.text, match, para.start);
  const large = tooLarge(ctx, read);
  if (large !== null) return warn(`too large: ${large}`);
  const grid = tableGrid(read.rows, ctx.data.tables);
  const texts = [...around.before]
    .reverse()
    .concat(around.title)
    .map((t) => matchingText(t, ctx.data.simplifiedUnit));
  const anchor = anchorOf(ctx, texts, grid);
  if (anchor === 'typo') return warn('its title or caption gives an impossible date');
  if (anchor === null) return warn('no year in its title, caption or publication date');
  const columns = tableColumns(grid, anchor, ctx.data.tables);
  const base = { settings: ctx.data.tables, columns, captionUnits: captionUnits(texts), lang: para.lang };
  const header = grid.header[grid.header.length - 1] ?? null;
  const byRegion = regionRows(ctx, grid, columns, texts);
  if (byRegion) return regionRowMetrics(ctx, grid, byRegion, { ...base, region: '', header });
  const region = tableRegion(ctx, texts);
  if (region === undefined) return warn('no region in its title or caption');
  return indicatorRows(grid, columns, ctx, { ...base, region, header });
}
