/**
 * `pnpm bench:crawl`: the crawler against a local site.
 *   1. politeness off: N pages (BENCH_PAGES, default 1000) through one crawler process; prints
 *      pages/s and that process's peak RSS (VmHWM).
 *   2. politeness on: M pages (BENCH_POLITE_PAGES, default 40) with a minimum interval
 *      (BENCH_INTERVAL_MS, default 100), BENCH_MAX_IN_FLIGHT (default 1) and two crawler
 *      processes; prints the request interval the server measured against the configured one.
 * Needs the local Redis and PostgreSQL (a scratch database is created and dropped).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceDeps, closeServiceDeps, type Config } from '../packages/shared/src/index';
import { createTestDatabase, deleteQueuePrefix, testConfig, waitFor } from '../packages/shared/src/testing';
import { startCrawl, syncSources, validateSources } from '../services/crawler/src/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_PAGES ?? 1000);
const M = Number(process.env.BENCH_POLITE_PAGES ?? 40);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
// As the government sources in seeds/sources.yaml are configured: one request at a time.
const POLITE_IN_FLIGHT = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 1);

// A realistic article: ~12 KB of GBK-free UTF-8 Chinese text, as government pages run.
const paragraph =
  '柯桥区地区生产总值1901亿元，增长4.5%；农村居民人均可支配收入首破"五万元"，增长7.4%，居全省第一。';
function article(i: number): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>文章 ${i}</title></head><body><div class="article"><h1>文章 ${i}</h1>${Array.from(
    { length: 60 },
    () => `<p>${paragraph}</p>`,
  ).join('')}</div></body></html>`;
}

interface BenchSite {
  origin: string;
  starts: number[];
  close(): Promise<void>;
}

async function startSite(pages: number): Promise<BenchSite> {
  const starts: number[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/robots.txt') return void res.writeHead(404).end();
    starts.push(performance.timeOrigin + performance.now());
    if (process.env.BENCH_DEBUG)
      console.log('REQ', (performance.timeOrigin + performance.now()).toFixed(1), url, req.socket.remotePort);
    if (url === '/sitemap.xml') {
      const locs = Array.from(
        { length: pages },
        (_, i) => `<url><loc>http://${req.headers.host}/art/${i}.html</loc></url>`,
      );
      return void res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.join('')}</urlset>`,
        );
    }
    const m = /^\/art\/(\d+)\.html$/.exec(url);
    if (m)
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(article(Number(m[1])));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    starts,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

function startCrawler(config: Config, concurrency: number): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(config)) env[k] = Array.isArray(v) ? v.join(',') : String(v);
  env.CRAWLER_CONCURRENCY = String(concurrency);
  env.LOG_LEVEL = process.env.BENCH_CRAWLER_LOG_LEVEL ?? 'warn';
  // node itself (not the tsx wrapper) so the pid's VmHWM is the crawler's peak RSS.
  return spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, process.env.BENCH_CRAWLER_ENTRY ?? 'services/crawler/src/main.ts')],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

/** user+system CPU seconds the process has used (Linux clock ticks are 100 Hz). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function stopCrawler(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function runCrawl(config: Config, sourceId: string, pages: number, timeoutMs: number): Promise<number> {
  const deps = createServiceDeps('bench', config);
  try {
    const t0 = performance.now();
    const { crawlId } = await startCrawl(deps, sourceId, 'manual');
    await waitFor(
      async () => {
        const c = await deps.db
          .selectFrom('crawls')
          .select(['status'])
          .where('id', '=', crawlId)
          .executeTakeFirst();
        return c?.status === 'done';
      },
      { timeoutMs, intervalMs: 20, what: `${pages} pages` },
    );
    const seconds = (performance.now() - t0) / 1000;
    const fetched = await deps.db
      .selectFrom('fetch_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('crawl_id', '=', crawlId)
      .where('outcome', '=', 'fetched')
      .executeTakeFirstOrThrow();
    if (Number(fetched.n) !== pages + 1) throw new Error(`expected ${pages + 1} fetches, got ${fetched.n}`);
    return seconds;
  } finally {
    await closeServiceDeps(deps);
  }
}

const tdb = await createTestDatabase();
const configs: Config[] = [];
try {
  // ---- 1. politeness off ----
  const site = await startSite(N);
  const config = testConfig({
    DATABASE_URL: tdb.url,
    LOG_LEVEL: 'warn',
    CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    CRAWLER_MAX_LINKS_PER_PAGE: String(N + 10),
    PARSE_QUEUE_HIGH_WATER: String(N * 2),
  });
  configs.push(config);
  const deps = createServiceDeps('bench', config);
  await syncSources(
    deps.db,
    validateSources({
      sources: [
        {
          id: 'bench-fast',
          name: 'bench (politeness off)',
          startUrls: [{ url: `${site.origin}/sitemap.xml`, kind: 'sitemap' }],
          politeness: { maxInFlight: 10_000, minIntervalMs: 0 },
          maxPagesPerRun: N + 10,
        },
      ],
    }),
  );
  await closeServiceDeps(deps);
  const crawler = startCrawler(config, CONCURRENCY);
  await new Promise((r) => setTimeout(r, 1500)); // let it boot before the clock starts
  const cpu0 = cpuSeconds(crawler.pid!);
  const seconds = await runCrawl(config, 'bench-fast', N, 600_000);
  const cpu = cpuSeconds(crawler.pid!) - cpu0;
  const rss = peakRssMb(crawler.pid!);
  await stopCrawler(crawler);
  await site.close();
  console.log(
    `politeness off: ${N} pages (+1 sitemap) in ${seconds.toFixed(2)} s = ${(N / seconds).toFixed(1)} pages/s`,
  );
  console.log(
    `  crawler concurrency ${CONCURRENCY}, peak RSS of the crawler process ${rss.toFixed(0)} MB, ` +
      `its CPU ${cpu.toFixed(2)} s (${((cpu / N) * 1000).toFixed(1)} ms per page)`,
  );

  // ---- 2. politeness on: two crawler processes share one host ----
  const polite = await startSite(M);
  const config2 = testConfig({
    DATABASE_URL: tdb.url,
    LOG_LEVEL: 'warn',
    CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    PARSE_QUEUE_HIGH_WATER: String(M * 4),
  });
  configs.push(config2);
  const deps2 = createServiceDeps('bench', config2);
  await syncSources(
    deps2.db,
    validateSources({
      sources: [
        {
          id: 'bench-polite2',
          name: 'bench (politeness on)',
          startUrls: [{ url: `${polite.origin}/sitemap.xml`, kind: 'sitemap' }],
          politeness: { maxInFlight: POLITE_IN_FLIGHT, minIntervalMs: INTERVAL_MS },
          maxPagesPerRun: M + 10,
        },
      ],
    }),
  );
  await closeServiceDeps(deps2);
  const crawlers = [startCrawler(config2, 8), startCrawler(config2, 8)];
  await new Promise((r) => setTimeout(r, 1500));
  const s2 = await runCrawl(config2, 'bench-polite2', M, 600_000);
  await Promise.all(crawlers.map(stopCrawler));
  await polite.close();
  const starts = [...polite.starts].sort((a, b) => a - b);
  const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
  gaps.sort((a, b) => a - b);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const pct = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]!;
  console.log(
    `politeness on: ${M} pages (+1 sitemap) in ${s2.toFixed(2)} s by 2 crawler processes, one host`,
  );
  console.log(
    `  configured minimum interval ${INTERVAL_MS} ms, max in flight ${POLITE_IN_FLIGHT}; measured at the server: min ${gaps[0]!.toFixed(1)} ms, ` +
      `median ${pct(0.5).toFixed(1)} ms, mean ${mean.toFixed(1)} ms, p90 ${pct(0.9).toFixed(1)} ms, max ${gaps.at(-1)!.toFixed(1)} ms`,
  );
} finally {
  for (const c of configs) await deleteQueuePrefix(c.REDIS_URL, c.QUEUE_PREFIX);
  await tdb.drop();
}
