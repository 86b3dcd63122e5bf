import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@govwire/shared/testing';
import { createTestDatabase, startHarness, type Harness } from './harness';
import { articlePage, html, listPage, startSite, type Route, type Site } from './site';

/** Hostile pages and hostile answers: each costs bounded time and says what happened. */
let tdb: TestDatabase;
let h: Harness;
let site: Site | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  h = await startHarness(tdb, { CRAWLER_MAX_HOST_BACKOFF_S: '1', CRAWLER_MAX_RETRY_AFTER_S: '3' });
});
afterEach(async () => {
  await site?.close();
  site = undefined;
});
afterAll(async () => {
  await h.stop();
  await tdb.drop();
});

const N = 200_000;
const nested = (inner: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>深层嵌套</title></head><body>${'<div>'.repeat(N)}${inner}${'</div>'.repeat(N)}</body></html>`;

describe('a page of 200,000 nested divs', () => {
  it('is stored as an article with its attachment, and refused as a list page that needs a selector', async () => {
    site = await startSite({
      '/': html(listPage('要闻', ['/art/deep.html', '/art/plain.html'])),
      '/art/deep.html': html(nested('<p>正文</p><a href="/files/gongbao.pdf">统计公报</a>')),
      '/art/plain.html': html(articlePage('普通', ['地区生产总值增长5%。'])),
      '/col/deep.html': html(nested('<ul class="news"><li><a href="/art/plain.html">普通</a></li></ul>')),
    });
    await h.addSource({ id: 'deep', startUrls: [site.url('/')] });
    await h.addSource({
      id: 'deep-list',
      startUrls: [site.url('/col/deep.html')],
      links: { selector: '.news a' },
    });
    const c1 = await h.crawl('deep');
    const deep = (await h.fetchLog(c1)).find((r) => r.url === site!.url('/art/deep.html'));
    expect(deep).toMatchObject({ outcome: 'fetched', status: 200 });
    const att = await h.deps.db
      .selectFrom('page_attachments')
      .select('url')
      .where('page_url', '=', site.url('/art/deep.html'))
      .execute();
    expect(att.map((a) => a.url)).toEqual([site.url('/files/gongbao.pdf')]);
    const stored = await h.deps.db
      .selectFrom('pages')
      .select('bytes')
      .where('url', '=', site.url('/art/deep.html'))
      .executeTakeFirstOrThrow();
    expect(stored.bytes).toBeGreaterThan(2_000_000);

    const c2 = await h.crawl('deep-list');
    const list = (await h.fetchLog(c2)).find((r) => r.url === site!.url('/col/deep.html'));
    expect(list).toMatchObject({ outcome: 'failed' });
    // html, body, 200,000 divs, ul, li, a.
    expect(list!.error).toMatch(/too_deep.*nest 200005 deep \(> 2000\): too deep for link selectors/);
  });
});

describe('a 429 with a Retry-After of ten years', () => {
  it('pauses the host for CRAWLER_MAX_HOST_BACKOFF_S only; the answered URL alone waits longer', async () => {
    // The first article the host is asked for (whichever the gate lets go first) answers 429.
    let busy: string | undefined;
    const art =
      (title: string): Route =>
      (req, res) => {
        if (!busy) {
          busy = req.url!;
          return void res
            .writeHead(429, { 'retry-after': String(10 * 365 * 86400), 'content-type': 'text/plain' })
            .end('slow down');
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(title, [title]));
      };
    site = await startSite({
      '/': html(listPage('要闻', ['/art/a.html', '/art/b.html', '/art/c.html'])),
      '/art/a.html': art('a'),
      '/art/b.html': art('b'),
      '/art/c.html': art('c'),
    });
    await h.addSource({
      id: 'decade',
      startUrls: [site.url('/')],
      politeness: { maxInFlight: 1, minIntervalMs: 0 },
    });
    const crawlId = await h.crawl('decade', 30_000);
    const answered = site.hits(busy!)[0]!.endedAt!;
    const others = site.requests.filter((r) => r.startedAt > answered && r.path !== busy);
    expect(others.map((r) => r.path).sort()).toEqual(
      ['/art/a.html', '/art/b.html', '/art/c.html'].filter((p) => p !== busy),
    );
    // The host paused for the 1 s cap, not ten years…
    for (const r of others) expect(r.startedAt - answered).toBeGreaterThanOrEqual(950);
    // …and the answered URL waited its own clamp (3 s), after the others were fetched.
    const retried = site.hits(busy!)[1]!;
    expect(retried.startedAt - answered).toBeGreaterThanOrEqual(2_950);
    for (const r of others) expect(r.startedAt).toBeLessThan(retried.startedAt);
    const log = (await h.fetchLog(crawlId)).filter((r) => r.url === site!.url(busy!));
    expect(log.map((r) => [r.outcome, r.status])).toEqual([
      ['retry', 429],
      ['fetched', 200],
    ]);
  });
});
