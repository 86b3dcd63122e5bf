import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanNumbersZh } from './extract-zh';
import { scanNumbersEn } from './extract-en';
import { parseChineseInteger } from '@govwire/shared/chinese-numerals';
import { formatChineseInteger, numberWithMultiplier, scaleDecimal } from './numbers';

describe('Chinese numerals', () => {
  it.each([
    ['一百二十', 120],
    ['两万三千', 23000],
    ['十七', 17],
    ['十', 10],
    ['〇', 0],
    ['零', 0],
    ['一千零五', 1005],
    ['一亿零五百万', 105_000_000],
    ['八万亿', 8_000_000_000_000],
    ['二〇二二', 2022],
    ['五万', 50_000],
    ['百', 100],
  ])('%s is %d', (s, n) => {
    expect(parseChineseInteger(s)).toBe(n);
  });

  it('rejects strings that are not numerals', () => {
    expect(parseChineseInteger('')).toBeNull();
    expect(parseChineseInteger('一往无前')).toBeNull();
    expect(parseChineseInteger('亿亿')).toBeNull();
  });

  it('round-trips every integer below 10^16 through its Chinese numeral', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999_999_999 }),
        (n) => parseChineseInteger(formatChineseInteger(n)) === n,
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips small Chinese numerals times 万 and 亿', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('万', '亿', '万亿'), (n, m) => {
        const exp = m === '万' ? 4 : m === '亿' ? 8 : 12;
        return numberWithMultiplier(formatChineseInteger(n), m) === n * 10 ** exp;
      }),
    );
  });
});

describe('Arabic numbers with multipliers', () => {
  it.each([
    ['2.82', '万', 28_200],
    ['1.29', '万', 12_900],
    ['1901', '亿', 190_100_000_000],
    ['729.91', '亿', 72_991_000_000],
    ['20.48', '亿', 2_048_000_000],
    ['356', '万', 3_560_000],
    ['8', '万亿', 8_000_000_000_000],
    ['190.1', 'billion', 190_100_000_000],
    ['3.56', 'million', 3_560_000],
    ['28,200', null, 28_200],
    ['1.599', null, 1.599],
    ['3', '千万', 30_000_000],
  ] as const)('%s %s is %d', (core, mult, n) => {
    expect(numberWithMultiplier(core, mult)).toBe(n);
  });

  it('scales decimals exactly: digits times a power of ten, whatever the decimal places', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(['万', 4], ['亿', 8], ['thousand', 3], ['million', 6], ['billion', 9]),
        (mantissa, decimals, [word, exp]) => {
          const digits = String(mantissa).padStart(decimals + 1, '0');
          const written =
            decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
          const expected = BigInt(mantissa) * 10n ** BigInt(exp - decimals);
          if (expected > BigInt(Number.MAX_SAFE_INTEGER)) return true;
          return numberWithMultiplier(written, word) === Number(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the nearest double for decimals without a multiplier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 1, max: 4 }), (m, d) => {
        const digits = String(m).padStart(d + 1, '0');
        const written = `${digits.slice(0, -d)}.${digits.slice(-d)}`;
        return scaleDecimal(written, 0) === Number(written);
      }),
    );
  });
});

describe('number tokens in Chinese text', () => {
  const one = (s: string) => {
    const t = scanNumbersZh(s).filter((x) => x.kind !== 'other');
    expect(t).toHaveLength(1);
    return t[0]!;
  };
  it('reads units into kinds and base values', () => {
    expect(one('地区生产总值1901亿元')).toMatchObject({ value: 190_100_000_000, kind: 'CNY' });
    expect(one('首破“五万元”大关')).toMatchObject({ value: 50_000, kind: 'CNY' });
    expect(one('新增市场主体2.82万家')).toMatchObject({ value: 28_200, kind: 'count' });
    expect(one('城镇新增就业1.29万人')).toMatchObject({ value: 12_900, kind: 'persons' });
    expect(one('以82.42分位居')).toMatchObject({ value: 82.42, kind: 'points' });
    expect(one('收入倍差缩小至1.49:1')).toMatchObject({ value: 1.49, kind: 'ratio' });
    expect(one('提高1.2个百分点')).toMatchObject({ value: 1.2, kind: 'pp' });
    expect(one('突破百亿元')).toMatchObject({ value: 10_000_000_000, kind: 'CNY' });
    expect(one('超8万亿元')).toMatchObject({ value: 8_000_000_000_000, kind: 'CNY' });
    expect(one('30多家')).toMatchObject({ value: 30, kind: 'count', qualifier: 'above' });
  });
  it('does not read durations, years, ranks or words as figures', () => {
    expect(scanNumbersZh('15分钟内').filter((t) => t.kind === 'points')).toHaveLength(0);
    expect(scanNumbersZh('2021年').filter((t) => t.kind !== 'other')).toHaveLength(0);
    expect(scanNumbersZh('全省第四、前10').filter((t) => t.kind !== 'other')).toHaveLength(0);
    expect(scanNumbersZh('十七连冠,一往无前').filter((t) => t.kind !== 'other')).toHaveLength(0);
    expect(scanNumbersZh('PM2.5浓度').filter((t) => t.kind !== 'other')).toHaveLength(0);
  });
});

describe('number tokens in English text', () => {
  it('reads separators, scale words and currencies', () => {
    const t = scanNumbersEn(
      'reached 190.1 billion at an increase of 4.5%, 28,200 new market entities, RMB 3.56 million and $5 million',
    );
    expect(t.map((x) => [x.value, x.kind])).toEqual([
      [190_100_000_000, 'plain'],
      [4.5, '%'],
      [28_200, 'plain'],
      [3_560_000, 'CNY'],
      [5_000_000, 'other'],
    ]);
    expect(t[0]?.scaledBare).toBe(true);
  });
});
