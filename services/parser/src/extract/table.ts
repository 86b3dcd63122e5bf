import type { ParserSettings } from '../settings';
import { endsSentence } from '../text/chars';
import { ELEMENT, type DomNode } from './dom';
import { SKIP_UNKEPT, childrenOf, textOf } from './text';

/** Spans beyond this are markup errors (colspan="9999"), read as this. */
const MAX_SPAN = 50;

function span(n: DomNode, attr: 'colspan' | 'rowspan'): number {
  const v = Number.parseInt(n.attribs?.[attr] ?? '1', 10);
  return Number.isFinite(v) && v > 1 ? Math.min(v, MAX_SPAN) : 1;
}

/** Cells still covered by a rowspan from rows above: column → text and rows left. */
type Carried = Map<number, { text: string; rows: number }>;

/**
 * The cells of one row laid out on the table's grid: a cell spanning columns (colspan) is repeated
 * in each, and a cell spanning rows (rowspan) is carried into the rows below, so that every row
 * has its cells in the columns of the header above it. Tabs inside cells become spaces.
 */
function rowCells(all: DomNode[], tr: DomNode, carried: Carried): string[] {
  const out: string[] = [];
  const takeCarried = (): void => {
    for (let c = carried.get(out.length); c; c = carried.get(out.length)) {
      out.push(c.text);
      if (--c.rows === 0) carried.delete(out.length - 1);
    }
  };
  for (const c of childrenOf(all, tr)) {
    if (c.name !== 'td' && c.name !== 'th') continue;
    takeCarried();
    const text = textOf(all, c, SKIP_UNKEPT).replace(/\t/g, ' ');
    const rows = span(c, 'rowspan');
    for (let k = span(c, 'colspan'); k > 0; k--) {
      if (rows > 1) carried.set(out.length, { text, rows: rows - 1 });
      out.push(text);
    }
  }
  takeCarried();
  return out;
}

/** The text of a table's `<caption>`, or ''. */
export function tableCaption(all: DomNode[], table: DomNode): string {
  const caption = childrenOf(all, table).find((c) => c.name === 'caption' && c.kept);
  return caption ? textOf(all, caption, SKIP_UNKEPT) : '';
}

/**
 * The rows of a table of data (statistics) rather than a layout grid, or null for a layout table:
 * no nested table, enough rows and cells, short cells, no cell that is a long sentence.
 */
export function dataTableRows(
  all: DomNode[],
  table: DomNode,
  s: ParserSettings['extract'],
): string[][] | null {
  const rows: string[][] = [];
  const carried: Carried = new Map();
  let cells = 0;
  let cellChars = 0;
  for (let i = table.pos + 1; i < table.end;) {
    const n = all[i]!;
    if (!n.kept || n.name === 'caption') {
      i = n.end;
      continue;
    }
    if (n.name === 'table') return null;
    if (n.name !== 'tr') {
      i++;
      continue;
    }
    const row = rowCells(all, n, carried);
    if (row.some((c) => c.length > s.dataTableMaxSentenceChars && endsSentence(c))) return null;
    cells += row.length;
    cellChars += row.reduce((k, c) => k + c.length, 0);
    if (row.some((c) => c)) rows.push(row);
    i++;
  }
  if (rows.length < s.dataTableMinRows || cells < s.dataTableMinCells) return null;
  return cellChars / cells > s.dataTableMaxAverageCellChars ? null : rows;
}

const TABLE_PARTS = new Set(['tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'caption']);
const HEADING_LIKE = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'div',
  'center',
  'strong',
  'b',
  'span',
  'font',
]);
/** Lines above a table that say what it is (its title, 单位：亿元、%) are short, plain and at most two. */
const MAX_TABLE_HEADING_CHARS = 80;
const MAX_TABLE_HEADINGS = 2;

/** The short plain lines right above a table: its title and unit line, when they are not in a caption. */
function headingsAbove(all: DomNode[], table: DomNode): DomNode[] {
  if (!table.parent) return [];
  const siblings = childrenOf(all, table.parent).filter((c) => c.kept && c.kind === ELEMENT);
  const out: DomNode[] = [];
  for (let i = siblings.indexOf(table) - 1; i >= 0 && out.length < MAX_TABLE_HEADINGS; i--) {
    const s = siblings[i]!;
    const plain =
      HEADING_LIKE.has(s.name) && s.chars > 0 && s.chars <= MAX_TABLE_HEADING_CHARS && s.linkChars === 0;
    if (!plain) break;
    out.unshift(s);
  }
  return out;
}

/**
 * Content roots with a part of a table (a row, a cell) replaced by the table and the lines that
 * title it: on a page that is one statistics table, the densest candidate is a row, and the table is
 * the content.
 */
export function liftToTables(all: DomNode[], roots: DomNode[], s: ParserSettings['extract']): DomNode[] {
  const out: DomNode[] = [];
  for (const r of roots) {
    let n: DomNode | null = r;
    while (n && TABLE_PARTS.has(n.name)) n = n.parent;
    // Only a table of data: a cell of a layout table (an old portal's content column) stays the root.
    const isData = n !== null && n !== r && n.name === 'table' && dataTableRows(all, n, s) !== null;
    const lifted = isData && n ? [...headingsAbove(all, n), n] : [r];
    for (const x of lifted) if (!out.includes(x)) out.push(x);
  }
  return out;
}
