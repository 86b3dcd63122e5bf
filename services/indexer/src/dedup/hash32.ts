/**
 * 32-bit hashing for shingles and LSH buckets. Everything here is deterministic across processes
 * and releases: stored bucket values depend on it, so changing a constant means re-banding.
 */

/** MurmurHash3's finalizer: a bijection on 32 bits with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 (x86, 32-bit) over the UTF-16 code units of a string. */
export function murmur3(str: string, seed = 0): number {
  return murmur3Range(str, 0, str.length, seed);
}

/** murmur3(str.slice(start, end)), without making the slice (shingling hashes every 4-gram). */
export function murmur3Range(str: string, start: number, end: number, seed = 0): number {
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  // Two code units make one 32-bit block.
  let i = start;
  for (; i + 1 < end; i += 2) {
    let k = (str.charCodeAt(i) & 0xffff) | ((str.charCodeAt(i + 1) & 0xffff) << 16);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < end) {
    let k = str.charCodeAt(i) & 0xffff;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= (end - start) * 2;
  return fmix32(h);
}

/** splitmix32: a tiny seeded generator for the fixed MinHash family. */
export function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
