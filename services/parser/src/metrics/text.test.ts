import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctx } from '../../test/support/context';
import { matchingText, splitSentences } from './text';

describe('matching text', () => {
  it('converts traditional to simplified and full-width to half-width', () => {
    expect(matchingText('南湖區城鎮新增就業1.29萬人，增長９.２％', ctx.metrics.simplifiedUnit)).toBe(
      '南湖区城镇新增就业1.29万人,增长9.2%',
    );
  });

  it('keeps the length of any string, so offsets found in it are offsets in the original', () => {
    const chars = fc.constantFrom(
      ...'區發展兩萬億縮鎮業增長下降地區生產總值，。！？％１２abc 123.\n\t“”'.split(''),
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 200 }), fc.boolean(), (arr, convert) => {
        const s = arr.join('');
        return matchingText(s, convert ? ctx.metrics.simplifiedUnit : null).length === s.length;
      }),
    );
  });
});

describe('sentences', () => {
  const texts = (s: string) => splitSentences(s).map((x) => s.slice(x.start, x.end));

  it('splits Chinese at 。!? and keeps closing quotes', () => {
    expect(texts('地区生产总值1901亿元。城乡居民收入比缩小至1.599!“共富星村”全部达标。')).toEqual([
      '地区生产总值1901亿元。',
      '城乡居民收入比缩小至1.599!',
      '“共富星村”全部达标。',
    ]);
  });

  it('splits English at a period before a capital, not inside numbers or after an ellipsis', () => {
    expect(
      texts(
        'GDP reached 190.1 billion. With 82.42 points, Keqiao ranks first… last year alone. No. 1 again.',
      ),
    ).toEqual([
      'GDP reached 190.1 billion.',
      'With 82.42 points, Keqiao ranks first… last year alone.',
      'No. 1 again.',
    ]);
  });

  it('covers the whole line, in order, without overlaps', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'ab 1.2。!?.Ab…“”'.split('')), { maxLength: 120 }), (arr) => {
        const s = arr.join('');
        const spans = splitSentences(s);
        let prev = 0;
        for (const sp of spans) {
          if (sp.start < prev || sp.end <= sp.start || sp.end > s.length) return false;
          if (s.slice(prev, sp.start).trim() !== '') return false;
          prev = sp.end;
        }
        return s.slice(prev).trim() === '';
      }),
    );
  });
});
