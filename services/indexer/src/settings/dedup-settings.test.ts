import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../dedup';
import { loadDedupSettings } from './dedup-settings';

describe('loadDedupSettings', () => {
  it('the shipped file holds the documented defaults', () => {
    expect(loadDedupSettings()).toEqual({ thresholds: DEFAULT_THRESHOLDS, maxCandidates: 20 });
  });

  it('names every bad value', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dedup-')), 'dedup.yaml');
    writeFileSync(
      file,
      'near_duplicate:\n  jaccard: 1.5\n  containment: 0.8\n  min_size_ratio: 0.2\n  min_shingles: 0\nmax_candidates: 20\n',
    );
    expect(() => loadDedupSettings(file)).toThrow(/near_duplicate\.jaccard.*near_duplicate\.min_shingles/);
  });
});
