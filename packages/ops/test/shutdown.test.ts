import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSources, syncSources } from '@govwire/crawler';
import { createServiceDeps, closeServiceDeps, listWorkers, QUEUES, type ServiceDeps } from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { startDashboard, type Dashboard } from '../src/dashboard/server';

// `pnpm start` as an operator (or a container runtime) runs it: real processes, SIGTERM to pnpm.
// Every child must exit; a job that finishes within SHUTDOWN_GRACE_MS completes, one that cannot is
// back in waiting for the next worker. With the workers gone, /healthz says so.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GRACE_MS = 3_000;

let tdb: TestDatabase;
let deps: ServiceDeps;
let site: http.Server;
let siteUrl: string;
let dir: string;
let dash: Dashboard;
const arrived = new Set<string>();
const held: http.ServerResponse[] = [];

const ARTICLE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>柯桥区召开经济工作会议</title></head>
<body><div class="article"><h1>柯桥区召开经济工作会议</h1><p>会议指出，2024年柯桥区地区生产总值同比增长6.1%，
全体居民人均可支配收入稳步提高，城乡居民收入比进一步缩小。</p></div></body></html>`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  site = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    arrived.add(p);
    if (p === '/robots.txt')
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    else if (p === '/slow.html')
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE),
        1_500,
      );
    // Answers only when the test ends: its fetch cannot finish within any grace period.
    else if (p === '/hang.html') held.push(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(tmpdir(), 'govwire-shutdown-'));
  writeFileSync(
    path.join(dir, 'sources.yaml'),
    `sources:\n  - id: shutdown-site\n    name: shutdown test site\n    startUrls: ['${siteUrl}/']\n` +
      '    politeness: { minIntervalMs: 0, maxInFlight: 4 }\n',
  );
  deps = createServiceDeps(
    'shutdown-test',
    testConfig({ DATABASE_URL: tdb.url, SOURCES_FILE: path.join(dir, 'sources.yaml') }),
  );
  await syncSources(deps.db, loadSources(deps.config.SOURCES_FILE));
  dash = await startDashboard({ ...deps.config, DASHBOARD_PORT: 0 });
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await dash?.close();
  await new Promise((r) => site.close(r));
  await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  await closeServiceDeps(deps);
  rmSync(dir, { recursive: true, force: true });
  await tdb.drop();
});

describe('pnpm start under SIGTERM', () => {
  let pnpm: ChildProcess | undefined;
  afterAll(() => {
    // A failed test must not leave the tree running.
    if (pnpm?.pid && alive(pnpm.pid)) process.kill(-pnpm.pid, 'SIGKILL');
  });

  it('lets a job finish, hands the stuck one back, and leaves no child behind', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: tdb.url,
      QUEUE_PREFIX: deps.config.QUEUE_PREFIX,
      SOURCES_FILE: deps.config.SOURCES_FILE,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      WORKER_HEARTBEAT_MS: '500',
      CRAWLER_ALLOWED_PRIVATE_HOSTS: new URL(siteUrl).host,
      FETCH_HEADERS_TIMEOUT_MS: '120000',
      LOG_LEVEL: 'info',
    };
    pnpm = spawn('pnpm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    pnpm.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    pnpm.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((r) => pnpm!.once('exit', (code) => r(code)));

    const childPids = () =>
      log
        .split('\n')
        .filter((l) => l.includes('"msg":"started"'))
        .map((l) => (JSON.parse(l) as { pid: number }).pid);
    // The crawler is enough to run the jobs; the other children may still be loading when the
    // signal comes, and must exit all the same.
    await waitFor(
      async () => (await listWorkers(deps.redis, deps.config.QUEUE_PREFIX, 'crawler')).length === 1,
      { timeoutMs: 45_000, what: `the crawler worker announced\n${log}` },
    );
    expect(childPids()).toHaveLength(4);
    expect((await fetch(`${dash.url}/healthz`)).status).toBe(200);

    const fetchJob = (name: string) => ({
      sourceId: 'shutdown-site',
      crawlId: 'shutdown-site:1',
      url: `${siteUrl}/${name}.html`,
      kind: 'article' as const,
    });
    await deps.queues.enqueue('fetch-page', fetchJob('slow'), { jobId: 'slow' });
    await deps.queues.enqueue('fetch-page', fetchJob('hang'), { jobId: 'hang' });
    await waitFor(async () => arrived.has('/slow.html') && arrived.has('/hang.html'), {
      what: 'both fetches under way',
    });

    process.kill(pnpm.pid!, 'SIGTERM');
    const code = await exited;
    expect(code, log).toBe(0);
    const crawler = deps.queues.get('crawler');
    expect(await crawler.getJobState('slow')).toBe('completed');
    expect(await crawler.getJobState('hang')).toBe('waiting');
    expect((await crawler.getJob('hang'))!.attemptsMade).toBe(0);
    expect(log).toContain('grace period over: jobs still running were put back in the queue');
    // Each child stopped by itself, none had to be killed: the crawler after handing its job back,
    // a child still loading when the signal came by the signal itself.
    const stops = log
      .split('\n')
      .filter((l) => l.includes('"msg":"stopped"') && l.includes('"service":"supervisor"'))
      .map((l) => JSON.parse(l) as { child: string; code: number | null; signal: string | null });
    expect(stops).toHaveLength(4);
    expect(stops.find((x) => x.child === 'crawler')).toMatchObject({ code: 0 });
    for (const x of stops) expect([x.code, x.signal]).toContain(x.code === 0 ? 0 : 'SIGTERM');
    expect(log).not.toContain('did not stop in time');
    for (const pid of childPids()) {
      expect(alive(pid), `child ${pid} survived`).toBe(false);
      // Nor anything it started (tsx's esbuild service): its process group is empty.
      expect(alive(-pid), `process group ${pid} survived`).toBe(false);
    }
    for (const q of QUEUES) expect(await listWorkers(deps.redis, deps.config.QUEUE_PREFIX, q)).toEqual([]);
    // A job waits, nobody is there to take it.
    const health = await fetch(`${dash.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      queues: { crawler: { waiting: 1, workers: 0, problem: 'no worker' } },
    });
  });
});
