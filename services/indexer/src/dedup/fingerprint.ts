import { titleMarks, type MergeGuard } from './assertions';
import { bandBuckets } from './lsh';
import { minhashSignature } from './minhash';
import { exactContentHash } from './normalize';
import { SEGMENTS, type SegmentName } from './segments';
import { shingles, type ShingleSets } from './shingles';
import { DEFAULT_THRESHOLDS } from './similarity';

/** One LSH band row: the lookup key of a segment's signature band. */
export interface BandKey {
  segment: SegmentName;
  band: number;
  bucket: number;
}

/**
 * Codes of the segments in an LSH key. Stored keys depend on them (migration 20261203T1000 packs
 * the same way): never renumber, only add.
 */
const SEGMENT_KEY_CODE: Record<SegmentName, number> = { zh: 1, en: 2 };

/**
 * The band as one integer, `segment code << 40 | band << 32 | the bucket's 32 bits`, what
 * `article_versions.lsh_keys` holds: two bands are equal exactly when their keys are. Below 2^43,
 * so exact in a JS number and a Postgres bigint. Arithmetic, not bit operators: JS shifts are 32-bit.
 */
export function lshKey(b: BandKey): number {
  if (!Number.isInteger(b.band) || b.band < 0 || b.band > 255)
    throw new RangeError(`LSH band ${b.band} does not fit 8 bits`);
  if (!Number.isInteger(b.bucket) || b.bucket < -(2 ** 31) || b.bucket >= 2 ** 31)
    throw new RangeError(`LSH bucket ${b.bucket} is not a 32-bit integer`);
  return SEGMENT_KEY_CODE[b.segment] * 2 ** 40 + b.band * 2 ** 32 + (b.bucket >>> 0);
}

/** Everything the dedup decision needs about one text, computed once. */
export interface Fingerprint {
  contentHash: string;
  shingles: ShingleSets;
  bands: BandKey[];
  /** Both segments hold a substantial share of the text. */
  isBilingual: boolean;
  /** Non-space characters of the simplified text. */
  cleanChars: number;
}

/**
 * A segment too small to carry a signature (a stray photo credit in Chinese under an English
 * article) still counts in the exact similarity but gets no LSH bands.
 */
export const MIN_SEGMENT_SHINGLES = DEFAULT_THRESHOLDS.minShingles;

/**
 * `title`: its issue numbers, periods and the regions the body does not name (`titleMarks`, read
 * with the guard's gazetteer) join the exact content hash, so two issues of a bulletin with the
 * same body and titles 第12期 and 第13期, or two counties' copies of one notice, are not one text.
 * A title without them leaves the hash of the body alone (mirrors' titles differ in site names).
 * Without a title, no guard is needed.
 */
export function fingerprint(textSimplified: string): Fingerprint;
export function fingerprint(textSimplified: string, title: string | null, guard: MergeGuard): Fingerprint;
export function fingerprint(
  textSimplified: string,
  title: string | null = null,
  guard?: MergeGuard,
): Fingerprint {
  return fingerprintWithHash(textSimplified, contentHashOf(textSimplified, title, guard));
}

/** The exact content hash of `fingerprint`: the body's, with the title's marks when it has any. */
export function contentHashOf(
  textSimplified: string,
  title: string | null = null,
  guard?: MergeGuard,
): string {
  const marks = title && guard ? titleMarks(guard, title, textSimplified) : [];
  return exactContentHash(marks.length > 0 ? `${textSimplified}\n${marks.join(' ')}` : textSimplified);
}

/** `fingerprint` for a text whose `contentHashOf` is already known (it is most of the work). */
export function fingerprintWithHash(textSimplified: string, contentHash: string): Fingerprint {
  const sh = shingles(textSimplified);
  const bands: BandKey[] = [];
  for (const segment of SEGMENTS) {
    if (sh[segment].length < MIN_SEGMENT_SHINGLES) continue;
    bandBuckets(minhashSignature(sh[segment])).forEach((bucket, band) =>
      bands.push({ segment, band, bucket }),
    );
  }
  const zh = sh.zh.length;
  const en = sh.en.length;
  return {
    contentHash,
    shingles: sh,
    bands,
    isBilingual: Math.min(zh, en) >= MIN_SEGMENT_SHINGLES && Math.min(zh, en) >= 0.2 * Math.max(zh, en),
    cleanChars: textSimplified.replace(/\s+/g, '').length,
  };
}

/**
 * The fingerprint of a text already stored as a version, found by its content hash: its decision
 * is `exact` before any shingle or band is read, so none is computed (they are most of an item's
 * CPU, and in a reparse most texts come out as they are stored). Never for a text that may be new:
 * it would be stored with no LSH bands, and no copy could ever find it.
 */
export function storedTextFingerprint(contentHash: string): Fingerprint {
  return {
    contentHash,
    shingles: { zh: new Uint32Array(0), en: new Uint32Array(0) },
    bands: [],
    isBilingual: false,
    cleanChars: 0,
  };
}
