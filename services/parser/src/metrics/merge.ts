import type { Metric } from '@govwire/shared/article';
import { factKey, moreExact, sameFact } from '@govwire/shared/facts';

/**
 * One fact stated twice (a bilingual page, or a summary repeating the body) becomes one metric with
 * every evidence. Two different figures for the same indicator, region and period cannot both be
 * right, and a wrong number is worse than a missing one, so both are dropped.
 */

function sameOrNull<T>(a: T | null, b: T | null): boolean {
  return a === null || b === null || a === b;
}

/**
 * Whether `b` states the fact `a` holds: the shared "same fact" definition (key, unit, values and
 * changes the same figure: 1901.08亿元 and "190.1 billion" are one), and no other field differing.
 * A change-only statement and a value statement of the same figure fit together.
 */
function fits(a: Metric, b: Metric): boolean {
  return (
    sameFact(a, b) &&
    sameOrNull(a.changeKind, b.changeKind) &&
    sameOrNull(a.rank, b.rank) &&
    sameOrNull(a.rankScope, b.rankScope) &&
    sameOrNull(a.rankTotal ?? null, b.rankTotal ?? null) &&
    sameOrNull(a.qualifier, b.qualifier)
  );
}

const evidenceKey = (e: { start: number; end: number }): string => `${e.start}:${e.end}`;

/** Folds `b` into `a` (which the caller owns); `seen` holds the keys of `a`'s evidence. */
function combine(a: Metric, b: Metric, seen: Set<string>): Metric {
  for (const e of b.evidence) {
    const k = evidenceKey(e);
    if (seen.has(k)) continue;
    seen.add(k);
    a.evidence.push(e);
  }
  if (a.value === null || (b.value !== null && moreExact(a.value, b.value) !== a.value)) a.value = b.value;
  a.changePct ??= b.changePct;
  a.changeKind ??= b.changeKind;
  a.changePp = a.changePp ?? b.changePp ?? null;
  a.changeAbs = a.changeAbs ?? b.changeAbs ?? null;
  a.rankTotal = a.rankTotal ?? b.rankTotal ?? null;
  a.rank ??= b.rank;
  a.rankScope ??= b.rankScope;
  a.qualifier ??= b.qualifier;
  if (a.lang !== b.lang) a.lang = 'mixed';
  return a;
}

export function mergeMetrics(metrics: Metric[]): Metric[] {
  // Bucketed by indicator, region, period and kind so that a long page stays linear. A bucket that
  // receives a second, different figure is dropped whole, so it stops collecting at once.
  const key = factKey;
  const buckets = new Map<string, { metric: Metric; seen: Set<string> } | 'conflict'>();
  for (const m of metrics) {
    const k = key(m);
    const held = buckets.get(k);
    if (held === 'conflict') continue;
    if (held === undefined) {
      buckets.set(k, {
        metric: { ...m, evidence: [...m.evidence] },
        seen: new Set(m.evidence.map(evidenceKey)),
      });
    } else if (fits(held.metric, m)) {
      combine(held.metric, m, held.seen);
    } else {
      buckets.set(k, 'conflict');
    }
  }
  const out: Metric[] = [];
  for (const held of buckets.values()) if (held !== 'conflict') out.push(held.metric);
  return out.sort((a, b) => (a.evidence[0]?.start ?? 0) - (b.evidence[0]?.start ?? 0));
}
