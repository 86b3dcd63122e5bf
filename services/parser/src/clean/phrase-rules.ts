import type { ParserSettings } from '../settings';
import { countPunct } from '../text/chars';
import { remove, type Cleaning } from './items';

const KEYWORD_LINE =
  /^\s*(關鍵詞|关键词|關鍵字|关键字|熱門關鍵詞|热门关键词|熱搜|热搜|keywords?|tags?)\s*[:：]\s*(.+)$/i;

/**
 * Step 2, phrase rules: keyword-stuffing lines (`關鍵詞: …`, their words kept as spam-term
 * evidence) and the blocks a rule of data/boilerplate.yaml matches (credits, share bars, copyright,
 * WordPress and mirror chrome …), each with the rule's category.
 */
export function applyPhraseRules(c: Cleaning): void {
  for (const it of c.items) {
    if (it.kind === 'table') continue;
    const kw = KEYWORD_LINE.exec(it.text);
    const terms = kw ? kw[2]!.split(/[\s,，、;；|]+/).filter(Boolean) : [];
    if (terms.length >= 2) {
      c.evidence.push(...terms);
      remove(it, 'spamLinks', 'keywords');
    } else if (it.boilerplate) {
      remove(it, 'boilerplate', it.boilerplate.category);
    }
  }
}

/**
 * Step 3, link bars: a block outside any list that is mostly link text and has almost no
 * punctuation (a row of menu links, "more" bars).
 */
export function removeLinkBars(c: Cleaning, settings: ParserSettings['clean']): void {
  for (const it of c.items) {
    if (
      it.listId === null &&
      it.kind !== 'table' &&
      it.linkDensity > settings.linkBlockMinLinkDensity &&
      countPunct(it.text) <= settings.linkBlockMaxPunct
    )
      remove(it, 'boilerplate', 'links');
  }
}
