// Colour codes (ESC [ … m).
const ANSI = /\x1b\[[0-9;]*m/g;

/** Plain-text tables for a terminal: columns padded by display width (CJK characters take two cells). */
export function displayWidth(s: string): number {
  let w = 0;
  // Colour codes take no cells.
  for (const ch of s.replace(ANSI, '')) {
    const cp = ch.codePointAt(0)!;
    w +=
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

/** Cuts a cell to `max` display cells, marking the cut with an ellipsis; newlines become spaces. */
export function truncate(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (displayWidth(flat) <= max) return flat;
  let out = '';
  let w = 0;
  for (const ch of flat) {
    const cw = displayWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

export function renderTable(
  headers: string[],
  rows: Array<Array<string | number | null | undefined>>,
): string {
  const cells = rows.map((r) =>
    headers.map((_, i) => (r[i] === null || r[i] === undefined ? '-' : String(r[i]))),
  );
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]!))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** Red on a terminal that shows colours; the plain text otherwise. */
export function red(text: string, color: boolean): string {
  return color ? `\x1b[31m${text}\x1b[0m` : text;
}

/** `{ http_404: 12, timeout: 3 }` → `http_404 12, timeout 3`, largest first. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** A timestamp an operator reads: `2026-11-22 01:00:00` (UTC). */
export function formatTime(d: Date | string | null): string {
  return d ? new Date(d).toISOString().slice(0, 19).replace('T', ' ') : '-';
}

/** `95` → `1m35s`: ages an operator reads at a glance. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  if (seconds < 86400)
    return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
}
