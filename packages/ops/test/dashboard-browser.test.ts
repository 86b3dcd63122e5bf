import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job } from 'bullmq';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  PermanentError,
  TransientError,
  startQueueWorker,
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

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SHOT = path.join(ROOT, 'test-results', 'dashboard-retry.png');
const SHOT_FAILED = path.join(ROOT, 'test-results', 'dashboard-failed.png');
const SHOT_READ_ONLY = path.join(ROOT, 'test-results', 'dashboard-read-only.png');
const READER = { username: 'operator', password: 'correct horse' };
const ADMIN = { username: 'admin', password: 'battery staple admin' };
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

// An operator in a browser: logs in, finds the failed job on the read-only board, which offers no
// retry; then logs in to the admin board, retries it, sees it complete, and finds the retry audited.
describe.skipIf(!haveChromium)('dashboard in a browser', () => {
  let tdb: TestDatabase;
  let deps: ServiceDeps;
  let worker: StartedWorker;
  let dash: Dashboard;
  let browser: Browser;
  const state = { fixed: false, triedAfterFix: false };
  const jobId = `fp-browser-${Date.now().toString(36)}`;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const config = testConfig({
      DATABASE_URL: tdb.url,
      DASHBOARD_PORT: '0',
      DASHBOARD_USER: READER.username,
      DASHBOARD_PASSWORD: READER.password,
      DASHBOARD_ADMIN_USER: ADMIN.username,
      DASHBOARD_ADMIN_PASSWORD: ADMIN.password,
      JOB_ATTEMPTS: '2',
    });
    deps = createServiceDeps('browser-test', config);
    const handlers: HandlerMap<'crawler'> = {
      'crawl-source': async () => undefined,
      'fetch-page': async (d, { job }) => {
        if (!state.fixed) throw new PermanentError('http_404', `HTTP 404 for ${d.url}`);
        // The first try after the fix still fails: with 2 attempts, the job can only succeed on a second
        // try if the board's retry reset the attempt it had spent.
        if (!state.triedAfterFix) {
          state.triedAfterFix = true;
          throw new TransientError('reset', `connection reset (attempt ${job.attemptsMade + 1})`);
        }
        return 'fetched';
      },
    };
    worker = startQueueWorker('crawler', deps, handlers, 1);
    dash = await startDashboard(config);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await dash?.close();
    if (deps) {
      await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
      await closeServiceDeps(deps);
    }
    await tdb?.drop();
  });

  it('shows the failed job read-only; the admin board retries it, audited, and it completes', async () => {
    await deps.queues.enqueue(
      'fetch-page',
      { sourceId: 'zj-gov', crawlId: 'zj-gov:1', url: 'http://zj-gov.test/art/1.html', kind: 'article' },
      { jobId },
    );
    const crawler = deps.queues.get('crawler');
    await waitFor(async () => (await Job.fromId(crawler, jobId))?.failedReason, { what: 'the job to fail' });

    // Without credentials the board is closed (Chromium turns the 401 into a navigation error).
    const anonymous = await browser.newContext();
    await expect((await anonymous.newPage()).goto(`${dash.url}/queues`)).rejects.toThrow(/AUTH|401/);
    await anonymous.close();

    // The job card's retry button carries only an icon: the same icon as "Retry all", without its label.
    const retryIcon = 'svg path[d^="M5 4a2 2 0 0 0-2 2v6H0l4 4"]';
    const retryButtons = (page: Page) => page.locator(`button:has(${retryIcon})`);
    mkdirSync(path.dirname(SHOT), { recursive: true });

    const reader = await browser.newContext({
      httpCredentials: READER,
      viewport: { width: 1280, height: 800 },
    });
    const readPage = await reader.newPage();
    await readPage.goto(`${dash.url}/queues/queue/crawler?status=failed`);
    await readPage.getByText(jobId, { exact: true }).waitFor();
    await expect(readPage.getByText('http://zj-gov.test/art/1.html').count()).resolves.toBeGreaterThan(0);
    // Read-only: no retry, single or all, and no clean.
    await expect(retryButtons(readPage).count()).resolves.toBe(0);
    await expect(readPage.getByRole('button', { name: /clean all|retry all/i }).count()).resolves.toBe(0);
    await readPage.screenshot({ path: SHOT_READ_ONLY, fullPage: true });
    await reader.close();

    const admin = await browser.newContext({
      httpCredentials: ADMIN,
      viewport: { width: 1280, height: 800 },
    });
    const page = await admin.newPage();
    await page.goto(`${dash.url}/admin/queue/crawler?status=failed`);
    await page.getByText(jobId, { exact: true }).waitFor();
    await page.screenshot({ path: SHOT_FAILED, fullPage: true });

    state.fixed = true;
    const retry = page.locator(`button:has(${retryIcon}):not(:has-text("Retry all"))`);
    await expect(retry.count()).resolves.toBe(1);
    await retry.click();
    const confirm = page.getByRole('button', { name: /^(confirm|retry)$/i });
    if (await confirm.isVisible().catch(() => false)) await confirm.click();

    await waitFor(async () => (await (await Job.fromId(crawler, jobId))?.getState()) === 'completed', {
      what: 'the retried job to complete',
    });
    // Counted from the retry: the try that failed and the one that worked.
    expect((await Job.fromId(crawler, jobId))!.attemptsMade).toBe(2);
    expect(state.triedAfterFix).toBe(true);
    // The completion resolves the failure row Postgres kept for the CLI.
    await waitFor(
      async () =>
        (await tdb.db.selectFrom('failures').select('status').where('job_id', '=', jobId).executeTakeFirst())
          ?.status === 'succeeded',
      { what: 'the failure row to be marked succeeded' },
    );
    // The board's retry is in the same audit log as the CLI's replays, under the admin's name.
    // (written once the board has answered: wait for it rather than race it)
    const audit = await waitFor(async () => {
      const rows = await tdb.db
        .selectFrom('ops_audit')
        .select(['action', 'actor', 'count', 'selection'])
        .where('actor', '=', 'board:admin')
        .execute();
      return rows.length ? rows : null;
    });
    expect(audit).toEqual([
      {
        action: 'replay',
        actor: 'board:admin',
        count: 1,
        selection: { via: 'board', queue: 'crawler', jobIds: [jobId], http: 204 },
      },
    ]);

    await page.goto(`${dash.url}/admin/queue/crawler?status=completed`);
    await page.getByText(jobId, { exact: true }).waitFor();
    await page.screenshot({ path: SHOT, fullPage: true });
    await admin.close();
  });
});
