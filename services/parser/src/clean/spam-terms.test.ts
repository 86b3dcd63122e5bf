import { describe, expect, it } from 'vitest';
import { TermIndex } from '../text/term-index';
import { ctx } from '../../test/support/context';
import { removeSpamTerms as remove } from './spam-terms';

/** removeSpamTerms with these terms as the shipped list and the shipped settings. */
function removeSpamTerms(input: { texts: string[]; title: string; listed: string[]; evidence: string[] }) {
  const terms = [...new Set(input.listed)].sort((a, b) => b.length - a.length);
  return remove({
    ...input,
    listed: { ...ctx.spamTerms, terms, index: new TermIndex(terms.map((text) => ({ text }))) },
    extra: [],
    settings: ctx.settings.spamTerms,
    simplifiedUnit: ctx.script.simplifiedUnit,
  });
}

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

describe('injected terms found by general rules, not a list', () => {
  const none = { title: '', listed: [], evidence: [] };

  it('a Han run inside a digit sequence, even once, when it is a word of its own', () => {
    const r = removeSpamTerms({ ...none, texts: ['全年完成投資20會議室03.4億元,同比增長9%。'] });
    expect(r.texts).toEqual(['全年完成投資2003.4億元,同比增長9%。']);
    expect(r.discovered).toContain('會議室');
    // Two characters splitting a number once could be a unit nobody listed: left alone.
    const short = ['全年完成投資20會議03.4億元。'];
    expect(removeSpamTerms({ ...none, texts: short }).texts).toEqual(short);
  });

  it('a run that splits an indicator phrase or a region name', () => {
    const r = removeSpamTerms({
      ...none,
      texts: [
        '全區村級集體瑜珈館經濟總收入達到4.36億元。',
        '農村居民人均可美甲店支配收入增長7%。',
        '嘉興美甲店南湖區。',
      ],
    });
    expect(r.texts).toEqual([
      '全區村級集體經濟總收入達到4.36億元。',
      '農村居民人均可支配收入增長7%。',
      '嘉興南湖區。',
    ]);
    expect(r.removed).toEqual(expect.arrayContaining(['瑜珈館', '美甲店']));
    // A region name's one-character end (柯桥 | 区) is too common to call a split, and a run with a
    // function word is a piece of a sentence.
    const texts = ['柯桥在年初的区党代会报告中明确目标。', '柯桥美甲区经济稳定增长。'];
    expect(removeSpamTerms({ ...none, texts }).texts).toEqual(texts);
  });

  it('never cuts a real word out of a phrase: a run whose own edges continue a phrase stays', () => {
    // 城乡居民人均收入倍差: 人均 sits between 城乡居民 and 收入倍差, but 民人 continues 居民人均….
    const texts = ['城乡居民人均收入倍差缩小至1.59。'];
    expect(removeSpamTerms({ ...none, texts }).texts).toEqual(texts);
  });

  it('the same short run breaking words in unrelated places, on a page spam has touched', () => {
    const texts = [
      '南湖共享書房區持續深化強村富民改革,南湖區村集體經濟增長8會議室1%。',
      '拓寬村集共享書房體增收渠道,壯大村集體經濟。',
    ];
    const r = removeSpamTerms({ ...none, texts });
    expect(r.texts).toEqual([
      '南湖區持續深化強村富民改革,南湖區村集體經濟增長81%。',
      '拓寬村集體增收渠道,壯大村集體經濟。',
    ]);
    expect(r.discovered).toEqual(expect.arrayContaining(['共享書房', '會議室']));
  });

  it('leaves a repeated topical word alone, and judges no repeats on a page without spam', () => {
    const texts = ['南湖區推進共富工坊建設,共富工坊帶動就業。', '全區共富工坊達到120家,南湖區農民增收。'];
    expect(removeSpamTerms({ ...none, texts }).texts).toEqual(texts);
  });
});
