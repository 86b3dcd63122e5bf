import { splitmix32 } from './hash32';

/**
 * MinHash with a fixed, seeded family of NUM_PERM hash functions. Function i maps a shingle hash x
 * to fmix32(((x ^ a_i) * m_i + b_i) mod 2^32) with odd m_i: each is a bijection on 32 bits, and the
 * murmur finalizer spreads every input bit over the output, which is what min-wise hashing needs in
 * practice. The seed is fixed forever: stored LSH buckets are only comparable under one family.
 */
export const NUM_PERM = 128;
export const MINHASH_SEED = 0x676f7677; // "govw"

const family = (() => {
  const next = splitmix32(MINHASH_SEED);
  const a = new Uint32Array(NUM_PERM);
  const m = new Uint32Array(NUM_PERM);
  const b = new Uint32Array(NUM_PERM);
  for (let i = 0; i < NUM_PERM; i++) {
    a[i] = next();
    m[i] = next() | 1;
    b[i] = next();
  }
  return { a, m, b };
})();

/**
 * The signature of a shingle set; an empty set gets all 0xffffffff (it matches nothing real).
 * The loop is the indexer's hottest (NUM_PERM × shingles per article), so fmix32 is inlined and
 * the shingles read from a typed array: same values, about 3× faster than the plain loop.
 */
export function minhashSignature(shingles: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(NUM_PERM).fill(0xffffffff);
  const xs = Uint32Array.from(shingles);
  const { a, m, b } = family;
  for (let i = 0; i < NUM_PERM; i++) {
    const ai = a[i]!;
    const mi = m[i]!;
    const bi = b[i]!;
    let min = 0xffffffff;
    for (let j = 0; j < xs.length; j++) {
      let h = (Math.imul((xs[j]! ^ ai) >>> 0, mi) + bi) >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
      if (h < min) min = h;
    }
    sig[i] = min;
  }
  return sig;
}

/** The share of equal positions: an unbiased estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_PERM; i++) if (x[i] === y[i]) same++;
  return same / NUM_PERM;
}
