import type { TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markArticleUrlSeen } from '../src/repositories/crawler.repository';
import { createTestDatabase, startHarness, type Harness } from './harness';
import { articlePage, html, listPage, startSite, type Site } from './site';

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

const T0 = new Date('2026-11-01T00:00:00Z');

/** An article as the indexer stores it: one version, seen at `url` at T0. */
async function storeIndexed(url: string, hash: string): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    with a as (
      insert into articles (content_hash, title, language, body, body_simplified, first_seen_at, last_seen_at)
      values (${hash}, 'title', 'zh-Hans', 'body', 'body', ${T0}, ${T0})
      returning id
    ), v as (
      insert into article_versions (article_id, content_hash, match_kind, url, title, language, text,
                                    text_simplified, paragraphs, metrics, warnings, is_bilingual, clean_chars,
                                    first_seen_at, last_seen_at)
      select id, ${hash}, 'new', ${url}, 'title', 'zh-Hans', 'body', 'body', '[]', '[]', '[]', false, 4, ${T0}, ${T0}
        from a
    )
    insert into article_urls (url, article_id, first_seen_at, last_seen_at, last_content_hash)
    select ${url}, id, ${T0}, ${T0}, ${hash} from a
    returning article_id as id`.execute(tdb.db);
  return rows[0]!.id;
}

async function seen(articleId: number) {
  const { rows } = await sql<{ article: Date; version: Date; url: Date; updated_at: Date }>`
    select a.last_seen_at as article, v.last_seen_at as version, u.last_seen_at as url, a.updated_at
      from articles a
      join article_versions v on v.article_id = a.id
      join article_urls u on u.article_id = a.id
     where a.id = ${articleId}`.execute(tdb.db);
  return rows[0]!;
}

describe('markArticleUrlSeen', () => {
  it('moves last_seen_at of the URL, its current article and version forward, never back', async () => {
    const id = await storeIndexed('https://a.example/1.html', 'h-1');
    const t1 = new Date('2026-11-02T00:00:00Z');
    expect(await markArticleUrlSeen(h.deps.db, ['https://a.example/1.html'], t1)).toBe(true);
    const after = await seen(id);
    expect([after.article, after.version, after.url].map((d) => d.toISOString())).toEqual([
      t1.toISOString(),
      t1.toISOString(),
      t1.toISOString(),
    ]);
    // An older sighting (a delayed job) changes nothing, not even updated_at.
    await markArticleUrlSeen(h.deps.db, ['https://a.example/1.html'], T0);
    expect(await seen(id)).toEqual(after);
    expect(await markArticleUrlSeen(h.deps.db, ['https://a.example/unknown.html'], t1)).toBe(false);
  });

  it('a URL that served two articles over time: only the one it serves now is seen', async () => {
    const old = await storeIndexed('https://a.example/2.html', 'h-2-old');
    const now = await storeIndexed('https://a.example/2-new.html', 'h-2-new');
    await sql`update article_urls set url = 'https://a.example/2.html', last_seen_at = ${new Date('2026-11-01T01:00:00Z')}
               where article_id = ${now}`.execute(tdb.db);
    const t1 = new Date('2026-11-03T00:00:00Z');
    await markArticleUrlSeen(h.deps.db, ['https://a.example/2.html'], t1);
    expect((await seen(now)).article.toISOString()).toBe(t1.toISOString());
    expect((await seen(old)).article.toISOString()).toBe(T0.toISOString());
  });
});

describe('the fetch job', () => {
  it('an unchanged copy fetched again (304, or the same bytes) moves last_seen_at of its article', async () => {
    site = await startSite({
      '/': html(listPage('list', ['/art/etag.html', '/art/same.html'])),
      '/art/etag.html': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"v1"' })
          .end(articlePage('有校验', ['柯桥区地区生产总值1901亿元，增长4.5%。']));
      },
      '/art/same.html': html(articlePage('无校验', ['南湖区地区生产总值729.91亿元。'])),
    });
    await h.addSource({ id: 'seen', startUrls: [site.url('/')] });
    await h.crawl('seen');
    // The indexer's part, as it would have stored the two pages.
    const etag = await storeIndexed(site.url('/art/etag.html'), 'h-etag');
    const same = await storeIndexed(site.url('/art/same.html'), 'h-same');
    const before = new Date();
    const c2 = await h.crawl('seen');

    const outcomes = (await h.fetchLog(c2)).filter((r) => r.url.includes('/art/'));
    expect(outcomes.map((r) => [r.url, r.outcome, r.status]).sort()).toEqual([
      [site.url('/art/etag.html'), 'unchanged', 304],
      [site.url('/art/same.html'), 'unchanged', 200],
    ]);
    for (const id of [etag, same]) {
      const s = await seen(id);
      for (const d of [s.article, s.version, s.url])
        expect(d.getTime()).toBeGreaterThanOrEqual(before.getTime());
    }
  });
});
