import { describe, expect, it } from 'vitest';
import { seedArticle, SEED_FILES } from '../../test/fixtures/seed-articles';
import { fingerprint } from './fingerprint';
import { fmix32, murmur3, splitmix32 } from './hash32';
import { bandBuckets, BANDS } from './lsh';
import { estimateJaccard, MINHASH_SEED, minhashSignature, NUM_PERM } from './minhash';
import { exactContentHash, normalizeForHash } from './normalize';
import { splitSegments } from './segments';
import { enTokens, shingles, zhTokens } from './shingles';
import { nearDuplicateScore, similarity } from './similarity';

const [f000, f001, f002, f003, f004] = SEED_FILES;
const seed = (f: string) => seedArticle(f).textSimplified;

describe('normalizeForHash / exactContentHash', () => {
  it('ignores width, case, spacing, punctuation style and thousands separators', () => {
    expect(normalizeForHash('GDP  1,901亿元，增长4.5%。')).toBe(normalizeForHash('gdp 1901亿元,增长4.5%.'));
    expect(exactContentHash('新增市场主体2.82万家')).toBe(exactContentHash('新增市场主体 2.82 万家!'));
  });
  it('keeps the figures themselves: 4.5% is not 45%', () => {
    expect(normalizeForHash('增长4.5%')).not.toBe(normalizeForHash('增长45%'));
    expect(exactContentHash('增长4.5%')).not.toBe(exactContentHash('增长4.6%'));
  });
});

describe('splitSegments', () => {
  it('feeds each half of a mixed title line to its own segment', () => {
    const s = splitSegments('Tops in the province once again!|蝉联!全省优秀!');
    expect(s.en).toContain('Tops in the province once again');
    expect(s.en).not.toMatch(/\p{Script=Han}/u);
    expect(s.zh).toContain('蝉联!全省优秀!');
  });
  it('keeps a figure with the script it touches', () => {
    const s = splitSegments('The GDP reached 190.1 billion. GDP 1901亿元');
    expect(s.en).toContain('190.1 billion');
    expect(s.zh).toContain('1901亿元');
  });
  it('finds both languages of the bilingual seed 000 and only English in 001', () => {
    const s0 = splitSegments(seed(f000));
    const s1 = splitSegments(seed(f001));
    expect(s0.zh).toContain('地区生产总值1901亿元');
    expect(s0.en).toContain('gross regional product reached a towering 190.1 billion');
    expect(s1.zh).toBe('');
    expect(s1.en).toContain('gross regional product reached a towering 190.1 billion');
  });
});

describe('tokens and shingles', () => {
  it('Chinese tokens are characters and digits; English tokens are words', () => {
    expect(zhTokens('地区生产总值1901亿元,增长4.5%')).toEqual([...'地区生产总值1901亿元增长45']);
    expect(enTokens('Keqiao’s 28,200 new market entities, at 4.5%!')).toEqual([
      "keqiao's",
      '28200',
      'new',
      'market',
      'entities',
      'at',
      '4.5',
    ]);
  });
  it('a shingle is murmur3 of k consecutive tokens joined (4 characters, or 4 words by spaces)', () => {
    // Distinct and ascending.
    const windows = (tokens: string[], k: number, joiner: string) =>
      Uint32Array.from(
        new Set(
          tokens.length <= k
            ? [murmur3(tokens.join(joiner))]
            : tokens
                .slice(0, tokens.length - k + 1)
                .map((_, i) => murmur3(tokens.slice(i, i + k).join(joiner))),
        ),
      ).sort();
    // 𠀋 is outside the BMP (two code units): a gram holding it is longer than 4 code units.
    const zh = '城乡居民人均可支配收入𠀋增长6.3%,全区GDP 1901亿元';
    const en = 'Per capita disposable income of urban residents rose 6.3% to 71,268 yuan in 2023.';
    expect(shingles(zh).zh).toEqual(windows(zhTokens(zh), 4, ''));
    expect(shingles(en).en).toEqual(windows(enTokens(en), 4, ' '));
    expect(shingles('收入增长').zh).toEqual(windows(zhTokens('收入增长'), 4, ''));
    // Repeated grams are kept once: a text said twice has the shingles of saying it once.
    const twice = `${zh}。${zh}`;
    expect(shingles(twice).zh).toEqual(windows(zhTokens(twice), 4, ''));
    expect(shingles(twice).zh.length).toBeLessThan(zhTokens(twice).length - 3);
    expect(shingles('').zh).toEqual(new Uint32Array(0));
    expect(shingles('GDP rose').en).toEqual(Uint32Array.of(murmur3('gdp rose')));
  });
  it('traditional and simplified copies of a text shingle alike once simplified', () => {
    // 003 is traditional; the fixture converts it with opencc t2cn as the parser does.
    const text = seed(f003);
    expect(text).toContain('南湖区');
    expect(similarity(shingles(text), shingles(text)).jaccard).toBe(1);
  });
});

describe('segments', () => {
  it('a character of no script (a lone surrogate) waits for the next script, as a digit does', () => {
    expect(splitSegments('a\ud800中')).toEqual({ en: 'a', zh: '\ud800中' });
    expect(splitSegments('a 𠀋b')).toEqual({ en: 'a \nb', zh: '𠀋' });
  });
});

describe('MinHash', () => {
  it('signs with the documented family: fmix32(((x ^ a_i) * m_i + b_i) mod 2^32), seeded', () => {
    // The definition written plainly, from the seed: stored buckets depend on these exact values.
    const next = splitmix32(MINHASH_SEED);
    const family = Array.from({ length: NUM_PERM }, () => ({ a: next(), m: next() | 1, b: next() }));
    const plain = (xs: number[]) =>
      family.map(({ a, m, b }) =>
        Math.min(...xs.map((x) => fmix32((Math.imul((x ^ a) >>> 0, m) + b) >>> 0))),
      );
    const rand = splitmix32(7);
    for (const size of [1, 3, 50, 1001]) {
      const xs = Array.from({ length: size }, () => rand());
      expect([...minhashSignature(xs)], `${size} shingles`).toEqual(plain(xs));
    }
    expect([...minhashSignature([])]).toEqual(new Array(NUM_PERM).fill(0xffffffff));
  });

  it('is deterministic: the seeded family never changes between runs', () => {
    const a = minhashSignature([1, 2, 3]);
    const b = minhashSignature([3, 2, 1]);
    expect([...a]).toEqual([...b]);
    expect(a.length).toBe(NUM_PERM);
    // Stored LSH buckets depend on these exact values; a change here means re-banding the table.
    expect(murmur3('柯桥')).toBe(murmur3('柯桥'));
    expect(bandBuckets(a)).toEqual(bandBuckets(b));
  });

  it('estimates Jaccard within sampling error', () => {
    const next = splitmix32(42);
    for (const target of [0.2, 0.5, 0.8]) {
      // Two sets of 2000 with a known overlap: J = shared / (4000 - shared).
      const shared = Math.round((4000 * target) / (1 + target));
      const common = Array.from({ length: shared }, () => next());
      const a = [...common, ...Array.from({ length: 2000 - shared }, () => next())];
      const b = [...common, ...Array.from({ length: 2000 - shared }, () => next())];
      const est = estimateJaccard(minhashSignature(a), minhashSignature(b));
      // Standard error sqrt(J(1-J)/128) ≤ 0.045: four of them is a generous bound.
      expect(Math.abs(est - target)).toBeLessThan(0.15);
    }
  });

  it('gives identical sets identical bands and unrelated sets (almost) none', () => {
    const next = splitmix32(7);
    const a = Array.from({ length: 500 }, () => next());
    const b = Array.from({ length: 500 }, () => next());
    const ba = bandBuckets(minhashSignature(a));
    expect(ba).toHaveLength(BANDS);
    expect(bandBuckets(minhashSignature([...a]))).toEqual(ba);
    const bb = bandBuckets(minhashSignature(b));
    expect(ba.filter((x, i) => bb[i] === x).length).toBeLessThanOrEqual(1);
  });
});

describe('near-duplicates on the seeds', () => {
  const fps = SEED_FILES.map((f) => fingerprint(seed(f)));
  const sim = (i: number, j: number) => similarity(fps[i]!.shingles, fps[j]!.shingles);

  it('000 (bilingual) contains 001 (its English-only copy): near-duplicates by containment', () => {
    const s = sim(1, 0);
    // The whole of 001 is in 000's English segment...
    expect(s.containmentOfA).toBeGreaterThan(0.95);
    // ...though as sets they are only about half alike: Jaccard alone would miss this copy.
    expect(s.jaccard).toBeLessThan(0.6);
    expect(nearDuplicateScore(s)).not.toBeNull();
  });

  it('the two share LSH buckets in the English segment, so the lookup finds the pair', () => {
    const en0 = fps[0]!.bands.filter((b) => b.segment === 'en');
    const en1 = fps[1]!.bands.filter((b) => b.segment === 'en');
    const shared = en1.filter((b) => en0.some((c) => c.band === b.band && c.bucket === b.bucket));
    expect(shared.length).toBeGreaterThan(BANDS / 2);
  });

  it('different articles on the same topic are not near-duplicates', () => {
    for (let i = 0; i < 5; i++)
      for (let j = i + 1; j < 5; j++) {
        if (i === 0 && j === 1) continue;
        expect(nearDuplicateScore(sim(i, j)), `${SEED_FILES[i]} vs ${SEED_FILES[j]}`).toBeNull();
      }
  });

  it('a republished copy with a reporter credit added joins the original', () => {
    const original = seed(f002);
    const copy = `${original}\n\n(记者 王小明 通讯员 李华)`;
    const s = similarity(shingles(copy), shingles(original));
    expect(nearDuplicateScore(s)).not.toBeNull();
  });

  it('000 is bilingual, the monolingual copies are not', () => {
    expect(fps.map((f) => f.isBilingual)).toEqual([true, false, false, false, false]);
  });

  it('a tiny Chinese photo credit under an English article gets no bands of its own', () => {
    const fp = fingerprint(`${seed(f001)}\n\n图片:徐晔 摄`);
    expect(fp.bands.every((b) => b.segment === 'en')).toBe(true);
  });

  it('a Chinese-only copy of 004 with spam left in is still a near-duplicate of the clean one', () => {
    const clean = seed(f004);
    const spammed = clean
      .replace('人工智能企业', '九宫格人工智能企业')
      .replace('让农民增收', '让农九宫格民增收');
    expect(nearDuplicateScore(similarity(shingles(spammed), shingles(clean)))).not.toBeNull();
  });
});
