import { describe, expect, it } from 'vitest';
import { ctx } from '../../test/support/context';
import { ParseLimits } from '../limits';
import { extractHtml as extract } from './html';

const extractHtml = (html: string) => extract(ctx, html, new ParseLimits(ctx.settings.limits));

const PARA = (n: number) =>
  `<p>第${n}段：2021年，柯桥全区村级集体经济年收入达20.48亿元，两项指标年均增长达10%以上，美丽乡村的幸福底色不断擦亮。</p>`;

function page(body: string): string {
  return `<!doctype html><html><head><title>柯桥区村级集体经济年收入达20.48亿元_柯桥区人民政府</title></head><body>${body}</body></html>`;
}

describe('extractHtml', () => {
  it('picks the dense, punctuated article over link lists and navigation', () => {
    const links = Array.from(
      { length: 20 },
      (_, i) => `<li><a href="/n/${i}">链接标题第${i}条新闻动态</a></li>`,
    ).join('');
    const html = page(
      `<div class="nav"><ul>${links}</ul></div><div class="main"><h1>柯桥区村级集体经济年收入达20.48亿元</h1><div class="content">${[1, 2, 3, 4].map(PARA).join('')}</div></div><div class="side"><ul>${links}</ul></div>`,
    );
    const ex = extractHtml(html);
    const texts = ex.blocks.map((b) => b.text);
    expect(texts.filter((t) => t.startsWith('第')).length).toBe(4);
    expect(texts.some((t) => t.includes('链接标题'))).toBe(false);
    expect(ex.dropped.some((d) => d.text.includes('链接标题'))).toBe(true);
  });

  it('drops hidden nodes before scoring: display:none, visibility:hidden, aria-hidden, hidden, zero size', () => {
    const hidden = [
      '<p style="display: none">隐藏一：不应出现的文字。</p>',
      '<p style="visibility:hidden">隐藏二：不应出现的文字。</p>',
      '<p aria-hidden="true">隐藏三：不应出现的文字。</p>',
      '<p hidden>隐藏四：不应出现的文字。</p>',
      '<div style="width:0;height:0;overflow:hidden">隐藏五：不应出现的文字。</div>',
    ].join('');
    const ex = extractHtml(page(`<div class="content">${PARA(1)}${hidden}${PARA(2)}</div>`));
    const all = ex.blocks.map((b) => b.text).join('\n');
    expect(all).not.toMatch(/隐藏/);
    expect(ex.dropped.filter((d) => d.category === 'hidden').length).toBe(5);
  });

  it('keeps a statistical table as one block: a row per line, cells separated by tabs', () => {
    const table =
      '<table><tr><th>指标</th><th>数值</th><th>增长</th></tr><tr><td>地区生产总值</td><td>1901亿元</td><td>4.5%</td></tr><tr><td>农村居民人均可支配收入</td><td>50000元</td><td>7.4%</td></tr></table>';
    const ex = extractHtml(page(`<div class="content">${PARA(1)}${table}${PARA(2)}</div>`));
    const t = ex.blocks.find((b) => b.kind === 'table');
    expect(t?.text).toBe(
      '指标\t数值\t增长\n地区生产总值\t1901亿元\t4.5%\n农村居民人均可支配收入\t50000元\t7.4%',
    );
  });

  it("keeps the article's own headings and list items", () => {
    const ex = extractHtml(
      page(
        `<div class="content">${PARA(1)}<h2>强优势产业 育创新动能</h2>${PARA(2)}<ul><li>新增市场主体2.82万家，增长明显。</li><li>引进重大招商项目63个，总投资967亿元。</li></ul></div>`,
      ),
    );
    expect(ex.blocks.find((b) => b.kind === 'heading')?.text).toBe('强优势产业 育创新动能');
    expect(ex.blocks.filter((b) => b.kind === 'li').length).toBe(2);
  });

  it('walks 4,000 nested elements without recursion, and fails a page nested beyond the limit', () => {
    const nested = (n: number) => page(`${'<div>'.repeat(n)}${PARA(1)}${'</div>'.repeat(n)}`);
    expect(
      extractHtml(nested(4_000))
        .blocks.map((b) => b.text)
        .join(''),
    ).toContain('第1段');
    expect(ctx.settings.limits.maxDepth).toBeLessThan(20_000);
    expect(() => extractHtml(nested(20_000))).toThrow(expect.objectContaining({ code: 'too_deep' }));
    // Unclosed elements nest just the same.
    expect(() => extractHtml(page(`${'<span>'.repeat(20_000)}${PARA(1)}`))).toThrow(/nested deeper than/);
  });

  it('fails a page with more nodes than the limit, and a parse that runs out of time', () => {
    const limits = (over: Partial<typeof ctx.settings.limits>) =>
      new ParseLimits({ ...ctx.settings.limits, ...over });
    const flat = page(PARA(1).repeat(3000));
    expect(() => extract(ctx, flat, limits({ maxNodes: 5000 }))).toThrow(
      expect.objectContaining({ code: 'too_many_nodes' }),
    );
    let now = 0;
    const slow = new ParseLimits({ ...ctx.settings.limits, maxParseMs: 100 }, () => (now += 60));
    expect(() => extract(ctx, flat, slow)).toThrow(expect.objectContaining({ code: 'parse_timeout' }));
  });

  it('joins text split across source lines between Chinese characters without a space', () => {
    const ex = extractHtml(
      page(
        '<div class="content"><p>柯桥全区村级集体经济\n      年收入达20.48亿元，增长明显，幸福底色不断擦亮，群众获得感持续增强。</p></div>',
      ),
    );
    expect(ex.blocks[0]?.text).toBe(
      '柯桥全区村级集体经济年收入达20.48亿元，增长明显，幸福底色不断擦亮，群众获得感持续增强。',
    );
  });

  it('joins text split by entities and comments, and collapses whitespace across inline elements', () => {
    const ex = extractHtml(
      page(
        `<div class="content">${PARA(1)}<p>柯桥&amp;越城<!-- 注释 -->区&nbsp;&nbsp;经济  发展， <b> 全区</b>   增长明显。</p>${PARA(2)}</div>`,
      ),
    );
    expect(ex.blocks[1]?.text).toBe('柯桥&越城区 经济 发展， 全区 增长明显。');
  });

  it('reports navigation, sidebars and footers by category, without their hidden text, scripts or styles', () => {
    const ex = extractHtml(
      page(
        `<nav><a href="/">首页</a> <span hidden>隐藏</span> <a href="/x">新闻</a></nav><div class="content">${PARA(1)}${PARA(2)}</div><aside>相关<script>var x = 1;</script>链接</aside><footer>版权所有 <style>p{}</style>柯桥区</footer><div class="other"><p>页面底部的其他文字。</p></div>`,
      ),
    );
    expect(ex.dropped).toEqual([
      { category: 'navigation', text: '首页 新闻' },
      { category: 'sidebar', text: '相关链接' },
      { category: 'footer', text: '版权所有 柯桥区' },
      { category: 'outside-content', text: '页面底部的其他文字。' },
    ]);
  });

  it('reads head fields, headings, info bars and tag lists in document order', () => {
    const html = page(
      `<h1>柯桥区村级集体经济</h1><div class="info">发布日期：2023-05-01 <time datetime="2023-05-01T08:00">5月1日</time></div><div class="tags">标签：经济，发展</div><div class="content">${PARA(1)}${PARA(2)}</div>`,
    ).replace(
      '</title>',
      '</title><meta name="description" content="描述　文字"><meta property="og:site_name" content="柯桥区人民政府"><link rel="canonical" href="https://www.kq.gov.cn/a.html">',
    );
    expect(extractHtml(html).meta).toEqual({
      metaTags: { description: '描述 文字', 'og:site_name': '柯桥区人民政府' },
      titleTag: '柯桥区村级集体经济年收入达20.48亿元_柯桥区人民政府',
      h1: ['柯桥区村级集体经济'],
      h2: [],
      canonical: 'https://www.kq.gov.cn/a.html',
      siteName: '柯桥区人民政府',
      infoTexts: ['发布日期：2023-05-01 5月1日', '2023-05-01T08:00'],
      tagTerms: ['标签', '经济', '发展'],
      lang: null,
      idTexts: {},
      scriptDate: expect.any(Function),
    });
  });
});
