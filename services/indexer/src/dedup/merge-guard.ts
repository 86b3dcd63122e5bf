import {
  crossScriptUnit,
  factsConflict,
  sameQuantity,
  type FactStatement,
  type Quantity,
} from '@govwire/shared';
import { assertionsOf, guardedText, type Assertion, type MergeGuard } from './assertions';

/**
 * The merge guard: two texts that read alike are still two articles when they assert different
 * things. It runs on the few LSH candidates that passed the similarity thresholds, so it may read
 * the texts.
 *
 * The rule. Read each text's assertions (regions, periods and dates, issue numbers, figures with
 * their units; `assertionsOf`) and the facts the parser extracted. The texts conflict when
 *   1. the extracted facts state one fact (region, indicator, period) with different figures
 *      (`factsConflict`, the shared "same fact" definition), or
 *   2. EACH text asserts something the other does not: neither assertion set contains the other.
 *
 * Why containment, and not equality: a copy that dropped a paragraph asserts a subset of the
 * original; a copy with a credit line, an English half, or a date line left in asserts a superset.
 * Either way one side is contained in the other and the copy merges. A report from the same
 * template with its county, its issue number, its month or one figure changed asserts something
 * the other lacks (海宁市, 第13期, m1-10, 812万元) AND lacks something the other asserts (平湖市,
 * 第12期, m1-9, 786万元): it never merges. The asymmetric cases:
 *   - a copy that drops a paragraph AND changes a figure elsewhere lacks the dropped figures and
 *     has the changed one: both sides have something of their own, no merge;
 *   - a copy that drops a paragraph and adds a line with a new figure is kept apart too (a missed
 *     merge costs a duplicate row; a false merge loses a report);
 *   - two figures swapped between their labels (新建项目16个,续建项目12个 → 12个, 16个) are
 *     compared with their context, so the swap is seen.
 *
 * Matching one assertion against the other text's: regions, periods and issues by canonical value;
 * figures in one script by their context words and the figure as written (a copy copies it);
 * across scripts by `sameQuantity`, the shared "same fact" definition (1901.08亿元 is "190.1
 * billion yuan"), without context (not comparable) and with a measure word (个, 家 / projects,
 * firms) taken as a count.
 */
export interface GuardText {
  /** A bulletin's issue number or a release's months are often in its title alone. */
  title?: string | null;
  textSimplified: string;
  metrics: readonly FactStatement[];
  /** The text's assertions, when the caller keeps them across comparisons (`assertionsMemo`). */
  assertions?: (guard: MergeGuard) => readonly Assertion[];
}

/**
 * The assertions of one text, read once however many candidates it is compared with (reading them
 * was a third of the guard's time). It keeps the text alive with it, so the indexer's cache of
 * stored versions keeps their assertions itself, without their text (`ComparableCache`).
 */
export function assertionsMemo(
  t: Pick<GuardText, 'title' | 'textSimplified'>,
): (guard: MergeGuard) => readonly Assertion[] {
  let memo: { guard: MergeGuard; assertions: Assertion[] } | null = null;
  return (guard) => {
    if (memo?.guard !== guard) memo = { guard, assertions: assertionsOf(guard, guardedText(t)) };
    return memo.assertions;
  };
}

function sameAssertion(x: Assertion, y: Assertion): boolean {
  if (x.kind !== y.kind) return false;
  if (x.kind !== 'figure') return x.value === y.value;
  if (!x.quantity || !y.quantity) return x.value === y.value;
  // In one script a copy states a figure as written: 221亿 is not 220.9亿 (a rounding of it, but a
  // copy does not round). Across scripts a translation does round: the shared definition decides.
  if (x.lang === y.lang) return x.context === y.context && sameWritten(x.quantity, y.quantity);
  return sameQuantity(
    { ...x.quantity, unit: crossScriptUnit(x.quantity.unit) },
    { ...y.quantity, unit: crossScriptUnit(y.quantity.unit) },
  );
}

function sameWritten(x: Quantity, y: Quantity): boolean {
  return x.value === y.value && x.unit === y.unit && (x.precision ?? null) === (y.precision ?? null);
}

/** The assertions of `xs` that nothing in `ys` matches. */
function unmatched(xs: readonly Assertion[], ys: readonly Assertion[]): Assertion[] {
  return xs.filter((x) => !ys.some((y) => sameAssertion(x, y)));
}

export interface MergeVeto {
  /** `fact`, or the kind of the first assertion each side has alone. */
  kind: 'fact' | Assertion['kind'];
  /** What one side asserts that the other does not, and the other way round. */
  a: string;
  b: string;
}

/** Why the two texts cannot be one article, or null when one's assertions contain the other's. */
export function mergeVeto(guard: MergeGuard, a: GuardText, b: GuardText): MergeVeto | null {
  const fact = factsConflict(a.metrics, b.metrics);
  if (fact !== null) return { kind: 'fact', a: fact.replace(/\0/g, '|'), b: fact.replace(/\0/g, '|') };
  const xs = a.assertions?.(guard) ?? assertionsOf(guard, guardedText(a));
  const ys = b.assertions?.(guard) ?? assertionsOf(guard, guardedText(b));
  const onlyA = unmatched(xs, ys);
  if (onlyA.length === 0) return null;
  const onlyB = unmatched(ys, xs);
  if (onlyB.length === 0) return null;
  // Report the first of one kind on both sides when there is one: 平湖市 vs 海宁市 says more.
  const pair = onlyA.map((x) => [x, onlyB.find((y) => y.kind === x.kind)] as const).find(([, y]) => y);
  const [x, y] = pair ?? [onlyA[0]!, onlyB[0]!];
  return { kind: x.kind, a: x.text, b: y!.text };
}
