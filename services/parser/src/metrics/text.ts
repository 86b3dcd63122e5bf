/**
 * Text helpers for matching. Everything here keeps string length, so an offset found in the
 * matching text is the same offset in the article's `text`.
 */

/** The units mapUnit may change: full-width ASCII and the ideographic space; converting, also CJK. */
const MAY_CHANGE = /[\uff01-\uff5e\u3000]/;
const MAY_CHANGE_CONVERTING = /[\u3400-\u9fff\uff01-\uff5e\u3000]/;

/**
 * Text prepared for matching, same length as the input: full-width ASCII (，％１) half-width, and,
 * given the script converter's per-unit table (MetricsData.simplifiedUnit), traditional characters
 * simplified one code unit for one.
 */
export function matchingText(s: string, simplifiedUnit: Uint16Array | null): string {
  // Units before the first that may change map to themselves: the regular expression skips them
  // (all of an English text) much faster than the loop below.
  let i = s.search(simplifiedUnit ? MAY_CHANGE_CONVERTING : MAY_CHANGE);
  if (i < 0) return s;
  // Most text (simplified, half-width) maps to itself: find the first unit that changes before
  // allocating anything, and return the input when there is none.
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (mapUnit(c, simplifiedUnit) !== c) break;
  }
  if (i === s.length) return s;
  const out = new Uint16Array(s.length);
  for (let j = 0; j < i; j++) out[j] = s.charCodeAt(j);
  for (; i < s.length; i++) out[i] = mapUnit(s.charCodeAt(i), simplifiedUnit);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('utf16le');
}

function mapUnit(c: number, simplifiedUnit: Uint16Array | null): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
  if (c === 0x3000) return 0x20;
  if (simplifiedUnit !== null && c >= 0x3400 && c <= 0x9fff) return simplifiedUnit[c] ?? c;
  return c;
}

/**
 * Every match of the global regular expression `re` in `s`, as `s.matchAll(re)` finds them, without
 * the copy of `re` that matchAll makes on each call (which shows: these searches run per sentence
 * and per clause). `re` must not be used by the caller meanwhile; its lastIndex is left at 0.
 */
export function matchesOf(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    out.push(m);
    // matchAll steps over an empty match.
    if (m[0] === '') re.lastIndex++;
  }
  re.lastIndex = 0;
  return out;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Sentences of a paragraph line, as spans relative to the line. Chinese sentences end at 。!?；
 * or their half-width forms; English sentences at . ! ? followed by a space and a capital or a
 * quote. Semicolons stay inside a sentence: a clause after one often shares the sentence's year.
 */
export function splitSentences(line: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const n = line.length;
  // Only . ! ? and the CJK terminators (。！？…) can end a sentence: jump from one to the next.
  const terminators = /[.!?。!?…]/g;
  for (let m = terminators.exec(line); m !== null; m = terminators.exec(line)) {
    const i = m.index;
    const end = line[i] === '.' ? periodEnd(line, i) : markEnd(line, i);
    if (end > start) {
      spans.push({ start, end });
      start = end;
      while (start < n && line[start] === ' ') start++;
      terminators.lastIndex = Math.max(start, i + 1);
    }
  }
  if (start < n && line.slice(start).trim() !== '') spans.push({ start, end: n });
  return spans;
}

/** Where a full stop at `i` ends the sentence, or −1: "190.1", "No. 1", "e.g." stay inside. */
function periodEnd(line: string, i: number): number {
  const next = line[i + 1];
  const after = line[i + 2];
  if (next === undefined) return i + 1;
  const endsHere =
    next === ' ' &&
    after !== undefined &&
    /[A-Z“"'‘(]/.test(after) &&
    !/\b(?:No|Mr|Ms|Dr|St|e\.g|i\.e|[A-Z])$/.test(line.slice(Math.max(0, i - 4), i));
  return endsHere ? i + 1 : -1;
}

/** Where a mark (。！？… ! ?) at `i` ends the sentence, with its closing quotes, or −1. */
function markEnd(line: string, i: number): number {
  const c = line[i];
  const n = line.length;
  // Swallow closing quotes and repeated marks.
  let j = i + 1;
  while (j < n && /[”’"'」』)!?!?。…]/.test(line[j] ?? '')) j++;
  // A single … is an ellipsis inside a sentence; …… ends one.
  if (c === '…' && line[i + 1] !== '…') return -1;
  // In English, ! and ? end a sentence only before a space (or the end).
  const english = c === '!' || c === '?';
  if (english && j < n && line[j] !== ' ' && !/[\u3400-\u9fff“‘「『(《]/.test(line[j] ?? '')) return -1;
  return j;
}

export const CJK = /[\u3400-\u9fff]/;

/** Share of CJK characters among letters and CJK characters (a Latin letter counts a quarter). */
export function cjkShare(s: string): number {
  let cjk = 0;
  let latin = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x3400 && c <= 0x9fff) cjk++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
  }
  return cjk + latin === 0 ? 0 : cjk / (cjk + latin / 4);
}
