import type { Metric } from '@govwire/shared';

/**
 * "Figures differ": two texts that read alike but state different numbers at the same place are
 * different facts (last year's report and this year's from one template), never one article.
 *
 * Each number is keyed by the few characters before it (its context, spaces collapsed). Where a
 * context occurs in both texts, the numbers there must share at least one value; a context only one
 * text has (an added date line, a reporter credit) proves nothing either way.
 */
export const FIGURE_CONTEXT_CHARS = 10;

export type Figures = Map<string, Set<string>>;

const NUMBER = /\d+(?:[.,]\d+)*/g;

/**
 * Dates and times are when a copy was published or fetched, not figures: a mirror showing its own
 * date line (`发布时间:2023-03-29 10:00`, `4月13日`) is still a copy. A stand-alone year (`2022年`)
 * stays a figure: it names the period the numbers describe.
 */
const DATE_OR_TIME = [
  /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?/g,
  /\d{4}\s*年\s*\d{1,2}\s*月/g,
  /\d{1,2}\s*月\s*\d{1,2}\s*日/g,
  /\d{1,2}:\d{2}(?::\d{2})?/g,
];

export function extractFigures(textSimplified: string): Figures {
  let text = textSimplified.normalize('NFKC').replace(/\s+/g, ' ');
  // Same length, no digits: offsets and the contexts of the remaining figures are unchanged.
  for (const re of DATE_OR_TIME) text = text.replace(re, (m) => '#'.repeat(m.length));
  const out: Figures = new Map();
  for (const m of text.matchAll(NUMBER)) {
    const start = m.index;
    const context = text.slice(Math.max(0, start - FIGURE_CONTEXT_CHARS), start).toLowerCase();
    // A figure at the very start of the text has no context to align on.
    if (context.trim().length < 2) continue;
    const value = normalizeNumber(m[0]);
    let set = out.get(context);
    if (!set) out.set(context, (set = new Set()));
    set.add(value);
  }
  return out;
}

/** 28,200 → 28200; 4.50 → 4.5; 007 → 7. */
export function normalizeNumber(raw: string): string {
  const noThousands = raw.replace(/,(?=\d{3}(?!\d))/g, '');
  const n = Number(noThousands.replace(/,/g, '.'));
  return Number.isFinite(n) ? String(n) : noThousands;
}

export interface FigureConflict {
  context: string;
  a: string[];
  b: string[];
}

/**
 * The first context where the two texts state different figures, or null when none does. Where a
 * context repeats, the figures one text states there must all be among the other's (a copy that
 * dropped a paragraph states fewer; a copy with one figure changed states one the other lacks,
 * and lacks one the other states).
 */
export function figureConflict(a: Figures, b: Figures): FigureConflict | null {
  for (const [context, xs] of a) {
    const ys = b.get(context);
    if (!ys) continue;
    const aInB = [...xs].every((x) => ys.has(x));
    const bInA = [...ys].every((y) => xs.has(y));
    if (!aInB && !bInA) return { context, a: [...xs], b: [...ys] };
  }
  return null;
}

type MetricFacts = Pick<Metric, 'region' | 'indicator' | 'period' | 'value' | 'changePct' | 'qualifier'>;

/**
 * The first fact (region|indicator|period|target) both metric lists state with no value in common,
 * or null. Values and changes are compared separately; a side that states neither proves nothing.
 */
export function metricConflict(a: MetricFacts[], b: MetricFacts[]): string | null {
  const key = (m: MetricFacts) => `${m.region}|${m.indicator}|${m.period}|${m.qualifier === 'target'}`;
  const collect = (ms: MetricFacts[]) => {
    const out = new Map<string, { values: number[]; changes: number[] }>();
    for (const m of ms) {
      const k = key(m);
      let e = out.get(k);
      if (!e) out.set(k, (e = { values: [], changes: [] }));
      if (m.value !== null) e.values.push(m.value);
      if (m.changePct !== null) e.changes.push(m.changePct);
    }
    return out;
  };
  const disjoint = (xs: number[], ys: number[]) =>
    xs.length > 0 && ys.length > 0 && !xs.some((x) => ys.some((y) => sameNumber(x, y)));
  const bs = collect(b);
  for (const [k, x] of collect(a)) {
    const y = bs.get(k);
    if (y && (disjoint(x.values, y.values) || disjoint(x.changes, y.changes))) return k;
  }
  return null;
}

function sameNumber(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}
