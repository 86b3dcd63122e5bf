import type { ScannedScript } from './scan';

/**
 * TRS WCM list pages write their pager with a script: `createPageHTML(countPage, currentPage,
 * "index", "html")`, the page count and the current page given as numbers or as variables set
 * just before (`var countPage = 24//共多少页`). The pages are `index.html`, `index_1.html` …
 * `index_{N-1}.html` (current page 0-based). Newer TRS templates pass the pager's element id
 * first, `createPageHTML('page_div', 10, 1, 'list', 'shtml', 189)`, and count from 1: `list.shtml`,
 * `list_2.shtml` … `list_10.shtml`. Either way the page after page k is `<name>_<k+1>.<ext>`.
 */
export interface TrsPager {
  count: number;
  /** The current page as the script numbers it. */
  current: number;
  name: string;
  ext: string;
  /** Pages counted from 1 (`'page_div'` form), else from 0. */
  oneBased: boolean;
}

/** The arguments of the first `createPageHTML(...)` call that is not the function's definition. */
function callArguments(text: string): string[] | undefined {
  const re = /createPageHTML\s*\(/g;
  for (const m of text.matchAll(re)) {
    const before = text.slice(Math.max(0, m.index - 20), m.index);
    if (/function\s+$/.test(before)) continue;
    const open = m.index + m[0].length;
    const close = text.indexOf(')', open);
    if (close < 0) return undefined;
    return splitArguments(text.slice(open, close));
  }
  return undefined;
}

function splitArguments(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const QUOTED = /^(['"])(.*)\1$/s;

/** A numeric argument: a literal, or a variable assigned a number in one of the scripts. */
function numberArg(arg: string | undefined, scripts: string): number | undefined {
  if (arg === undefined) return undefined;
  const literal = /^['"]?(\d{1,12})['"]?$/.exec(arg);
  if (literal) return Number(literal[1]);
  if (!/^[A-Za-z_$][\w$]*$/.test(arg)) return undefined;
  const assigned = new RegExp(`\\b${arg.replace(/\$/g, '\\$')}\\s*=\\s*['"]?(\\d{1,12})\\b`).exec(scripts);
  return assigned ? Number(assigned[1]) : undefined;
}

function stringArg(arg: string | undefined): string | undefined {
  return arg === undefined ? undefined : QUOTED.exec(arg)?.[2];
}

/** The page's TRS pager, if it has one that can be read. */
export function readTrsPager(scripts: ScannedScript[]): TrsPager | undefined {
  const all = scripts.map((s) => s.text).join('\n;\n');
  const args = callArguments(all);
  if (!args) return undefined;
  const oneBased = args.length >= 5 && stringArg(args[0]) !== undefined;
  const at = oneBased ? 1 : 0;
  const count = numberArg(args[at], all);
  const current = numberArg(args[at + 1], all) ?? (oneBased ? 1 : 0);
  const name = stringArg(args[at + 2]) ?? 'index';
  const ext = stringArg(args[at + 3]) ?? 'html';
  if (count === undefined) return undefined;
  // The names become a path segment: nothing but a file name is accepted.
  if (!/^[\w.-]{1,100}$/.test(name) || name.startsWith('.') || !/^\w{1,10}$/.test(ext)) return undefined;
  return { count, current, name, ext, oneBased };
}

/** The URL of the page after this one, or undefined on the last page. */
export function trsNextPage(pager: TrsPager, pageUrl: string): string | undefined {
  const next = pager.current + 1;
  const last = pager.oneBased ? pager.count : pager.count - 1;
  if (next > last) return undefined;
  return new URL(`${pager.name}_${next}.${pager.ext}`, pageUrl).toString();
}
