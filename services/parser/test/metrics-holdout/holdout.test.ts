/**
 * Format checks of the held-out passages (README.md), shared with every held-out set
 * (../metrics-corpus/holdout-format.ts). Nothing here measures the extractor.
 */
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { holdoutFormatChecks } from '../metrics-corpus/holdout-format';
import { loadCorpus } from '../metrics-corpus/score';

describe('metrics holdout', () => {
  holdoutFormatChecks(loadCorpus(fileURLToPath(new URL('./passages/', import.meta.url))));
});
