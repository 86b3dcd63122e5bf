import { describe, expect, it } from 'vitest';
import {
  chineseScript,
  findMojibake,
  normalizeChars,
  paragraphLanguage,
  simplify,
  stripPinyin,
} from './chars';

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
