import type { Metric } from '@govwire/shared';

/**
 * One fact stated twice (a bilingual page, or a summary repeating the body) becomes one metric with
 * every evidence. Two different figures for the same indicator, region and period cannot both be
 * right, and a wrong number is worse than a missing one, so both are dropped.
 */

function sameOrNull<T>(a: T | null, b: T | null): boolean {
  return a === null || b === null || a === b;
}

function fits(a: Metric, b: Metric): boolean {
  if (a.indicator !== b.indicator || a.region !== b.region || a.period !== b.period || a.unit !== b.unit)
    return false;
  if ((a.qualifier === 'target') !== (b.qualifier === 'target')) return false;
  // A change-only statement and a value statement of the same figure fit together.
  return (
    sameOrNull(a.value, b.value) &&
    sameOrNull(a.changePct, b.changePct) &&
    sameOrNull(a.changeKind, b.changeKind) &&
    sameOrNull(a.rank, b.rank) &&
    sameOrNull(a.rankScope, b.rankScope) &&
    sameOrNull(a.qualifier, b.qualifier)
  );
}

function combine(a: Metric, b: Metric): Metric {
  const evidence = [...a.evidence];
  for (const e of b.evidence)
    if (!evidence.some((x) => x.start === e.start && x.end === e.end)) evidence.push(e);
  const langs = new Set(evidence.map((e) => e.lang));
  return {
    ...a,
    value: a.value ?? b.value,
    changePct: a.changePct ?? b.changePct,
    changeKind: a.changeKind ?? b.changeKind,
    rank: a.rank ?? b.rank,
    rankScope: a.rankScope ?? b.rankScope,
    qualifier: a.qualifier ?? b.qualifier,
    evidence,
    lang: langs.size === 1 ? (evidence[0]?.lang ?? a.lang) : 'mixed',
  };
}

export function mergeMetrics(metrics: Metric[]): Metric[] {
  // Bucketed by indicator, region, period and kind so that a long page stays linear.
  const key = (m: Metric): string =>
    `${m.indicator}|${m.region}|${m.period}|${m.qualifier === 'target' ? 'target' : 'actual'}`;
  const buckets = new Map<string, Metric[]>();
  for (const m of metrics) {
    const bucket = buckets.get(key(m)) ?? [];
    const i = bucket.findIndex((x) => fits(x, m));
    if (i >= 0) bucket[i] = combine(bucket[i] as Metric, m);
    else bucket.push(m);
    buckets.set(key(m), bucket);
  }
  const out: Metric[] = [];
  for (const bucket of buckets.values()) if (bucket.length === 1 && bucket[0]) out.push(bucket[0]);
  return out.sort((a, b) => (a.evidence[0]?.start ?? 0) - (b.evidence[0]?.start ?? 0));
}
