import { describe, expect, it } from 'vitest';
import { RequiredCharIndex, requiredChars } from './required-chars';
import { defaultRules, matchBoilerplate, stripInline } from './rules';

const chars = (re: RegExp): string | null => {
  const set = requiredChars(re);
  return set ? [...set].sort().join(',') : null;
};

describe('requiredChars', () => {
  it('takes the union of an alternation, one mandatory piece per alternative', () => {
    expect(chars(/(免责声明|版权声明|转载请注明)/)).toBe('免责,版权,转载');
    expect(chars(/^\s*(当前位置|您的位置)\s*[:：>]?/)).toBe('当前,您的');
    expect(chars(/(原创\s+.{0,20}|^微信号\s*[:：])/)).toBe('原创,微信');
  });

  it('prefers a pair of literal characters in a row to a single character', () => {
    expect(chars(/a+b/)).toBe('ab');
    expect(chars(/ab+/)).toBe('ab');
    expect(chars(/图|文字/)).toBe('图,文字');
    expect(chars(/a?b/)).toBe('b');
    expect(chars(/(ab)c/)).toBe('ab');
  });

  it('skips what may not occur: optional atoms, lookarounds, assertions', () => {
    expect(chars(/^[（(]?\s*(本版|本文)?(图片|照片|图)(由|来自)/)).toBe('来自,由');
    expect(chars(/^[（(]?\s*(本版|本文)?(图片|照片|图)/)).toBe('图,图片,照片');
    expect(chars(/(?=x)a/)).toBe('a');
    expect(chars(/x{0,3}\bab/)).toBe('ab');
    expect(chars(/x*y+/)).toBe('y');
  });

  it('reads escapes and small classes; a space only when nothing else', () => {
    expect(chars(/[[【]\s*[打关]/)).toBe('[,【');
    expect(chars(/\(c\)\s*\d{4}/)).toBe('(c');
    expect(chars(/\u5b57/)).toBe('字');
    expect(chars(/q r/)).toBe('q');
    expect(chars(/a |b /)).toBe('a,b');
    expect(chars(/ |a/)).toBe(' ,a');
  });

  it('adds the other ASCII case under i, and gives up on other cased letters', () => {
    expect(chars(/(Co|©)/i)).toBe('CO,Co,cO,co,©');
    expect(chars(/[a-c]/i)).toBe('A,B,C,a,b,c');
    expect(chars(/é/i)).toBeNull();
    expect(chars(/é/)).toBe('é');
  });

  it('is unknown for whatever it does not read', () => {
    for (const re of [/\s+/, /./, /[^a]/, /\d{4}/, /(a)\1/, /[\u4e00-\u9fff]{2}/, /a|\s/, /\p{L}/u, /a{/, new RegExp('[]')])
      expect(chars(re)).toBeNull();
  });

  it('never rules out a block a rule matches (every shipped rule, many blocks)', () => {
    const rules = defaultRules();
    const all = [...rules.line, ...rules.inline];
    const samples = [
      '当前位置:首页 > 新闻',
      '首页 > 要闻',
      'You are here: Home',
      '浏览次数:123',
      '【字号 大 中 小】【打印本页】【关闭窗口】',
      '发布时间:2024-01-02',
      'Share this on Facebook',
      '[打印] [关闭]',
      '扫一扫在手机打开当前页',
      '责任编辑:张三',
      '李明 摄',
      '图片由受访者提供',
      'Photos by Jane',
      '版权所有 © 2024 某某网',
      'Copyright (c) 2024',
      '京ICP备12345678号',
      '您的电子邮件地址不会被公开。必填项已用*标注',
      'Posted in News',
      'Your email address will not be published.',
      'Proudly powered by WordPress',
      '阅读原文',
      '原创 某某 2024-01-02',
      'SCAN THE QR CODE',
      '南湖区进一步完善公共政策工具箱,新增困难群众创新激励计划等举措。',
    ];
    const index = new RequiredCharIndex(all.map((r) => r.re));
    let matched = 0;
    for (const text of samples) {
      const scan = index.scan(text);
      all.forEach((r, i) => {
        const re = new RegExp(r.re.source, r.re.flags.replace('g', ''));
        if (re.test(text)) {
          matched++;
          expect(index.mayMatch(i, scan), `${r.re.source} on ${text}`).toBe(true);
        }
      });
    }
    expect(matched).toBeGreaterThan(20);
    index.scan('南湖区进一步完善公共政策工具箱,新增困难群众创新激励计划等举措。');
    expect(index.anyPossible).toBe(false);
    index.scan('版权所有');
    expect(index.anyPossible).toBe(true);
  });

  it('leaves matchBoilerplate and stripInline as the plain loops were', () => {
    const rules = defaultRules();
    const plainMatch = (t: string) => rules.line.find((r) => t.length <= r.max && r.re.test(t)) ?? null;
    for (const t of ['责任编辑:张三', '版权所有 © 2024', '阅读原文', '南湖区城乡居民人均可支配收入', 'Back to top', ''])
      expect(matchBoilerplate(rules, t)).toBe(plainMatch(t));
    expect(stripInline(rules, '2024-01-02 【字号 大 中 小】【打印本页】')).toEqual({
      text: '2024-01-02',
      cut: ['【打印本页】', '【字号 大 中 小】'],
    });
    expect(stripInline(rules, '南湖区城乡居民')).toEqual({ text: '南湖区城乡居民', cut: [] });
  });
});
