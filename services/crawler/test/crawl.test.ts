import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchJobId } from '../src/jobs/queue-fetches';
import { createTestDatabase, gunzip, startHarness, type Harness } from './harness';
import { articlePage, html, listPage, startSite, type Site } from './site';
import type { TestDatabase } from '@govwire/shared/testing';

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

const para = (n: number) => [
  `柯桥区地区生产总值1901亿元，增长4.5%。这是第${n}篇。`,
  '农村居民人均可支配收入首破"五万元"。',
];

describe('a list crawl with pagination', () => {
  it('follows next pages up to maxPages, fetches each article once, and queues parse jobs', async () => {
    site = await startSite({
      '/col/index.html': html(
        listPage(
          '柯桥要闻',
          ['/art/1.html', '/art/2.html?utm_source=wx', '/art/2.html#top'],
          '<a class="next" href="/col/index.html?page=2">下一页</a>',
        ),
      ),
      '/col/index.html?page=2': html(
        listPage(
          '柯桥要闻 2',
          ['/art/2.html', '/art/3.html', '/files/report.pdf'],
          '<a class="next" href="/col/index.html?page=3">下一页</a>',
        ),
      ),
      '/col/index.html?page=3': html(listPage('柯桥要闻 3', ['/art/4.html'])),
      '/art/1.html': html(articlePage('文章一', para(1))),
      '/art/2.html': html(articlePage('文章二', para(2))),
      '/art/3.html': html(articlePage('文章三', para(3))),
      '/art/4.html': html(articlePage('文章四', para(4))),
    });
    await h.addSource({
      id: 'paged',
      startUrls: [site.url('/col/index.html')],
      links: { selector: '.news-list a', allow: ['/art/'] },
      pagination: { nextSelector: 'a.next', maxPages: 2 },
    });
    const crawlId = await h.crawl('paged');

    // page 3 is beyond maxPages 2, so /art/4.html is never seen.
    expect(site.hits('/col/index.html?page=3')).toHaveLength(0);
    expect(site.hits('/art/4.html')).toHaveLength(0);
    // /art/2.html is linked three times under three spellings: fetched once.
    expect(site.hits('/art/2.html')).toHaveLength(1);
    expect(site.hits('/art/1.html')).toHaveLength(1);
    expect(site.hits('/art/3.html')).toHaveLength(1);
    // The PDF is recorded as an attachment of the page linking it, never fetched.
    expect(site.hits('/files/report.pdf')).toHaveLength(0);
    const att = await h.deps.db.selectFrom('page_attachments').selectAll().execute();
    expect(att.map((a) => [a.page_url, a.url])).toEqual([
      [site.url('/col/index.html?page=2'), site.url('/files/report.pdf')],
    ]);

    const log = await h.fetchLog(crawlId);
    expect(log.filter((r) => r.outcome === 'fetched')).toHaveLength(5);
    const pages = await h.deps.db
      .selectFrom('pages')
      .selectAll()
      .where('crawl_id', '=', crawlId)
      .orderBy('url')
      .execute();
    expect(pages.map((p) => p.url)).toEqual([
      site.url('/art/1.html'),
      site.url('/art/2.html'),
      site.url('/art/3.html'),
    ]);
    expect(gunzip(pages[0]!.body_gzip).toString('utf8')).toBe(articlePage('文章一', para(1)));

    const parse = await h.parseJobs();
    expect(parse.map((p) => p.url).sort()).toEqual(pages.map((p) => p.url));
    const one = parse.find((p) => p.url === site!.url('/art/1.html'))!;
    expect((await h.stored(one)).bytes.toString('utf8')).toBe(articlePage('文章一', para(1)));
    expect((await h.stored(one)).headers['content-type']).toBe('text/html; charset=utf-8');
    expect(one.pageId).toBe(pages[0]!.id);
    expect(one.crawlId).toBe(crawlId);

    const crawl = await h.deps.db
      .selectFrom('crawls')
      .selectAll()
      .where('id', '=', crawlId)
      .executeTakeFirstOrThrow();
    expect(crawl).toMatchObject({ status: 'done', pages_queued: 5, pages_done: 5 });
    // Deterministic job ids: the same (crawl, URL) maps to the same job.
    const job = await h.deps.queues.get('crawler').getJob(fetchJobId(crawlId, site.url('/art/2.html')));
    expect(job?.data.url).toBe(site.url('/art/2.html'));
  });

  it('stops at the pages-per-run limit', async () => {
    const links = Array.from({ length: 10 }, (_, i) => `/a/${i}.html`);
    const routes: Record<string, ReturnType<typeof html>> = { '/': html(listPage('list', links)) };
    for (const l of links) routes[l] = html(articlePage(l, para(1)));
    site = await startSite(routes);
    await h.addSource({ id: 'capped', startUrls: [site.url('/')], maxPagesPerRun: 4 });
    const crawlId = await h.crawl('capped');
    // The list page is one of the four.
    expect(site.requests.filter((r) => r.path.startsWith('/a/'))).toHaveLength(3);
    const crawl = await h.deps.db
      .selectFrom('crawls')
      .selectAll()
      .where('id', '=', crawlId)
      .executeTakeFirstOrThrow();
    expect(crawl.pages_queued).toBe(4);
  });
});

describe('feeds and sitemaps', () => {
  it('reads an RSS feed', async () => {
    site = await startSite({
      '/rss.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(
          `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>浙江省人民政府</title>
<item><title>一</title><link>${site!.url('/art/r1.html')}</link></item>
<item><title>二</title><link>${site!.url('/art/r2.html')}?spm=1.2</link></item></channel></rss>`,
        );
      },
      '/art/r1.html': html(articlePage('r1', para(1))),
      '/art/r2.html': html(articlePage('r2', para(2))),
    });
    await h.addSource({ id: 'feed', startUrls: [{ url: site.url('/rss.xml'), kind: 'feed' }] });
    const crawlId = await h.crawl('feed');
    expect(site.hits('/art/r1.html')).toHaveLength(1);
    expect(site.hits('/art/r2.html')).toHaveLength(1);
    const log = await h.fetchLog(crawlId);
    expect(log.map((r) => r.outcome)).toEqual(['fetched', 'fetched', 'fetched']);
  });

  it('reads a sitemap index and its urlset', async () => {
    site = await startSite({
      '/sitemap.xml': (_req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${site!.url('/sitemap-1.xml')}</loc></sitemap></sitemapindex>`,
          );
      },
      '/sitemap-1.xml': (_req, res) => {
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site!.url('/art/s1.html')}</loc></url><url><loc>${site!.url('/art/s2.html')}</loc></url></urlset>`,
          );
      },
      '/art/s1.html': html(articlePage('s1', para(1))),
      '/art/s2.html': html(articlePage('s2', para(2))),
    });
    await h.addSource({ id: 'smap', startUrls: [{ url: site.url('/sitemap.xml'), kind: 'sitemap' }] });
    await h.crawl('smap');
    expect(site.hits('/sitemap-1.xml')).toHaveLength(1);
    expect(site.hits('/art/s1.html')).toHaveLength(1);
    expect(site.hits('/art/s2.html')).toHaveLength(1);
  });
});

describe('conditional GET and new versions', () => {
  it('sends validators, records 304 as unchanged, and stores a changed page as a new version', async () => {
    let version = 1;
    site = await startSite({
      '/': html(listPage('list', ['/art/v.html', '/art/same.html'])),
      '/art/v.html': (req, res) => {
        const etag = `"v${version}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag })
          .end(articlePage(`版本${version}`, para(version)));
      },
      // No validators: the content hash decides.
      '/art/same.html': html(articlePage('不变', para(9))),
    });
    await h.addSource({ id: 'cond', startUrls: [site.url('/')] });
    const c1 = await h.crawl('cond');
    const c2 = await h.crawl('cond');
    version = 2;
    const c3 = await h.crawl('cond');

    const v = site.hits('/art/v.html');
    expect(v).toHaveLength(3);
    expect(v[0]!.headers['if-none-match']).toBeUndefined();
    expect(v[1]!.headers['if-none-match']).toBe('"v1"');
    expect(v[2]!.headers['if-none-match']).toBe('"v1"');

    const outcome = async (crawlId: string, path: string) =>
      (await h.fetchLog(crawlId)).find((r) => r.url === site!.url(path));
    expect(await outcome(c1, '/art/v.html')).toMatchObject({ outcome: 'fetched', status: 200 });
    expect(await outcome(c2, '/art/v.html')).toMatchObject({ outcome: 'unchanged', status: 304 });
    expect(await outcome(c3, '/art/v.html')).toMatchObject({ outcome: 'fetched', status: 200 });
    expect(await outcome(c2, '/art/same.html')).toMatchObject({ outcome: 'unchanged', status: 200 });

    const versions = await h.deps.db
      .selectFrom('pages')
      .select(['content_hash', 'crawl_id'])
      .where('url', '=', site.url('/art/v.html'))
      .execute();
    expect(versions.map((p) => p.crawl_id).sort()).toEqual([c1, c3].sort());
    const parsed = (await h.parseJobs()).filter((p) => p.url.startsWith(site!.origin));
    expect(parsed.filter((p) => p.url === site!.url('/art/v.html'))).toHaveLength(2);
    expect(parsed.filter((p) => p.url === site!.url('/art/same.html'))).toHaveLength(1);
  });
});
