import { describe, expect, it } from 'vitest';
import { removeSpamTerms } from './spam-terms';

describe('removeSpamTerms', () => {
  it('removes listed terms and re-joins the number or word they split', () => {
    const r = removeSpamTerms({
      texts: [
        '居民人均可支配收入達63九宮格830元。',
        '讓農九宮格民增收,促進農民就近就業。',
        '推動共同富裕示範區建設。',
      ],
      title: '共同富裕示去九宮格講座範區建設',
      listed: ['九宮格'],
      evidence: [],
    });
    expect(r.texts[0]).toBe('居民人均可支配收入達63830元。');
    expect(r.texts[1]).toBe('讓農民增收,促進農民就近就業。');
    // The junk around the term goes too, because `示範` is a word the page itself uses.
    expect(r.title).toBe('共同富裕示範區建設');
  });

  it('finds listed terms wherever they start (odd or even position, text edges) and only those', () => {
    const listed = ['包養', '台灣包養網', '九宮格', '共享空間', '場地租借'];
    const r = removeSpamTerms({
      texts: ['包養。', '。包養', '一台灣包養網', '九宮格', 'a共享空間b', '場地租', '借場地'],
      title: 'x九宮格',
      listed,
      evidence: [],
    });
    expect(r.texts).toEqual(['。', '。', '一', '', 'ab', '場地租', '借場地']);
    expect(r.title).toBe('x');
    expect(new Set(r.removed)).toEqual(new Set(['包養', '台灣包養網', '九宮格', '共享空間']));
  });

  it('finds an unlisted term that splits numbers and recurs, and removes it wherever it stands', () => {
    const r = removeSpamTerms({
      texts: ['全年收入達12星空會館500元,增長明顯。', '吸引超過10家星空會館企業落戶小鎮。'],
      title: '',
      listed: [],
      evidence: [],
    });
    expect(r.texts).toEqual(['全年收入達12500元,增長明顯。', '吸引超過10家企業落戶小鎮。']);
    expect(r.discovered).toContain('星空會館');
  });

  it('leaves units and measure words between numbers alone', () => {
    const texts = ['2021年5月印發,2023年9月考察。', '增長7.5%以上、增長10%以上,完成投資461億元。'];
    const r = removeSpamTerms({ texts, title: '', listed: [], evidence: [] });
    expect(r.texts).toEqual(texts);
    expect(r.removed).toEqual([]);
  });

  it('removes a stray run glued after the last sentence of a paragraph', () => {
    const r = removeSpamTerms({
      texts: ['走上了一條發展新路。瑜珈空間'],
      title: '',
      listed: [],
      evidence: [],
    });
    expect(r.texts[0]).toBe('走上了一條發展新路。');
    expect(r.removed).toContain('瑜珈空間');
  });

  it("uses the page's own tags only where they break words, never a topical word the page uses normally", () => {
    const r = removeSpamTerms({
      texts: ['深入實施千村示共享空間範工程,千村示範成效明顯。', '共同富裕是目標,推進共同富裕示範區建設。'],
      title: '',
      listed: [],
      evidence: ['共享空間', '共同富裕'],
    });
    expect(r.texts[0]).toBe('深入實施千村示範工程,千村示範成效明顯。');
    expect(r.texts[1]).toBe('共同富裕是目標,推進共同富裕示範區建設。');
  });
});
