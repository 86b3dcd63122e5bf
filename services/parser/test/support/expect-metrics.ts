import type { Metric } from '@govwire/shared';
import { expect } from 'vitest';
import type { ExpectedMetric } from './seed-fixtures';

/** The metric for an expected entry, asserted field by field where the README states the field. */
export function assertExpected(metrics: Metric[], e: ExpectedMetric): Metric {
  const hits = metrics.filter(
    (m) =>
      m.indicator === e.indicator &&
      m.region === e.region &&
      m.period === e.period &&
      m.qualifier !== 'target',
  );
  expect(hits, `${e.indicator} ${e.region} ${e.period}`).toHaveLength(1);
  const m = hits[0]!;
  expect(m.value).toBe(e.value);
  expect(m.unit).toBe(e.unit);
  if (e.changePct !== undefined) expect(m.changePct).toBe(e.changePct);
  if (e.changeKind !== undefined) expect(m.changeKind).toBe(e.changeKind);
  if (e.rank !== undefined) expect(m.rank).toBe(e.rank);
  if (e.rankScope !== undefined) expect(m.rankScope).toBe(e.rankScope);
  if (e.qualifier !== undefined) expect(m.qualifier).toBe(e.qualifier);
  if (e.lang !== undefined) expect(m.lang).toBe(e.lang);
  return m;
}
