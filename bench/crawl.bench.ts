/**
 * `pnpm bench:crawl`: the crawler against a local site.
 *   1. politeness off: N pages (BENCH_PAGES, default 1000) from a sitemap through one crawler
 *      process; pages/s and that process's peak RSS (VmHWM);
 *   2. the peer: Crawlee's CheerioCrawler on the same kind of site, same concurrency, in its own
 *      process (bench/crawlee-peer.ts); pages/s and its peak RSS, in the same run;
 *   3. politeness on: M pages (BENCH_POLITE_PAGES, default 60) with a minimum interval
 *      (BENCH_INTERVAL_MS, default 100), BENCH_MAX_IN_FLIGHT (default 1) and two crawler
 *      processes, quiet and then beside BENCH_HOGS (default 1) CPU-bound processes; prints the
 *      request interval the server measured and the share of the politeness budget used
 *      (configured interval / mean measured interval).
 * Needs the local Redis and PostgreSQL (a scratch database is created and dropped).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceDeps, closeServiceDeps, type Config } from '../packages/shared/src/index';
import { createTestDatabase, deleteQueuePrefix, testConfig, waitFor } from '../packages/shared/src/testing';
import { startCrawl, syncSources, validateSources } from '../services/crawler/src/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_PAGES ?? 1000);
const M = Number(process.env.BENCH_POLITE_PAGES ?? 60);
const HOGS = Number(process.env.BENCH_HOGS ?? 1);
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
  /** When each response was finished, by start: what the gate counts the interval from. */
  ends: number[];
  close(): Promise<void>;
}

async function startSite(pages: number): Promise<BenchSite> {
  const starts: number[] = [];
  const ends: number[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/robots.txt') return void res.writeHead(404).end();
    starts.push(performance.timeOrigin + performance.now());
    res.on('finish', () => ends.push(performance.timeOrigin + performance.now()));
    if (process.env.BENCH_DEBUG)
      console.error(
        'REQ',
        (performance.timeOrigin + performance.now()).toFixed(1),
        url,
        req.socket.remotePort,
      );
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
    ends,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/**
 * The polite run's site in a process of its own (this file, BENCH_SITE_CHILD=pages): its stamps
 * then wait for nothing but its own loop, not the bench's polling. It prints its origin, and its
 * stamps as JSON when its stdin closes.
 */
interface RemoteSite {
  origin: string;
  pid: number;
  /** Stops the site and returns its stamps. */
  finish(): Promise<{ starts: number[]; ends: number[] }>;
}

async function startSiteProcess(pages: number): Promise<RemoteSite> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: root,
    env: { ...process.env, BENCH_SITE_CHILD: String(pages) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      waiters.splice(0).forEach((w) => w());
    }
  });
  const line = async (n: number) => {
    while (lines.length <= n) await new Promise<void>((r) => waiters.push(r));
    return lines[n]!;
  };
  const origin = await line(0);
  return {
    origin,
    pid: child.pid!,
    async finish() {
      child.stdin!.end();
      return JSON.parse(await line(1)) as { starts: number[]; ends: number[] };
    },
  };
}

async function siteChild(pages: number): Promise<void> {
  const site = await startSite(pages);
  console.log(site.origin);
  process.stdin.resume();
  await new Promise((r) => process.stdin.once('end', r));
  console.log(JSON.stringify({ starts: site.starts, ends: site.ends }));
  await site.close();
}

function startCrawler(config: Config, concurrency: number): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(config)) env[k] = Array.isArray(v) ? v.join(',') : String(v);
  env.CRAWLER_CONCURRENCY = String(concurrency);
  env.LOG_LEVEL = process.env.BENCH_CRAWLER_LOG_LEVEL ?? 'warn';
  // node itself (not the tsx wrapper) so the pid's VmHWM is the crawler's peak RSS.
  return spawn(
    process.execPath,
    [
      // BENCH_CRAWLER_NODE_ARGS: extra node flags for the crawler processes (e.g. --cpu-prof).
      ...(process.env.BENCH_CRAWLER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      path.join(root, process.env.BENCH_CRAWLER_ENTRY ?? 'services/crawler/src/main.ts'),
    ],
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

function raisePriority(pid: number): boolean {
  try {
    setPriority(pid, -10);
    return true;
  } catch {
    return false;
  }
}

/** Busy loops beside the crawlers: the machine under load. */
function startHogs(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function fastRun(tdbUrl: string, configs: Config[]) {
  const site = await startSite(N);
  const config = testConfig({
    DATABASE_URL: tdbUrl,
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
  return { rate: N / seconds, seconds, rss, cpu };
}

async function crawleeRun() {
  const site = await startSite(N);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/crawlee-peer.ts'),
      `${site.origin}/sitemap.xml`,
      String(CONCURRENCY),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`crawlee peer exited ${code}`)));
  });
  const { pages, seconds } = JSON.parse(line) as { pages: number; seconds: number };
  const rss = peakRssMb(child.pid!);
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.end();
  await exited;
  await site.close();
  if (pages !== N) throw new Error(`crawlee fetched ${pages} of ${N} pages`);
  return { rate: N / seconds, seconds, rss };
}

async function politeRun(tdbUrl: string, configs: Config[], hogs: number) {
  const polite = await startSiteProcess(M);
  const config = testConfig({
    DATABASE_URL: tdbUrl,
    LOG_LEVEL: 'warn',
    CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    PARSE_QUEUE_HIGH_WATER: String(M * 4),
  });
  configs.push(config);
  const deps = createServiceDeps('bench', config);
  const id = `bench-polite-${hogs}`;
  await syncSources(
    deps.db,
    validateSources({
      sources: [
        {
          id,
          name: 'bench (politeness on)',
          startUrls: [{ url: `${polite.origin}/sitemap.xml`, kind: 'sitemap' }],
          politeness: { maxInFlight: POLITE_IN_FLIGHT, minIntervalMs: INTERVAL_MS },
          maxPagesPerRun: M + 10,
        },
      ],
    }),
  );
  await closeServiceDeps(deps);
  const crawlers = [startCrawler(config, 8), startCrawler(config, 8)];
  const hogProcs = startHogs(hogs);
  // The site is the instrument: on a loaded machine its event loop can stall for tens of ms, and a
  // request stamped late makes the next gap look short. It runs alone in its process, raised above
  // the crawlers and the hogs when allowed (root); the output says which.
  const sharpened = raisePriority(polite.pid);
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const seconds = await runCrawl(config, id, M, 600_000);
    const stamps = await polite.finish();
    const starts = [...stamps.starts].sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // The first gap is the sitemap's: it holds reading it and queueing the articles (discovery),
    // not only politeness. Shown apart as well, never instead.
    const gaps0 = gaps[0]!;
    const articleGaps = gaps.slice(1);
    const articleMean = articleGaps.reduce((a, b) => a + b, 0) / articleGaps.length;
    gaps.sort((a, b) => a - b);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const pct = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]!;
    console.log(
      `politeness on${hogs ? `, beside ${hogs} CPU hog(s)` : ', quiet'}: ${M} pages (+1 sitemap) in ${seconds.toFixed(2)} s by 2 crawler processes, one host` +
        (sharpened ? ' (site at nice -10)' : ' (site at normal priority: its stamps may lag under load)'),
    );
    console.log(
      `  configured minimum interval ${INTERVAL_MS} ms, max in flight ${POLITE_IN_FLIGHT}; measured at the server: min ${gaps[0]!.toFixed(1)} ms, ` +
        `median ${pct(0.5).toFixed(1)} ms, mean ${mean.toFixed(1)} ms, p90 ${pct(0.9).toFixed(1)} ms, max ${gaps.at(-1)!.toFixed(1)} ms`,
    );
    // How long after a response ended the next request came: the interval plus what it cost to
    // notice the end, wake a waiting job and send.
    const ends = [...stamps.ends].sort((a, b) => a - b);
    const after = starts.slice(1).map((t, i) => t - ends[i]!);
    const afterMean = after.reduce((a, b) => a + b, 0) / after.length;
    console.log(
      `  politeness budget used: ${((100 * INTERVAL_MS) / mean).toFixed(1)}%, minimum interval seen by the server ${gaps[0]!.toFixed(1)} ms ` +
        `(response end to next request: mean ${afterMean.toFixed(1)} ms)`,
    );
    console.log(
      `  between articles only (without the sitemap-to-first-article gap of ${gaps0.toFixed(0)} ms): ` +
        `${((100 * INTERVAL_MS) / articleMean).toFixed(1)}% of the budget`,
    );
  } finally {
    for (const h of hogProcs) h.kill('SIGKILL');
    await Promise.all(crawlers.map(stopCrawler));
    await polite.finish().catch(() => undefined);
  }
}

if (process.env.BENCH_SITE_CHILD) await siteChild(Number(process.env.BENCH_SITE_CHILD));
else await main();

async function main() {
  const tdb = await createTestDatabase();
  const configs: Config[] = [];
  // BENCH_PARTS: which parts to run (default all): fast (with the peer), polite.
  const parts = (process.env.BENCH_PARTS ?? 'fast,polite').split(',');
  try {
    if (parts.includes('fast')) await fastAndPeer(tdb.url, configs);
    if (parts.includes('polite')) {
      await politeRun(tdb.url, configs, 0);
      if (HOGS > 0) await politeRun(tdb.url, configs, HOGS);
    }
  } finally {
    for (const c of configs) await deleteQueuePrefix(c.REDIS_URL, c.QUEUE_PREFIX);
    await tdb.drop();
  }
}

async function fastAndPeer(tdbUrl: string, configs: Config[]) {
  const ours = await fastRun(tdbUrl, configs);
  const peer = await crawleeRun();
  console.log(`politeness off, ${N} pages (+1 sitemap) from one local site, concurrency ${CONCURRENCY}:`);
  console.log(
    `  govwire crawler (fetch, store, queue for parsing) ${ours.rate.toFixed(1)} pages/s, peak RSS ${ours.rss.toFixed(0)} MB, ` +
      `CPU ${ours.cpu.toFixed(2)} s (${((ours.cpu / N) * 1000).toFixed(1)} ms per page)`,
  );
  console.log(
    `  Crawlee CheerioCrawler (fetch, parse)              ${peer.rate.toFixed(1)} pages/s, peak RSS ${peer.rss.toFixed(0)} MB`,
  );
  console.log(`  ratio ${(ours.rate / peer.rate).toFixed(2)}`);
}
