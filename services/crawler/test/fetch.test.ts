import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@govwire/shared/testing';
import { fetchJobId } from '../src/jobs/queue-fetches';
import { createTestDatabase, startHarness, waitFor, type Harness } from './harness';
import { articlePage, html, listPage, startSite, type Route, type Site } from './site';

let tdb: TestDatabase;
let h: Harness;
let site: Site | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  h = await startHarness(tdb, { FETCH_BODY_TIMEOUT_MS: '400', FETCH_MAX_REDIRECTS: '3' });
});
afterEach(async () => {
  await site?.close();
  site = undefined;
});
afterAll(async () => {
  await h.stop();
  await tdb.drop();
});

const article = (t: string) => html(articlePage(t, [`${t}：城乡居民收入倍差1.599。`]));
const redirect =
  (to: string, status = 302): Route =>
  (_req, res) =>
    void res.writeHead(status, { location: to }).end();

async function crawlSite(id: string, routes: Record<string, Route>, links: string[], extra: object = {}) {
  site = await startSite({ '/': html(listPage('list', links)), ...routes });
  await h.addSource({ id, startUrls: [site.url('/')], ...extra });
  const crawlId = await h.crawl(id);
  const log = await h.fetchLog(crawlId);
  const byPath = (p: string) => log.filter((r) => r.url === site!.url(p));
  return { crawlId, log, byPath };
}

async function failureFor(url: string) {
  return h.deps.db.selectFrom('failures').selectAll().where('url', '=', url).executeTakeFirst();
}

/** The crawl is marked done inside the handler; the worker wrapper records the failure just after. */
async function recordedFailure(url: string) {
  return waitFor(() => failureFor(url), { what: `failure row for ${url}` });
}

describe('redirects', () => {
  it('follows a chain, records the final URL, and stops loops and over-long chains', async () => {
    const { byPath } = await crawlSite(
      'redirects',
      {
        '/r1': redirect('/r2', 301),
        '/r2': redirect('/r3', 307),
        '/r3': redirect('/art/final.html'),
        '/art/final.html': article('终点'),
        '/loop-a': redirect('/loop-b'),
        '/loop-b': redirect('/loop-a'),
        '/long1': redirect('/long2'),
        '/long2': redirect('/long3'),
        '/long3': redirect('/long4'),
        '/long4': redirect('/long5'),
        '/long5': article('太远'),
      },
      ['/r1', '/loop-a', '/long1'],
    );
    expect(byPath('/r1')).toEqual([
      expect.objectContaining({ outcome: 'fetched', status: 200, final_url: site!.url('/art/final.html') }),
    ]);
    const page = await h.deps.db
      .selectFrom('pages')
      .selectAll()
      .where('url', '=', site!.url('/r1'))
      .executeTakeFirstOrThrow();
    expect(page.final_url).toBe(site!.url('/art/final.html'));

    expect(byPath('/loop-a')).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(byPath('/loop-a')[0]!.error).toMatch(/redirect_loop/);
    expect(site!.hits('/loop-a')).toHaveLength(1); // permanent: not retried
    expect(byPath('/long1')[0]!.error).toMatch(/too_many_redirects/);
    expect(site!.hits('/long5')).toHaveLength(0);
    expect((await recordedFailure(site!.url('/loop-a')))?.permanent).toBe(true);
  });

  it('checks every hop against robots.txt and the link rules', async () => {
    const { byPath } = await crawlSite(
      'redirect-rules',
      {
        '/robots.txt': (_req, res) =>
          void res
            .writeHead(200, { 'content-type': 'text/plain' })
            .end('User-agent: *\nDisallow: /private/\n'),
        '/to-private': redirect('/private/a.html'),
        '/private/a.html': article('私'),
        '/art/to-outside': redirect('/elsewhere/b.html'),
        '/elsewhere/b.html': article('外'),
      },
      ['/to-private', '/art/to-outside'],
      { links: { allow: ['/to-private', '/art/'] } },
    );
    expect(byPath('/to-private')).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
    expect(byPath('/to-private')[0]!.error).toMatch(/robots_disallowed/);
    expect(byPath('/art/to-outside')[0]).toMatchObject({ outcome: 'skipped' });
    expect(byPath('/art/to-outside')[0]!.error).toMatch(/link_rules/);
    expect(site!.hits('/private/a.html')).toHaveLength(0);
    expect(site!.hits('/elsewhere/b.html')).toHaveLength(0);
  });
});

describe('redirects to another host', () => {
  it('consults the other host robots.txt and records the final URL there', async () => {
    const other = await startSite({
      '/robots.txt': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /closed/\n'),
      '/open/a.html': article('彼岸'),
      '/closed/b.html': article('禁'),
    });
    try {
      const { byPath } = await crawlSite(
        'cross-host',
        {
          '/art/to-open': redirect(other.url('/open/a.html')),
          '/art/to-closed': redirect(other.url('/closed/b.html')),
        },
        ['/art/to-open', '/art/to-closed'],
        { links: { allow: ['/art/', '/open/', '/closed/'] } },
      );
      expect(byPath('/art/to-open')).toEqual([
        expect.objectContaining({ outcome: 'fetched', final_url: other.url('/open/a.html') }),
      ]);
      expect(byPath('/art/to-closed')[0]).toMatchObject({ outcome: 'skipped' });
      expect(byPath('/art/to-closed')[0]!.error).toMatch(/robots_disallowed/);
      expect(other.hits('/robots.txt')).toHaveLength(1);
      expect(other.hits('/closed/b.html')).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('status codes', () => {
  it('retries 500 then succeeds; fails 404 at once', async () => {
    const { byPath } = await crawlSite(
      'statuses',
      {
        '/art/flaky.html': (_req, res, n) => {
          if (n === 1)
            return void res
              .writeHead(500, { 'content-type': 'text/html' })
              .end('<h1>500 Internal Server Error</h1>');
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(articlePage('恢复', ['好了']));
        },
      },
      ['/art/flaky.html', '/art/gone.html'],
    );
    expect(byPath('/art/flaky.html').map((r) => [r.outcome, r.status])).toEqual([
      ['retry', 500],
      ['fetched', 200],
    ]);
    expect(byPath('/art/gone.html').map((r) => [r.outcome, r.status])).toEqual([['failed', 404]]);
    expect(site!.hits('/art/gone.html')).toHaveLength(1);
    expect(await failureFor(site!.url('/art/flaky.html'))).toBeUndefined();
    expect(await recordedFailure(site!.url('/art/gone.html'))).toMatchObject({
      permanent: true,
      error_code: 'http_404',
    });
  });

  it('429 with Retry-After backs the whole host off without using an attempt', async () => {
    const { crawlId, byPath } = await crawlSite(
      'busy',
      {
        '/art/busy.html': (_req, res, n) => {
          if (n === 1)
            return void res
              .writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' })
              .end('slow down');
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage('忙', ['稍后']));
        },
        '/art/b.html': article('b'),
        '/art/c.html': article('c'),
      },
      ['/art/busy.html', '/art/b.html', '/art/c.html'],
      { politeness: { maxInFlight: 1, minIntervalMs: 0 } },
    );
    expect(byPath('/art/busy.html').map((r) => [r.outcome, r.status])).toEqual([
      ['retry', 429],
      ['fetched', 200],
    ]);
    const answered429 = site!.hits('/art/busy.html')[0]!.endedAt!;
    const afterBusy = site!.requests.filter((r) => r.startedAt > answered429);
    // Nothing was asked of the host within the second it asked for (Redis and Node share a clock here).
    for (const r of afterBusy) expect(r.startedAt - answered429).toBeGreaterThanOrEqual(950);
    expect(afterBusy.some((r) => r.path === '/art/busy.html')).toBe(true);
    const job = await h.deps.queues.get('crawler').getJob(fetchJobId(crawlId, site!.url('/art/busy.html')));
    // Two runs, and only the one that completed counted as an attempt.
    expect(job?.attemptsStarted).toBe(2);
    expect(job?.attemptsMade).toBe(1);
  });
});

describe('bodies', () => {
  it('gives up on a server that stalls mid-body (body timeout), retrying as transient', async () => {
    const { byPath } = await crawlSite(
      'stall',
      {
        '/art/stall.html': (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '5000' });
          res.write('<html><body><p>柯桥区'.padEnd(1000, '。'));
          // …and nothing more.
        },
      },
      ['/art/stall.html'],
    );
    expect(byPath('/art/stall.html').map((r) => r.outcome)).toEqual(['retry', 'retry', 'failed']);
    expect(byPath('/art/stall.html')[0]!.error).toMatch(/UND_ERR_BODY_TIMEOUT/);
    expect(await recordedFailure(site!.url('/art/stall.html'))).toMatchObject({
      permanent: false,
      error_code: 'timeout',
      attempts: 3,
    });
  });

  it('fails a 50 MB body permanently, with or without Content-Length, without reading it all', async () => {
    const sent: Record<string, number> = {};
    const big =
      (withLength: boolean): Route =>
      (req, res) => {
        const total = 50 * 1024 * 1024;
        const chunk = Buffer.alloc(64 * 1024, 'a');
        res.writeHead(200, {
          'content-type': 'text/html',
          ...(withLength ? { 'content-length': String(total) } : {}),
        });
        let written = 0;
        const pump = () => {
          while (written < total) {
            written += chunk.length;
            sent[req.url!] = written;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      };
    const { byPath } = await crawlSite(
      'big',
      { '/art/big.html': big(true), '/art/big-chunked.html': big(false) },
      ['/art/big.html', '/art/big-chunked.html'],
    );
    for (const p of ['/art/big.html', '/art/big-chunked.html']) {
      expect(byPath(p)).toEqual([expect.objectContaining({ outcome: 'failed' })]);
      expect(byPath(p)[0]!.error).toMatch(/too_large.*exceeds FETCH_MAX_BYTES \(10485760 bytes\)/);
      expect(site!.hits(p)).toHaveLength(1);
    }
    expect(sent['/art/big-chunked.html']).toBeLessThan(50 * 1024 * 1024);
  });

  it('records non-HTML as skipped, and PDFs as attachments of the linking page', async () => {
    const { byPath } = await crawlSite(
      'nonhtml',
      {
        '/download': (_req, res) =>
          void res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4 ...'),
        '/pic': (_req, res) =>
          void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100)),
        '/api': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
      },
      ['/download?id=7', '/pic', '/api'],
    );
    for (const p of ['/download?id=7', '/pic', '/api']) {
      expect(byPath(p)).toEqual([expect.objectContaining({ outcome: 'skipped', status: 200 })]);
      expect(byPath(p)[0]!.error).toMatch(/not_html/);
    }
    const att = await h.deps.db
      .selectFrom('page_attachments')
      .selectAll()
      .where('url', '=', site!.url('/download?id=7'))
      .execute();
    expect(att).toEqual([
      expect.objectContaining({ page_url: site!.url('/'), content_type: 'application/pdf' }),
    ]);
    expect(
      await h.deps.db.selectFrom('pages').select('url').where('url', 'like', `${site!.origin}%`).execute(),
    ).toEqual([]);
  });
});

describe('robots.txt', () => {
  it('skips disallowed URLs (not failed) and honours Crawl-delay', async () => {
    const { byPath } = await crawlSite(
      'robots',
      {
        '/robots.txt': (_req, res) =>
          void res
            .writeHead(200, { 'content-type': 'text/plain' })
            .end('User-agent: *\nDisallow: /search/\nCrawl-delay: 0.5\n'),
        '/art/1.html': article('一'),
        '/art/2.html': article('二'),
        '/search/x.html': article('搜索'),
      },
      ['/art/1.html', '/art/2.html', '/search/x.html'],
      { politeness: { maxInFlight: 3, minIntervalMs: 0 } },
    );
    expect(byPath('/search/x.html')).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
    expect(byPath('/search/x.html')[0]!.error).toMatch(/robots_disallowed/);
    expect(site!.hits('/search/x.html')).toHaveLength(0);
    expect(await failureFor(site!.url('/search/x.html'))).toBeUndefined();
    const starts = site!.requests.map((r) => r.startedAt);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(490);
    expect(site!.hits('/robots.txt')).toHaveLength(1);
  });

  it('skips a host whose Crawl-delay is above the cap, and treats robots 5xx as disallow-until-it-answers', async () => {
    const { byPath } = await crawlSite(
      'slowhost',
      { '/robots.txt': (_req, res) => void res.writeHead(200).end('User-agent: *\nCrawl-delay: 120\n') },
      [],
    );
    expect(byPath('/')[0]).toMatchObject({ outcome: 'skipped' });
    expect(byPath('/')[0]!.error).toMatch(/crawl_delay_too_long/);
    await site!.close();

    const { byPath: b2 } = await crawlSite(
      'robots5xx',
      { '/robots.txt': (_req, res) => void res.writeHead(503).end('down') },
      ['/art/1.html'],
    );
    expect(b2('/').map((r) => r.outcome)).toEqual(['retry', 'retry', 'failed']);
    expect(b2('/')[0]!.error).toMatch(/robots_unavailable/);
    expect(site!.hits('/')).toHaveLength(0);
  });
});
