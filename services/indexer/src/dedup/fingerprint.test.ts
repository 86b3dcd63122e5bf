import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedArticle, SEED_FILES } from '../../test/fixtures/seed-articles';
import { fingerprint, lshKey, type BandKey } from './fingerprint';
import { BANDS } from './lsh';

const unpack = (key: number): BandKey => {
  const low = key % 2 ** 32;
  return {
    segment: Math.floor(key / 2 ** 40) === 1 ? 'zh' : 'en',
    band: Math.floor(key / 2 ** 32) % 256,
    bucket: low >= 2 ** 31 ? low - 2 ** 32 : low,
  };
};

describe('lshKey', () => {
  it('packs segment, band and bucket as the migration does', () => {
    // Worked by hand: zh = 1 → 2^40, band 3 → 3 · 2^32, bucket 5.
    expect(lshKey({ segment: 'zh', band: 3, bucket: 5 })).toBe(1_099_511_627_776 + 12_884_901_888 + 5);
    expect(lshKey({ segment: 'en', band: 0, bucket: 0 })).toBe(2_199_023_255_552);
    expect(lshKey({ segment: 'en', band: 31, bucket: 2_147_483_647 })).toBe(
      2_199_023_255_552 + 31 * 4_294_967_296 + 2_147_483_647,
    );
  });

  it('keeps negative buckets apart from positive ones: the low 32 bits as unsigned', () => {
    expect(lshKey({ segment: 'zh', band: 0, bucket: -1 })).toBe(1_099_511_627_776 + 4_294_967_295);
    expect(lshKey({ segment: 'zh', band: 0, bucket: -2_147_483_648 })).toBe(
      1_099_511_627_776 + 2_147_483_648,
    );
    // -1 in band 0 must not run into band 1's bucket 0.
    expect(lshKey({ segment: 'zh', band: 0, bucket: -1 })).toBeLessThan(
      lshKey({ segment: 'zh', band: 1, bucket: 0 }),
    );
  });

  it('is lossless and stays an exact integer below 2^53', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<BandKey['segment']>('zh', 'en'),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        (segment, band, bucket) => {
          const key = lshKey({ segment, band, bucket });
          expect(Number.isSafeInteger(key)).toBe(true);
          expect(unpack(key)).toEqual({ segment, band, bucket });
        },
      ),
    );
  });

  it('refuses what does not fit instead of colliding', () => {
    expect(() => lshKey({ segment: 'zh', band: 256, bucket: 0 })).toThrow(RangeError);
    expect(() => lshKey({ segment: 'zh', band: 0, bucket: 2 ** 31 })).toThrow(RangeError);
    expect(() => lshKey({ segment: 'zh', band: 0, bucket: 1.5 })).toThrow(RangeError);
  });

  it('gives every band of a real bilingual seed its own key', () => {
    for (const file of SEED_FILES) {
      const { bands } = fingerprint(seedArticle(file).textSimplified);
      const keys = bands.map(lshKey);
      expect(new Set(keys).size).toBe(bands.length);
      expect(bands.length % BANDS).toBe(0);
    }
  });
});
