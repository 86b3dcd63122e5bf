import type { ParserSettings } from '../settings';
import { countHan } from '../text/cjk';
import { countChars, endsSentence } from '../text/chars';
import { live, remove, type Cleaning, type Item } from './items';

/** A clause or sentence mark. */
export const TERMINAL_OR_CLAUSE = /[，。、；：！？,.;:!?]/;

/** A short Han label: no clause or sentence mark, no digit. */
export function isCjkShortLabel(t: string, max: number): boolean {
  return t.length <= max && countHan(t) >= 2 && !TERMINAL_OR_CLAUSE.test(t) && !/\d/.test(t);
}

/** A photo credit inside a caption: `[Photo/Xinhua]`, `Photo by …`, `– Ti Gong`, `张明 摄`, `图片来源`. */
const PHOTO_CREDIT =
  /\[photo|\bphotos?\s*(by|:|\/)|\/xinhua|\b(ti gong|imaginechina|vcg)\b|[\u4e00-\u9fff]\s*摄|图片来源|圖片來源/i;

/**
 * Captions the page marks as such (figcaption, class "caption", a line under a picture): short
 * ones that are not sentences, and any with a photo credit (English captions are whole sentences).
 */
export function removeMarkedCaptions(c: Cleaning, settings: ParserSettings['clean']): void {
  for (const it of c.items) {
    if (it.kind !== 'caption') continue;
    const short = it.text.length <= settings.captionMaxChars && !endsSentence(it.text);
    if (short || (it.text.length <= settings.creditedCaptionMaxChars && PHOTO_CREDIT.test(it.text)))
      remove(it, 'boilerplate', 'caption');
  }
}

function isStandaloneCaption(it: Item, prev: Item, next: Item, s: ParserSettings['clean']): boolean {
  if (!isCjkShortLabel(it.text, s.standaloneCaptionMaxChars)) return false;
  if (it.text.length <= s.standaloneCaptionAlwaysChars) return true;
  // A caption inside a paragraph that layout broke (the paragraph goes on after it) …
  const insideBrokenParagraph =
    prev.kind === 'p' && !endsSentence(prev.text) && countChars(prev.text) >= s.brokenParagraphMinChars;
  // … or before a heading or another label.
  return insideBrokenParagraph || isCjkShortLabel(next.text, s.nextLabelMaxChars) || next.kind === 'heading';
}

/**
 * Captions standing alone between paragraphs (`和美瓜渚湖`, `中国轻纺城`): a short Han label with no
 * punctuation, between two blocks, which a picture's caption is when the page has no markup for it.
 */
export function removeStandaloneCaptions(c: Cleaning, settings: ParserSettings['clean']): void {
  const l = live(c.items);
  for (let k = 1; k + 1 < l.length; k++) {
    const it = l[k]!;
    if (it.kind !== 'p' && it.kind !== 'caption') continue;
    if (isStandaloneCaption(it, l[k - 1]!, l[k + 1]!, settings)) remove(it, 'boilerplate', 'caption');
  }
}
