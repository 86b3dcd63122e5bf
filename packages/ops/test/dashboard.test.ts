import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  PermanentError,
  sha256Hex,
  startQueueWorker,
  UsageError,
  type HandlerMap,
  type Logger,
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
import {
  allowedHosts,
  checkCredentials,
  dashboardCredentials,
  hostName,
  LoginThrottle,
  parseBasicAuth,
} from '../src/dashboard/auth';
import { boardAction } from '../src/dashboard/board-audit';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

/** A request with a Host header of our choosing (fetch sends the URL's). */
function withHost(
  url: string,
  host: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', headers: { ...opts.headers, host } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const READER = { user: 'ops', password: 'reader-secret-1' };
const ADMIN = { user: 'admin', password: 'admin-secret-12' };
const asReader = { authorization: basic(READER.user, READER.password) };
const asAdmin = { authorization: basic(ADMIN.user, ADMIN.password) };

describe('dashboard credentials and hosts', () => {
  it('refuses to start on a network address without credentials, or with short passwords', async () => {
    const config = testConfig({ DATABASE_URL: tdb.url, DASHBOARD_HOST: '0.0.0.0', DASHBOARD_PORT: '0' });
    await expect(startDashboard(config)).rejects.toThrow(UsageError);
    await expect(startDashboard(config)).rejects.toThrow(/without DASHBOARD_USER and DASHBOARD_PASSWORD/);
    expect(() => dashboardCredentials({ DASHBOARD_HOST: '127.0.0.1', DASHBOARD_USER: 'ops' })).toThrow(
      /both/,
    );
    expect(() =>
      dashboardCredentials({ DASHBOARD_HOST: '127.0.0.1', DASHBOARD_ADMIN_PASSWORD: 'long enough pw' }),
    ).toThrow('set both DASHBOARD_ADMIN_USER and DASHBOARD_ADMIN_PASSWORD, or neither');
    expect(dashboardCredentials({ DASHBOARD_HOST: 'localhost' })).toEqual({ reader: null, admin: null });
    expect(dashboardCredentials({ DASHBOARD_HOST: '::1' }).reader).toBeNull();
    // Eleven characters (CJK ones count as one each) are refused, twelve accepted.
    const short = testConfig({
      DASHBOARD_PORT: '0',
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD: '口令口令口令口令口令口令'.slice(1),
    });
    await expect(startDashboard(short)).rejects.toThrow(
      'DASHBOARD_PASSWORD is too short: use at least 12 characters',
    );
    expect(
      dashboardCredentials({
        DASHBOARD_HOST: '127.0.0.1',
        DASHBOARD_ADMIN_USER: 'admin',
        DASHBOARD_ADMIN_PASSWORD: '口令口令口令口令口令口令',
      }).admin,
    ).toEqual({ user: 'admin', password: '口令口令口令口令口令口令' });
    expect(() =>
      dashboardCredentials({
        DASHBOARD_HOST: '127.0.0.1',
        DASHBOARD_ADMIN_USER: 'a',
        DASHBOARD_ADMIN_PASSWORD: 'short',
      }),
    ).toThrow('DASHBOARD_ADMIN_PASSWORD is too short');
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

  it('answers the bound name, localhost and the configured names only', () => {
    expect(hostName('[::1]:3100')).toBe('[::1]');
    expect(hostName('::1')).toBe('[::1]');
    expect(hostName('Dash.Internal:3100')).toBe('dash.internal');
    const hosts = allowedHosts({ DASHBOARD_HOST: '0.0.0.0', DASHBOARD_ALLOWED_HOSTS: ['Dash.Internal'] });
    expect([...hosts].sort()).toEqual(['127.0.0.1', '[::1]', 'dash.internal', 'localhost']);
    expect(
      allowedHosts({ DASHBOARD_HOST: 'ops.example.org', DASHBOARD_ALLOWED_HOSTS: [] }).has('ops.example.org'),
    ).toBe(true);
  });

  it('throttles an address after too many failed logins, for the lockout window', () => {
    let now = 1_000_000;
    const t = new LoginThrottle(3, 60_000, () => now);
    expect(t.fail('10.0.0.1')).toBe(1);
    t.fail('10.0.0.1');
    expect(t.lockedForS('10.0.0.1')).toBe(0);
    t.fail('10.0.0.1');
    expect(t.lockedForS('10.0.0.1')).toBe(60);
    expect(t.lockedForS('10.0.0.2')).toBe(0);
    now += 59_000;
    expect(t.lockedForS('10.0.0.1')).toBe(1);
    now += 1_001;
    expect(t.lockedForS('10.0.0.1')).toBe(0);
  });

  it('names board calls as the CLI names the same actions', () => {
    expect(boardAction('PUT', '/api/queues/crawler/pause')).toEqual({ action: 'pause', queue: 'crawler' });
    expect(boardAction('PUT', '/api/queues/pause')).toEqual({ action: 'pause', queue: 'all' });
    expect(boardAction('PUT', '/api/queues/parser/retry/failed')).toEqual({
      action: 'replay',
      queue: 'parser',
      state: 'failed',
    });
    expect(boardAction('PUT', '/api/queues/parser/clean/failed')?.action).toBe('discard');
    expect(boardAction('PUT', '/api/queues/parser/clean/completed')?.action).toBe('clean');
    expect(boardAction('PUT', '/api/queues/crawler/fetch-1/retry')).toEqual({
      action: 'replay',
      queue: 'crawler',
      jobId: 'fetch-1',
    });
    expect(boardAction('GET', '/api/queues')).toBeNull();
  });
});

describe('dashboard server', () => {
  let deps: ServiceDeps;
  let worker: StartedWorker;
  let dash: Dashboard;
  const logLines: string[] = [];
  const failedEarly: string[] = [];
  let quietLogger: Logger;

  beforeAll(async () => {
    const config = testConfig({
      DATABASE_URL: tdb.url,
      DASHBOARD_PORT: '0',
      DASHBOARD_USER: READER.user,
      DASHBOARD_PASSWORD: READER.password,
      DASHBOARD_ADMIN_USER: ADMIN.user,
      DASHBOARD_ADMIN_PASSWORD: ADMIN.password,
      DASHBOARD_ALLOWED_HOSTS: 'dash.internal',
      DASHBOARD_LOGIN_MAX_FAILURES: '10',
      JOB_ATTEMPTS: '1',
      WORKER_HEARTBEAT_MS: '200',
    });
    deps = createServiceDeps('dash-test', config);
    // The dashboard's log, kept as JSON lines to read what it says about logins.
    const keep = (level: string) => (obj: unknown, msg?: string) =>
      logLines.push(JSON.stringify({ level, ...(obj as object), msg }));
    const logger = { info: keep('info'), warn: keep('warn'), error: keep('error') } as unknown as Logger;
    quietLogger = logger;
    dash = await startDashboard(config, { logger });
    const handlers: HandlerMap<'crawler'> = {
      'crawl-source': async () => 'ok',
      'fetch-page': async (d) => {
        throw new PermanentError('http_404', `HTTP 404 for ${d.url}`);
      },
    };
    worker = startQueueWorker('crawler', deps, handlers, 2);
    // Failed early: Bull Board cleans only jobs finished more than 5 s before ("clean all").
    for (const n of [1, 2]) {
      const id = `early-${n}`;
      await deps.queues.enqueue('fetch-page', fetchPage(`http://s1.test/early/${n}.html`), { jobId: id });
      failedEarly.push(id);
    }
  });
  afterAll(async () => {
    await worker.stop();
    await dash.close();
    await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
    await closeServiceDeps(deps);
  });

  const fetchPage = (url: string) => ({ sourceId: 's1', crawlId: 's1:1', url, kind: 'article' as const });
  const failureStatus = async (jobId: string) =>
    (await tdb.db.selectFrom('failures').select('status').where('job_id', '=', jobId).executeTakeFirst())
      ?.status;
  const auditOf = (actor: string, action: string) =>
    tdb.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('actor', '=', actor)
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .execute();

  it('asks for credentials on the board and /metrics; the reader sees a read-only board', async () => {
    const none = await fetch(`${dash.url}/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="govwire"/);
    expect((await fetch(`${dash.url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${dash.url}/queues`, { headers: asReader });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<html');
    const api = await fetch(`${dash.url}/queues/api/queues?activeQueue=crawler&status=failed`, {
      headers: asReader,
    });
    const queues = ((await api.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> }).queues;
    expect(queues.map((q) => [q.name, q.readOnlyMode]).sort()).toEqual([
      ['crawler', true],
      ['indexer', true],
      ['parser', true],
    ]);
    // Its write API refuses, and nothing changes.
    const pause = await fetch(`${dash.url}/queues/api/queues/crawler/pause`, {
      method: 'PUT',
      headers: asReader,
    });
    expect(pause.status).toBe(405);
    expect(await deps.queues.get('crawler').isPaused()).toBe(false);
    // The admin board wants the admin's login, not the reader's.
    const admin = await fetch(`${dash.url}/admin/api/queues`, { headers: asReader });
    expect(admin.status).toBe(401);
    expect(admin.headers.get('www-authenticate')).toMatch(/^Basic realm="govwire admin"/);
  });

  it('refuses other Host names, as a DNS-rebinding page sends them', async () => {
    const rebound = await withHost(`${dash.url}/admin/api/queues/crawler/pause`, 'attacker.example', {
      method: 'PUT',
      headers: asAdmin,
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('DASHBOARD_ALLOWED_HOSTS');
    expect(await deps.queues.get('crawler').isPaused()).toBe(false);
    const board = (host: string) => withHost(`${dash.url}/queues`, host, { headers: asReader });
    expect((await board('attacker.example:3100')).status).toBe(403);
    expect((await board('dash.internal:3100')).status).toBe(200);
    expect((await board('localhost:3100')).status).toBe(200);
    expect((await board('[::1]:3100')).status).toBe(200);
    // Health probes come from anywhere.
    expect([200, 503]).toContain((await withHost(`${dash.url}/healthz`, 'probe.internal')).status);
  });

  it('audits pause and resume from the admin board', async () => {
    const put = (path: string) =>
      fetch(`${dash.url}/admin/api/queues/${path}`, { method: 'PUT', headers: asAdmin });
    expect((await put('indexer/pause')).status).toBe(200);
    expect(await deps.queues.get('indexer').isPaused()).toBe(true);
    expect((await put('indexer/resume')).status).toBe(200);
    expect(await deps.queues.get('indexer').isPaused()).toBe(false);
    const rows = await waitFor(async () => {
      const [pause] = await auditOf('board:admin', 'pause');
      const [resume] = await auditOf('board:admin', 'resume');
      return pause && resume ? { pause, resume } : null;
    });
    expect(rows.pause.selection).toMatchObject({ via: 'board', queue: 'indexer', http: 200 });
    expect(rows.resume.selection).toMatchObject({ via: 'board', queue: 'indexer' });
  });

  it('deleting a failed job discards its failure, as ops discard does, and is audited', async () => {
    await deps.queues.enqueue('fetch-page', fetchPage('http://s1.test/del.html'), { jobId: 'to-delete' });
    await waitFor(async () => (await failureStatus('to-delete')) === 'failed', { what: 'the failure row' });
    const r = await fetch(`${dash.url}/admin/api/queues/crawler/to-delete/clean`, {
      method: 'PUT',
      headers: asAdmin,
    });
    expect(r.status).toBe(204);
    expect(await deps.queues.get('crawler').getJob('to-delete')).toBeUndefined();
    expect(await failureStatus('to-delete')).toBe('discarded');
    const [audit] = await waitFor(async () => {
      const rows = await auditOf('board:admin', 'discard');
      return rows.length ? rows : null;
    });
    expect(audit!.selection).toMatchObject({ via: 'board', queue: 'crawler', jobIds: ['to-delete'] });
    expect(audit!.count).toBe(1);
  });

  it('/healthz turns 503 when jobs wait and no worker is there, and 200 while one works', async () => {
    const healthz = async () => {
      const r = await fetch(`${dash.url}/healthz`);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect(await healthz()).toMatchObject({
      status: 200,
      body: { status: 'ok', redis: 'ok', postgres: 'ok' },
    });
    const page = {
      pageId: 1,
      contentHash: sha256Hex('x'),
      url: 'http://s1.test/p.html',
      finalUrl: 'http://s1.test/p.html',
      sourceId: 's1',
      crawlId: 's1:1',
      fetchedAt: '2026-11-22T00:00:00Z',
      status: 200,
    };
    await deps.queues.enqueue('parse-page', { page }, { jobId: 'parse-waits' });
    // The board shows a parse job as the page it refers to, not as the page's bytes.
    const shown = (await (
      await fetch(`${dash.url}/queues/api/queues/parser/parse-waits`, { headers: asReader })
    ).json()) as { job: { data: unknown } };
    expect(shown.job.data).toEqual({ page: { ...page, charsetOverride: null } });
    expect(JSON.stringify(shown.job.data).length).toBeLessThan(400);
    const down = await healthz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'unhealthy',
      queues: { parser: { workers: 0, waiting: 1, problem: 'no worker' }, crawler: { workers: 1 } },
    });
    const metrics = await (await fetch(`${dash.url}/metrics`, { headers: asReader })).text();
    expect(metrics).toContain('govwire_workers{queue="parser"} 0');
    expect(metrics).toContain('govwire_workers{queue="crawler"} 1');
    expect(metrics).toMatch(/govwire_queue_oldest_waiting_age_seconds\{queue="parser"\} \d+/);

    const parser = startQueueWorker('parser', deps, { 'parse-page': async () => 'parsed' }, 1);
    await waitFor(async () => (await healthz()).status === 200, { what: '/healthz to recover' });
    // The worker announces itself before it takes the job: healthy first, then the job is done.
    await waitFor(async () => (await deps.queues.get('parser').getJobState('parse-waits')) === 'completed', {
      what: 'the waiting job taken',
    });

    // The worker stops; the next job waits for nobody.
    await parser.stop();
    await deps.queues.enqueue('parse-page', { page }, { jobId: 'parse-waits-2' });
    expect((await healthz()).status).toBe(503);
  });

  it('/metrics counts jobs, durations, depth and unresolved failures per queue', async () => {
    const q = deps.queues;
    await q.enqueue('crawl-source', { sourceId: 's1', crawlId: 's1:1' });
    await q.enqueue('crawl-source', { sourceId: 's2', crawlId: 's2:1' });
    await q.enqueue('fetch-page', fetchPage('http://s1.test/x.html'), { jobId: 'metrics-404' });
    const scrape = async () => (await fetch(`${dash.url}/metrics`, { headers: asReader })).text();
    const body = await waitFor(
      async () => {
        const t = await scrape();
        // The failure row is written before BullMQ moves the job to its failed set: wait for both.
        return t.includes('govwire_jobs_completed_total{queue="crawler",job="crawl-source"} 2') &&
          t.includes('govwire_failures_unresolved{queue="crawler"} 3') &&
          t.includes('govwire_queue_jobs{queue="crawler",state="failed"} 3')
          ? t
          : null;
      },
      { what: 'completion counters and the unresolved failures' },
    );
    expect(body).toContain('govwire_job_duration_seconds_count{queue="crawler",job="crawl-source"} 2');
    // Three failed in Redis (two early ones and this one; the deleted one is gone) and in Postgres.
    expect(body).toContain('govwire_queue_jobs{queue="crawler",state="failed"} 3');
    expect(body).toContain('govwire_failures_unresolved{queue="parser"} 0');
    expect(body).toContain('govwire_queue_paused{queue="indexer"} 0');
  });

  it('"clean all" of failed jobs discards each of their failures, in one audit entry', async () => {
    const crawler = deps.queues.get('crawler');
    const finished = await Promise.all(
      failedEarly.map(async (id) => (await crawler.getJob(id))!.finishedOn!),
    );
    await new Promise((r) => setTimeout(r, Math.max(0, Math.max(...finished) + 5_100 - Date.now())));
    const r = await fetch(`${dash.url}/admin/api/queues/crawler/clean/failed`, {
      method: 'PUT',
      headers: asAdmin,
    });
    expect(r.status).toBe(200);
    for (const id of failedEarly) expect(await failureStatus(id)).toBe('discarded');
    const [audit] = await waitFor(async () => {
      const rows = (await auditOf('board:admin', 'discard')).filter(
        (a) => (a.selection as { state?: string }).state === 'failed',
      );
      return rows.length ? rows : null;
    });
    expect((audit!.selection as { jobIds: string[] }).jobIds).toEqual(expect.arrayContaining(failedEarly));
  });

  it('locks out an address after too many failed logins, and logs them without the password', async () => {
    // A dashboard of its own: the other tests' wrong logins do not count here.
    logLines.length = 0;
    const own = await startDashboard(
      { ...deps.config, DASHBOARD_LOGIN_MAX_FAILURES: 3 },
      { logger: quietLogger },
    );
    const get = (headers: Record<string, string> = {}) => fetch(`${own.url}/queues`, { headers });
    let locked: Response;
    try {
      for (const guess of ['guess-1', 'guess-2'])
        expect((await get({ authorization: basic('ops', guess) })).status).toBe(401);
      // A browser's first request carries no credentials: a challenge, not a failed login.
      for (let i = 0; i < 5; i++) expect((await get()).status).toBe(401);
      expect((await get({ authorization: basic('ops', 'guess-3') })).status).toBe(401);
      // Now even the right password is refused, for the lockout window.
      locked = await get(asReader);
    } finally {
      await own.close();
    }
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const failures = logLines.filter((l) => l.includes('dashboard login failed'));
    expect(failures).toHaveLength(3);
    expect(JSON.parse(failures[2]!)).toMatchObject({ user: 'ops', failures: 3, realm: 'govwire' });
    expect(failures.join('')).not.toContain('guess-');
  });
});
