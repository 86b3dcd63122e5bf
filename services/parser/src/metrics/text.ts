import * as OpenCC from 'opencc-js';

/**
 * Text helpers for matching. Everything here keeps string length, so an offset found in the
 * matching text is the same offset in the article's `text`.
 */

let toSimplified: ((s: string) => string) | null = null;

function converter(): (s: string) => string {
  toSimplified ??= OpenCC.Converter({ from: 't', to: 'cn' });
  return toSimplified;
}

/** Full-width ASCII (，％１) becomes half-width, one code unit for one, so offsets survive. */
export function halfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/**
 * Converts traditional characters to simplified for matching, keeping the length. OpenCC works on
 * phrases and may, rarely, change the length of a chunk; such chunks are converted character by
 * character instead so that offsets stay aligned with the original.
 */
export function toSimplifiedAligned(s: string): string {
  if (!/[\u3400-\u9fff]/.test(s)) return s;
  const convert = converter();
  const whole = convert(s);
  if (whole.length === s.length) return whole;
  let out = '';
  for (const ch of s) {
    const c = convert(ch);
    out += c.length === ch.length ? c : ch;
  }
  return out;
}

/** Text prepared for matching: half-width, simplified, same length as the input. */
export function matchingText(s: string, convertScript: boolean): string {
  const hw = halfWidth(s);
  return convertScript ? toSimplifiedAligned(hw) : hw;
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
    const c = line[i];
    let end = -1;
    if (c === '.') {
      const next = line[i + 1];
      const after = line[i + 2];
      // "190.1", "No. 1", "e.g." stay inside; ". The" ends a sentence.
      if (next === undefined) end = i + 1;
      else if (
        next === ' ' &&
        after !== undefined &&
        /[A-Z“"'‘(]/.test(after) &&
        !/\b(?:No|Mr|Ms|Dr|St|e\.g|i\.e|[A-Z])$/.test(line.slice(Math.max(0, i - 4), i))
      )
        end = i + 1;
    } else {
      // Swallow closing quotes and repeated marks.
      let j = i + 1;
      while (j < n && /[”’"'」』)!?!?。…]/.test(line[j] ?? '')) j++;
      // A single … is an ellipsis inside a sentence; …… ends one.
      if (c !== '…' || line[i + 1] === '…') end = j;
      // In English, ! and ? end a sentence only before a space (or the end).
      if ((c === '!' || c === '?') && j < n && line[j] !== ' ' && !CJK.test(line[j] ?? '')) end = -1;
    }
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
