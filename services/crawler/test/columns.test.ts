import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestDatabase } from '@govwire/shared/testing';
import {
  article,
  jcmsArticles,
  jcmsColumnPage,
  jcmsDataproxy,
  trsArticles,
  trsListPage,
  type ColumnArticle,
  type JcmsColumnOptions,
} from './columns';
import { createTestDatabase, startHarness, type Harness } from './harness';
import { html, startSite, type Route, type Site } from './site';

/**
 * Sources that give only a start URL and an allow pattern, against local sites built the way
 * JCMS and TRS portals serve their columns: every article is found, paging stops where a daily
 * crawl has caught up, and bad answers are bounded and recorded.
 */
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

const COLUMN = '/col/col1229135412/index.html';
const ART_ALLOW = ['/art/\\d{4}/\\d{1,2}/\\d{1,2}/art_'];

function routesFor(articles: ColumnArticle[], base = ''): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const a of articles) routes[new URL(a.path, `http://x${base}`).pathname] = article(a);
  return routes;
}

async function crawlRow(crawlId: string) {
  return h.deps.db.selectFrom('crawls').selectAll().where('id', '=', crawlId).executeTakeFirstOrThrow();
}

const articleHits = (s: Site, prefix: string) => s.requests.filter((r) => r.path.startsWith(prefix));

describe('a JCMS column: 15 records in the page, 30 from two dataproxy pages', () => {
  it('finds 45 of 45, then a re-crawl fetches only the 3 new ones', async () => {
    let articles = jcmsArticles(45);
    const proxyLog: Array<{ start: number; end: number; columnid: string | null }> = [];
    const column: JcmsColumnOptions = {
      columnId: 1229135412,
      unitId: 4892,
      articles: () => articles,
      perPage: 15,
      groupSize: 1,
    };
    const routes: Record<string, Route> = {
      [COLUMN]: (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(jcmsColumnPage(column)),
      '/module/web/jpage/dataproxy.jsp': jcmsDataproxy([column], proxyLog),
      ...routesFor(jcmsArticles(48).concat(articles)),
    };
    site = await startSite(routes);
    await h.addSource({ id: 'jcms-col', startUrls: [site.url(COLUMN)], links: { allow: ART_ALLOW } });

    const first = await h.crawl('jcms-col');
    const fetched = new Set(articleHits(site, '/art/').map((r) => r.path));
    expect(fetched.size).toBe(45);
    for (const a of articles) expect(fetched.has(a.path)).toBe(true);
    // The two later groups came from POSTs naming the column; no static index_1.html was asked for.
    expect(proxyLog).toEqual([
      { start: 16, end: 30, columnid: '1229135412' },
      { start: 31, end: 45, columnid: '1229135412' },
    ]);
    expect(site.hits('/col/col1229135412/index_1.html')).toHaveLength(0);
    expect(await crawlRow(first)).toMatchObject({
      list_pages: 3,
      article_urls_found: 45,
      article_urls_new: 45,
      stop_reason: 'end_of_list',
      status: 'done',
    });
    const proxyRows = (await h.fetchLog(first)).filter((r) => r.url.includes('dataproxy.jsp'));
    expect(proxyRows.map((r) => r.outcome)).toEqual(['fetched', 'fetched']);

    // A day later three articles are new, listed first.
    const fresh = jcmsArticles(48).slice(45);
    articles = [...fresh, ...articles];
    const before = site.requests.length;
    const second = await h.crawl('jcms-col');
    const again = site.requests.slice(before);
    const full = again.filter((r) => r.path.startsWith('/art/') && !r.headers['if-none-match']);
    expect(full.map((r) => r.path).sort()).toEqual(fresh.map((a) => a.path).sort());
    // Known articles on the pages read cost one conditional GET each (answered 304), and paging
    // stopped at the first group holding nothing new: records 31-45 were not asked for.
    const conditional = again.filter((r) => r.path.startsWith('/art/') && r.headers['if-none-match']);
    expect(conditional).toHaveLength(27);
    expect(new Set(conditional.map((r) => r.path)).size).toBe(27);
    expect(proxyLog.slice(2)).toEqual([{ start: 16, end: 30, columnid: '1229135412' }]);
    expect(await crawlRow(second)).toMatchObject({
      list_pages: 2,
      article_urls_new: 3,
      stop_reason: 'caught_up',
    });
  });
});

describe('a TRS column of four pages', () => {
  it('finds 40 of 40 by following createPageHTML', async () => {
    const all = trsArticles(40);
    const routes: Record<string, Route> = routesFor(all, '/xwzx/gzdt/');
    for (let p = 0; p < 4; p++) {
      routes[p === 0 ? '/xwzx/gzdt/index.html' : `/xwzx/gzdt/index_${p}.html`] = html(
        trsListPage(all.slice(p * 10, p * 10 + 10), 4, p),
      );
    }
    site = await startSite(routes);
    await h.addSource({
      id: 'trs-col',
      startUrls: [site.url('/xwzx/gzdt/index.html')],
      links: { allow: ['/xwzx/gzdt/\\d{6}/t\\d{8}_\\d+\\.html$'] },
    });
    const crawlId = await h.crawl('trs-col');
    expect(new Set(articleHits(site, '/xwzx/gzdt/2024').map((r) => r.path)).size).toBe(40);
    expect(site.hits('/xwzx/gzdt/index_3.html')).toHaveLength(1);
    expect(site.hits('/xwzx/gzdt/index_4.html')).toHaveLength(0);
    expect(await crawlRow(crawlId)).toMatchObject({
      list_pages: 4,
      article_urls_new: 40,
      stop_reason: 'end_of_list',
    });
  });

  it('bounds a pager claiming 100000 pages by pagination.maxPages', async () => {
    const routes: Record<string, Route> = {};
    const every = (p: number) =>
      trsArticles(3).map((a) => ({ ...a, path: a.path.replace('.html', `${p}.html`) }));
    for (let p = 0; p < 12; p++) {
      routes[p === 0 ? '/xwzx/index.html' : `/xwzx/index_${p}.html`] = html(trsListPage(every(p), 100000, p));
      Object.assign(routes, routesFor(every(p), '/xwzx/'));
    }
    site = await startSite(routes);
    await h.addSource({
      id: 'trs-huge',
      startUrls: [site.url('/xwzx/index.html')],
      links: { allow: ['/\\d{6}/t\\d+'] },
      pagination: { maxPages: 5 },
    });
    const crawlId = await h.crawl('trs-huge');
    expect(site.requests.filter((r) => /\/xwzx\/index(_\d+)?\.html$/.test(r.path))).toHaveLength(5);
    expect(await crawlRow(crawlId)).toMatchObject({ list_pages: 5, stop_reason: 'max_pages' });
  });
});

describe('bad dataproxy answers', () => {
  it('records each with its reason and still crawls the rest of the column', async () => {
    const articles = jcmsArticles(70);
    const proxyLog: Array<{ start: number; end: number; columnid: string | null }> = [];
    const xml = (body: string) => (res: ServerResponse) =>
      void res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(body);
    const column: JcmsColumnOptions = {
      columnId: 77,
      unitId: 7001,
      articles: () => articles,
      perPage: 10,
      groupSize: 1,
      totalRecord: () => 1_000_000_000,
      proxyOverride: (start, _end, res) => {
        if (start === 11)
          return (xml('<!DOCTYPE html><html><body><h1>访问过于频繁</h1></body></html>')(res), true);
        if (start === 31) return (xml('')(res), true);
        if (start === 41) {
          // Malformed: cut off mid-record; a javascript: link and a relative link inside the CDATA.
          const body = `<datastore><totalrecord>1000000000</totalrecord><recordset>
<record><![CDATA[<li><a href="javascript:void(0)">已撤回</a></li>]]></record>
<record><![CDATA[<li><a href="./../../art/2024/5/1/art_77_1.html">相对链接</a></li>]]></record>
<record><![CDATA[<li><a href="${articles[40]!.path}">${articles[40]!.title}</a></li>]]></record>
<record><![CDATA[<li><a href="${articles[41]!.path}`;
          return (xml(body)(res), true);
        }
        return false;
      },
    };
    const routes: Record<string, Route> = {
      [COLUMN]: html(jcmsColumnPage(column)),
      '/module/web/jpage/dataproxy.jsp': jcmsDataproxy([column], proxyLog),
      ...routesFor(articles),
      '/art/2024/5/1/art_77_1.html': article({
        path: '/art/2024/5/1/art_77_1.html',
        title: '相对',
        date: '2024-05-01',
      }),
    };
    site = await startSite(routes);
    await h.addSource({
      id: 'jcms-bad',
      startUrls: [site.url(COLUMN)],
      links: { allow: ART_ALLOW },
      pagination: { maxPages: 7 },
    });
    const crawlId = await h.crawl('jcms-bad');
    const log = await h.fetchLog(crawlId);
    const proxy = log.filter((r) => r.url.includes('dataproxy.jsp'));
    const byStart = (s: number) => proxy.find((r) => r.url.includes(`startrecord=${s}&`));
    expect(byStart(11)).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/\[bad_answer\] answered an HTML page/),
    });
    expect(byStart(21)).toMatchObject({ outcome: 'fetched' });
    expect(byStart(31)).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/\[bad_answer\] empty answer/),
    });
    expect(byStart(41)).toMatchObject({ outcome: 'fetched' });
    // 10^9 records claimed: the column stops at maxPages 7 (the page and six proxy ranges).
    expect(proxyLog.map((p) => p.start)).toEqual([11, 21, 31, 41, 51, 61]);
    const notes = await h.deps.db
      .selectFrom('fetch_log')
      .select(['url', 'note'])
      .where('crawl_id', '=', crawlId)
      .execute();
    expect(notes.find((n) => n.url.includes('startrecord=41&'))?.note).toMatch(
      /2 record\(s\) without a usable link.*malformed datastore \(not closed\)/,
    );
    // Records of the good ranges, of the malformed one, and its relative link are all crawled; the
    // javascript: record and the record cut off mid-link are counted in the note above.
    const hits = new Set(articleHits(site, '/art/').map((r) => r.path));
    for (const i of [0, 9, 20, 29, 40, 50, 59]) expect(hits.has(articles[i]!.path)).toBe(true);
    expect(hits.has('/art/2024/5/1/art_77_1.html')).toBe(true);
    for (const i of [10, 19, 30, 39]) expect(hits.has(articles[i]!.path)).toBe(false); // behind bad answers
    expect(await crawlRow(crawlId)).toMatchObject({ status: 'done', stop_reason: 'max_pages' });
  });

  it('ends a column whose proxy answers twice in a row with nothing usable', async () => {
    const articles = jcmsArticles(40);
    const proxyLog: Array<{ start: number; end: number; columnid: string | null }> = [];
    const column: JcmsColumnOptions = {
      columnId: 78,
      unitId: 7002,
      articles: () => articles,
      perPage: 10,
      groupSize: 1,
      proxyOverride: (_s, _e, res) => (
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>维护中</body></html>'),
        true
      ),
    };
    site = await startSite({
      [COLUMN]: html(jcmsColumnPage(column)),
      '/module/web/jpage/dataproxy.jsp': jcmsDataproxy([column], proxyLog),
      ...routesFor(articles),
    });
    await h.addSource({
      id: 'jcms-down',
      startUrls: [site.url(COLUMN)],
      links: { allow: ART_ALLOW },
      pagination: { maxPages: 10 },
    });
    const crawlId = await h.crawl('jcms-down');
    expect(proxyLog.map((p) => p.start)).toEqual([11, 21]);
    expect(new Set(articleHits(site, '/art/').map((r) => r.path)).size).toBe(10);
    expect(await crawlRow(crawlId)).toMatchObject({ stop_reason: 'bad_answer', status: 'done' });
    // A job's failure row is written by the worker's 'failed' listener, which can finish after the
    // crawl row is closed: wait for both rows, then check them.
    const failures = await waitFor(
      async () => {
        const rows = await h.deps.db
          .selectFrom('failures')
          .select(['error_code'])
          .where('source_id', '=', 'jcms-down')
          .execute();
        return rows.length >= 2 ? rows : undefined;
      },
      { what: 'two failure rows' },
    );
    expect(failures.map((f) => f.error_code)).toEqual(['bad_answer', 'bad_answer']);
  });
});
