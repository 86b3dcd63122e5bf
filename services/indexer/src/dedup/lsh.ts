import { fmix32 } from './hash32';
import { NUM_PERM } from './minhash';

/**
 * LSH banding: the signature is cut into BANDS bands of ROWS values; two sets become candidates
 * when any band is equal. With 32 × 4 the probability of becoming candidates is 1-(1-J^4)^32:
 * J=0.5 → 0.87, J=0.6 → 0.98, J=0.7 → 0.9996, J=0.3 → 0.23, J=0.1 → 0.003. Candidates are then
 * verified on their exact shingle sets, so a false candidate costs a little time, never a merge.
 */
export const BANDS = 32;
export const ROWS = NUM_PERM / BANDS;

/** A bucket per band, as a signed 32-bit integer (Postgres `integer`). */
export function bandBuckets(sig: Uint32Array): number[] {
  const out: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let h = fmix32(0x9e3779b9 ^ band);
    for (let r = 0; r < ROWS; r++) {
      h = fmix32((h ^ sig[band * ROWS + r]!) >>> 0);
      h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
    }
    out.push(h | 0);
  }
  return out;
}
