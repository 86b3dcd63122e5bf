import { describe, expect, it } from 'vitest';
import {
  chineseNumeral,
  crossScriptUnit,
  factKey,
  factsConflict,
  inferPrecision,
  moreExact,
  quantityOf,
  sameFact,
  sameQuantity,
  sameValue,
  type FactStatement,
} from './facts';

const q = (digits: string, scale: string | null, unit: string | null) => quantityOf(digits, scale, unit)!;

describe('quantityOf: figures as written, in base units', () => {
  it('reads Chinese and English scales and units to the same base units', () => {
    expect(q('1901.08', '亿', '元')).toEqual({ value: 190_108_000_000, unit: 'CNY', precision: 1e6 });
    expect(q('190.1', 'billion', 'yuan')).toEqual({ value: 190_100_000_000, unit: 'CNY', precision: 1e8 });
    expect(q('2.82', '万', '家')).toEqual({ value: 28_200, unit: '家', precision: 100 });
    expect(q('28,200', null, null)).toEqual({ value: 28_200, unit: '', precision: 1 });
    expect(q('4.5', null, '%')).toEqual({ value: 4.5, unit: '%', precision: 0.1 });
    expect(q('4.5', null, 'percent')!.unit).toBe('%');
    expect(q('8', '万亿', '元')!.value).toBe(8e12);
    expect(q('3', '千万', '元')!.value).toBe(3e7);
    expect(quantityOf('abc', null, null)).toBeNull();
    expect(quantityOf('1', 'zillion', null)).toBeNull();
  });
});

describe('sameQuantity: one figure, rounded or not', () => {
  it('1901.08亿元 and "190.1 billion yuan" are one figure; 1901亿 and 1902亿 are two', () => {
    expect(sameQuantity(q('1901.08', '亿', '元'), q('190.1', 'billion', 'yuan'))).toBe(true);
    expect(sameQuantity(q('1901', '亿', '元'), q('190.1', 'billion', 'yuan'))).toBe(true);
    expect(sameQuantity(q('1901', '亿', '元'), q('1902', '亿', '元'))).toBe(false);
    // 190.2 billion is not 1901.08亿 rounded to a tenth of a billion.
    expect(sameQuantity(q('1901.08', '亿', '元'), q('190.2', 'billion', 'yuan'))).toBe(false);
  });
  it('figures a template changes by one unit differ, however large they are', () => {
    expect(sameQuantity(q('786', '万', '元'), q('787', '万', '元'))).toBe(false);
    expect(sameQuantity(q('1786', '万', '元'), q('1787', '万', '元'))).toBe(false);
    expect(sameQuantity(q('16', null, '个'), q('17', null, '个'))).toBe(false);
  });
  it('across scripts a measure word is a count; canonical units stay', () => {
    expect(crossScriptUnit(q('16', null, '个').unit)).toBe('count');
    expect(crossScriptUnit(q('16', null, 'projects').unit)).toBe('count');
    expect(crossScriptUnit(q('786', '万', '元').unit)).toBe('CNY');
    expect(crossScriptUnit(q('12', null, '名').unit)).toBe('persons');
    expect(crossScriptUnit(q('4.5', null, 'percent').unit)).toBe('%');
  });
  it('units must agree', () => {
    expect(sameQuantity(q('16', null, '个'), q('16', null, '家'))).toBe(false);
    expect(sameQuantity(q('50000', null, '元'), q('5', '万', '元'))).toBe(true);
  });
  it('stored values (no written precision) allow a small rounding only', () => {
    expect(inferPrecision(190_100_000_000)).toBe(1e8);
    expect(inferPrecision(1.599)).toBe(0.001);
    expect(inferPrecision(28_200)).toBe(100);
    expect(sameValue(190_108_000_000, 190_100_000_000)).toBe(true);
    expect(sameValue(72_991_000_000, 72_990_000_000)).toBe(true);
    // Inferred to the thousand, 1000 could round 1400; 40% apart, it is not that figure.
    expect(sameValue(1000, 1400)).toBe(false);
    expect(sameValue(17_860_000, 17_870_000)).toBe(false);
    expect(sameValue(8e12, 8.26e12)).toBe(false);
    expect(sameValue(null, 5)).toBe(true);
  });
  it('keeps the more exact of two statements', () => {
    expect(moreExact(190_100_000_000, 190_108_000_000)).toBe(190_108_000_000);
    expect(moreExact(1.599, 1.6)).toBe(1.599);
  });
});

const fact = (x: Partial<FactStatement>): FactStatement => ({
  region: '柯桥区',
  indicator: 'gdp',
  period: '2022',
  qualifier: null,
  unit: 'CNY',
  value: 190_100_000_000,
  changePct: 4.5,
  ...x,
});

describe('facts', () => {
  it('a target is a different fact from a result', () => {
    expect(factKey(fact({}))).not.toBe(factKey(fact({ qualifier: 'target' })));
    expect(factKey(fact({}))).toBe(factKey(fact({ qualifier: 'above' })));
  });
  it('the zh and en statements of one bilingual fact are the same fact', () => {
    expect(sameFact(fact({ value: 190_108_000_000 }), fact({ value: 190_100_000_000 }))).toBe(true);
    expect(sameFact(fact({}), fact({ value: null }))).toBe(true);
    expect(sameFact(fact({}), fact({ changePct: 4.6 }))).toBe(false);
    expect(sameFact(fact({}), fact({ period: '2021' }))).toBe(false);
  });
  it('lists conflict on a fact stated with different values or changes, not on a missing one', () => {
    expect(factsConflict([fact({})], [fact({ value: 195_000_000_000 })])).toBe(factKey(fact({})));
    expect(factsConflict([fact({})], [fact({ changePct: 5.1 })])).toBe(factKey(fact({})));
    expect(
      factsConflict([fact({})], [fact({ value: null }), fact({ indicator: 'charity_index' })]),
    ).toBeNull();
    expect(factsConflict([fact({})], [fact({ qualifier: 'target', value: 2e11 })])).toBeNull();
    // Stated twice on one side (zh value, en rounding): one fits, no conflict.
    expect(
      factsConflict([fact({ value: 190_108_000_000 }), fact({ value: 190_100_000_000 })], [fact({})]),
    ).toBeNull();
  });
});

describe('chineseNumeral', () => {
  it('reads numerals with units and digit strings', () => {
    expect(chineseNumeral('十七')).toBe(17);
    expect(chineseNumeral('一百零五')).toBe(105);
    expect(chineseNumeral('两万三千')).toBe(23_000);
    expect(chineseNumeral('一亿二千万')).toBe(120_000_000);
    expect(chineseNumeral('八万亿')).toBe(8e12);
    expect(chineseNumeral('二〇二四')).toBe(2024);
    expect(chineseNumeral('十二')).toBe(12);
    expect(chineseNumeral('一二')).toBe(12);
    expect(chineseNumeral('万')).toBeNull();
    expect(chineseNumeral('abc')).toBeNull();
    expect(quantityOf('五', '万', '元')).toEqual({ value: 50_000, unit: 'CNY', precision: 10_000 });
  });
});
