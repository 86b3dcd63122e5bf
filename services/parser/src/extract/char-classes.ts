import { isPunct, mayNormalize } from '../text/chars';

/*
 * What extraction needs to know of each UTF-16 code unit, read once per character while parsing
 * (one table read instead of four tests): whether it counts as a character (countChars), is
 * punctuation (countPunct), is not whitespace, or may make displayText change the text (it is one
 * normalizeChars maps, or may not be NFC, or is whitespace other than a plain space).
 */
export const CHAR = 1;
export const PUNCT = 2;
export const NON_SPACE = 4;
export const NEEDS_DISPLAY = 8;
/** A plain space: two in a row need displayText. */
export const SPACE = 16;

/** The class every common ideograph (U+4E00..U+9FFF) has: counted, not punctuation, never changed. */
export const IDEOGRAPH_CLASS = CHAR | NON_SPACE;

/** Builds the table (part of the parser context: about 20 ms, once per process). */
export function buildCharClasses(): Uint8Array {
  const table = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    const ch = String.fromCharCode(c);
    const space = /\s/.test(ch);
    let k = 0;
    if (c > 0x20 && c !== 0xa0 && c !== 0x3000) k |= CHAR;
    if (isPunct(c)) k |= PUNCT;
    if (!space) k |= NON_SPACE;
    if (mayNormalize(ch) || (space && c !== 0x20)) k |= NEEDS_DISPLAY;
    if (c === 0x20) k |= SPACE;
    table[c] = k;
  }
  return table;
}
