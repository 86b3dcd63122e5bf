import type { Paragraph } from '@govwire/shared';
import { isTableParagraph } from './tables/shape';

/**
 * The guard at the entry of metric extraction: sentences no reader should spend time on, and whose
 * figures no reader would trust, are cut out of the paragraphs before extraction, each with a
 * warning. A sentence of more numbers than `maxNumbersPerSentence` is a dump (a list of 600 village
 * incomes, 10,000 numbers in a row), not a statement; a year of five digits (20233年) dates nothing.
 * Tables are left to the table reader, which has caps of its own.
 */

export interface GuardLimits {
  maxNumbersPerSentence: number;
}

/** Sentence ends: Chinese and Western marks, and line breaks. */
const SENTENCE_END = /[。！？!?；;\n]|\.(?=\s|$)/g;
const NUMBER = /\d+(?:[.,]\d+)*/g;
const IMPOSSIBLE_YEAR = /(?<!\d)\d{5,}\s*年/;

/** Why a sentence is not read, or null. Counting stops past the cap, so a dump costs its length once. */
function refusal(sentence: string, limits: GuardLimits): string | null {
  const year = IMPOSSIBLE_YEAR.exec(sentence);
  if (year) return `an impossible year (${year[0]})`;
  NUMBER.lastIndex = 0;
  let n = 0;
  while (NUMBER.exec(sentence) !== null) {
    if (++n > limits.maxNumbersPerSentence)
      return `more than ${limits.maxNumbersPerSentence} numbers (maxNumbersPerSentence)`;
  }
  return null;
}

/** The paragraph's sentences as [start, end) offsets within `text`. */
function sentenceSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m !== null; m = SENTENCE_END.exec(text)) {
    spans.push([start, m.index + m[0].length]);
    start = m.index + m[0].length;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

/** A paragraph without its refused sentences: the runs of sentences between them, as paragraphs. */
function guardParagraph(text: string, p: Paragraph, limits: GuardLimits, warnings: string[]): Paragraph[] {
  const out: Paragraph[] = [];
  let runStart: number | null = null;
  const close = (end: number): void => {
    if (runStart !== null && text.slice(runStart, end).trim() !== '')
      out.push({ ...p, text: text.slice(runStart, end), start: p.start + runStart, end: p.start + end });
    runStart = null;
  };
  for (const [s, e] of sentenceSpans(text)) {
    const why = refusal(text.slice(s, e), limits);
    if (why === null) {
      runStart ??= s;
      continue;
    }
    close(s);
    warnings.push(`metrics: sentence at ${p.start + s} not read: ${why}`);
  }
  close(text.length);
  return out;
}

/**
 * The paragraphs metric extraction may read, and warnings for what was cut. Paragraphs with nothing
 * to refuse are returned as they are (the same objects), so a normal page pays one scan.
 */
export function guardParagraphs(
  text: string,
  paragraphs: readonly Paragraph[],
  limits: GuardLimits,
): { paragraphs: Paragraph[]; warnings: string[] } {
  const warnings: string[] = [];
  const out: Paragraph[] = [];
  paragraphs.forEach((p, i) => {
    const ptext = text.slice(p.start, p.end);
    const suspect =
      IMPOSSIBLE_YEAR.test(ptext) ||
      countUpTo(ptext, limits.maxNumbersPerSentence + 1) > limits.maxNumbersPerSentence;
    if (!suspect || isTableParagraph(ptext) || titlesTable(text, ptext, paragraphs[i + 1])) out.push(p);
    else out.push(...guardParagraph(ptext, p, limits, warnings));
  });
  return { paragraphs: out, warnings };
}

/** A table's title line (20233年柯桥区主要经济指标): left to the table reader, which refuses its date. */
function titlesTable(text: string, ptext: string, next: Paragraph | undefined): boolean {
  return (
    ptext.length <= MAX_TABLE_TITLE_CHARS &&
    next !== undefined &&
    isTableParagraph(text.slice(next.start, next.end))
  );
}

const MAX_TABLE_TITLE_CHARS = 200;

/** Numbers in `s`, counted up to `cap`. */
function countUpTo(s: string, cap: number): number {
  NUMBER.lastIndex = 0;
  let n = 0;
  while (n < cap && NUMBER.exec(s) !== null) n++;
  return n;
}
