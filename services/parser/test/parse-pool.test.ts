import { afterAll, describe, expect, it } from 'vitest';
import { parserThreadPool, whenThreadsReady } from '../src/parse-pool';

/** The worker-thread pool the service parses in: results and errors cross the thread boundary intact. */
const pool = parserThreadPool({ threads: 1, maxParseMs: 20_000 });
afterAll(() => pool.close());

const article = `<html><body><div class="content">${'<p>近日，柯桥区获评全省高质量发展建设共同富裕示范区优秀等次，城乡居民收入倍差缩小至1.59。</p>'.repeat(5)}</div></body></html>`;

describe('parserThreadPool', () => {
  it('parses in a thread and returns the article', async () => {
    await whenThreadsReady(pool, 1);
    const r = await pool.parse({ bytes: Buffer.from(article) });
    expect(r.text).toContain('城乡居民收入倍差缩小至1.59');
  });

  it('passes a permanent parse error through with its code', async () => {
    const deep = `<html><body>${'<div>'.repeat(30_000)}<p>x</p></body></html>`;
    await expect(pool.parse({ bytes: Buffer.from(deep) })).rejects.toMatchObject({
      code: 'too_deep',
      retryable: false,
    });
  });

  it('stops a thread that overruns twice the time limit, failing the page as parse_timeout', async () => {
    const strict = parserThreadPool({ threads: 1, maxParseMs: 1 });
    try {
      await whenThreadsReady(strict, 1);
      const big = `<html><body>${'<p>近日，柯桥区获评优秀等次。</p>'.repeat(200_000)}</body></html>`;
      await expect(strict.parse({ bytes: Buffer.from(big) })).rejects.toMatchObject({
        code: 'parse_timeout',
      });
    } finally {
      await strict.close();
    }
  });

  it('times a parse from when a thread takes it, not from when the page was queued', async () => {
    // How long this page takes here, alone (the slowest of five) and back to back (fifty queued
    // at once), so the test holds on any machine.
    await whenThreadsReady(pool, 1);
    const bytes = Buffer.from(article);
    let slowest = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await pool.parse({ bytes });
      slowest = Math.max(slowest, performance.now() - t);
    }
    const t = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => pool.parse({ bytes })));
    const backToBack = (performance.now() - t) / 50;
    // Each page parses well inside the limit, but the pages queued at once take four times the
    // hard stop (twice the limit) on the pool's one thread: timed from the queue, the last fail.
    const maxParseMs = Math.ceil(Math.max(1000, 8 * slowest));
    const strict = parserThreadPool({ threads: 1, maxParseMs });
    try {
      await whenThreadsReady(strict, 1);
      const pages = Math.ceil((4 * 2 * maxParseMs) / backToBack);
      const outcomes = await Promise.allSettled(Array.from({ length: pages }, () => strict.parse({ bytes })));
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
