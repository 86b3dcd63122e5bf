import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermanentError } from '@govwire/shared';
import { parse } from 'yaml';
import { z } from 'zod';
import type { NearDuplicateThresholds } from '../dedup';

export const DEFAULT_DEDUP_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/dedup.yaml',
);

const share = z.number().min(0).max(1);
const schema = z.object({
  near_duplicate: z.object({
    jaccard: share,
    containment: share,
    min_size_ratio: share,
    min_shingles: z.number().int().positive(),
  }),
  max_candidates: z.number().int().positive().max(1000),
});

export interface DedupSettings {
  thresholds: NearDuplicateThresholds;
  maxCandidates: number;
}

/** Reads and validates the dedup data file at start; every problem is named in one error. */
export function loadDedupSettings(file = DEFAULT_DEDUP_FILE): DedupSettings {
  const parsed = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new PermanentError('bad_dedup_settings', `${file}: ${problems}`);
  }
  const n = parsed.data.near_duplicate;
  return {
    thresholds: {
      jaccard: n.jaccard,
      containment: n.containment,
      minSizeRatio: n.min_size_ratio,
      minShingles: n.min_shingles,
    },
    maxCandidates: parsed.data.max_candidates,
  };
}
