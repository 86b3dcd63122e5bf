import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermanentError } from '@govwire/shared';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  buildMergeGuard,
  type GazetteerRegion,
  type MergeGuard,
  type NearDuplicateThresholds,
} from '../dedup';

export const DEFAULT_DEDUP_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/dedup.yaml',
);

/** The parser's gazetteer: one list of regions for extraction and for the merge guard. */
export const DEFAULT_GAZETTEER_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../parser/data/metrics/regions.yaml',
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
  merge_guard: z.object({
    metadata_line_max_chars: z.number().int().min(0).max(500),
    metadata_markers: z.array(z.string().min(2)),
    context_chars: z.number().int().min(1).max(40),
    context_words: z.number().int().min(1).max(10),
  }),
});

// Only the names the guard matches on; the gazetteer's own loaders check the rest of the file.
const gazetteerSchema = z.object({
  regions: z
    .array(
      z.object({
        name: z.string().min(2),
        aliases: z.array(z.string().min(2)).default([]),
        english: z.string().min(2),
        englishAliases: z.array(z.string().min(2)).default([]),
      }),
    )
    .min(1),
});

export interface DedupSettings {
  thresholds: NearDuplicateThresholds;
  maxCandidates: number;
  /** The merge guard, compiled from `merge_guard` and the gazetteer. */
  guard: MergeGuard;
}

function problemsOf(file: string, error: z.ZodError): PermanentError {
  const problems = error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return new PermanentError('bad_dedup_settings', `${file}: ${problems}`);
}

/** The gazetteer's regions with the Chinese and English names that identify each in text. */
export function loadGazetteer(file = DEFAULT_GAZETTEER_FILE): GazetteerRegion[] {
  const parsed = gazetteerSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw problemsOf(file, parsed.error);
  return parsed.data.regions.map((r) => ({
    name: r.name,
    zh: r.aliases,
    en: [r.english, ...r.englishAliases],
  }));
}

/** Reads and validates the dedup data file at start; every problem is named in one error. */
export function loadDedupSettings(
  file = DEFAULT_DEDUP_FILE,
  gazetteerFile = DEFAULT_GAZETTEER_FILE,
): DedupSettings {
  const parsed = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw problemsOf(file, parsed.error);
  const n = parsed.data.near_duplicate;
  const g = parsed.data.merge_guard;
  return {
    thresholds: {
      jaccard: n.jaccard,
      containment: n.containment,
      minSizeRatio: n.min_size_ratio,
      minShingles: n.min_shingles,
    },
    maxCandidates: parsed.data.max_candidates,
    guard: buildMergeGuard({
      regions: loadGazetteer(gazetteerFile),
      metadataMarkers: g.metadata_markers,
      metadataLineMaxChars: g.metadata_line_max_chars,
      contextChars: g.context_chars,
      contextWords: g.context_words,
    }),
  };
}

/**
 * The guard of the shipped files, read once when the indexer loads (a bad file stops the start).
 * Indexing uses it unless its options name another guard.
 */
export const DEFAULT_MERGE_GUARD: MergeGuard = loadDedupSettings().guard;
