import { murmur3, murmur3Range } from './hash32';
import { splitSegments, SEGMENTS, type SegmentName } from './segments';

/**
 * Shingles per language segment, as sets of 32-bit hashes.
 *
 * Chinese: character 4-grams over Han characters and digits (punctuation and spaces dropped).
 * Chinese has no spaces, and a character is close to a word; 4 characters are specific enough
 * that two articles on the same policy topic share few of them, short enough that one edited
 * character spoils only 4 shingles.
 *
 * English: word 4-grams (lowercased, punctuation dropped, thousands separators removed). Words,
 * not characters, because character n-grams of English are dominated by common fragments
 * (`tion `, ` the`) that unrelated English texts share, which blurs Jaccard; and a word shingle
 * carries about as much information as a 4-character Chinese one, so both segments weigh alike in
 * the combined similarity.
 */
export const ZH_SHINGLE_CHARS = 4;
export const EN_SHINGLE_WORDS = 4;

/**
 * A segment's shingles: distinct hashes in ascending order. Sorted arrays, not Sets: a Set of
 * 3,000 numbers takes about five times the memory (the worker keeps tens of thousands of stored
 * texts shingled), and two sorted arrays intersect in one merge pass.
 */
export type ShingleSet = Uint32Array;
export type ShingleSets = Record<SegmentName, ShingleSet>;

/**
 * The distinct values of `hashes` in ascending order, sorted in place and copied out at their
 * size. A typed array sorted, not a Set: a Set of 3,000 numbers cost about three times as much to
 * fill and read as the hashing itself (it was the indexer's hottest code in a reparse profile).
 */
function sortedDistinct(hashes: Uint32Array): ShingleSet {
  hashes.sort();
  let n = 0;
  for (const h of hashes) if (n === 0 || h !== hashes[n - 1]) hashes[n++] = h;
  return hashes.slice(0, n);
}

const ZH_KEEP = /[\p{Script=Han}0-9]/u;

export function zhTokens(segment: string): string[] {
  const out: string[] = [];
  for (const ch of segment.normalize('NFKC')) {
    // Fast paths (same answers as ZH_KEEP): ASCII digits kept, other ASCII dropped, the CJK
    // Unified Ideographs block kept.
    const c = ch.charCodeAt(0);
    if (c < 0x80) {
      if (c >= 48 && c <= 57) out.push(ch);
    } else if ((c >= 0x4e00 && c <= 0x9fff) || ZH_KEEP.test(ch)) out.push(ch);
  }
  return out;
}

export function enTokens(segment: string): string[] {
  return (
    segment
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[’‘`]/g, "'")
      .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
      .match(/[\p{L}\p{N}]+(?:['.][\p{L}\p{N}]+)*/gu) ?? []
  );
}

/**
 * The distinct hashes of every run of k consecutive tokens joined by `joiner`: murmur3 of
 * `tokens.slice(i, i + k).join(joiner)`, read in place from the whole text joined once.
 */
function shingleTokens(tokens: string[], k: number, joiner: string): ShingleSet {
  if (tokens.length === 0) return new Uint32Array(0);
  const joined = tokens.join(joiner);
  if (tokens.length <= k) return Uint32Array.of(murmur3(joined));
  const starts = new Array<number>(tokens.length);
  let at = 0;
  for (const [i, t] of tokens.entries()) {
    starts[i] = at;
    at += t.length + joiner.length;
  }
  const hashes = new Uint32Array(tokens.length - k + 1);
  for (let i = 0; i + k <= tokens.length; i++) {
    const end = i + k < tokens.length ? starts[i + k]! - joiner.length : joined.length;
    hashes[i] = murmur3Range(joined, starts[i]!, end);
  }
  return sortedDistinct(hashes);
}

export function shingleSegment(segment: SegmentName, text: string): ShingleSet {
  return segment === 'zh'
    ? shingleTokens(zhTokens(text), ZH_SHINGLE_CHARS, '')
    : shingleTokens(enTokens(text), EN_SHINGLE_WORDS, ' ');
}

/** Shingles of every segment of a (simplified) text. */
export function shingles(textSimplified: string): ShingleSets {
  const segs = splitSegments(textSimplified);
  const out = {} as ShingleSets;
  for (const s of SEGMENTS) out[s] = shingleSegment(s, segs[s]);
  return out;
}
