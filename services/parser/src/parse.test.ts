import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ctx } from '../test/support/context';
import { parseDocument } from './parse';

/** Seeds as the corpus holds them (test/corpus/pages): what the README says of particular pages. */
const page = (file: string) => readFileSync(new URL(`../test/corpus/pages/${file}`, import.meta.url));

describe('seed 000 rendered as a GBK district portal', () => {
  it('is decoded as GB18030 despite declaring gb2312, and reads date and source from the info bar', () => {
    const r = parseDocument(ctx, {
      bytes: page('seed-000.district-portal.html'),
      headers: { 'content-type': 'text/html' },
    });
    expect(r.charset).toBe('gb18030');
    expect(r.warnings.join(' ')).toMatch(/gb2312/);
    expect(r.publishedAt).toBe('2023-03-28');
    expect(r.source).toBe('柯桥发布');
    expect(r.removed.boilerplate.join('\n')).toMatch(/浙ICP备/);
    expect(r.removed.boilerplate.join('\n')).toMatch(/网站访问统计隐藏文本/);
  });
});

describe('seed 003 (traditional, pinyin debris, spam lists)', () => {
  const r = parseDocument(ctx, { bytes: page('seed-003.txt') });
  it('reports the spam lists and the keyword line under spamLinks', () => {
    const spam = r.removed.spamLinks.join('\n');
    expect(spam).toContain('關鍵詞');
    expect(spam).toContain('手機回收');
    expect(spam).toContain('10 百濟神州');
  });
  it('flags the mojibake and does not invent a repair', () => {
    expect(r.warnings.some((w) => /mojibake/.test(w) && w.includes('稊'))).toBe(true);
    expect(r.text).not.toContain('之一。《數字化');
  });
  it('keeps a simplified form beside the traditional text', () => {
    expect(r.text).toContain('南湖區');
    expect(r.textSimplified).toContain('南湖区');
    expect(r.textSimplified).toContain('城乡居民收入倍差缩小至1.49:1');
  });
});

describe('seed 004 (injected spam terms)', () => {
  it('reports every removed term under spamTerms and re-joins what they split', () => {
    const r = parseDocument(ctx, { bytes: page('seed-004.txt') });
    expect(r.removed.spamTerms).toEqual(
      expect.arrayContaining(['九宮格', '共享空間', '個人空間', '舞蹈教室']),
    );
    expect(r.text).toContain('63830元');
    expect(r.source).toBe('中國網');
  });
});

describe('WeChat as WeChat serves it', () => {
  it('takes the script-revealed body as content, and reads title, account and date from their fields', () => {
    const r = parseDocument(ctx, { bytes: page('deqing-digital.wechat-served.html') });
    expect(r.title).toBe('德清县数字经济核心产业增加值增长15.2%');
    expect(r.source).toBe('德清发布');
    // var ct = "1706841000": 2024-02-02 10:30 in China.
    expect(r.publishedAt).toBe('2024-02-02');
    expect(r.text).toContain('德清地理信息小镇已集聚地理信息企业480余家');
    expect(r.text).not.toContain('微信扫一扫');
  });
});
