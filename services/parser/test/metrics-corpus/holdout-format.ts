/**
 * The format checks every held-out set of metric passages must pass (each set's README.md): each
 * passage validates against the corpus schema, quotes its own text, uses dictionary indicators with
 * their units, states no actual figure after its publication month, forbids nothing it expects, and
 * scores perfectly against itself. They assert nothing about the extractor: a holdout measures it
 * (`pnpm bench:metrics --dir …`), no test holds it to a recall.
 */
import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { expect, it } from 'vitest';
import {
  matchesForbidden,
  normalizeEmitted,
  periodEnd,
  scoreCorpus,
  type EmittedFact,
  type ExpectedFact,
  type Passage,
} from './score';

const indicatorUnits = new Map(
  (
    parseYaml(readFileSync(new URL('../../data/metrics/indicators.yaml', import.meta.url), 'utf8')) as {
      indicators: { code: string; unit: string }[];
    }
  ).indicators.map((i) => [i.code, i.unit]),
);

/** A passage's facts a correct extractor may state: the expected and the also acceptable. */
export const facts = (p: Passage): ExpectedFact[] => [...p.expected, ...p.alsoAcceptable];
const asEmitted = (f: ExpectedFact): EmittedFact => ({ ...f, isTarget: f.target });

/** Registers the format checks of one held-out set inside the caller's `describe`. */
export function holdoutFormatChecks(holdout: Passage[]): void {
  it('has passages of most kinds, each quoting its own text', () => {
    expect(holdout.length).toBeGreaterThanOrEqual(16);
    expect(new Set(holdout.map((p) => p.kind)).size).toBeGreaterThanOrEqual(8);
    const unquoted = holdout.flatMap((p) =>
      facts(p)
        .filter((f) => !`${p.title}\n${p.text ?? p.html ?? ''}`.includes(f.from))
        .map((f) => `${p.id}: ${f.from}`),
    );
    expect(unquoted).toEqual([]);
  });

  it('uses dictionary indicators with their units, and no actual figure after publication', () => {
    const bad = holdout.flatMap((p) =>
      facts(p)
        .filter(
          (f) =>
            indicatorUnits.get(f.indicator) !== f.unit ||
            (!f.target && p.publishedAt !== undefined && periodEnd(f.period) >= p.publishedAt.slice(0, 7)),
        )
        .map((f) => `${p.id}: ${f.indicator} ${f.unit} ${f.period}`),
    );
    expect(bad).toEqual([]);
  });

  it('forbids nothing it expects and scores perfectly against itself', () => {
    const clashes = holdout.flatMap((p) =>
      facts(p)
        .filter((f) =>
          p.forbidden.some((pattern) => matchesForbidden(pattern, normalizeEmitted(asEmitted(f)))),
        )
        .map((f) => `${p.id}: ${f.indicator} ${f.period}`),
    );
    expect(clashes).toEqual([]);
    const self = scoreCorpus(
      holdout,
      Object.fromEntries(holdout.map((p) => [p.id, facts(p).map(asEmitted)])),
    );
    expect([self.recall, self.precision, self.wrong, self.forbiddenHits]).toEqual([1, 1, 0, 0]);
  });
}
