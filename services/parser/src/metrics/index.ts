import type { Language, Metric, Paragraph } from '@govwire/shared/article';
import { makeMetric, type Context } from './candidate';
import type { MetricsData, PhraseMatch } from './data';
import { extractSentenceEn, indicatorPhrasesEn } from './extract-en';
import { extractSentenceZh, indicatorPhrasesZh, mayStateMetricZh } from './extract-zh';
import { guardParagraphs } from './guard';
import { mergeMetrics } from './merge';
import { findPeriodsEn, findPeriodsZh } from './periods';
import type { PeriodMention, ReportDates } from './periods';
import { documentDates, type DocumentDates } from './document';
import { FIRST_MENTIONS_CHARS, subjectRegion } from './regions';
import { extractTable, isTableParagraph } from './tables';
import { CJK, cjkShare, matchingText, splitSentences } from './text';

export { formatChineseInteger, numberWithMultiplier, scaleDecimal } from './numbers';

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
  /** Receives warnings: why stated figures were left out, bad input cut out (the parse result's). */
  warnings?: string[];
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

function sentencePeriods(match: string, zh: boolean, dates: ReportDates): PeriodMention[] {
  // Every period mention has a digit, 年 (去年, 今年), 月 (当月), 季 (一季度) or 期 (十三五期间); in
  // English, a digit or one of the words of EN_PERIOD_WORD.
  if (zh ? !/[\d年月季期]/.test(match) : !/\d/.test(match) && !EN_PERIOD_WORD.test(match)) return [];
  const { publishedAt, reportYear = null, reportMonth = null } = dates;
  return zh
    ? findPeriodsZh(match, publishedAt, reportYear, reportMonth)
    : findPeriodsEn(match, publishedAt, reportYear, reportMonth);
}

const EN_PERIOD_WORD =
  /year|quarter|half|months|january|february|march|april|june|july|august|september|october|november|decade/i;

/** How many paragraphs of prose may make up the lead. */
const LEAD_PARAGRAPHS = 2;

/** Warnings kept per call: enough to see why, bounded for a hostile page. */
const MAX_WARNINGS = 20;

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
 * What a sentence says by itself, given its paragraph's language: everything but the paragraph's
 * period so far, which only the metrics depend on.
 */
interface SentenceReading {
  original: string;
  /** Simplified, half-width text (same length as `original`). */
  match: string;
  zh: boolean;
  lang: Language;
  /** Indicator phrases (in `match` for Chinese, in `original` for English). */
  found: PhraseMatch[];
  /** False when the sentence cannot state a metric whatever its paragraph says. */
  mayState: boolean;
  /** Its period mentions, read when first needed. */
  periods: PeriodMention[] | undefined;
  /** Its metrics (evidence relative to the sentence) by the paragraph period they were read with. */
  metrics: Map<string, Metric[]>;
}

function readSentence(
  data: MetricsData,
  paraLang: Language,
  original: string,
  match: string,
): SentenceReading {
  // Paragraph languages come from the parser; only a mixed paragraph is judged per sentence.
  const zh =
    paraLang === 'zh-Hans' || paraLang === 'zh-Hant'
      ? true
      : paraLang === 'en'
        ? false
        : CJK.test(match) && cjkShare(match) >= 0.5;
  const found = zh ? indicatorPhrasesZh(data, match) : indicatorPhrasesEn(data, original);
  return {
    original,
    match,
    zh,
    lang: zh ? sentenceLang(paraLang, original, match) : 'en',
    found,
    mayState: zh ? mayStateMetricZh(match, found) : found.length > 0,
    periods: undefined,
    metrics: new Map(),
  };
}

function periodsOf(r: SentenceReading, dates: ReportDates): PeriodMention[] {
  return (r.periods ??= sentencePeriods(r.match, r.zh, dates));
}

/** The period a paragraph's next sentence inherits, and whether it still is the document's. */
interface ParagraphPeriod {
  period: string | null | undefined;
  /** True until a sentence of the paragraph states a period: the period is the title's or lead's. */
  fromDocument: boolean;
  /** Sentences read since the period was last settled, in order. */
  unsettled: SentenceReading[];
  /** The last figure the paragraph stated, for a sentence that continues it (其中，二季度当季增长9.1%). */
  lastFigure: Metric | null;
}

/**
 * Settles the paragraph's period after its unsettled sentences: the last period mention of the
 * latest sentence that has one. Only a sentence that may state a metric needs it, so the others'
 * periods are read only then, and only back to the latest with one.
 */
function settlePeriod(state: ParagraphPeriod, dates: ReportDates): void {
  for (let k = state.unsettled.length - 1; k >= 0; k--) {
    const periods = periodsOf(state.unsettled[k] as SentenceReading, dates);
    const last = periods[periods.length - 1];
    if (last === undefined) continue;
    state.period = last.period;
    state.fromDocument = false;
    break;
  }
  state.unsettled.length = 0;
}

/** One extraction: the document's frame, the sentence memo and the metrics so far. */
interface Run {
  ctx: Context;
  dates: DocumentDates;
  /** The whole text in matching form, when some paragraph needs converting. */
  converted: string | null;
  /**
   * Reading a sentence depends only on its text and its paragraph's language (its metrics also on
   * the period it inherits): a sentence seen before (copied pages repeat whole passages) is read
   * once. Keyed by language, then by the sentence itself.
   */
  memo: Map<Language, Map<string, SentenceReading>>;
  memoSize: number;
  all: Metric[];
  /** Why stated figures were left out, once each. */
  warnings: Set<string>;
}

function remember<K, V>(run: Run, map: Map<K, V>, key: K, value: V): void {
  if (run.memoSize >= MEMO_LIMIT) return;
  map.set(key, value);
  run.memoSize++;
}

/** The metrics of one sentence, given the period it inherits, placed at `sentStart`. */
function readSentenceMetrics(
  run: Run,
  r: SentenceReading,
  original: string,
  state: ParagraphPeriod,
  sentStart: number,
): void {
  settlePeriod(state, run.dates);
  const periods = periodsOf(r, run.dates);
  const contextPeriod = state.period;
  const key = `${state.fromDocument ? 'doc' : 'par'}:${String(contextPeriod)}`;
  let found = r.metrics.get(key);
  if (!found) {
    const sent = {
      periods,
      original,
      match: r.match,
      start: 0,
      lang: r.lang,
      contextPeriod,
      contextFromDocument: state.fromDocument,
    };
    found = r.zh ? extractSentenceZh(run.ctx, sent, r.found) : extractSentenceEn(run.ctx, sent, r.found);
    remember(run, r.metrics, key, found);
  }
  for (const m of found) run.all.push(shiftEvidence(m, sentStart));
  state.lastFigure = found.length === 1 && found[0]?.qualifier !== 'target' ? (found[0] ?? null) : null;
  const last = periods[periods.length - 1];
  if (last !== undefined) {
    state.period = last.period;
    state.fromDocument = false;
  }
}

/** 其中，二季度当季增长9.1%: the figure just stated, for a part of its period. */
const CONTINUATION_ZH = /^其中[,:]?(.{2,8}?)(?:同比)?(增长|下降)(\d+(?:\.\d+)?)%[。.]?$/;

/**
 * A sentence that names no indicator but continues the one figure the sentence before stated, for
 * another period inside it (其中，二季度当季增长9.1% after 上半年…GDP…增长8.2%): that figure's change
 * for the part, when the words between 其中 and the verb are exactly one period.
 */
function continueFigure(run: Run, r: SentenceReading, last: Metric, sentStart: number): void {
  const m = CONTINUATION_ZH.exec(r.match);
  if (!m) return;
  const periods = periodsOf(r, run.dates);
  const only = periods[0];
  if (periods.length !== 1 || !only?.period || only.period === last.period) return;
  if (r.match.slice(only.start, only.end) !== m[1]) return;
  const pct = (m[2] === '下降' ? -1 : 1) * Number(m[3]);
  const evidence = { text: r.original, start: sentStart, end: sentStart + r.original.length, lang: r.lang };
  const change = { pct, kind: 'annual' as const };
  const { indicator, unit, region } = last;
  run.all.push(
    makeMetric({
      indicator,
      unit,
      region,
      period: only.period,
      value: null,
      qualifier: null,
      change,
      rank: null,
      evidence,
    }),
  );
}

interface ProseParagraph {
  p: Paragraph;
  lines: string[];
  readings: Map<string, SentenceReading>;
  /** Its lines are slices of the converted text (it sits where its offsets say). */
  inPlace: boolean;
  convert: boolean;
}

function readLine(run: Run, para: ProseParagraph, line: string, start: number, state: ParagraphPeriod): void {
  const data = run.ctx.data;
  const match =
    para.convert && para.inPlace && run.converted !== null
      ? run.converted.slice(start, start + line.length)
      : matchingText(line, para.convert ? data.simplifiedUnit : null);
  for (const span of boundedSentences(match)) {
    const original = line.slice(span.start, span.end);
    let r = para.readings.get(original);
    if (!r) {
      r = readSentence(data, para.p.lang, original, match.slice(span.start, span.end));
      remember(run, para.readings, original, r);
    }
    if (r.mayState) readSentenceMetrics(run, r, original, state, start + span.start);
    else {
      if (state.lastFigure !== null && r.zh) continueFigure(run, r, state.lastFigure, start + span.start);
      state.unsettled.push(r);
      state.lastFigure = null;
    }
  }
}

function readProse(run: Run, p: Paragraph, ptext: string): void {
  // Most paragraphs are one line: no split (and no list of lines to judge) for those.
  const lines = ptext.includes('\n') ? ptext.split('\n') : [ptext];
  if (lines.length >= 3 && looksLikeHeadlineList(lines.filter((l) => l.trim() !== ''))) return;
  let readings = run.memo.get(p.lang);
  if (!readings) run.memo.set(p.lang, (readings = new Map()));
  const para: ProseParagraph = {
    p,
    lines,
    readings,
    convert: p.lang === 'zh-Hant' || p.lang === 'mixed',
    inPlace:
      run.converted !== null &&
      Number.isInteger(p.start) &&
      p.start >= 0 &&
      p.start <= p.end &&
      p.end <= run.ctx.text.length,
  };
  const state: ParagraphPeriod = {
    period: run.dates.articlePeriod,
    fromDocument: true,
    unsettled: [],
    lastFigure: null,
  };
  let lineStart = p.start;
  for (const line of lines) {
    const start = lineStart;
    lineStart += line.length + 1;
    if (line.trim() !== '' && !HEADLINE_LINE.test(line)) readLine(run, para, line, start, state);
  }
}

function startRun(data: MetricsData, input: MetricsInput): Run {
  const { text } = input;
  // Traditional paragraphs are matched converted, and so are the first characters for the subject
  // region: when some paragraph needs it, the whole text is converted once and sliced for both.
  const converted = input.paragraphs.some((p) => p.lang === 'zh-Hant' || p.lang === 'mixed')
    ? matchingText(text, data.simplifiedUnit)
    : null;
  const firstChars =
    converted?.slice(0, FIRST_MENTIONS_CHARS) ??
    matchingText(text.slice(0, FIRST_MENTIONS_CHARS), data.simplifiedUnit);
  const warnings = new Set<string>();
  const warn = (message: string): void => {
    if (warnings.size < MAX_WARNINGS) warnings.add(message);
  };
  const subject = subjectRegion(data, input, firstChars);
  const lead: string[] = [];
  for (const p of input.paragraphs) {
    if (lead.length === LEAD_PARAGRAPHS) break;
    if (p.text.trim() !== '' && !isTableParagraph(p.text)) lead.push(p.text);
  }
  const dates = documentDates(data, {
    title: input.title,
    publishedAt: input.publishedAt,
    lead,
  });
  const ctx: Context = { data, subject, publishedAt: input.publishedAt, dates, text, warn };
  return { ctx, dates, converted, memo: new Map(), memoSize: 0, all: [], warnings };
}

/**
 * Metrics stated in an article: indicator, region, period, value in base units, change, rank and
 * the sentence or table row each was read from. The document model gives what sentences leave out:
 * the subject region (title, source, first mentions) and the period (title → lead → paragraph →
 * sentence). Precision first: a figure whose region or period cannot be established, or that two
 * statements contradict, is left out.
 */
export function extractMetrics(data: MetricsData, raw: MetricsInput): Metric[] {
  // Bad input (a sentence of 10,000 numbers, a year 20233年) is cut out here, with a warning.
  const guarded = guardParagraphs(raw.text, raw.paragraphs, data.tables.limits);
  raw.warnings?.push(...guarded.warnings);
  const input = { ...raw, paragraphs: guarded.paragraphs };
  const run = startRun(data, input);
  // The two paragraphs before a table: its heading and a 单位：亿元 line.
  let previousParagraphs: string[] = [];
  for (const p of input.paragraphs) {
    // The paragraph's text as it stands in `text` (equal to p.text when the two agree).
    const ptext = input.text.slice(p.start, p.end);
    if (ptext.trim() === '') continue;
    if (isTableParagraph(ptext)) {
      const around = { before: previousParagraphs, title: input.title, warnings: input.warnings };
      run.all.push(...extractTable(run.ctx, { text: ptext, start: p.start, lang: p.lang }, around));
      previousParagraphs = [];
    } else {
      previousParagraphs = [...previousParagraphs.slice(-1), ptext];
      readProse(run, p, ptext);
    }
  }
  input.warnings?.push(...run.warnings);
  return mergeMetrics(run.all);
}
