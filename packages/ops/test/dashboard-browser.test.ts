import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job } from 'bullmq';
import { chromium, type Browser } from 'playwright-core';
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
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

// An operator in a browser: logs in, finds the failed job on the board, retries it, sees it complete.
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
      DASHBOARD_USER: 'operator',
      DASHBOARD_PASSWORD: 'correct horse',
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

  it('logs in, finds the failed job, retries it and the job completes', async () => {
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

    const context = await browser.newContext({
      httpCredentials: { username: 'operator', password: 'correct horse' },
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${dash.url}/queues/queue/crawler?status=failed`);
    await page.getByText(jobId, { exact: true }).waitFor();
    await expect(page.getByText('http://zj-gov.test/art/1.html').count()).resolves.toBeGreaterThan(0);

    mkdirSync(path.dirname(SHOT), { recursive: true });
    await page.screenshot({ path: SHOT_FAILED, fullPage: true });

    state.fixed = true;
    // The job card's retry button carries only an icon: the same icon as "Retry all", without its label.
    const retryIcon = 'svg path[d^="M5 4a2 2 0 0 0-2 2v6H0l4 4"]';
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

    await page.goto(`${dash.url}/queues/queue/crawler?status=completed`);
    await page.getByText(jobId, { exact: true }).waitFor();
    await page.screenshot({ path: SHOT, fullPage: true });
    await context.close();
  });
});
