/**
 * Format checks of the second held-out set (README.md): each validates against the corpus schema,
 * quotes its own text, uses dictionary indicators with their units, states no actual figure after
 * its publication month, forbids nothing it expects, and scores perfectly against itself. It asserts
 * nothing about the extractor: the holdout measures it (`pnpm bench:metrics --dir …`), no test
 * holds it to a recall.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  loadCorpus,
  matchesForbidden,
  normalizeEmitted,
  periodEnd,
  scoreCorpus,
  type EmittedFact,
  type ExpectedFact,
  type Passage,
} from '../metrics-corpus/score';

const indicatorUnits = new Map(
  (
    parseYaml(readFileSync(new URL('../../data/metrics/indicators.yaml', import.meta.url), 'utf8')) as {
      indicators: { code: string; unit: string }[];
    }
  ).indicators.map((i) => [i.code, i.unit]),
);

const facts = (p: Passage): ExpectedFact[] => [...p.expected, ...p.alsoAcceptable];
const holdout = loadCorpus(fileURLToPath(new URL('./passages/', import.meta.url)));
const regionsOf = (folder: string): Set<string> =>
  new Set(
    loadCorpus(fileURLToPath(new URL(folder, import.meta.url))).flatMap((p) => facts(p).map((f) => f.region)),
  );
const asEmitted = (f: ExpectedFact): EmittedFact => ({ ...f, isTarget: f.target });

describe('metrics holdout 2', () => {
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

  it('uses gazetteer regions that neither the corpus nor the first holdout uses', () => {
    const gazetteer = new Set(
      (
        parseYaml(readFileSync(new URL('../../data/metrics/regions.yaml', import.meta.url), 'utf8')) as {
          regions: { name: string }[];
        }
      ).regions.map((r) => r.name),
    );
    const used = new Set([
      ...regionsOf('../metrics-corpus/passages/'),
      ...regionsOf('../metrics-holdout/passages/'),
    ]);
    const bad = holdout.flatMap((p) =>
      facts(p)
        .filter((f) => !gazetteer.has(f.region) || used.has(f.region))
        .map((f) => `${p.id}: ${f.region}`),
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
});
