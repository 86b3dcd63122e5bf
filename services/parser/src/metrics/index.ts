import type { Language, Metric, Paragraph } from '@govwire/shared';
import type { Context } from './candidate';
import { loadMetricsData } from './data';
import { extractSentenceEn } from './extract-en';
import { extractSentenceZh } from './extract-zh';
import { mergeMetrics } from './merge';
import { findPeriodsEn, findPeriodsZh } from './periods';
import type { PeriodMention } from './periods';
import { subjectRegion } from './regions';
import { extractTable, isTableParagraph } from './tables';
import { CJK, cjkShare, matchingText, splitSentences } from './text';

export { loadMetricsData } from './data';
export { formatChineseInteger, numberWithMultiplier, parseChineseInteger, scaleDecimal } from './numbers';

/**
 * Input to metric extraction: the parser's clean output. Table rows appear in `text` as one line per
 * row with cells separated by a tab character; a table is one paragraph of such lines.
 */
export interface MetricsInput {
  text: string;
  paragraphs: Paragraph[];
  title: string;
  publishedAt: string | null;
  source: string | null;
  url?: string | null;
}

/** A list item, a numbered headline or a keyword line: the shape of spam and link lists. */
const HEADLINE_LINE =
  /^\s*(?:[-•·*▪►]\s|\d{1,2}\s+(?=.*[\u3400-\u9fff])|\d{1,2}[、)]|\d{1,2}\.\s)|^\s*(?:关键词|關鍵詞|关键字|關鍵字|标签|標籤|tags?)\s*[::]/i;
const SENTENCE_END = /[。!?!?.…”"]\s*$/;

function looksLikeHeadlineList(lines: string[]): boolean {
  if (lines.length < 3) return false;
  const listy = lines.filter((l) => HEADLINE_LINE.test(l) || (l.length < 40 && !SENTENCE_END.test(l))).length;
  return listy >= lines.length * 0.6;
}

/**
 * A "sentence" longer than this (a page without punctuation) is cut at clause marks, or hard, so
 * that the per-sentence work, which looks back and forth within the sentence, stays linear.
 */
const MAX_SENTENCE = 1500;

function boundedSentences(line: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const span of splitSentences(line)) {
    let start = span.start;
    while (span.end - start > MAX_SENTENCE) {
      const window = line.slice(start, start + MAX_SENTENCE);
      const cut = Math.max(window.lastIndexOf(';'), window.lastIndexOf(','), window.lastIndexOf(' '));
      const end = cut > MAX_SENTENCE / 2 ? start + cut + 1 : start + MAX_SENTENCE;
      out.push({ start, end });
      start = end;
    }
    out.push({ start, end: span.end });
  }
  return out;
}

function sentencePeriods(match: string, zh: boolean, publishedAt: string | null): PeriodMention[] {
  // Every period mention has a digit, 年 (去年, 今年), 期 (十三五期间) or "year" in it.
  if (zh ? !/[\d年期]/.test(match) : !/\d|year/i.test(match)) return [];
  return zh ? findPeriodsZh(match, publishedAt) : findPeriodsEn(match, publishedAt);
}

/** The one period a title states (2022年柯桥区国民经济…), used when a paragraph states none. */
function titlePeriod(title: string, publishedAt: string | null): string | undefined {
  const periods = [
    ...findPeriodsZh(matchingText(title, true), publishedAt),
    ...findPeriodsEn(title, publishedAt),
  ]
    .map((p) => p.period)
    .filter((p): p is string => p !== null);
  const distinct = new Set(periods);
  return distinct.size === 1 ? periods[0] : undefined;
}

/** Sentences remembered per call: enough for any real page, bounded for a hostile one. */
const MEMO_LIMIT = 20_000;

/** A sentence's metrics (evidence offsets relative to the sentence) placed at `offset`. */
function shiftEvidence(m: Metric, offset: number): Metric {
  return { ...m, evidence: m.evidence.map((e) => ({ ...e, start: e.start + offset, end: e.end + offset })) };
}

function sentenceLang(paraLang: Language, original: string, match: string): Language {
  if (paraLang === 'zh-Hans' || paraLang === 'zh-Hant') return paraLang;
  return original === match ? 'zh-Hans' : 'zh-Hant';
}

/**
 * The paragraph's text as it stands in `text` (its own `text` when they agree), compared in place:
 * `text.slice(start, end) === p.text` without building the slice for the usual, agreeing case.
 */
function textAt(text: string, p: Paragraph): string {
  const { start, end } = p;
  if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length) {
    if (end - start === p.text.length && text.startsWith(p.text, start)) return p.text;
  } else if (text.slice(start, end) === p.text) return p.text;
  return text.slice(start, end);
}

/**
 * Metrics stated in an article: indicator, region, period, value in base units, change, rank and
 * the sentence or table row each was read from. Precision first: a figure whose region or period
 * cannot be established, or that two statements contradict, is left out.
 */
export function extractMetrics(input: MetricsInput): Metric[] {
  const data = loadMetricsData();
  const ctx: Context = {
    data,
    subject: subjectRegion(data, input),
    publishedAt: input.publishedAt,
    text: input.text,
  };
  const articlePeriod = titlePeriod(input.title, input.publishedAt);
  const all: Metric[] = [];
  // Keyed by language and period so far, then by the sentence itself: no concatenated key string
  // (which the lookup would flatten, copying every sentence once more).
  const memo = new Map<string, Map<string, { metrics: Metric[]; last: string | null | undefined }>>();
  let memoSize = 0;
  let previousParagraph = '';

  for (const p of input.paragraphs) {
    const ptext = textAt(input.text, p);
    if (ptext.trim() === '') continue;
    if (isTableParagraph(ptext)) {
      all.push(
        ...extractTable(ctx, { text: ptext, start: p.start, lang: p.lang }, previousParagraph, articlePeriod),
      );
      previousParagraph = ptext;
      continue;
    }
    previousParagraph = ptext;
    const lines = ptext.split('\n');
    if (looksLikeHeadlineList(lines.filter((l) => l.trim() !== ''))) continue;
    const convert = p.lang === 'zh-Hant' || p.lang === 'mixed';
    let contextPeriod: string | null | undefined = articlePeriod;
    let lineStart = p.start;
    for (const line of lines) {
      const start = lineStart;
      lineStart += line.length + 1;
      if (line.trim() === '' || HEADLINE_LINE.test(line)) continue;
      const match = matchingText(line, convert);
      for (const span of boundedSentences(match)) {
        const original = line.slice(span.start, span.end);
        const sentStart = start + span.start;
        // Reading a sentence depends only on its text, its paragraph's language and period so far:
        // a sentence seen before (copied pages repeat whole passages) is read once.
        const outerKey = `${p.lang}|${contextPeriod}`;
        let bucket = memo.get(outerKey);
        if (!bucket) memo.set(outerKey, (bucket = new Map()));
        const cached = bucket.get(original);
        if (cached) {
          for (const m of cached.metrics) all.push(shiftEvidence(m, sentStart));
          if (cached.last !== undefined) contextPeriod = cached.last;
          continue;
        }
        const sMatch = match.slice(span.start, span.end);
        // Paragraph languages come from the parser; only a mixed paragraph is judged per sentence.
        const zh =
          p.lang === 'zh-Hans' || p.lang === 'zh-Hant'
            ? true
            : p.lang === 'en'
              ? false
              : CJK.test(sMatch) && cjkShare(sMatch) >= 0.5;
        const periods = sentencePeriods(sMatch, zh, input.publishedAt);
        const sent = {
          periods,
          original,
          match: sMatch,
          start: 0,
          lang: zh ? sentenceLang(p.lang, original, sMatch) : ('en' as Language),
          contextPeriod,
        };
        const found = zh ? extractSentenceZh(ctx, sent) : extractSentenceEn(ctx, sent);
        const last = periods[periods.length - 1];
        if (memoSize < MEMO_LIMIT) {
          bucket.set(original, { metrics: found, last: last === undefined ? undefined : last.period });
          memoSize++;
        }
        for (const m of found) all.push(shiftEvidence(m, sentStart));
        if (last !== undefined) contextPeriod = last.period;
      }
    }
  }
  return mergeMetrics(all);
}
