import {
  canonicalUnit,
  factKey,
  moreExact,
  sameQuantity,
  type Evidence,
  type Language,
  type Metric,
  type Quantity,
} from '@govwire/shared';

/**
 * One row per article and fact (the shared `factKey`: region, indicator, period; targets apart):
 * duplicate pages of one article, and one bilingual page stating a fact in both languages, count
 * it once. The value is the best version's, written as exactly as any version writes the same
 * figure (`sameQuantity`: 1901.08亿 over "190.1 billion"); evidence is pooled from every version,
 * each piece saying which version's text its offsets point into.
 */
export interface VersionMetrics {
  versionId: number;
  metrics: Metric[];
}

export interface MergedEvidence extends Evidence {
  versionId: number;
}

export interface MergedMetric {
  region: string;
  indicator: string;
  period: string;
  isTarget: boolean;
  value: number | null;
  unit: string;
  changePct: number | null;
  changeKind: string | null;
  changePp: number | null;
  /** Absolute change in the value's unit (收入比缩小0.02 → −0.02). */
  changeAbs: number | null;
  rank: number | null;
  rankScope: string | null;
  /** Size of the ranked set, taken with the rank it belongs to. */
  rankTotal: number | null;
  qualifier: string | null;
  evidence: MergedEvidence[];
  lang: Language;
  /** The version the value (or, lacking one, the change) was taken from. */
  versionId: number;
}

/** The identity of a fact: the shared definition, so parser and indexer count facts alike. */
export const metricKey = factKey;

/** The language of a fact stated in several: English and Chinese together are `mixed`. */
export function mergeLang(langs: Iterable<Language>): Language {
  const set = new Set(langs);
  if (set.has('mixed')) return 'mixed';
  const zh = set.has('zh-Hans') || set.has('zh-Hant');
  if (zh && set.has('en')) return 'mixed';
  if (set.has('en')) return 'en';
  if (set.has('zh-Hans')) return 'zh-Hans';
  if (set.has('zh-Hant')) return 'zh-Hant';
  return 'mixed';
}

/** A stated value as the shared definition compares it: base units, canonical unit. */
const quantityOfMetric = (m: Metric & { value: number }): Quantity => ({
  value: m.value,
  unit: canonicalUnit(m.unit),
});

/**
 * The best version's value, or a version's stating the same figure with more digits. "The same
 * figure" is the shared one (`sameQuantity`: unit and rounding tolerance); no local tolerance.
 */
function mostExact(group: { versionId: number; metric: Metric }[]) {
  const withValue = group.filter(
    (x): x is { versionId: number; metric: Metric & { value: number } } => x.metric.value !== null,
  );
  const first = withValue[0];
  if (!first) return undefined;
  let best = first;
  for (const x of withValue) {
    if (x === best || !sameQuantity(quantityOfMetric(x.metric), quantityOfMetric(first.metric))) continue;
    if (moreExact(best.metric.value, x.metric.value) !== best.metric.value) best = x;
  }
  return best;
}

/** `versions` best first. */
export function mergeMetrics(versions: readonly VersionMetrics[]): MergedMetric[] {
  const groups = new Map<string, { versionId: number; metric: Metric }[]>();
  for (const v of versions) {
    for (const metric of v.metrics) {
      const k = metricKey(metric);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push({ versionId: v.versionId, metric });
    }
  }
  const out: MergedMetric[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const withValue = mostExact(group);
    const withChange = group.find((x) => x.metric.changePct !== null);
    const withPp = group.find((x) => (x.metric.changePp ?? null) !== null);
    const withAbs = group.find((x) => (x.metric.changeAbs ?? null) !== null);
    const withRank = group.find((x) => x.metric.rank !== null);
    const main = withValue ?? withChange ?? first;
    const evidence: MergedEvidence[] = [];
    const seen = new Set<string>();
    for (const { versionId, metric } of group) {
      for (const e of metric.evidence) {
        const k = `${e.lang}\u0000${e.text}`;
        if (seen.has(k)) continue;
        seen.add(k);
        evidence.push({ ...e, versionId });
      }
    }
    out.push({
      region: first.metric.region,
      indicator: first.metric.indicator,
      period: first.metric.period,
      isTarget: first.metric.qualifier === 'target',
      value: withValue?.metric.value ?? null,
      unit: main.metric.unit,
      changePct: withChange?.metric.changePct ?? null,
      changeKind: withChange?.metric.changeKind ?? null,
      changePp: withPp?.metric.changePp ?? null,
      changeAbs: withAbs?.metric.changeAbs ?? null,
      rank: withRank?.metric.rank ?? null,
      rankScope: withRank?.metric.rankScope ?? null,
      rankTotal: withRank?.metric.rankTotal ?? null,
      qualifier: main.metric.qualifier,
      evidence,
      lang: mergeLang([...group.map((x) => x.metric.lang), ...evidence.map((e) => e.lang)]),
      versionId: main.versionId,
    });
  }
  return out;
}
