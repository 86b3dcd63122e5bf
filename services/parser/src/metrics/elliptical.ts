import type { MetricsData, PhraseMatch } from './data';

/**
 * A short form stands right before its figure (…总收入5.63亿元，经营性收入3.18亿元), a linking verb
 * and a qualifier at most between them ("that of rural residents was nearly 50,000 yuan", 近5万元);
 * in English a comma may stand for the verb ("the secondary industry, 14.37 billion yuan").
 */
const FIGURE_AFTER: Readonly<Record<'zh' | 'en', RegExp>> = {
  zh: /^(?:达到|达|为|是)?(?:超过|超|逾|突破|接近|将近|近|约|不足|不到)?\d/,
  en: /^\s*,?\s*(?:was|were|is|reached|stood at|hit|totaled|totalled|amounted to)?\s*(?:(?:more than|over|above|nearly|almost|about|around|approximately|close to|less than|under|below)\s+)?(?:rmb\s*|¥\s*)?\d/,
};

/**
 * Short forms (经营性收入 after 村级集体经济总收入, 城镇居民 after 居民人均可支配收入, "that of rural
 * residents" after "per capita disposable income"): each names its indicator when the fuller
 * mention comes earlier in the sentence and a figure follows it at once. `found`: the sentence's
 * indicator phrases; the short forms are added to them, in order.
 */
export function withElliptical(
  data: MetricsData,
  lang: 'zh' | 'en',
  s: string,
  found: PhraseMatch[],
): PhraseMatch[] {
  const text = lang === 'en' ? s.toLowerCase() : s;
  const extra: PhraseMatch[] = [];
  const overlaps = (at: number, end: number): boolean =>
    found.some((f) => f.start < end && f.end > at) || extra.some((f) => f.start < end && f.end > at);
  for (const e of data.elliptical) {
    if (e.lang !== lang) continue;
    const first = e.after.map((w) => text.indexOf(w)).filter((i) => i >= 0);
    if (first.length === 0) continue;
    for (
      let at = text.indexOf(e.phrase.text, Math.min(...first));
      at >= 0;
      at = text.indexOf(e.phrase.text, at + 1)
    ) {
      const end = at + e.phrase.text.length;
      if (FIGURE_AFTER[lang].test(text.slice(end, end + 48)) && !overlaps(at, end))
        extra.push({ start: at, end, phrase: e.phrase });
    }
  }
  return extra.length === 0 ? found : [...found, ...extra].sort((a, b) => a.start - b.start);
}
