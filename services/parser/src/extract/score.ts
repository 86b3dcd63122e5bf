import type { ParserSettings } from '../settings';
import { ELEMENT, HAS_DIRECT_TEXT, type DomNode } from './dom';
import { HEADINGS, NEGATIVE_HINT, POSITIVE_HINT } from './tags';
import { childrenOf } from './text';

type ExtractSettings = ParserSettings['extract'];

/** A text-bearing element: a paragraph, cell, item or heading, or a div/span with its own text. */
function isParagraph(n: DomNode): boolean {
  const name = n.name;
  if (name === 'p' || name === 'pre' || name === 'td' || name === 'li' || HEADINGS.has(name)) return true;
  return (
    (name === 'div' || name === 'section' || name === 'span' || name === 'font') &&
    (n.flags & HAS_DIRECT_TEXT) !== 0
  );
}

const linkDensity = (n: DomNode, none = 0): number => (n.chars ? n.linkChars / n.chars : none);

/**
 * Paragraph scores flow to ancestors (1, 1/2, 1/3 … of it), as in Readability, but by characters
 * and punctuation (Chinese has no spaces): a paragraph scores 1 + its punctuation + its length in
 * points, damped by its link density. Returns each ancestor's sum.
 */
export function paragraphScores(kept: DomNode[], s: ExtractSettings): Map<DomNode, number> {
  const score = new Map<DomNode, number>();
  for (const n of kept) {
    if (!isParagraph(n) || n.chars < s.paragraphMinChars) continue;
    const points =
      (1 + n.punct + Math.min(n.chars / s.charsPerPoint, s.maxLengthPoints)) * (1 - linkDensity(n));
    let a = n.parent;
    for (let level = 1; a && level <= s.ancestorLevels; level++, a = a.parent) {
      if (!a.kept || a.kind !== ELEMENT) break;
      score.set(a, (score.get(a) ?? 0) + points / level);
    }
  }
  return score;
}

/**
 * A candidate's final score: its sum damped by link density and boosted by CETD text density
 * (characters per tag: a dense text node beats a tag soup of the same size), and by what its class
 * or id says.
 */
export function finalScores(score: Map<DomNode, number>, s: ExtractSettings): Map<DomNode, number> {
  const out = new Map<DomNode, number>();
  for (const [n, sum] of score) {
    const density = n.chars / Math.max(1, n.tags);
    let f = sum * (1 - linkDensity(n)) * (1 + Math.log10(1 + density) / 2);
    const positive = POSITIVE_HINT.test(n.hint);
    if (positive) f *= s.positiveHintFactor;
    else if (NEGATIVE_HINT.test(n.hint)) f *= s.negativeHintFactor;
    out.set(n, f);
  }
  return out;
}

/** The best candidate, climbing to a parent that scores nearly as well (one column of a split article). */
export function bestCandidate(
  final: Map<DomNode, number>,
  s: ExtractSettings,
): { best: DomNode; score: number } | null {
  let best: DomNode | null = null;
  let bestScore = 0;
  for (const [n, f] of final) {
    if (f > bestScore) {
      bestScore = f;
      best = n;
    }
  }
  while (best && best.parent && final.has(best.parent)) {
    const ps = final.get(best.parent)!;
    if (ps < bestScore * s.parentClimbRatio || best.parent.name === 'body') break;
    best = best.parent;
    bestScore = Math.max(bestScore, ps);
  }
  return best ? { best, score: bestScore } : null;
}

/** The best candidate and its siblings that score nearly as well, or are plain text paragraphs. */
export function contentRoots(
  all: DomNode[],
  chosen: { best: DomNode; score: number },
  final: Map<DomNode, number>,
  s: ExtractSettings,
): DomNode[] {
  const { best } = chosen;
  if (!best.parent) return [best];
  const threshold = Math.max(s.siblingMinScore, chosen.score * s.siblingScoreRatio);
  return childrenOf(all, best.parent).filter((sib) => {
    if (!sib.kept) return false;
    if (sib === best) return true;
    if (sib.kind !== ELEMENT) return false;
    const ld = linkDensity(sib, 1);
    const isTextParagraph =
      (sib.name === 'p' || HEADINGS.has(sib.name)) &&
      sib.chars >= s.siblingParagraphMinChars &&
      ld < s.siblingParagraphMaxLinkDensity &&
      sib.punct > 0;
    return ((final.get(sib) ?? 0) >= threshold && ld < s.siblingMaxLinkDensity) || isTextParagraph;
  });
}
