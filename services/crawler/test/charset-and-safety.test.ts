import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@govwire/shared/testing';
import { createTestDatabase, gunzip, startHarness, type Harness } from './harness';
import { startSite, type Route, type Site } from './site';

let tdb: TestDatabase;
let h: Harness;
let site: Site | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  h = await startHarness(tdb);
});
afterEach(async () => {
  await site?.close();
  site = undefined;
});
afterAll(async () => {
  await h.stop();
  await tdb.drop();
});

const bytes =
  (body: Buffer, contentType: string): Route =>
  (_req, res) =>
    void res.writeHead(200, { 'content-type': contentType, 'content-length': String(body.length) }).end(body);

function page(title: string, meta: string, text: string): string {
  return `<html><head>${meta}<title>${title}</title></head><body><div class="article"><h1>${title}</h1><p>${text}</p></div></body></html>`;
}

describe('charsets: raw bytes kept, list pages decoded to find links', () => {
  it('crawls a GBK list page and keeps GBK, Big5 and mislabelled article bytes untouched', async () => {
    // The list page declares gb2312 only in <meta>; its link text and one path are Chinese.
    const list = iconv.encode(
      `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>柯桥要闻</title></head><body>
<ul class="news-list">
<li><a href="/art/header-only.html">蝉联!全省优秀!</a></li>
<li><a href="/art/meta-only.html">柯桥：全国"十强区" 竞跑大赛道</a></li>
<li><a href="/art/wrong.html">南湖区发展</a></li>
<li><a href="/art/big5.html">南湖區發展</a></li>
<li><a href="/art/文章.html">浙江共同富裕示范区建设稳步推进</a></li>
</ul></body></html>`,
      'gbk',
    );
    const headerOnly = iconv.encode(
      page('蝉联!全省优秀!', '', '柯桥区农村居民人均可支配收入首破"五万元"，增长7.4%。'),
      'gbk',
    );
    const metaOnly = iconv.encode(
      page('竞跑大赛道', '<meta charset="gbk">', '全区城乡居民收入倍差1.648。'),
      'gbk',
    );
    const wrong = iconv.encode(page('南湖区', '<meta charset="utf-8">', '地区生产总值729.91亿元。'), 'gbk');
    const big5 = iconv.encode(
      page('南湖區', '<meta charset="big5">', '城鎮居民人均可支配收入63792元，增長9.2%。'),
      'big5',
    );
    const path = iconv.encode(page('稳步推进', '<meta charset="gbk">', '全省生产总值超8万亿元。'), 'gbk');
    site = await startSite({
      '/': bytes(list, 'text/html'),
      '/art/header-only.html': bytes(headerOnly, 'text/html; charset=GBK'),
      '/art/meta-only.html': bytes(metaOnly, 'text/html'),
      '/art/wrong.html': bytes(wrong, 'text/html; charset=utf-8'),
      '/art/big5.html': bytes(big5, 'text/html'),
      [`/art/${encodeURIComponent('文章')}.html`]: bytes(path, 'text/html'),
    });
    await h.addSource({ id: 'gbk-site', startUrls: [site.url('/')], links: { selector: '.news-list a' } });
    await h.crawl('gbk-site');

    const served: Record<string, Buffer> = {
      '/art/header-only.html': headerOnly,
      '/art/meta-only.html': metaOnly,
      '/art/wrong.html': wrong,
      '/art/big5.html': big5,
      [`/art/${encodeURIComponent('文章')}.html`]: path,
    };
    const parse = await h.parseJobs();
    expect(parse.map((p) => new URL(p.url).pathname).sort()).toEqual(Object.keys(served).sort());
    for (const p of parse) {
      const want = served[new URL(p.url).pathname]!;
      expect((await h.stored(p)).bytes.equals(want), p.url).toBe(true);
      expect(p.charsetOverride).toBeNull();
      const row = await h.deps.db
        .selectFrom('pages')
        .selectAll()
        .where('id', '=', p.pageId!)
        .executeTakeFirstOrThrow();
      expect(gunzip(row.body_gzip).equals(want)).toBe(true);
      expect(row.content_hash).toBe(p.contentHash);
    }
    const hdr = parse.find((p) => p.url.endsWith('/art/header-only.html'))!;
    expect((await h.stored(hdr)).headers['content-type']).toBe('text/html; charset=GBK');
  });

  it('passes the source charset override to the parser', async () => {
    const body = iconv.encode(page('柯桥', '<meta charset="big5">', '柯桥区村级集体经济'), 'gbk');
    site = await startSite({
      '/': bytes(iconv.encode('<meta charset="big5"><a href="/art/a.html">柯桥</a>', 'gbk'), 'text/html'),
      '/art/a.html': bytes(body, 'text/html; charset=big5'),
    });
    await h.addSource({ id: 'liar', startUrls: [site.url('/')], charset: 'gbk' });
    await h.crawl('liar');
    const p = (await h.parseJobs()).find((x) => x.url === site!.url('/art/a.html'))!;
    expect(p.charsetOverride).toBe('gbk');
    expect((await h.stored(p)).bytes.equals(body)).toBe(true);
  });
});

describe('SSRF guard', () => {
  it('refuses a loopback URL whose host is not allowlisted', async () => {
    site = await startSite({
      '/': (_req, res) => {
        const port = new URL(site!.origin).port;
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<a href="http://localhost:${port}/art/a.html">a</a>`);
      },
      '/art/a.html': bytes(Buffer.from('<p>secret</p>'), 'text/html'),
    });
    // 127.0.0.1 is allowlisted (any port); `localhost` resolves to loopback but is not.
    await h.addSource({ id: 'ssrf', startUrls: [site.url('/')], links: { allow: ['.'] } });
    const crawlId = await h.crawl('ssrf');
    const log = await h.fetchLog(crawlId);
    const refused = log.find((r) => r.url.includes('localhost'));
    expect(refused).toMatchObject({ outcome: 'failed' });
    expect(refused!.error).toMatch(/private_address/);
    expect(site.hits('/art/a.html')).toHaveLength(0);
  });
});
