import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '@govwire/shared/testing';
import { HttpClient, httpClientOptions } from '../src/fetch/http-client';
import { startSite, type Site } from './site';

const page =
  '<html><head><meta charset="utf-8"><title>浙江要闻</title></head><body><p>共同富裕示范区建设稳步推进。</p></body></html>';
let site: Site;
let http: HttpClient;

beforeAll(async () => {
  const encoded: Record<string, Buffer> = {
    gzip: gzipSync(page),
    deflate: deflateSync(page),
    br: brotliCompressSync(page),
    // Sent as `deflate` without the zlib wrapper, as some old servers do.
    'deflate-raw': deflateRawSync(page),
  };
  site = await startSite({
    // A server that never pauses long enough for the body timeout, and never ends.
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const timer = setInterval(() => res.write('<p>.</p>'), 50);
      res.on('close', () => clearInterval(timer));
    },
    '/plain': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
    '/enc': (req, res) => {
      const accepted = String(req.headers['accept-encoding']);
      const which = req.url!.split('=')[1]!;
      const header = which === 'deflate-raw' ? 'deflate' : which;
      if (!accepted.includes(header)) return void res.writeHead(406).end();
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': header })
        .end(encoded[which]);
    },
  });
  http = new HttpClient(
    httpClientOptions(
      testConfig({
        CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
        CRAWLER_CONTACT_URL: 'https://example.org/govwire-contact',
      }),
    ),
  );
});
afterAll(async () => {
  await http.close();
  await site.close();
});

describe('HttpClient', () => {
  it('cuts a whole fetch at its deadline and says timeout', async () => {
    const quick = new HttpClient({
      ...http.opts,
      connectTimeoutMs: 100,
      headersTimeoutMs: 100,
      bodyTimeoutMs: 300, // deadline: 100 + 100 + 2 × 300 = 800 ms; the trickle never pauses 300 ms
    });
    try {
      await expect(quick.fetch({ url: site.url('/trickle') })).rejects.toMatchObject({
        name: 'TransientError',
        code: 'timeout',
      });
    } finally {
      await quick.close();
    }
  });

  it('names govwire and the contact URL in its User-Agent', async () => {
    const res = await http.fetch({ url: site.url('/plain') });
    expect(res.body!.toString('utf8')).toBe(page);
    const ua = site.hits('/plain')[0]!.headers['user-agent']!;
    expect(ua).toMatch(/govwire/);
    expect(ua).toContain('https://example.org/govwire-contact');
  });

  it.each(['gzip', 'deflate', 'br', 'deflate-raw'])(
    'decodes %s bodies to the original bytes',
    async (enc) => {
      const res = await http.fetch({ url: site.url(`/enc?e=${enc}`) });
      expect(res.status).toBe(200);
      expect(res.body!.toString('utf8')).toBe(page);
      expect(res.bytes).toBe(Buffer.byteLength(page));
      expect(res.headers['content-encoding']).toBe(enc === 'deflate-raw' ? 'deflate' : enc);
    },
  );

  it('refuses loopback hosts that are not allowlisted, before connecting', async () => {
    const strict = new HttpClient(httpClientOptions(testConfig({ CRAWLER_ALLOWED_PRIVATE_HOSTS: '' })));
    try {
      const before = site.requests.length;
      await expect(strict.fetch({ url: site.url('/plain') })).rejects.toMatchObject({
        code: 'private_address',
      });
      await expect(
        strict.fetch({ url: site.url('/plain').replace('127.0.0.1', 'localhost') }),
      ).rejects.toMatchObject({
        code: 'private_address',
      });
      expect(site.requests.length).toBe(before);
    } finally {
      await strict.close();
    }
  });
});
