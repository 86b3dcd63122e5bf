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
 * The loop is the indexer's hottest (NUM_PERM × shingles per article): fmix32 is inlined, the
 * shingles are read from a typed array, and four functions are applied per read of a shingle.
 * Same values as the plain definition (dedup.test.ts checks); 1.3× the one-function-per-pass loop.
 */
export function minhashSignature(shingles: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(NUM_PERM);
  const xs = shingles instanceof Uint32Array ? shingles : Uint32Array.from(shingles);
  for (let i = 0; i < NUM_PERM; i += 4) minOfFour(xs, i, sig);
  return sig;
}

/** sig[i..i+3] = the minimum of functions i..i+3 over xs. */
function minOfFour(xs: Uint32Array, i: number, sig: Uint32Array): void {
  const { a, m, b } = family;
  const [a0, a1, a2, a3] = [a[i]!, a[i + 1]!, a[i + 2]!, a[i + 3]!];
  const [m0, m1, m2, m3] = [m[i]!, m[i + 1]!, m[i + 2]!, m[i + 3]!];
  const [b0, b1, b2, b3] = [b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!];
  let min0 = 0xffffffff;
  let min1 = 0xffffffff;
  let min2 = 0xffffffff;
  let min3 = 0xffffffff;
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j]!;
    let h = (Math.imul(x ^ a0, m0) + b0) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    if (h < min0) min0 = h;
    h = (Math.imul(x ^ a1, m1) + b1) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    if (h < min1) min1 = h;
    h = (Math.imul(x ^ a2, m2) + b2) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    if (h < min2) min2 = h;
    h = (Math.imul(x ^ a3, m3) + b3) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    if (h < min3) min3 = h;
  }
  sig[i] = min0;
  sig[i + 1] = min1;
  sig[i + 2] = min2;
  sig[i + 3] = min3;
}

/** The share of equal positions: an unbiased estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_PERM; i++) if (x[i] === y[i]) same++;
  return same / NUM_PERM;
}
