/**
 * Format checks of the second held-out set (README.md): the checks every held-out set passes
 * (../metrics-corpus/holdout-format.ts), and regions that neither the corpus nor the first holdout
 * uses. Nothing here measures the extractor.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { facts, holdoutFormatChecks } from '../metrics-corpus/holdout-format';
import { loadCorpus } from '../metrics-corpus/score';

const holdout = loadCorpus(fileURLToPath(new URL('./passages/', import.meta.url)));
const regionsOf = (folder: string): Set<string> =>
  new Set(
    loadCorpus(fileURLToPath(new URL(folder, import.meta.url))).flatMap((p) => facts(p).map((f) => f.region)),
  );

describe('metrics holdout 2', () => {
  holdoutFormatChecks(holdout);

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
});
