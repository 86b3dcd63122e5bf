import { HAN } from '../text/cjk';
import { collapseSpaces, normalizeChars } from '../text/chars';
import { NEEDS_DISPLAY } from './char-classes';
import { COMMENT, RAW, RAW_TEXT, TEXT, type DomNode } from './dom';
import { ROLE_BLOCK } from './tags';

/** Text node → display text: a line break between two CJK characters is no space at all. */
const CJK_BREAK = new RegExp(
  `([${HAN}\\u3000-\\u303f\\uff00-\\uffef])\\s*\\n\\s*(?=[${HAN}\\u3000-\\u303f\\uff00-\\uffef])`,
  'g',
);
/** Whitespace that `\s+` → ' ' would change: any but a single space, or two in a row. */
const ODD_WHITESPACE = /[^\S ]| {2}/;

export function displayText(raw: string): string {
  let t = normalizeChars(raw);
  // CJK_BREAK needs a line break; most text nodes are one line with single spaces.
  if (t.indexOf('\n') >= 0) t = t.replace(CJK_BREAK, '$1');
  return ODD_WHITESPACE.test(t) ? t.replace(/\s+/g, ' ') : t;
}

/*
 * Display texts hold no whitespace but single spaces (displayText turns every run into one), so
 * text joined from them needs collapseSpaces only where two pieces meet in two spaces. The walks
 * drop the second space as they join (tracking whether the text so far ends with one), which
 * leaves collapseSpaces only its trim.
 */

/** The display text of a text node, from what parsing learned of it. */
export function displayOf(n: DomNode): string {
  if (n.flags & RAW_TEXT) return displayText(n.data);
  // Only whitespace (and characters normalizeChars turns into spaces): one space.
  if (n.chars === 0) return n.data.length ? ' ' : '';
  return n.flags & NEEDS_DISPLAY ? displayText(n.data) : n.data;
}

/** Which nodes below its root a textOf walk leaves out. */
export const SKIP_NONE = 0;
/** Nodes not kept (inside the chosen content). */
export const SKIP_UNKEPT = 1;
/** Comments, scripts, dropped tags and hidden nodes (the text of a dropped node). */
export const SKIP_QUIET = 2;

function skipped(n: DomNode, skip: number): boolean {
  if (skip === SKIP_UNKEPT) return !n.kept;
  return skip === SKIP_QUIET && (n.kind === COMMENT || n.kind === RAW || n.quiet);
}

/**
 * The display text of a subtree, in document order: texts joined, a space for each line break
 * and block element. `skip` is never applied to the root.
 */
export function textOf(all: DomNode[], root: DomNode, skip: number): string {
  let s = '';
  let endsWithSpace = false;
  for (let i = root.pos; i < root.end;) {
    const n = all[i]!;
    if (i !== root.pos && skipped(n, skip)) {
      i = n.end;
      continue;
    }
    if (n.kind === TEXT) {
      const t = displayOf(n);
      if (t !== '') {
        s += endsWithSpace && t.charCodeAt(0) === 0x20 ? t.slice(1) : t;
        endsWithSpace = t.charCodeAt(t.length - 1) === 0x20;
      }
    } else if ((n.role & ROLE_BLOCK || n.name === 'br') && !endsWithSpace) {
      s += ' ';
      endsWithSpace = true;
    }
    i++;
  }
  return collapseSpaces(s);
}

/** A node's children: the subtrees that follow it in its own run of positions. */
export function childrenOf(all: DomNode[], n: DomNode): DomNode[] {
  const out: DomNode[] = [];
  for (let i = n.pos + 1; i < n.end; i = all[i]!.end) out.push(all[i]!);
  return out;
}

/** The raw text of a node's own text children (not of its descendants). */
export function directText(all: DomNode[], n: DomNode): string {
  let s = '';
  for (const c of childrenOf(all, n)) if (c.kind === TEXT) s += c.data;
  return s;
}
