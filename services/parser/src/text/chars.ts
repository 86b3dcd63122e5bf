import type { Language } from '@govwire/shared/article';
import { HAN, countHan, isHan } from './cjk';
import { SIMPLIFIED_ONLY, TRADITIONAL_ONLY, chineseScript, type ScriptConverter } from './script';

/** Sentence-final punctuation, Chinese and Western (closing quotes count when they follow one). */
export const TERMINAL = '。！？!?．.…;；”」』"\')）';
export function countLatin(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) n++;
  }
  return n;
}
/** The punctuation counted for text density: Chinese full-width marks and ASCII ones. */
const PUNCT_MARKS = new Set(
  Array.from('，。、；：！？“”‘’「」『』《》（）【】…—·,.;:!?"\'()', (ch) => ch.charCodeAt(0)),
);
export function isPunct(c: number): boolean {
  return PUNCT_MARKS.has(c);
}
export function countPunct(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (PUNCT_MARKS.has(s.charCodeAt(i))) n++;
  return n;
}
/** Characters that carry text: letters, digits, Han; whitespace and markup do not count. */
export function countChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0 && c !== 0x3000) n++;
  }
  return n;
}

export function endsSentence(s: string): boolean {
  const t = s.trimEnd();
  if (!t) return false;
  const last = t[t.length - 1]!;
  if ('。！？!?…；;'.includes(last)) return true;
  if ('.'.includes(last)) return true;
  // A closing quote or bracket ends a sentence when punctuation sits just inside it.
  if ('”」』"\')）'.includes(last)) return t.length > 1 && '。！？!?….'.includes(t[t.length - 2]!);
  return false;
}

/**
 * Character mapping chosen deliberately instead of NFKC: NFKC turns `①` into `1` and `，` into `,`,
 * which merges numbers (`1，2` → `1,2`) and changes the page's own script. Only full-width ASCII
 * letters and digits, odd spaces and invisible characters are mapped.
 */
const ODD =
  /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\u00a0\u3000\u2000-\u200a\u202f\u205f\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f]/g;
function mapOdd(ch: string): string {
  const c = ch.charCodeAt(0);
  if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) {
    return String.fromCharCode(c - 0xfee0); // full-width digits and letters → ASCII
  }
  if (c === 0xff05) return '%';
  // zero-width and soft-hyphen characters: invisible, they only break matching
  if (c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff || c === 0xad) return '';
  return ' '; // odd spaces and control characters
}
/**
 * Characters outside these ranges may change under NFC (combining marks, compatibility
 * ideographs, Hangul, singletons such as U+2000); every character inside them is NFC on its own,
 * a starter and never the second half of a composition, so text made only of them is already NFC
 * and `normalize` (which copies the string) can be skipped. ASCII, Latin-1, CJK punctuation and
 * ideographs, full-width forms: almost every page.
 */
const MAYBE_NOT_NFC =
  /[^\u0000-\u02ff\u2010-\u2027\u2030-\u205e\u3000-\u3029\u3030-\u3098\u309b-\u9fff\uff00-\uffef]/;
/** ODD without the global flag, to test for a match without a replacement pass. */
const HAS_ODD = new RegExp(ODD.source);
/**
 * Whether normalizeChars may change a string holding this code unit: a string without any such
 * unit is returned as it is (for callers that scan text anyway and can skip the call).
 */
export function mayNormalize(unit: string): boolean {
  return MAYBE_NOT_NFC.test(unit) || HAS_ODD.test(unit);
}
export function normalizeChars(s: string): string {
  const nfc = MAYBE_NOT_NFC.test(s) ? s.normalize('NFC') : s;
  return HAS_ODD.test(nfc) ? nfc.replace(ODD, mapOdd) : nfc;
}

/** Collapses spaces inside a line; keeps tabs (table cells) and one space between words. */
const NEEDS_COLLAPSE = /[\t\f\v\r]| {2}/;
export function collapseSpaces(line: string): string {
  if (!NEEDS_COLLAPSE.test(line)) {
    // Nothing for the replacements below to change: only the trim, which a line not starting or
    // ending with a space is spared (trim would also strip other whitespace there).
    return line.charCodeAt(0) === 0x20 || line.charCodeAt(line.length - 1) === 0x20 ? line.trim() : line;
  }
  return line
    .replace(/[ \f\v\r]+/g, ' ')
    .replace(/ *\t */g, '\t')
    .trim();
}

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ';
/** A pinyin syllable with at least one tone mark, as converters append after Han characters. */
const PINYIN_ANNOT = new RegExp(
  `([${HAN}])[（(]([a-zü${TONED}]{0,6}[${TONED}][a-zü${TONED}]{0,6})[)）]`,
  'g',
);

/** `區(qū)` → `區`: pinyin annotations after Han characters; returns the text and how many were removed. */
const PINYIN_FIRST = new RegExp(`[a-zü${TONED}]`);
/**
 * Whether PINYIN_ANNOT can match: it needs an opening bracket right after a Han character and
 * right before a pinyin letter. Blocks with brackets around English or numbers skip the regex.
 */
function mayHavePinyin(s: string): boolean {
  for (const bracket of ['(', '（']) {
    for (let i = s.indexOf(bracket); i >= 0; i = s.indexOf(bracket, i + 1)) {
      if (i > 0 && isHan(s.charCodeAt(i - 1)) && i + 1 < s.length && PINYIN_FIRST.test(s[i + 1]!))
        return true;
    }
  }
  return false;
}

/** PINYIN_ANNOT anchored at one position (sticky), tried only where a match can start. */
const PINYIN_AT = new RegExp(PINYIN_ANNOT.source, 'y');

export function stripPinyin(s: string): { text: string; count: number } {
  if (!mayHavePinyin(s)) return { text: s, count: 0 };
  // The global replace, done by hand: every match starts at the Han character before an opening
  // bracket, so only those positions are tried, in order, never inside the previous match.
  const starts: number[] = [];
  for (const bracket of ['(', '（']) {
    for (let i = s.indexOf(bracket); i >= 0; i = s.indexOf(bracket, i + 1)) if (i > 0) starts.push(i - 1);
  }
  starts.sort((a, b) => a - b);
  let count = 0;
  let text = '';
  let from = 0;
  for (const start of starts) {
    if (start < from) continue;
    PINYIN_AT.lastIndex = start;
    const m = PINYIN_AT.exec(s);
    if (!m) continue;
    text += s.slice(from, start) + m[1]!;
    from = start + m[0].length;
    count++;
  }
  return count === 0 ? { text: s, count } : { text: text + s.slice(from), count };
}

/**
 * Signs that text was decoded with the wrong charset somewhere upstream: replacement characters,
 * UTF-8 read as Latin-1 (`Ã©`, `â€`), GBK read as UTF-8 (`锟斤拷`), and `?` standing where a
 * multibyte character was lost next to rare CJK characters (`之一?!稊?shù)`).
 */
const MOJIBAKE_PATTERNS: RegExp[] = [
  /\ufffd/,
  /Ã[\u0080-\u00bf]|â€[\u0098-\u009d\u2122\u201c\u201d\u0153]|Ã©|Ã¨|â€™|â€œ/,
  /锟斤拷|烫烫烫|屯屯屯/,
  new RegExp(`[${HAN}，。]\\?[!！;；]?[${HAN}]\\?[a-zü${TONED}]*\\)?`),
  new RegExp(`\\?[${HAN}]{1,2}\\?[${HAN}]`),
  /[\u0080-\u009f]/,
];

/** A character every pattern above needs: clean text (almost all of it) is passed by one scan. */
const MOJIBAKE_SIGN = /[\ufffd\u0080-\u009f\u00c3\u00e2锟烫屯?]/;

export function findMojibake(s: string): string | null {
  if (!MOJIBAKE_SIGN.test(s)) return null;
  for (const re of MOJIBAKE_PATTERNS) {
    const m = re.exec(s);
    if (m) {
      const from = Math.max(0, m.index - 6);
      return s.slice(from, m.index + m[0].length + 6);
    }
  }
  return null;
}

/** What one pass over a text counts for the emptiness, language and script decisions. */
export interface TextCounts {
  /** As countChars. */
  chars: number;
  /** As countHan. */
  han: number;
  /** As countLatin. */
  latin: number;
  /** Characters only traditional text has (simplify converts text that has any). */
  traditional: number;
  /** Characters only simplified text has. */
  simplified: number;
}

/** countChars, countHan, countLatin and the script counts of chineseScript, in one pass. */
export function textCounts(script: ScriptConverter, s: string): TextCounts {
  const table = script.scriptOf;
  let chars = 0;
  let han = 0;
  let latin = 0;
  let traditional = 0;
  let simplified = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0 && c !== 0x3000) chars++;
    if (isHan(c)) han++;
    const l = c | 0x20;
    if (l >= 0x61 && l <= 0x7a) latin++;
    const k = table[c];
    if (k === TRADITIONAL_ONLY) traditional++;
    else if (k === SIMPLIFIED_ONLY) simplified++;
  }
  return { chars, han, latin, traditional, simplified };
}

/** The language of one paragraph: by the share of Han characters among letters. */
export function paragraphLanguage(script: ScriptConverter, s: string): Language {
  return languageOfCounts(countHan(s), countLatin(s), () => chineseScript(script, s));
}

/** paragraphLanguage from the paragraph's Han and Latin counts; `script` is asked only for Chinese. */
export function languageOfCounts(han: number, latin: number, script: () => 'zh-Hans' | 'zh-Hant'): Language {
  if (han === 0 && latin === 0) return 'zh-Hans';
  // Latin letters per Han character: an English word is ~5 letters for ~1.5 Han characters of meaning.
  const hanShare = han / (han + latin / 3);
  if (hanShare >= 0.75) return script();
  if (hanShare <= 0.15) return 'en';
  return 'mixed';
}

/**
 * The document's language from its paragraphs, weighted by length (countChars of each, or `chars`
 * when the caller has counted them already).
 */
export function documentLanguage(paras: Array<{ text: string; lang: Language }>, chars?: number[]): Language {
  const weight: Record<string, number> = {};
  let total = 0;
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i]!;
    const w = chars?.[i] ?? countChars(p.text);
    const key = p.lang === 'zh-Hans' || p.lang === 'zh-Hant' ? 'zh' : p.lang;
    weight[key] = (weight[key] ?? 0) + w;
    weight[p.lang] = (weight[p.lang] ?? 0) + (key === 'zh' ? w : 0);
    total += w;
  }
  if (total === 0) return 'zh-Hans';
  const zh = weight.zh ?? 0;
  const en = weight.en ?? 0;
  if ((weight.mixed ?? 0) / total > 0.5) return 'mixed';
  if (zh / total >= 0.15 && en / total >= 0.15) return 'mixed';
  if (en > zh) return 'en';
  return (weight['zh-Hant'] ?? 0) > (weight['zh-Hans'] ?? 0) ? 'zh-Hant' : 'zh-Hans';
}
