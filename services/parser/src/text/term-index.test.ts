import { describe, expect, it } from 'vitest';
import { TermIndex } from './term-index';

const index = (...terms: string[]) => new TermIndex(terms.map((text) => ({ text })));
const found = (ms: Array<{ start: number; phrase: { text: string } }>) =>
  ms.map((m) => [m.start, m.phrase.text]);

describe('TermIndex', () => {
  it('finds terms leftmost-longest, without overlaps', () => {
    const ok = index('地区生产总值', '生产总值', '柯桥区', '柯桥');
    expect(found(ok.findAll('柯桥区地区生产总值增长,柯桥生产总值'))).toEqual([
      [0, '柯桥区'],
      [3, '地区生产总值'],
      [12, '柯桥'],
      [14, '生产总值'],
    ]);
    expect(ok.findAll('')).toEqual([]);
    expect(found(ok.findAll('柯桥'))).toEqual([[0, '柯桥']]);
  });

  it('refuses a term shorter than two code units', () => {
    expect(() => index('区')).toThrow(/shorter than two/);
  });

  it('lists every term that occurs anywhere, overlapping ones included', () => {
    const i = index('台灣包養網', '包養', '九宮格', '共享空間');
    const occurring = (texts: string[]) => [...i.occurring(texts)].map((t) => t.text).sort();
    expect(occurring(['最新台灣包養網消息', '九宮格'])).toEqual(['九宮格', '包養', '台灣包養網'].sort());
    expect(occurring(['共享空', '間'])).toEqual([]);
    // At the very start and the very end of a text.
    expect(occurring(['包養', 'x共享空間'])).toEqual(['共享空間', '包養'].sort());
  });

  it('finds English phrases in any case, at word boundaries, preferring the longest that fits', () => {
    const i = index('gdp', 'gdp per capita', 'per capita');
    expect(found(i.findAllWords('GDP per capita rose'))).toEqual([[0, 'gdp per capita']]);
    // "gdp per capitas": the long phrase runs into a letter, so the shorter one that fits is taken.
    expect(found(i.findAllWords('gdp per capitas, per capita'))).toEqual([
      [0, 'gdp'],
      [17, 'per capita'],
    ]);
    expect(found(i.findAllWords('xgdp gdp2 (Gdp) _gdp_'))).toEqual([
      [11, 'gdp'],
      [17, 'gdp'],
    ]);
    expect(i.findAllWords('柯桥区')).toEqual([]);
  });
});
