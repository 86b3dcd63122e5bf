import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  PermanentError,
  startQueueWorker,
  UsageError,
  type HandlerMap,
  type ServiceDeps,
  type StartedWorker,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { startDashboard, type Dashboard } from '../src/dashboard/server';
import { checkCredentials, dashboardCredentials, parseBasicAuth } from '../src/dashboard/auth';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('dashboard credentials', () => {
  it('refuses to start on a network address without credentials', async () => {
    const config = testConfig({ DATABASE_URL: tdb.url, DASHBOARD_HOST: '0.0.0.0', DASHBOARD_PORT: '0' });
    await expect(startDashboard(config)).rejects.toThrow(UsageError);
    await expect(startDashboard(config)).rejects.toThrow(/without DASHBOARD_USER and DASHBOARD_PASSWORD/);
    expect(() => dashboardCredentials({ DASHBOARD_HOST: '127.0.0.1', DASHBOARD_USER: 'ops' })).toThrow(
      /both/,
    );
    expect(dashboardCredentials({ DASHBOARD_HOST: 'localhost' })).toBeNull();
    expect(dashboardCredentials({ DASHBOARD_HOST: '::1' })).toBeNull();
  });
  it('parses and checks basic auth', () => {
    const expected = { user: 'ops', password: 'p:ss wörd' };
    expect(parseBasicAuth(basic('ops', 'p:ss wörd'))).toEqual(expected);
    expect(checkCredentials(parseBasicAuth(basic('ops', 'p:ss wörd')), expected)).toBe(true);
    expect(checkCredentials(parseBasicAuth(basic('ops', 'p:ss')), expected)).toBe(false);
    expect(checkCredentials(parseBasicAuth(basic('Ops', 'p:ss wörd')), expected)).toBe(false);
    expect(parseBasicAuth('Bearer abc')).toBeNull();
    expect(parseBasicAuth(undefined)).toBeNull();
  });
});

describe('dashboard server', () => {
  let deps: ServiceDeps;
  let worker: StartedWorker;
  let dash: Dashboard;
  beforeAll(async () => {
    const config = testConfig({
      DATABASE_URL: tdb.url,
      DASHBOARD_PORT: '0',
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD: 's3cret',
      JOB_ATTEMPTS: '1',
    });
    deps = createServiceDeps('dash-test', config);
    dash = await startDashboard(config);
    const handlers: HandlerMap<'crawler'> = {
      'crawl-source': async () => 'ok',
      'fetch-page': async (d) => {
        throw new PermanentError('http_404', `HTTP 404 for ${d.url}`);
      },
    };
    worker = startQueueWorker('crawler', deps, handlers, 2);
  });
  afterAll(async () => {
    await worker.stop();
    await dash.close();
    await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
    await closeServiceDeps(deps);
  });

  it('asks for credentials on the board and /metrics, and accepts the right ones', async () => {
    const none = await fetch(`${dash.url}/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="govwire"/);
    expect(
      (await fetch(`${dash.url}/queues`, { headers: { authorization: basic('ops', 'wrong') } })).status,
    ).toBe(401);
    expect((await fetch(`${dash.url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${dash.url}/queues`, { headers: { authorization: basic('ops', 's3cret') } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<html');
    const api = await fetch(`${dash.url}/queues/api/queues?activeQueue=crawler&status=failed`, {
      headers: { authorization: basic('ops', 's3cret') },
    });
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues
      .map((q) => q.name)
      .sort();
    expect(names).toEqual(['crawler', 'indexer', 'parser']);
  });

  it('/healthz checks Redis and Postgres without credentials', async () => {
    const r = await fetch(`${dash.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', redis: 'ok', postgres: 'ok' });
  });

  it('/metrics counts completed and failed jobs per queue, durations and depth', async () => {
    const q = deps.queues;
    await q.enqueue('crawl-source', { sourceId: 's1', crawlId: 's1:1' });
    await q.enqueue('crawl-source', { sourceId: 's2', crawlId: 's2:1' });
    await q.enqueue('fetch-page', {
      sourceId: 's1',
      crawlId: 's1:1',
      url: 'http://s1.test/x.html',
      kind: 'article',
    });
    const scrape = async () =>
      (await fetch(`${dash.url}/metrics`, { headers: { authorization: basic('ops', 's3cret') } })).text();
    const body = await waitFor(
      async () => {
        const t = await scrape();
        return t.includes('govwire_jobs_completed_total{queue="crawler",job="crawl-source"} 2') &&
          t.includes('govwire_jobs_failed_total{queue="crawler",job="fetch-page"} 1')
          ? t
          : null;
      },
      { what: 'completion and failure counters' },
    );
    expect(body).toContain('govwire_job_duration_seconds_count{queue="crawler",job="crawl-source"} 2');
    expect(body).toContain('govwire_queue_jobs{queue="crawler",state="failed"} 1');
    expect(body).toContain('govwire_queue_jobs{queue="crawler",state="completed"} 2');
    expect(body).toContain('govwire_queue_jobs{queue="parser",state="waiting"} 0');
    expect(body).toContain('govwire_queue_paused{queue="indexer"} 0');
  });
});
