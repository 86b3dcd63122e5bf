/**
 * Language segments of a text. A bilingual page and its English-only (or Chinese-only) copy share
 * one segment nearly whole, so similarity is measured per segment: Chinese runs with Chinese runs,
 * English with English. The split is by script, run by run, so a mixed title line
 * (`Tops in the province once again!|蝉联!全省优秀!`) feeds each half to its own segment.
 */
export const SEGMENTS = ['zh', 'en'] as const;
export type SegmentName = (typeof SEGMENTS)[number];
export type Segments = Record<SegmentName, string>;

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

/** The script of the character at `i` (`c` its first code unit, `len` its length in code units). */
function scriptAt(text: string, i: number, c: number, len: number): SegmentName | null {
  // Fast paths for the bulk of the text (same answers as the regexes): ASCII, and the CJK Unified
  // Ideographs block, every code point of which is Han.
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 'en' : null;
  if (c >= 0x4e00 && c <= 0x9fff) return 'zh';
  const ch = text.slice(i, i + len);
  if (HAN.test(ch)) return 'zh';
  if (LATIN.test(ch)) return 'en';
  return null;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The index of the last space, newline or tab in text[from, to), or -1. */
function lastBreak(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9) return i;
  }
  return -1;
}

/**
 * Runs of one script, cut from the text by index (no character-by-character strings). Characters
 * of no script (digits, spaces, punctuation) belong to the run they are in; between two runs of
 * different scripts, what follows the last space goes with the next run, so in `GDP 1901亿元` the
 * figure stays with 亿元 and in `reached 190.1 billion` with the English.
 */
export function splitSegments(text: string): Segments {
  const parts: Record<SegmentName, string[]> = { zh: [], en: [] };
  let current: SegmentName | null = null;
  let runStart = 0;
  // Where the characters of no script since the last script character begin.
  let pendingStart = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    const len = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
    const script = scriptAt(text, i, c, len);
    i += len;
    if (script === null) continue;
    if (script !== current) {
      const cut = lastBreak(text, pendingStart, i - len);
      const runEnd = cut >= 0 ? cut + 1 : pendingStart;
      if (current && runEnd > runStart) parts[current].push(text.slice(runStart, runEnd));
      current = script;
      runStart = runEnd;
    }
    pendingStart = i;
  }
  if (current && text.length > runStart) parts[current].push(text.slice(runStart));
  return { zh: parts.zh.join('\n'), en: parts.en.join('\n') };
}
