import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../dedup';
import { loadDedupSettings } from './dedup-settings';

describe('loadDedupSettings', () => {
  it('the shipped file holds the documented defaults', () => {
    const s = loadDedupSettings();
    expect({ thresholds: s.thresholds, maxCandidates: s.maxCandidates }).toEqual({
      thresholds: DEFAULT_THRESHOLDS,
      maxCandidates: 40,
    });
    // The guard reads the parser's gazetteer: 101 regions (province, 11 cities, 90 counties).
    expect(s.guard.data.regions).toHaveLength(102);
    expect(s.guard.regionOfName.get('pinghu city')).toBe('平湖市');
    expect(s.guard.data.contextChars).toBe(6);
  });

  it('names every bad value', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dedup-')), 'dedup.yaml');
    writeFileSync(
      file,
      'near_duplicate:\n  jaccard: 1.5\n  containment: 0.8\n  min_size_ratio: 0.2\n  min_shingles: 0\nmax_candidates: 20\n' +
        'merge_guard:\n  metadata_line_max_chars: 60\n  metadata_markers: []\n  context_chars: 0\n  context_words: 3\n',
    );
    expect(() => loadDedupSettings(file)).toThrow(
      /near_duplicate\.jaccard.*near_duplicate\.min_shingles.*merge_guard\.context_chars/,
    );
  });
});
