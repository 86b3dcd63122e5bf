import type { Metric } from '@govwire/shared';
import type { Assertion, MergeGuard } from './assertions';
import { assertionsMemo, mergeVeto } from './merge-guard';
import { shingles, type ShingleSets } from './shingles';
import { nearDuplicateScore, similarity, type NearDuplicateThresholds } from './similarity';

/** One side of a near-duplicate comparison: how the text is worded and what it states. */
export interface Comparable {
  shingles: ShingleSets;
  title: string | null;
  textSimplified: string;
  metrics: readonly Metric[];
  /** Read by the merge guard, once (`assertionsMemo`). */
  assertions: (guard: MergeGuard) => readonly Assertion[];
}

/** What decides a merge: how alike the wording must be, and what the texts must not assert differently. */
export interface MatchRules {
  thresholds: NearDuplicateThresholds;
  guard: MergeGuard;
}

export interface Acceptance {
  /** Set only when the pair merges. */
  score: number | null;
  /** Alike in wording but asserting something differently: vetoes the candidate's whole article. */
  conflict: boolean;
}

/**
 * Whether an LSH candidate is accepted as a near-duplicate of `item`: THE one place that decides
 * it, for stored candidates and for earlier items of the same batch alike. The merge guard runs
 * only on the few candidates whose wording passes, so it is cheap.
 */
export function acceptCandidate(item: Comparable, candidate: Comparable, rules: MatchRules): Acceptance {
  const score = nearDuplicateScore(similarity(item.shingles, candidate.shingles), rules.thresholds);
  if (score === null) return { score: null, conflict: false };
  if (mergeVeto(rules.guard, item, candidate)) return { score: null, conflict: true };
  return { score, conflict: false };
}

/**
 * A stored version's text made comparable: its shingles, and what the guard reads. A caller that
 * keeps the shingles or the assertions of the text (the worker's cache) passes them in.
 */
export function comparableText(
  t: { title: string | null; textSimplified: string; metrics: readonly Metric[] },
  kept: Partial<Pick<Comparable, 'shingles' | 'assertions'>> = {},
): Comparable {
  return {
    shingles: kept.shingles ?? shingles(t.textSimplified),
    title: t.title,
    textSimplified: t.textSimplified,
    metrics: t.metrics,
    assertions: kept.assertions ?? assertionsMemo(t),
  };
}
