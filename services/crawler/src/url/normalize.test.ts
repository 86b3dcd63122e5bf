import { describe, expect, it } from 'vitest';
import { hostKey, normalizeUrl, tryNormalizeUrl } from './normalize';

describe('normalizeUrl', () => {
  it('lower-cases scheme and host, drops default ports and fragments', () => {
    expect(normalizeUrl('HTTP://WWW.ZJ.GOV.CN:80/art/2023/3/28/art_1.html#top')).toBe(
      'http://www.zj.gov.cn/art/2023/3/28/art_1.html',
    );
    expect(normalizeUrl('https://Www.Zj.Gov.Cn:443')).toBe('https://www.zj.gov.cn/');
  });

  it('keeps non-default ports and path case', () => {
    expect(normalizeUrl('http://127.0.0.1:8808/Art/A.HTML')).toBe('http://127.0.0.1:8808/Art/A.HTML');
  });

  it('removes utm_*, spm and other tracking parameters and sorts the rest', () => {
    expect(
      normalizeUrl(
        'http://www.zj.gov.cn/col/col1229.html?utm_source=wx&uid=7&spm=a1.b2&colId=5&utm_medium=x',
      ),
    ).toBe('http://www.zj.gov.cn/col/col1229.html?colId=5&uid=7');
    expect(normalizeUrl('http://a.cn/p?spm=1&utm_campaign=2')).toBe('http://a.cn/p');
  });

  it('gives the same key to two spellings of one URL', () => {
    const a = normalizeUrl('http://www.keqiao.gov.cn/art/1.html?b=2&a=1#x');
    const b = normalizeUrl('HTTP://www.keqiao.gov.cn:80/art/1.html?a=1&b=2&utm_source=t');
    expect(a).toBe(b);
  });

  it('resolves relative links against a base', () => {
    expect(normalizeUrl('../art/2.html', 'http://a.cn/col/list/index.html')).toBe(
      'http://a.cn/col/art/2.html',
    );
  });

  it('rejects non-http schemes', () => {
    expect(() => normalizeUrl('ftp://a.cn/x')).toThrow(/http/);
    expect(tryNormalizeUrl('javascript:void(0)', 'http://a.cn/')).toBeUndefined();
    expect(tryNormalizeUrl('mailto:x@a.cn', 'http://a.cn/')).toBeUndefined();
  });

  it('keys politeness by host and port', () => {
    expect(hostKey('http://127.0.0.1:8808/a')).toBe('127.0.0.1:8808');
    expect(hostKey('https://www.zj.gov.cn/a')).toBe('www.zj.gov.cn');
  });
});
