import { describe, expect, it } from 'vitest';
import { ctx } from '../../test/support/context';
import { countHan } from './cjk';
import {
  countChars,
  countLatin,
  findMojibake,
  normalizeChars,
  paragraphLanguage as languageIn,
  stripPinyin,
  textCounts as countsIn,
} from './chars';
import { chineseScript as scriptIn, scriptOfCounts, simplify as simplifyIn } from './script';

const paragraphLanguage = (s: string) => languageIn(ctx.script, s);
const chineseScript = (s: string) => scriptIn(ctx.script, s);
const simplify = (s: string) => simplifyIn(ctx.script, s);
const textCounts = (s: string) => countsIn(ctx.script, s);

describe('normalizeChars', () => {
  it('maps full-width digits and letters but keeps circled numbers and Chinese punctuation', () => {
    expect(normalizeChars('①增长４．５％，ＧＤＰ')).toBe('①增长4．5%，GDP');
    // NFKC would give "1,2": two numbers merged into one.
    expect(normalizeChars('1，2')).toBe('1，2');
  });
  it('turns odd spaces into spaces and drops invisible characters', () => {
    expect(normalizeChars('柯\u200b桥\u3000区\u00a0x\ufeff')).toBe('柯桥 区 x');
  });
});

describe('stripPinyin', () => {
  it('removes tone-marked pinyin after Han characters and leaves other parentheses', () => {
    const r = stripPinyin('南湖區(qū)在全省90個縣(市、區(qū))中,發(fā)展;*ST晨鑫(002447)');
    expect(r.text).toBe('南湖區在全省90個縣(市、區)中,發展;*ST晨鑫(002447)');
    expect(r.count).toBe(3);
  });
});

describe('findMojibake', () => {
  it('flags lost multibyte characters, Latin-1 misreadings and replacement characters', () => {
    expect(findMojibake('之一?!稊?shù)字化監管系統')).toContain('稊');
    expect(findMojibake('cafÃ© opened')).not.toBeNull();
    expect(findMojibake('收入\ufffd增长')).not.toBeNull();
    expect(findMojibake('城乡居民收入比缩小至1.599。你好吗?是的!')).toBeNull();
  });
});

describe('languages', () => {
  it('tells English, simplified, traditional and mixed paragraphs apart', () => {
    expect(paragraphLanguage('The proof is in the numbers. Last year alone, 328 villages...')).toBe('en');
    expect(paragraphLanguage('数据是最有力的佐证。去年,我区328个村集体经济组织')).toBe('zh-Hans');
    expect(paragraphLanguage('數據是最有力的佐證。去年,我區328個村集體經濟組織')).toBe('zh-Hant');
    expect(paragraphLanguage('Tops in the province once again!|蝉联!全省优秀!')).toBe('mixed');
    expect(chineseScript('南湖區城鄉居民收入')).toBe('zh-Hant');
  });
  it('simplifies traditional text and leaves simplified text as it is', () => {
    expect(simplify('城鄉居民收入倍差縮小至1.49:1')).toBe('城乡居民收入倍差缩小至1.49:1');
    expect(simplify('城乡居民收入')).toBe('城乡居民收入');
  });
});

describe('textCounts', () => {
  it('counts characters, Han, Latin letters and script-specific characters in one pass', () => {
    // 區 and 經 exist only in traditional text, 区 only in simplified; 的 in both. Characters:
    // 區經的 (3) 区 (1) GDP (3) 4.5% (4); the spaces and U+3000 carry no text.
    const c = textCounts('區經的 区 GDP 4.5%\u3000');
    expect(c).toEqual({ chars: 11, han: 4, latin: 3, traditional: 2, simplified: 1 });
  });
  it('agrees with the single-purpose counters on mixed text', () => {
    const samples = [
      '柯橋區(qū)之一',
      'Keqiao District 柯桥区 2022年',
      '\u00a0 \t',
      '共同富裕示範區建設',
      'ÃƒÂ©',
    ];
    for (const s of samples) {
      const c = textCounts(s);
      expect([c.chars, c.han, c.latin]).toEqual([countChars(s), countHan(s), countLatin(s)]);
      expect(scriptOfCounts(c.traditional, c.simplified)).toBe(chineseScript(s));
      if (c.traditional === 0) expect(simplify(s)).toBe(s);
      else expect(simplify(s)).not.toBe(s);
    }
  });
});

describe('findMojibake', () => {
  it('passes clean text and still finds each kind of damage', () => {
    expect(findMojibake('柯桥区2022年GDP增长4.5%。')).toBeNull();
    expect(findMojibake('æ\u0096\u0087章')).not.toBeNull();
    expect(findMojibake('锟斤拷锟斤拷')).toContain('锟斤拷');
    expect(findMojibake('café Ã©tÃ©')).toContain('Ã©');
  });
});
