import type { Metric } from '@govwire/shared';
import { extractFigures, figureConflict, metricConflict, type Figures } from './figures';
import { shingles, type ShingleSets } from './shingles';
import { nearDuplicateScore, similarity, type NearDuplicateThresholds } from './similarity';

/** One side of a near-duplicate comparison: how the text is worded and what it states. */
export interface Comparable {
  shingles: ShingleSets;
  figures: Figures;
  textSimplified: string;
  metrics: readonly Metric[];
}

export interface Acceptance {
  /** Set only when the pair merges. */
  score: number | null;
  /** Alike in wording but stating a figure differently: vetoes the candidate's whole article. */
  conflict: boolean;
}

/**
 * Whether an LSH candidate is accepted as a near-duplicate of `item`: THE one place that decides
 * it, for stored candidates and for earlier items of the same batch alike, so a guard added here
 * applies to both.
 */
export function acceptCandidate(
  item: Comparable,
  candidate: Comparable,
  thresholds: NearDuplicateThresholds,
): Acceptance {
  const score = nearDuplicateScore(similarity(item.shingles, candidate.shingles), thresholds);
  if (score === null) return { score: null, conflict: false };
  if (
    figureConflict(item.figures, candidate.figures) ||
    metricConflict([...item.metrics], [...candidate.metrics])
  )
    return { score: null, conflict: true };
  return { score, conflict: false };
}

/**
 * A stored candidate's text made comparable. Its shingles are needed for every candidate; its
 * figures only for the few whose wording passes, so they are extracted on first use.
 */
export function comparableText(textSimplified: string, metrics: readonly Metric[]): Comparable {
  let figures: Figures | undefined;
  return {
    shingles: shingles(textSimplified),
    get figures() {
      return (figures ??= extractFigures(textSimplified));
    },
    textSimplified,
    metrics,
  };
}
