import type { ParserSettings } from '../settings';
import { endsSentence } from '../text/chars';
import type { DomNode } from './dom';
import { SKIP_UNKEPT, childrenOf, textOf } from './text';

/** The cells of one row (td and th children), tabs inside cells turned into spaces. */
function rowCells(all: DomNode[], tr: DomNode): string[] {
  return childrenOf(all, tr)
    .filter((c) => c.name === 'td' || c.name === 'th')
    .map((c) => textOf(all, c, SKIP_UNKEPT).replace(/\t/g, ' '));
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
  let cells = 0;
  let cellChars = 0;
  for (let i = table.pos + 1; i < table.end;) {
    const n = all[i]!;
    if (!n.kept) {
      i = n.end;
      continue;
    }
    if (n.name === 'table') return null;
    if (n.name !== 'tr') {
      i++;
      continue;
    }
    const row = rowCells(all, n);
    if (row.some((c) => c.length > s.dataTableMaxSentenceChars && endsSentence(c))) return null;
    cells += row.length;
    cellChars += row.reduce((k, c) => k + c.length, 0);
    if (row.some((c) => c)) rows.push(row);
    i++;
  }
  if (rows.length < s.dataTableMinRows || cells < s.dataTableMinCells) return null;
  return cellChars / cells > s.dataTableMaxAverageCellChars ? null : rows;
}
