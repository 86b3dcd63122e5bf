import { PairCounts } from './pair-counts';

const WORD = /[A-Za-z][A-Za-z'-]{2,}/g;
const STOP = new Set(
  'the and for with that this from are was were has have had its into over under than then also been will would about after before more most such which their they them there these those while where when what who how all any can our out per'.split(
    ' ',
  ),
);

function isHanUnit(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}
/** A Han unit's index among the 28,096 counted (< 2^15): a pair's key stays a small integer. */
function hanIndex(c: number): number {
  if (c >= 0x4e00) return c <= 0x9fff ? c - 0x4e00 : 0x5200 + 0x1a00 + (c - 0xf900);
  return 0x5200 + (c - 0x3400);
}

/** Distinct Han bigrams (as pair keys) and English content words of a text. */
export interface Features {
  bigrams: PairCounts;
  words: Set<string>;
}

/**
 * Topical features of a text: Han character bigrams and English content words. A bigram (two
 * adjacent Han code units, as inside a Han run) is kept as a small integer, one to one with its two
 * characters (index(a) * 32768 + index(b) < 2^30), so neither a two-character string nor a heap
 * number is made per pair, and in a typed-array table rather than a Set (adding to a Set was most
 * of the list judging); words stay strings.
 */
export function features(text: string): Features {
  const bigrams = new PairCounts(text.length);
  const words = new Set<string>();
  // Items and body come from the same page, hence the same script: no conversion needed (it was
  // the parser's costliest step on small pages).
  const s = text;
  let prev = isHanUnit(s.charCodeAt(0)) ? hanIndex(s.charCodeAt(0)) : -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isHanUnit(c)) {
      prev = -1;
      continue;
    }
    const idx = hanIndex(c);
    if (prev >= 0) bigrams.add(prev * 32768 + idx);
    prev = idx;
  }
  for (const m of s.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    if (!STOP.has(w)) words.add(w);
  }
  return { bigrams, words };
}

/** Hands the features' table on to the next text (see PairCounts.release): `f` is done with. */
export function releaseFeatures(f: Features): void {
  f.bigrams.release();
}

/** Share of an item's features that the body also has: 1 = on topic, 0 = unrelated. */
export function overlap(item: Features, body: Features): number {
  const size = item.bigrams.size + item.words.size;
  if (size === 0) return 0;
  let hit = 0;
  item.bigrams.forEachKey((k) => {
    if (body.bigrams.has(k)) hit++;
  });
  for (const w of item.words) if (body.words.has(w)) hit++;
  return hit / size;
}
