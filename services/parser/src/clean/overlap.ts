import { forEachHanPair } from '../text/cjk';

const WORD = /[A-Za-z][A-Za-z'-]{2,}/g;
const STOP = new Set(
  'the and for with that this from are was were has have had its into over under than then also been will would about after before more most such which their they them there these those while where when what who how all any can our out per'.split(
    ' ',
  ),
);

/** Distinct Han bigrams (as pair keys) and English content words of a text. */
export interface Features {
  bigrams: Set<number>;
  words: Set<string>;
}

/**
 * Topical features of a text: Han character bigrams and English content words. Items and body come
 * from the same page, hence the same script: no conversion is needed.
 */
export function features(text: string): Features {
  const bigrams = new Set<number>();
  forEachHanPair(text, (key) => bigrams.add(key));
  const words = new Set<string>();
  for (const m of text.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    if (!STOP.has(w)) words.add(w);
  }
  return { bigrams, words };
}

/** Share of an item's features that the body also has: 1 = on topic, 0 = unrelated. */
export function overlap(item: Features, body: Features): number {
  const size = item.bigrams.size + item.words.size;
  if (size === 0) return 0;
  let hit = 0;
  for (const k of item.bigrams) if (body.bigrams.has(k)) hit++;
  for (const w of item.words) if (body.words.has(w)) hit++;
  return hit / size;
}
