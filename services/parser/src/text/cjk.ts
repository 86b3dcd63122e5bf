/**
 * Han characters, in one place: the ranges every Han test uses, a character's index among them and
 * the integer key of a pair of them (bigram counts, list overlap, spam-term junctions).
 *
 * The ranges are the BMP blocks a page's Han text lives in: CJK Unified Ideographs, Extension A and
 * the Compatibility Ideographs. (Astral extensions are rare in news text and are left out on
 * purpose: a surrogate pair is not one code unit.)
 */

/** The ranges as a regex character-class body, to build patterns with: `new RegExp(`[${HAN}]`)`. */
export const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** One Han character. */
export const HAN_RE = new RegExp(`[${HAN}]`);

const UNIFIED_FIRST = 0x4e00;
const UNIFIED_COUNT = 0x9fff - 0x4e00 + 1;
const EXT_A_FIRST = 0x3400;
const EXT_A_COUNT = 0x4dbf - 0x3400 + 1;
const COMPAT_FIRST = 0xf900;
const COMPAT_COUNT = 0xfaff - 0xf900 + 1;
/** How many Han code units there are: every index is below this (< 2^15). */
export const HAN_COUNT = UNIFIED_COUNT + EXT_A_COUNT + COMPAT_COUNT;

/** Whether a UTF-16 code unit is a Han character. */
export function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/** A Han code unit's index in [0, HAN_COUNT): unified ideographs first, then Extension A, then compatibility. */
export function hanIndex(c: number): number {
  if (c >= UNIFIED_FIRST && c <= 0x9fff) return c - UNIFIED_FIRST;
  if (c >= EXT_A_FIRST && c <= 0x4dbf) return UNIFIED_COUNT + (c - EXT_A_FIRST);
  return UNIFIED_COUNT + EXT_A_COUNT + (c - COMPAT_FIRST);
}

/**
 * The key of two adjacent Han code units: one to one with the pair and below 2^30, so a V8 small
 * integer (a `Map` or `Set` key without a heap number per pair).
 */
export function pairKey(a: number, b: number): number {
  return hanIndex(a) * HAN_COUNT + hanIndex(b);
}

/** How many Han characters a string has. */
export function countHan(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (isHan(s.charCodeAt(i))) n++;
  return n;
}

/** Calls `f` with the key of every pair of adjacent Han characters in `s`, in order. */
export function forEachHanPair(s: string, f: (key: number) => void): void {
  let prevHan = false;
  let prev = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isHan(c)) {
      prevHan = false;
      continue;
    }
    if (prevHan) f(pairKey(prev, c));
    prevHan = true;
    prev = c;
  }
}
