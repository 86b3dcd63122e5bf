import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMetricsData, PhraseIndex } from './data';
import type { PhraseMatch } from './data';

/** findAll(text, true) as a look at every position: the definition the fast search must keep. */
function boundedByPositions(index: PhraseIndex, text: string): PhraseMatch[] {
  const isWord = (c: string | undefined) => c !== undefined && /[0-9A-Za-z]/.test(c);
  const out: PhraseMatch[] = [];
  for (let i = 0; i < text.length; i++) {
    if (isWord(text[i - 1])) continue;
    const phrase = index.at(text, i);
    if (!phrase) continue;
    const end = i + phrase.text.length;
    if (isWord(text[end])) continue;
    out.push({ start: i, end, phrase });
    i = end - 1;
  }
  return out;
}

/** findAll(text) as a look at every position. */
function byPositions(index: PhraseIndex, text: string): PhraseMatch[] {
  const out: PhraseMatch[] = [];
  for (let i = 0; i < text.length; i++) {
    const phrase = index.at(text, i);
    if (!phrase) continue;
    out.push({ start: i, end: i + phrase.text.length, phrase });
    i += phrase.text.length - 1;
  }
  return out;
}

describe('phrase index', () => {
  const data = loadMetricsData();

  it('finds word-bounded phrases leftmost-longest, skipping a position whose longest phrase runs into a word', () => {
    const index = new PhraseIndex([
      { text: 'gdp', indicators: ['gdp'] },
      { text: 'gdp per capita', indicators: ['gdp_per_capita'] },
      { text: 'per capita', indicators: ['x'] },
    ]);
    const found = (s: string) => index.findAll(s, true).map((m) => [m.start, m.phrase.text]);
    expect(found('gdp per capita rose')).toEqual([[0, 'gdp per capita']]);
    // The longest phrase at 0 runs into "s": nothing starts there, and "per capita" is found later.
    expect(found('gdp per capitas per capita')).toEqual([[16, 'per capita']]);
    expect(found('xgdp gdp2 (gdp)')).toEqual([[11, 'gdp']]);
    // "_" is no letter or digit (though a word character to \b).
    expect(found('_gdp_')).toEqual([[1, 'gdp']]);
    // A phrase that starts with a sign, not a letter.
    const signed = new PhraseIndex([{ text: '+gdp', indicators: ['x'] }]);
    expect(signed.findAll('(+gdp) a+gdp', true).map((m) => m.start)).toEqual([1]);
  });

  it('word-bounded search agrees with a look at every position', () => {
    const words = [
      ...['keqiao', 'keqiao district', 'zhejiang', 'zhejiang province', 'shaoxing', 'hangzhou city'],
      ...['gdp', 'gross regional product', 'per capita disposable income', "rural residents' per capita"],
      ...['k', 'district', 'x', '2', ' ', ' ', ',', '-', "'", '(', 'é', '区', '_'],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        for (const index of [data.enRegionNames, data.enPhrases]) {
          expect(index.findAll(text, true)).toEqual(boundedByPositions(index, text));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('search agrees with a look at every position', () => {
    const words = [
      ...['柯桥区', '柯桥', '绍兴市', '浙江省', '浙江', '地区生产总值', '生产总值', '人均GDP', 'GDP'],
      ...['人均', '地区', '区', '生', 'G', 'D', 'P', 'Keqiao', ' ', ',', '。', '2'],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        for (const index of [data.zhRegionNames, data.zhPhrases]) {
          expect(index.findAll(text)).toEqual(byPositions(index, text));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('finds in any case what findAll finds in the lower-cased text', () => {
    const words = [
      ...['Keqiao', 'KEQIAO District', 'zhejiang', 'Zhejiang Province', 'GDP', 'gdp per Capita'],
      ...['Per Capita Disposable Income', "Rural Residents' per capita", 'k', 'ı', 'ſ', 'É', 'Σ'],
      ...['\u212aeqiao', "L\u0130n'an", '_', ' ', ',', '2', '柯桥区'],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        for (const index of [data.enRegionNames, data.enPhrases]) {
          expect(index.findAllInLowerCase(text)).toEqual(index.findAll(text.toLowerCase(), true));
        }
      }),
      { numRuns: 500 },
    );
  });
});
