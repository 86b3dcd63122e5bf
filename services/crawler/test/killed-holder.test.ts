import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  startQueueWorker,
  type Config,
  type ServiceDeps,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { startCrawl } from '../src/jobs/crawl-source.job';
import { createCrawlerRuntime } from '../src/runtime';
import { validateSources } from '../src/sources/source-config';
import { syncSources } from '../src/sources/sync';
import { crawlerHandlers } from '../src/worker';
import { articlePage, html, listPage, startSite, type Site } from './site';

/**
 * A crawler process killed while it holds a host's only slot must not block that host for the
 * slot's old lifetime (100 s): its lease stops being renewed and another crawler gets the host
 * within one lease.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let tdb: TestDatabase;
let config: Config;
let deps: ServiceDeps;
let site: Site;
let child: ChildProcess | undefined;

function startCrawlerProcess(): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(config)) env[k] = Array.isArray(v) ? v.join(',') : String(v);
  env.CRAWLER_CONCURRENCY = '1';
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'services/crawler/src/main.ts')], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  config = testConfig({ DATABASE_URL: tdb.url, CRAWLER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' });
  deps = createServiceDeps('killed-holder-test', config);
  site = await startSite({
    '/': html(listPage('要闻', ['/art/hang.html', '/art/b.html', '/art/c.html'])),
    // Never answers: the crawler that asks holds the host's slot until it dies.
    '/art/hang.html': () => undefined,
    '/art/b.html': html(articlePage('b', ['b'])),
    '/art/c.html': html(articlePage('c', ['c'])),
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await site.close();
  await closeServiceDeps(deps);
  await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
  await tdb.drop();
});

describe('a crawler killed mid-fetch', () => {
  it('frees the host within a lease, and another crawler fetches it', async () => {
    await syncSources(
      deps.db,
      validateSources({
        sources: [
          {
            id: 'one-slot',
            name: 'one slot',
            startUrls: [site.url('/')],
            politeness: { maxInFlight: 1, minIntervalMs: 0 },
          },
        ],
      }),
    );
    child = startCrawlerProcess();
    await startCrawl(deps, 'one-slot');
    await waitFor(async () => site.hits('/art/hang.html').length > 0, {
      timeoutMs: 30_000,
      what: 'the hanging fetch',
    });
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    const runtime = createCrawlerRuntime(deps);
    const worker = startQueueWorker('crawler', deps, crawlerHandlers(deps, runtime), 2);
    try {
      // The old slot lived 100 s; a lease is 5 s. Fetched well before the old lifetime.
      await waitFor(async () => site.hits('/art/b.html').length > 0, {
        timeoutMs: 20_000,
        what: 'the host fetched again',
      });
      const b = site.hits('/art/b.html')[0]!;
      expect(b.startedAt - killedAt).toBeLessThan(20_000);
      // Still one request at a time: the dead holder's request was the only one in flight.
      expect(site.peakInFlight).toBe(1);
    } finally {
      await worker.stop();
      await runtime.gate.close();
      await runtime.http.close();
    }
  });
});
