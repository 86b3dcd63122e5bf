import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '@govwire/shared';
import { attachmentsInHtml, extractFromFeed, extractFromHtml, extractFromSitemap } from './extract';
import { isAttachmentUrl, linkRules } from './rules';

const listHtml = readFileSync(new URL('./fixtures/keqiao-list.html', import.meta.url), 'utf8');
const base = 'http://www.kq.gov.cn/col/col1229135412/index.html';
const source = {
  startUrls: [{ url: base, kind: 'list' as const }],
  links: { selector: '.news-list a', allow: ['/art/\\d{4}/'], deny: ['comment'] },
};

describe('extractFromHtml on a Keqiao list page', () => {
  const rules = linkRules(source);
  const out = extractFromHtml(listHtml, {
    baseUrl: base,
    rules,
    selector: source.links.selector,
    nextSelector: 'a.next',
    maxLinks: 100,
  });

  it('takes the article links under the selector, normalized and deduplicated', () => {
    expect(out.articles).toEqual([
      'http://www.kq.gov.cn/art/2023/3/28/art_1229135412_59012345.html',
      'http://www.kq.gov.cn/art/2023/3/27/art_1229135412_59012299.html',
      'http://www.kq.gov.cn/art/2023/3/26/art_1229135412_59012201.html',
    ]);
  });

  it('finds the next page and the attachments', () => {
    expect(out.next).toEqual(['http://www.kq.gov.cn/col/col1229135412/index.html?pageNum=2&uid=4892']);
    expect(out.attachments).toContain(`http://www.kq.gov.cn/attach/0/${encodeURI('2023年统计公报')}.pdf`);
  });

  it('caps links taken per page', () => {
    const capped = extractFromHtml(listHtml, { baseUrl: base, rules, selector: '.news-list a', maxLinks: 1 });
    expect(capped.articles).toHaveLength(1);
    expect(capped.dropped).toBeGreaterThanOrEqual(2);
  });

  it('without allow patterns keeps links on the start hosts only', () => {
    const sameHost = linkRules({ startUrls: source.startUrls, links: { allow: [], deny: [] } });
    const all = extractFromHtml(listHtml, { baseUrl: base, rules: sameHost, maxLinks: 100 });
    expect(all.articles.some((u) => u.startsWith('http://www.sx.gov.cn'))).toBe(false);
    expect(all.articles).toContain('http://www.kq.gov.cn/col/col1229135411/index.html');
  });
});

// List pages are decoded with the parser's decoder (shared): these are the crawler's cases for it.
const decodeForLinks = (bytes: Uint8Array, contentType?: string, charsetOverride?: string) =>
  decodeBytes(bytes, { contentType, charsetOverride });

describe('decoding list pages', () => {
  const gbk = iconv.encode(listHtml, 'gbk');
  const bodyOnly = iconv.encode(listHtml.replace(/<meta http-equiv[^>]+>/, ''), 'gbk');

  it('uses the meta charset (gb2312 read as GB18030)', () => {
    const r = decodeForLinks(gbk, 'text/html');
    expect(r).toMatchObject({ charset: 'gb18030', via: 'meta' });
    expect(r.text).toContain('蝉联!全省优秀!');
  });

  it('uses the header charset when the page has none', () => {
    const r = decodeForLinks(bodyOnly, 'text/html; charset=GBK');
    expect(r).toMatchObject({ charset: 'gb18030', via: 'header' });
    expect(r.text).toContain('柯桥要闻');
  });

  it('decodes Big5 declared in the header', () => {
    const big5 = iconv.encode('<html><body><a href="/a.html">南湖區發展</a></body></html>', 'big5');
    expect(decodeForLinks(big5, 'text/html; charset=big5').text).toContain('南湖區發展');
  });

  it('does not trust a UTF-8 declaration on GBK bytes, and obeys the override', () => {
    expect(decodeForLinks(bodyOnly, 'text/html; charset=utf-8')).toMatchObject({
      charset: 'gb18030',
      via: 'detected',
    });
    expect(decodeForLinks(bodyOnly, 'text/html; charset=utf-8').text).toContain('柯桥要闻');
    const lying = iconv.encode('<meta charset="big5"><p>柯桥区</p>', 'gbk');
    expect(decodeForLinks(lying, undefined, 'gbk').text).toContain('柯桥区');
  });
});

describe('feeds and sitemaps', () => {
  const rules = linkRules({
    startUrls: [{ url: 'http://www.zj.gov.cn/', kind: 'feed' }],
    links: { allow: [], deny: [] },
  });
  it('reads RSS items and Atom entries', () => {
    const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>浙江省人民政府</title>
<item><title>浙江共同富裕示范区建设稳步推进</title><link>http://www.zj.gov.cn/art/2024/1/2/art_1.html</link></item>
<item><title>二</title><link>http://www.zj.gov.cn/art/2024/1/3/art_2.html?utm_source=rss</link></item></channel></rss>`;
    expect(
      extractFromFeed(rss, { baseUrl: 'http://www.zj.gov.cn/rss.xml', rules, maxLinks: 10 }).articles,
    ).toEqual([
      'http://www.zj.gov.cn/art/2024/1/2/art_1.html',
      'http://www.zj.gov.cn/art/2024/1/3/art_2.html',
    ]);
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title><link rel="alternate" href="/art/9.html"/></entry></feed>`;
    expect(
      extractFromFeed(atom, { baseUrl: 'http://www.zj.gov.cn/atom.xml', rules, maxLinks: 10 }).articles,
    ).toEqual(['http://www.zj.gov.cn/art/9.html']);
  });
  it('reads urlsets and sitemap indexes', () => {
    const urlset = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://www.zj.gov.cn/art/1.html</loc><lastmod>2024-01-01</lastmod></url><url><loc>http://www.zj.gov.cn/files/a.pdf</loc></url></urlset>`;
    const r = extractFromSitemap(urlset, {
      baseUrl: 'http://www.zj.gov.cn/sitemap.xml',
      rules,
      maxLinks: 10,
    });
    expect(r.articles).toEqual(['http://www.zj.gov.cn/art/1.html']);
    expect(r.attachments).toEqual(['http://www.zj.gov.cn/files/a.pdf']);
    const index = `<sitemapindex><sitemap><loc>http://www.zj.gov.cn/sitemap-1.xml</loc></sitemap></sitemapindex>`;
    expect(
      extractFromSitemap(index, { baseUrl: 'http://www.zj.gov.cn/sitemap.xml', rules, maxLinks: 10 }).next,
    ).toEqual(['http://www.zj.gov.cn/sitemap-1.xml']);
  });
  it('recognises attachment links', () => {
    expect(isAttachmentUrl('http://a.cn/x/报告.DOCX')).toBe(true);
    expect(isAttachmentUrl('http://a.cn/x/art.html')).toBe(false);
  });
});

describe('attachment links on an article page', () => {
  it('reads the href of every anchor as the browser would, and nothing else', () => {
    const html = `<P>报告<A HREF="/files/a.pdf?x=1&amp;y=2">全文</A>
      <a class=x href=/files/b.docx>附件</a> <link href="/style.css"> <img src="/c.pdf">
      <!-- <a href="/files/commented.pdf"> --> <a name="top"></a><a href='/files/c&#x2E;xls'>表</a>`;
    const rules = linkRules({
      links: { allow: [], deny: [] },
      startUrls: [{ url: 'https://a.gov.cn/' }],
    } as never);
    expect(attachmentsInHtml(html, 'https://a.gov.cn/art/1.html', rules)).toEqual([
      'https://a.gov.cn/files/a.pdf?x=1&y=2',
      'https://a.gov.cn/files/b.docx',
      'https://a.gov.cn/files/c.xls',
    ]);
  });

  it('finds them under 200,000 nested divs (a tokenizer, no tree)', () => {
    const depth = 200_000;
    const html = `${'<div>'.repeat(depth)}<a href="/files/deep.pdf">pdf</a>${'</div>'.repeat(depth)}`;
    const rules = linkRules({
      links: { allow: [], deny: [] },
      startUrls: [{ url: 'https://a.gov.cn/' }],
    } as never);
    expect(attachmentsInHtml(html, 'https://a.gov.cn/art/1.html', rules)).toEqual([
      'https://a.gov.cn/files/deep.pdf',
    ]);
  });
});
