import { SEGMENTS } from './segments';
import type { ShingleSet, ShingleSets } from './shingles';

/**
 * Similarity of two texts over their language segments: intersections and sizes are summed over
 * segments, so a segment counts by how much text it holds. The English-only copy of a bilingual
 * article is contained in it (its English segment is the whole of it), though the Jaccard of the
 * two is only about one half.
 */
export interface Similarity {
  intersection: number;
  sizeA: number;
  sizeB: number;
  jaccard: number;
  /** |A∩B| / |A|: how much of A is found in B. */
  containmentOfA: number;
  containmentOfB: number;
}

export function similarity(a: ShingleSets, b: ShingleSets): Similarity {
  let intersection = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (const s of SEGMENTS) {
    const x = a[s];
    const y = b[s];
    sizeA += x.length;
    sizeB += y.length;
    intersection += sortedIntersectionSize(x, y);
  }
  const union = sizeA + sizeB - intersection;
  return {
    intersection,
    sizeA,
    sizeB,
    jaccard: union === 0 ? 0 : intersection / union,
    containmentOfA: sizeA === 0 ? 0 : intersection / sizeA,
    containmentOfB: sizeB === 0 ? 0 : intersection / sizeB,
  };
}

/** |x ∩ y| of two ascending arrays of distinct values, in one merge pass. */
function sortedIntersectionSize(x: ShingleSet, y: ShingleSet): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < x.length && j < y.length) {
    const a = x[i]!;
    const b = y[j]!;
    if (a === b) {
      n++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return n;
}

export interface NearDuplicateThresholds {
  /** Merge when the two are this alike as sets. */
  jaccard: number;
  /** Or when the smaller is contained in the larger this much... */
  containment: number;
  /** ...and is at least this share of the larger (a short item quoted in a long digest is not a copy of it). */
  minSizeRatio: number;
  /** Texts with fewer shingles than this are too short to call near-duplicates (exact only). */
  minShingles: number;
}

export const DEFAULT_THRESHOLDS: NearDuplicateThresholds = {
  jaccard: 0.7,
  containment: 0.8,
  minSizeRatio: 0.2,
  minShingles: 20,
};

/** A score in [0,1] when the pair is near-duplicate by the thresholds, else null. */
export function nearDuplicateScore(
  sim: Similarity,
  t: NearDuplicateThresholds = DEFAULT_THRESHOLDS,
): number | null {
  const small = Math.min(sim.sizeA, sim.sizeB);
  const large = Math.max(sim.sizeA, sim.sizeB);
  if (small < t.minShingles) return null;
  if (sim.jaccard >= t.jaccard) return sim.jaccard;
  const contained = Math.max(sim.containmentOfA, sim.containmentOfB);
  if (contained >= t.containment && small / large >= t.minSizeRatio) return contained;
  return null;
}
