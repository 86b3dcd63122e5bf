import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestDatabase } from '@govwire/shared/testing';
import { createTestDatabase, startHarness, waitFor, type Harness } from './harness';
import { html, startSite, type Site } from './site';

let tdb: TestDatabase;
let h: Harness;
let site: Site;

beforeAll(async () => {
  tdb = await createTestDatabase();
  site = await startSite({ '/': html('<a href="/a.html">a</a>') });
  // host:port entries admit only that port: the site listens elsewhere.
  h = await startHarness(tdb, { CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1:1' });
});
afterAll(async () => {
  await site.close();
  await h.stop();
  await tdb.drop();
});

it('refuses 127.0.0.1 on a port the allowlist does not name', async () => {
  await h.addSource({ id: 'wrong-port', startUrls: [site.url('/')] });
  const crawlId = await h.crawl('wrong-port');
  const log = await h.fetchLog(crawlId);
  expect(log).toEqual([expect.objectContaining({ url: site.url('/'), outcome: 'failed' })]);
  expect(log[0]!.error).toMatch(/private_address.*127\.0\.0\.1/);
  expect(site.requests).toHaveLength(0);
  // The crawl is marked done inside the handler; the worker wrapper records the failure just after.
  const failure = await waitFor(() => h.deps.db.selectFrom('failures').selectAll().executeTakeFirst(), {
    what: 'failure row',
  });
  expect(failure).toMatchObject({ permanent: true, error_code: 'private_address', attempts: 1 });
});
