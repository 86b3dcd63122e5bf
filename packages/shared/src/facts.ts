import type { Metric } from './article';
import { parseChineseInteger } from './chinese-numerals';

/**
 * The one definition of "the same fact", for everyone who compares figures: the parser merging a
 * fact a bilingual page states twice, the indexer merging the metrics of an article's versions,
 * and the indexer's guard deciding whether two near-identical texts state the same figures.
 *
 * - A fact is identified by region, indicator and period; a target is a different fact from a
 *   result (`factKey`).
 * - A figure is a quantity in base units with a canonical unit: 1901.08亿元 and "190.1 billion
 *   yuan" are both CNY, 190,108,000,000 and 190,100,000,000 (`quantityOf`, `UNIT_WORDS`).
 * - Two values are the same figure when the less precise one is the other rounded, and the
 *   rounding is small (`sameQuantity`): 190.1 billion is 1901.08亿 rounded to a tenth of a billion;
 *   786万 and 787万 are two figures.
 */

export type FactIdentity = Pick<Metric, 'region' | 'indicator' | 'period' | 'qualifier'>;

/** region, indicator, period, and whether it is a target: one row per article and key. */
export function factKey(f: FactIdentity): string {
  return `${f.region}\u0000${f.indicator}\u0000${f.period}\u0000${f.qualifier === 'target' ? 1 : 0}`;
}

/**
 * A figure in base units. `precision` is the value of one unit in the last digit written (in base
 * units: 1901.08亿 → 1e6, "190.1 billion" → 1e8, 16个 → 1), when the text is at hand; a stored value
 * has none, and its precision is inferred from its digits (`inferPrecision`).
 */
export interface Quantity {
  value: number;
  unit: string;
  precision?: number | null;
}

/** Scale words and their powers of ten (亿 → 8, billion → 9). */
export const SCALE_EXPONENTS: Readonly<Record<string, number>> = {
  十: 1,
  百: 2,
  千: 3,
  万: 4,
  亿: 8,
  万亿: 12,
  thousand: 3,
  million: 6,
  billion: 9,
  trillion: 12,
};

/**
 * Unit words (simplified Chinese or lower-case English) → the canonical unit. The contract's units
 * (`CNY`, `%`, `persons`, `points`) first; other measure words stand for themselves.
 */
export const UNIT_WORDS: Readonly<Record<string, string>> = {
  元: 'CNY',
  元人民币: 'CNY',
  yuan: 'CNY',
  rmb: 'CNY',
  cny: 'CNY',
  '%': '%',
  '％': '%',
  percent: '%',
  'per cent': '%',
  个百分点: 'percentage_points',
  'percentage points': 'percentage_points',
  'percentage point': 'percentage_points',
  人: 'persons',
  名: 'persons',
  people: 'persons',
  persons: 'persons',
  residents: 'persons',
  points: 'points',
  分: 'points',
};

const CANONICAL_UNITS: ReadonlySet<string> = new Set(Object.values(UNIT_WORDS));

/**
 * The unit two scripts can agree on: a canonical unit of `UNIT_WORDS` stays; any other measure
 * word (个, 家, 户 / projects, firms, households) only says the figure counts something, and
 * translations do not say it alike, so 16个 and "16 new projects" are both `count`.
 */
export function crossScriptUnit(unit: string): string {
  return CANONICAL_UNITS.has(unit) ? unit : 'count';
}

/** The canonical unit of a unit word, or the word itself (lower-cased) when it has none. */
export function canonicalUnit(word: string | null | undefined): string {
  if (!word) return '';
  const w = word.trim().toLowerCase();
  return UNIT_WORDS[w] ?? w;
}

/** Power of ten of a scale word, including stacked Chinese ones (千万 → 7, 百亿 → 10); null when unknown. */
export function scaleExponent(scale: string | null | undefined): number | null {
  if (!scale) return 0;
  const s = scale.toLowerCase();
  const direct = SCALE_EXPONENTS[s];
  if (direct !== undefined) return direct;
  let exp = 0;
  for (const ch of s) {
    const e = SCALE_EXPONENTS[ch];
    if (e === undefined) return null;
    exp += e;
  }
  return exp;
}

/**
 * A figure as written: Arabic digits (separators allowed), a scale word and a unit word →
 * value in base units, canonical unit and the precision written. The value is computed on the
 * decimal digits, so 2.82万 is exactly 28200. Null when `digits` is not a number.
 */
export function quantityOf(
  digits: string,
  scale: string | null | undefined,
  unitWord: string | null | undefined,
): Quantity | null {
  const exp = scaleExponent(scale);
  if (exp === null) return null;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(digits.replace(/[,，\s]/g, ''));
  if (!m) {
    // 五万元, 一百二十个: a Chinese numeral is exact to its last unit (五万 to the ten thousand).
    const n = chineseNumeral(digits);
    if (n === null) return null;
    return { value: n * 10 ** exp, unit: canonicalUnit(unitWord), precision: 10 ** exp };
  }
  const frac = m[2] ?? '';
  const shift = exp - frac.length;
  const mantissa = Number((m[1] ?? '') + frac);
  // Division by an exact power of ten rounds once: the double nearest the decimal value.
  const value = shift >= 0 ? mantissa * 10 ** shift : mantissa / 10 ** -shift;
  return { value, unit: canonicalUnit(unitWord), precision: 10 ** shift };
}

/**
 * A Chinese integer numeral: 十七 → 17, 一百二十 → 120, 两万三千 → 23000, 二〇二四 → 2024 (digit by
 * digit); null when `s` is not one. A bare scale word (万, 亿, 万亿) names no figure here.
 */
export function chineseNumeral(s: string): number | null {
  return /^[万亿]+$/.test(s) ? null : parseChineseInteger(s);
}

/**
 * The coarsest precision a stored value can have been written with: 190100000000 → 1e8,
 * 1.599 → 0.001, 28200 → 100. An upper bound: 1000 may have been written "1000" (precision 1).
 */
export function inferPrecision(value: number): number {
  if (!Number.isFinite(value) || value === 0) return 1;
  const abs = Math.abs(value);
  if (Number.isInteger(abs)) {
    let p = 1;
    while (p < 1e15 && abs % (p * 10) === 0) p *= 10;
    return p;
  }
  // Shortest round-trip decimal: the digits as they would have been written.
  const decimals = /\.(\d+)$/.exec(abs.toString())?.[1]?.length ?? 0;
  return 10 ** -Math.min(decimals, 15);
}

/**
 * A rounding that changes a figure by more than this share of it is not a rounding of it, whatever
 * precision inference says (1000 inferred to the thousand is not 1400).
 */
export const FACT_RELATIVE_TOLERANCE = 0.001;

/**
 * The same figure: same unit, and the values differ by at most half a unit of the coarser
 * precision (the less precise is the other rounded). When a precision is only inferred from a
 * stored value, the difference must also stay within FACT_RELATIVE_TOLERANCE of the value.
 */
export function sameQuantity(a: Quantity, b: Quantity): boolean {
  if (a.unit !== b.unit) return false;
  return sameNumber(a.value, b.value, a.precision, b.precision);
}

/** `sameQuantity` on bare values of one unit; a missing value (null) is compatible with any. */
export function sameValue(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return true;
  return sameNumber(a, b, null, null);
}

function sameNumber(a: number, b: number, pa?: number | null, pb?: number | null): boolean {
  if (a === b) return true;
  const known = pa != null && pb != null;
  let tolerance = Math.max(pa ?? inferPrecision(a), pb ?? inferPrecision(b)) / 2;
  if (!known) tolerance = Math.min(tolerance, FACT_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)));
  // A hair over the bound for binary fractions (0.15 - 0.1 is not exactly 0.05).
  return Math.abs(a - b) <= tolerance * (1 + 1e-9) + Number.EPSILON * Math.max(Math.abs(a), Math.abs(b));
}

/** Of two values of one figure, the one written with more significant digits (ties: the first). */
export function moreExact(a: number, b: number): number {
  return significantDigits(b) > significantDigits(a) ? b : a;
}

function significantDigits(v: number): number {
  return String(Math.abs(v))
    .replace(/e.*$/, '')
    .replace(/^[0.]+|\.|0+$/g, '').length;
}

export type FactStatement = FactIdentity &
  Pick<Metric, 'unit' | 'value' | 'changePct' | 'changePp' | 'changeAbs'>;

/**
 * Two statements of one fact: same key and unit, values and changes the same figure (a side that
 * states no value, or no change, is compatible with any).
 */
export function sameFact(a: FactStatement, b: FactStatement): boolean {
  return (
    factKey(a) === factKey(b) &&
    a.unit === b.unit &&
    sameValue(a.value, b.value) &&
    sameValue(a.changePct, b.changePct) &&
    sameValue(a.changePp ?? null, b.changePp ?? null) &&
    sameValue(a.changeAbs ?? null, b.changeAbs ?? null)
  );
}

/**
 * The key of the first fact both lists state with different figures, or null: two texts that state
 * one fact with different values (or different changes) are different reports. A list may state a
 * fact several times (its zh and en sentences): values, and changes, conflict only when none of one
 * side's fits any of the other's; a side that states no value (or no change) proves nothing.
 */
export function factsConflict(a: readonly FactStatement[], b: readonly FactStatement[]): string | null {
  const theirs = statementsByKey(b);
  for (const [key, ours] of statementsByKey(a)) {
    const other = theirs.get(key);
    if (!other) continue;
    if (disjoint(ours.values, other.values) || disjoint(ours.changes, other.changes)) return key;
  }
  return null;
}

interface KeyedStatements {
  values: Quantity[];
  changes: Quantity[];
}

function statementsByKey(list: readonly FactStatement[]): Map<string, KeyedStatements> {
  const out = new Map<string, KeyedStatements>();
  for (const s of list) {
    const k = factKey(s);
    let e = out.get(k);
    if (!e) out.set(k, (e = { values: [], changes: [] }));
    if (s.value !== null) e.values.push({ value: s.value, unit: s.unit });
    if (s.changePct !== null) e.changes.push({ value: s.changePct, unit: '%' });
  }
  return out;
}

function disjoint(xs: Quantity[], ys: Quantity[]): boolean {
  return xs.length > 0 && ys.length > 0 && !xs.some((x) => ys.some((y) => sameQuantity(x, y)));
}
