import { HAN } from '../text/chars';

const HAN_RUN = new RegExp(`[${HAN}]+`, 'g');
const WORD = /[A-Za-z][A-Za-z'-]{2,}/g;
const STOP = new Set(
  'the and for with that this from are was were has have had its into over under than then also been will would about after before more most such which their they them there these those while where when what who how all any can our out per'.split(
    ' ',
  ),
);

/**
 * Topical features of a text: Han character bigrams and English content words.
 */
export function features(text: string): Set<string> {
  const out = new Set<string>();
  // Items and body come from the same page, hence the same script: no conversion needed (it was
  // the parser's costliest step on small pages).
  const s = text;
  for (const m of s.matchAll(HAN_RUN)) {
    const run = m[0];
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  for (const m of s.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    if (!STOP.has(w)) out.add(w);
  }
  return out;
}

/** Share of an item's features that the body also has: 1 = on topic, 0 = unrelated. */
export function overlap(item: Set<string>, body: Set<string>): number {
  if (item.size === 0) return 0;
  let hit = 0;
  for (const f of item) if (body.has(f)) hit++;
  return hit / item.size;
}
