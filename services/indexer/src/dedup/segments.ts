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

function scriptOf(ch: string): SegmentName | null {
  // Fast paths for the bulk of the text (same answers as the regexes): ASCII, and the CJK Unified
  // Ideographs block, every code point of which is Han.
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 'en' : null;
  if (c >= 0x4e00 && c <= 0x9fff) return 'zh';
  if (HAN.test(ch)) return 'zh';
  if (LATIN.test(ch)) return 'en';
  return null;
}

export function splitSegments(text: string): Segments {
  const parts: Record<SegmentName, string[]> = { zh: [], en: [] };
  let current: SegmentName | null = null;
  let run = '';
  // Characters of no script (digits, spaces, punctuation) wait here until the next script char
  // decides where they belong: what follows the last space goes with the next run, so in
  // `GDP 1901亿元` the figure stays with 亿元 and in `reached 190.1 billion` with the English.
  let pending = '';
  const flush = () => {
    if (current && run) parts[current].push(run);
    run = '';
  };
  for (const ch of text) {
    const script = scriptOf(ch);
    if (script === null) {
      pending += ch;
      continue;
    }
    if (script === current) {
      run += pending + ch;
    } else {
      const cut = Math.max(pending.lastIndexOf(' '), pending.lastIndexOf('\n'), pending.lastIndexOf('\t'));
      const before = cut >= 0 ? pending.slice(0, cut + 1) : '';
      const after = cut >= 0 ? pending.slice(cut + 1) : pending;
      run += before;
      flush();
      current = script;
      run = after + ch;
    }
    pending = '';
  }
  run += pending;
  flush();
  return { zh: parts.zh.join('\n'), en: parts.en.join('\n') };
}
