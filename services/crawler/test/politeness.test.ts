import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@govwire/shared/testing';
import { createTestDatabase, startHarness, type Harness } from './harness';
import { articlePage, listPage, startSite, type Route, type Site } from './site';

/**
 * Three crawler workers (separate BullMQ workers, connections, HTTP clients and robots caches,
 * as three processes would have) share one host. The server measures how many requests are in
 * flight at once; the Redis gate must keep that at or under the configured limit.
 */
let tdb: TestDatabase;
let h: Harness;

beforeAll(async () => {
  tdb = await createTestDatabase();
  h = await startHarness(tdb, {}, { workers: 3, concurrency: 4 });
});
afterAll(async () => {
  await h.stop();
  await tdb.drop();
});

function slowSite(n: number, delayMs: number): Promise<Site> {
  const links = Array.from({ length: n }, (_, i) => `/art/${i}.html`);
  const slow =
    (body: string): Route =>
    (_req, res) =>
      void setTimeout(
        () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body),
        delayMs,
      );
  const routes: Record<string, Route> = { '/': slow(listPage('要闻', links)) };
  for (const l of links) routes[l] = slow(articlePage(l, ['浙江省生产总值超8万亿元。']));
  return startSite(routes);
}

describe('per-host politeness across three workers', () => {
  it('never has more than maxInFlight requests in flight on the host', async () => {
    const site = await slowSite(24, 60);
    const workersUsed = new Set<number>();
    h.workers.forEach((w, i) => w.worker.on('completed', () => workersUsed.add(i)));
    try {
      await h.addSource({
        id: 'inflight',
        startUrls: [site.url('/')],
        politeness: { maxInFlight: 2, minIntervalMs: 0 },
      });
      await h.crawl('inflight');
      // robots.txt, the list and 24 articles, each fetched once.
      expect(site.requests).toHaveLength(26);
      expect(site.peakInFlight).toBeLessThanOrEqual(2);
      expect(site.peakInFlight).toBe(2); // the limit is used, not just respected by going serial
      // More than one worker took jobs: the shared gate, not one worker's concurrency, held the line.
      expect(workersUsed.size).toBeGreaterThanOrEqual(2);
    } finally {
      await site.close();
    }
  });

  it('keeps the minimum interval between request starts', async () => {
    const site = await slowSite(6, 5);
    try {
      await h.addSource({
        id: 'interval',
        startUrls: [site.url('/')],
        politeness: { maxInFlight: 3, minIntervalMs: 150 },
      });
      await h.crawl('interval');
      expect(site.requests).toHaveLength(8);
      const starts = site.requests.map((r) => r.startedAt).sort((a, b) => a - b);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      // The gate grants on Redis's clock; the server stamps arrival. A request on a fresh socket
      // arrives a few ms later than one on a warm socket, so a gap may look shorter by that much.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150 - 20);
      const mean = (starts.at(-1)! - starts[0]!) / gaps.length;
      expect(mean).toBeGreaterThanOrEqual(150);
    } finally {
      await site.close();
    }
  });

  it('with one request in flight, requests leave at least the interval apart', async () => {
    const site = await slowSite(6, 5);
    // The workers run in this process: undici's diagnostics channel shows when each request to the
    // site was written to its socket, which is what the gate spaces (the server's stamps add its
    // own event loop's delays).
    const origin = new URL(site.url('/')).origin;
    const writes: number[] = [];
    const onSend = (m: unknown) => {
      const { request } = m as { request: { origin: unknown } };
      if (String(request.origin).replace(/\/$/, '') === origin) writes.push(performance.now());
    };
    diagnostics.subscribe('undici:client:sendHeaders', onSend);
    try {
      await h.addSource({
        id: 'serial',
        startUrls: [site.url('/')],
        politeness: { maxInFlight: 1, minIntervalMs: 150 },
      });
      await h.crawl('serial');
      expect(site.requests).toHaveLength(8);
      expect(writes).toHaveLength(8); // robots.txt, the list and 6 articles
      // Each write waits the interval after the previous one (sub-ms slack for float rounding)...
      for (let i = 1; i < writes.length; i++)
        expect(writes[i]! - writes[i - 1]!).toBeGreaterThanOrEqual(149.5);
      // ...and for the previous answer (one in flight).
      const sorted = [...site.requests].sort((a, b) => a.startedAt - b.startedAt);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i]!.startedAt).toBeGreaterThanOrEqual(sorted[i - 1]!.endedAt!);
      }
      expect(site.peakInFlight).toBe(1);
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', onSend);
      await site.close();
    }
  });
});
