import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';
import { gzipSync } from 'node:zlib';
import { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  pagesRepo,
  PermanentError,
  sha256Hex,
  startQueueWorker,
  TransientError,
  UsageError,
  type Config,
  type HandlerMap,
  type JobInput,
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
import { closeOpsContext, createOpsContext, type OpsContext } from '../src/ops/context';
import { crawlCommand } from '../src/ops/commands/crawl';
import { discardCommand, failedCommand, replayCommand } from '../src/ops/commands/failures';
import { pauseCommand, resumeCommand } from '../src/ops/commands/queue-control';
import { reparseCommand } from '../src/ops/commands/reparse';
import { spamTermsAdd, spamTermsList, spamTermsRemove } from '../src/ops/commands/spam-terms';
import { statusCommand } from '../src/ops/commands/status';
import { followReplay } from '../src/ops/commands/replay-follow';
import { selectionFromFlags } from '../src/ops/selection';
import { runOps } from '../src/ops/program';
import { renderBulk, renderFollow } from '../src/ops/render';
import { groupFailures } from '../src/ops/repositories/ops.repository';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// The operator's morning, on the real Redis and Postgres: jobs fail on purpose through the real worker
// wrapper (which records final failures in Postgres), are found with filters, and replayed until they pass.

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

function article(title: string) {
  return {
    title,
    publishedAt: '2026-11-20',
    source: '浙江省统计局',
    language: 'zh-Hans' as const,
    text: `${title}。全省经济运行稳中有进。`,
    textSimplified: `${title}。全省经济运行稳中有进。`,
    paragraphs: [],
    removed: { boilerplate: [], spamLinks: [], spamTerms: [] },
    warnings: [],
    metrics: [],
  };
}

function indexPayload(sourceId: string, n: number): JobInput<'index-article'> {
  const url = `http://${sourceId}.test/art/${n}.html`;
  return {
    article: article(`第${n}篇`),
    page: {
      url,
      finalUrl: url,
      sourceId,
      crawlId: `${sourceId}:2026-11-22T00:00:00Z`,
      // No page row behind it: these handlers are stand-ins that never read the page.
      pageId: 1_000_000 + n,
      fetchedAt: '2026-11-22T00:00:00Z',
      status: 200,
      contentHash: sha256Hex(url),
    },
  };
}

function fetchPayload(sourceId: string, n: number): JobInput<'fetch-page'> {
  return { sourceId, crawlId: `${sourceId}:1`, url: `http://${sourceId}.test/list/${n}.html`, kind: 'list' };
}

/** A running installation: indexer and crawler workers whose handlers fail until `fixed` is set. */
function installation(overrides: Partial<Record<keyof Config, string>>) {
  const config = testConfig({ DATABASE_URL: tdb.url, JOB_ATTEMPTS: '3', ...overrides });
  const deps: ServiceDeps = createServiceDeps('ops-test', config);
  const state = { fixed: false, triedAfterFix: new Set<string>() };
  const indexer: HandlerMap<'indexer'> = {
    'index-article': async (data, { job }) => {
      // Broken until the "fix is deployed"; after that, the first attempt of a replayed job still fails
      // once: it only succeeds if the replay gave it fresh attempts.
      if (!state.fixed)
        throw new TransientError('db_error', `column "region" does not exist (${data.page.sourceId})`);
      if (!state.triedAfterFix.has(job.id!)) {
        state.triedAfterFix.add(job.id!);
        throw new TransientError('flaky', 'first attempt after the fix fails once');
      }
      return 'indexed';
    },
  };
  const crawler: HandlerMap<'crawler'> = {
    'crawl-source': async () => undefined,
    'fetch-page': async (data) => {
      if (data.sourceId === 'src-b')
        throw new PermanentError('http_404', `HTTP 404 Not Found for ${data.url}`);
      throw new PermanentError('http_410', `HTTP 410 Gone for ${data.url}`);
    },
  };
  const workers: StartedWorker[] = [
    startQueueWorker('indexer', deps, indexer, 2),
    startQueueWorker('crawler', deps, crawler, 2),
  ];
  const ctx: OpsContext = createOpsContext(config);
  return {
    config,
    deps,
    state,
    ctx,
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await closeOpsContext(ctx);
      await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
      await closeServiceDeps(deps);
    },
  };
}

const failureRows = (prefixJobs: string[]) =>
  tdb.db.selectFrom('failures').selectAll().where('job_id', 'in', prefixJobs).execute();

describe('failed, replay and discard', () => {
  let inst: ReturnType<typeof installation>;
  const ids: Record<string, string[]> = { a: [], c: [], b: [], a410: [] };
  let all: string[] = [];

  beforeAll(async () => {
    inst = installation({});
    const q = inst.deps.queues;
    // Custom ids, unique to this run, so the failures table (shared by the file) holds no look-alikes.
    const run = Math.random().toString(36).slice(2, 8);
    for (let n = 1; n <= 3; n++)
      ids.a!.push(
        (await q.enqueue('index-article', indexPayload('src-a', n), { jobId: `ia-a${n}-${run}` })).id!,
      );
    ids.c!.push((await q.enqueue('index-article', indexPayload('src-c', 1), { jobId: `ia-c1-${run}` })).id!);
    for (let n = 1; n <= 2; n++)
      ids.b!.push(
        (await q.enqueue('fetch-page', fetchPayload('src-b', n), { jobId: `fp-b${n}-${run}` })).id!,
      );
    ids.a410!.push((await q.enqueue('fetch-page', fetchPayload('src-a', 9), { jobId: `fp-a9-${run}` })).id!);
    all = Object.values(ids).flat();
    await waitFor(async () => (await failureRows(all)).length === 7, { what: '7 recorded failures' });
  });
  afterAll(async () => {
    await inst.close();
  });

  const sel = (flags: Parameters<typeof selectionFromFlags>[0], jobIds: string[] = []) =>
    selectionFromFlags(flags, jobIds);
  const listed = async (flags: Parameters<typeof selectionFromFlags>[0], jobIds: string[] = []) =>
    (await failedCommand(inst.ctx, sel(flags, jobIds))).jobs.map((j) => j.jobId).sort();

  it('lists failed jobs with reason, attempts and the URL they concern', async () => {
    const r = await failedCommand(inst.ctx, sel({ source: 'src-b' }));
    expect(r.total).toBe(2);
    const j = r.jobs.find((x) => x.jobId === ids.b![0])!;
    expect(j).toMatchObject({
      queue: 'crawler',
      name: 'fetch-page',
      sourceId: 'src-b',
      attempts: 1,
      errorCode: 'http_404',
    });
    expect(j.url).toBe('http://src-b.test/list/1.html');
    expect(j.error).toContain('HTTP 404 Not Found');
    // Transient failures were retried to the limit before being recorded.
    const a = (await failedCommand(inst.ctx, sel({}, [ids.a![0]!]))).jobs[0]!;
    expect(a).toMatchObject({ attempts: 3, errorCode: 'db_error', url: 'http://src-a.test/art/1.html' });
  });

  it('filters by queue, source, error text and time, and selects nothing it should not', async () => {
    const sorted = (xs: string[]) => [...xs].sort();
    expect(await listed({ queue: 'indexer' })).toEqual(sorted([...ids.a!, ...ids.c!]));
    expect(await listed({ source: 'src-a' })).toEqual(sorted([...ids.a!, ...ids.a410!]));
    expect(await listed({ source: 'src-a', queue: 'indexer' })).toEqual(sorted(ids.a!));
    expect(await listed({ source: 'src-a', queue: 'parser' })).toEqual([]);
    expect(await listed({ error: 'http 404' })).toEqual(sorted(ids.b!));
    expect(await listed({ error: 'HTTP 4' })).toEqual(sorted([...ids.b!, ...ids.a410!]));
    // LIKE wildcards in the text are literal characters, not "anything".
    expect(await listed({ error: '%' })).toEqual([]);
    // As a wildcard, `4_4` would match "404"; taken literally it matches nothing.
    expect(await listed({ error: '4_4' })).toEqual([]);
    expect(await listed({ error: 'HTTP_410' })).toEqual(ids.a410);
    expect(await listed({ since: '1h' })).toEqual(sorted(all));
    expect(await listed({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await listed({ source: 'src-a' }, [`crawler:${ids.a410![0]}`])).toEqual(ids.a410);
    const cut = await failedCommand(inst.ctx, sel({}), { limit: 2 });
    expect([cut.total, cut.jobs.length]).toEqual([7, 2]);
    const missing = await failedCommand(inst.ctx, sel({}, ['no-such-job']));
    expect(missing.notFound).toEqual(['no-such-job']);
    expect(() => sel({ queue: 'parsers' })).toThrow(UsageError);
    expect(() => sel({ since: 'yesterday' })).toThrow(UsageError);
  });

  it('groups failures by error code or by source, with one example URL each', async () => {
    const byError = await groupFailures(tdb.db, { jobIds: all }, 'error');
    expect(byError.map((g) => [g.key, g.count, g.queues, g.permanent])).toEqual([
      ['db_error', 4, ['indexer'], false],
      ['http_404', 2, ['crawler'], true],
      ['http_410', 1, ['crawler'], true],
    ]);
    expect(['http://src-b.test/list/1.html', 'http://src-b.test/list/2.html']).toContain(
      byError[1]!.exampleUrl,
    );
    expect(byError[2]!.exampleUrl).toBe('http://src-a.test/list/9.html');
    const bySource = await groupFailures(tdb.db, { jobIds: all }, 'source');
    expect(bySource.map((g) => [g.key, g.count, g.queues])).toEqual([
      ['src-a', 4, ['crawler', 'indexer']],
      ['src-b', 2, ['crawler']],
      ['src-c', 1, ['indexer']],
    ]);
    // The CLI prints the same groups, filters applied.
    const out: string[] = [];
    const io = {
      makeContext: () => createOpsContext(inst.config),
      stdout: (t: string) => out.push(t),
      stderr: () => {},
    };
    expect(await runOps(['failed', '--group-by', 'error', '--queue', 'crawler'], io)).toBe(0);
    const lines = out.pop()!.split('\n');
    expect(lines[0]).toMatch(/^ERROR\s+COUNT\s+QUEUES\s+PERMANENT\s+LATEST\s+EXAMPLE URL$/);
    expect(lines[1]).toMatch(/^http_404\s+2\s+crawler\s+yes\s/);
    expect(lines[2]).toMatch(/^http_410\s+1\s+crawler\s+yes\s.*http:\/\/src-a\.test\/list\/9\.html$/);
  });

  it('a dry run warns about permanent failures, and --limit tries a few first', async () => {
    const r = await replayCommand(inst.ctx, sel({ queue: 'crawler' }), { dryRun: true });
    expect(r.permanent).toEqual({ count: 3, byCode: { http_404: 2, http_410: 1 } });
    expect(renderBulk(r, false)).toContain(
      'warning: 3 of them failed permanently (http_404 2, http_410 1): they will fail again unless the page or the code changed',
    );
    const transient = await replayCommand(inst.ctx, sel({ queue: 'indexer' }), { dryRun: true });
    expect(transient.permanent).toEqual({ count: 0, byCode: {} });
    expect(renderBulk(transient, false)).not.toContain('warning');

    const limited = await replayCommand(inst.ctx, sel({ source: 'src-a', queue: 'indexer' }), {
      dryRun: true,
      limit: 2,
    });
    expect(limited).toMatchObject({ selected: 2, matched: 3, done: 2 });
    expect(renderBulk(limited, false)).toContain('1 more match the filters (--limit)');
  });

  it('refuses a replay that says nothing about what to replay', async () => {
    await expect(replayCommand(inst.ctx, sel({}))).rejects.toThrow(/--all/);
  });

  it('a dry run counts and lists but changes nothing', async () => {
    const r = await replayCommand(inst.ctx, sel({ source: 'src-a', queue: 'indexer' }), { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, selected: 3, done: 3, skipped: 0 });
    expect(r.jobs.map((j) => j.action)).toEqual(['would-retry', 'would-retry', 'would-retry']);
    expect(r.auditId).toBeUndefined();
    expect((await failureRows(ids.a!)).map((x) => x.status)).toEqual(['failed', 'failed', 'failed']);
    expect(await inst.ctx.queues.get('indexer').getFailedCount()).toBe(4);
  });

  it('replays exactly the selected jobs with fresh attempts until they succeed', async () => {
    inst.state.fixed = true;
    const notes: string[] = [];
    const ctx = { ...inst.ctx, note: (l: string) => notes.push(l) };
    const r = await replayCommand(ctx, sel({ source: 'src-a', queue: 'indexer' }));
    expect(notes).toEqual(['replaying 3 failed jobs']);
    expect(r).toMatchObject({ dryRun: false, selected: 3, done: 3, skipped: 0 });
    expect(r.jobs.every((j) => j.action === 'retried')).toBe(true);

    // --wait: follows them to the end (each fails once more, then works).
    const followed = await followReplay(ctx, r.jobs, { timeoutMs: 20_000, pollMs: 50 });
    expect(followed).toMatchObject({ succeeded: 3, failedAgain: 0, stillRunning: 0, timedOut: false });
    expect((await failureRows(ids.a!)).every((x) => x.status === 'succeeded')).toBe(true);
    for (const id of ids.a!) {
      const job = (await Job.fromId(inst.ctx.queues.get('indexer'), id))!;
      expect(await job.getState()).toBe('completed');
      // One failed attempt plus the one that worked: the count restarted at the replay.
      expect(job.attemptsMade).toBe(2);
    }
    // Not selected, so not touched: src-c is still failed in Postgres and in BullMQ.
    expect((await failureRows(ids.c!))[0]!.status).toBe('failed');
    expect(await (await Job.fromId(inst.ctx.queues.get('indexer'), ids.c![0]!))!.getState()).toBe('failed');
    expect((await failureRows([...ids.b!, ...ids.a410!])).every((x) => x.status === 'failed')).toBe(true);

    const audit = await tdb.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('id', '=', r.auditId!)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'replay', actor: userInfo().username, count: 3 });
    expect(audit.selection).toMatchObject({
      queue: 'indexer',
      source: 'src-a',
      result: { selected: 3, done: 3, skipped: 0 },
    });

    // A second replay of the same selection finds nothing left to do.
    expect((await replayCommand(inst.ctx, sel({ source: 'src-a', queue: 'indexer' }))).selected).toBe(0);
  });

  it('a replayed job that fails again is back in the failed list', async () => {
    const r = await replayCommand(inst.ctx, sel({}, [`crawler:${ids.a410![0]}`]));
    expect(r.done).toBe(1);
    const followed = await followReplay(inst.ctx, r.jobs, { timeoutMs: 20_000, pollMs: 50 });
    expect(followed).toMatchObject({
      succeeded: 0,
      failedAgain: 1,
      failedBy: { http_410: 1 },
      stillRunning: 0,
    });
    expect(renderFollow(followed, false).split('\n')[0]).toBe(
      'succeeded 0, failed again 1 (http_410 1), still running 0',
    );
    expect((await failureRows(ids.a410!))[0]!.status).toBe('failed');
    expect((await failedCommand(inst.ctx, sel({}, [ids.a410![0]!]))).total).toBe(1);
  });

  it('discards only the selected failed jobs', async () => {
    const r = await discardCommand(inst.ctx, sel({ queue: 'crawler', error: '404' }));
    expect(r).toMatchObject({ selected: 2, done: 2, skipped: 0 });
    expect((await failureRows(ids.b!)).map((x) => x.status)).toEqual(['discarded', 'discarded']);
    const crawler = inst.ctx.queues.get('crawler');
    for (const id of ids.b!) expect(await Job.fromId(crawler, id)).toBeUndefined();
    expect(await (await Job.fromId(crawler, ids.a410![0]!))!.getState()).toBe('failed');
    const audit = await tdb.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('id', '=', r.auditId!)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: 'discard',
      count: 2,
      selection: { queue: 'crawler', error: '404' },
    });
  });

  it('status counts per queue and throughput from finished jobs', async () => {
    const r = await statusCommand(inst.ctx, { windowMin: 5 });
    const indexer = r.queues.find((q) => q.queue === 'indexer')!;
    expect(indexer).toMatchObject({
      completed: 3,
      failed: 1,
      waiting: 0,
      paused: false,
      completedPerMin: 0.6,
    });
    const crawler = r.queues.find((q) => q.queue === 'crawler')!;
    expect(crawler).toMatchObject({ completed: 0, failed: 1 });
  });
});

describe('replay after BullMQ trimmed its failed set', () => {
  let inst: ReturnType<typeof installation>;
  beforeAll(() => {
    inst = installation({ FAILED_JOBS_KEEP_COUNT: '1' });
  });
  afterAll(async () => {
    await inst.close();
  });

  it('re-adds trimmed jobs from the payload kept in Postgres', async () => {
    const q = inst.deps.queues;
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++) ids.push((await q.enqueue('index-article', indexPayload('src-t', n))).id!);
    await waitFor(
      async () => (await failedCommand(inst.ctx, selectionFromFlags({ source: 'src-t' }))).total === 3,
      {
        what: '3 recorded failures',
      },
    );
    // Retention kept one job in Redis; Postgres has all three.
    expect(await q.get('indexer').getFailedCount()).toBe(1);

    inst.state.fixed = true;
    const r = await replayCommand(inst.ctx, selectionFromFlags({ source: 'src-t', all: true }));
    expect(r).toMatchObject({ selected: 3, done: 3, skipped: 0 });
    const actions = r.jobs.map((j) => j.action).sort();
    expect(actions).toEqual(['re-added', 're-added', 'retried']);
    // Auto ids cannot be reused as custom ids, so re-added jobs carry the old id in a new one.
    const readded = r.jobs.filter((j) => j.action === 're-added').map((j) => j.jobId);
    await waitFor(
      async () => {
        const rows = await tdb.db
          .selectFrom('failures')
          .selectAll()
          .where('source_id', '=', 'src-t')
          .execute();
        return rows.length === 3 && rows.every((x) => x.status === 'succeeded');
      },
      { what: 'all three to succeed' },
    );
    for (const old of readded) {
      const job = (await Job.fromId(q.get('indexer'), `replay-${old}`))!;
      expect(await job.getState()).toBe('completed');
      expect(job.data).toMatchObject({ page: { sourceId: 'src-t' } });
    }
  });
});

describe('reparse, pause/resume, status per source, spam terms', () => {
  let ctx: OpsContext;
  let config: Config;
  const pageIds: Record<string, number> = {};
  beforeAll(async () => {
    config = testConfig({ DATABASE_URL: tdb.url });
    ctx = createOpsContext(config);
    const body = (html: string) => gzipSync(Buffer.from(html));
    const insert = async (key: string, url: string, sourceId: string, fetchedAt: string, html: string) => {
      const r = await tdb.db
        .insertInto('pages')
        .values({
          url,
          final_url: url,
          source_id: sourceId,
          crawl_id: `${sourceId}:1`,
          status: 200,
          content_hash: sha256Hex(html),
          headers: JSON.stringify({ 'content-type': 'text/html; charset=gb2312' }),
          body_gzip: body(html),
          bytes: Buffer.byteLength(html),
          fetched_at: fetchedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      pageIds[key] = Number(r.id);
    };
    await insert('p1old', 'http://rp-a.test/1.html', 'rp-a', '2026-11-20T00:00:00Z', '<p>旧版本</p>');
    await insert('p1new', 'http://rp-a.test/1.html', 'rp-a', '2026-11-21T00:00:00Z', '<p>新版本</p>');
    await insert('p2', 'http://rp-a.test/2.html', 'rp-a', '2026-11-21T01:00:00Z', '<p>第二篇</p>');
    await insert('p3', 'http://rp-b.test/3.html', 'rp-b', '2026-11-21T02:00:00Z', '<p>别的来源</p>');

    await tdb.db
      .insertInto('sources')
      .values({ id: 'rp-a', name: '甲', config: '{"charset":"gb18030"}' })
      .execute();
    await tdb.db.insertInto('sources').values({ id: 'rp-b', name: '乙', config: '{}' }).execute();
    await tdb.db
      .insertInto('crawls')
      .values([
        {
          id: 'rp-a:1',
          source_id: 'rp-a',
          trigger: 'schedule',
          status: 'done',
          started_at: '2026-11-21T00:00:00Z',
        },
        {
          id: 'rp-a:2',
          source_id: 'rp-a',
          trigger: 'manual',
          status: 'failed',
          started_at: '2026-11-22T00:00:00Z',
          error: 'robots.txt 503',
        },
      ])
      .execute();
    await tdb.db
      .insertInto('crawl_urls')
      .values(
        (['fetched', 'fetched', 'unchanged', 'failed', null] as const).map((outcome, i) => ({
          crawl_id: 'rp-a:2',
          url: `http://rp-a.test/${i}.html`,
          kind: 'article',
          outcome,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await closeOpsContext(ctx);
    await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
  });

  it('pauses and resumes a queue, and both are audited', async () => {
    const paused = await pauseCommand(ctx, 'parser');
    expect(paused).toMatchObject({ queue: 'parser', paused: true });
    expect(await ctx.queues.get('parser').isPaused()).toBe(true);
    const resumed = await resumeCommand(ctx, 'parser');
    expect(resumed).toMatchObject({ queue: 'parser', paused: false });
    const audit = await tdb.db
      .selectFrom('ops_audit')
      .select(['action', 'actor', 'selection'])
      .where('id', 'in', [paused.auditId, resumed.auditId])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'pause', actor: userInfo().username, selection: { queue: 'parser', wasPaused: false } },
      { action: 'resume', actor: userInfo().username, selection: { queue: 'parser', wasPaused: true } },
    ]);
    await pauseCommand(ctx, 'parser');
  });

  it('reparse enqueues the latest stored version of each selected page, once per run', async () => {
    const r = await reparseCommand(ctx, { sourceId: 'rp-a', runId: 'run1' });
    expect(r).toMatchObject({ pages: 2, enqueued: 2, alreadyQueued: 0 });
    const parser = ctx.queues.get('parser');
    const job = (await parser.getJob(`reparse-run1-${pageIds.p1new}`))!;
    expect(job.name).toBe('parse-page');
    expect(job.data.page).toMatchObject({
      url: 'http://rp-a.test/1.html',
      pageId: pageIds.p1new,
      sourceId: 'rp-a',
      status: 200,
      contentHash: sha256Hex('<p>新版本</p>'),
      charsetOverride: 'gb18030',
      fetchedAt: '2026-11-21T00:00:00.000Z',
    });
    // The run travels with the job: its index job is the run's own (see indexJobId).
    expect(job.data.reparseRun).toBe('run1');
    // The job refers to the stored page; the parser reads these bytes and headers from it.
    expect(job.data.page).not.toHaveProperty('bodyGzipBase64');
    const stored = await pagesRepo.loadPageBody(ctx.db, job.data.page, 1_000_000);
    expect(stored.bytes.toString()).toBe('<p>新版本</p>');
    expect(stored.headers).toEqual({ 'content-type': 'text/html; charset=gb2312' });
    expect(await parser.getJob(`reparse-run1-${pageIds.p1old}`)).toBeUndefined();
    expect(await parser.getJob(`reparse-run1-${pageIds.p3}`)).toBeUndefined();
    expect(await parser.getJob(`reparse-run1-${pageIds.p2}`)).toBeDefined();

    // Resuming the same run adds nothing; a new run gets new job ids.
    expect(await reparseCommand(ctx, { sourceId: 'rp-a', runId: 'run1' })).toMatchObject({
      enqueued: 0,
      alreadyQueued: 2,
    });
    const since = await reparseCommand(ctx, { since: new Date('2026-11-21T01:30:00Z'), runId: 'run2' });
    expect(since).toMatchObject({ pages: 1, enqueued: 1 });
    expect(await parser.getJob(`reparse-run2-${pageIds.p3}`)).toBeDefined();

    const audit = await tdb.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('id', '=', r.auditId!)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: 'reparse',
      count: 2,
      selection: { source: 'rp-a', runId: 'run1' },
    });
  });

  it('reconcile finds the reparse jobs waiting, and queues again only the page whose job vanished', async () => {
    const out: string[] = [];
    const io = {
      makeContext: () => createOpsContext(config),
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
    };
    const reconcile = async (...args: string[]) => {
      expect(await runOps(['reconcile', '--json', '--grace', '1h', ...args], io)).toBe(0);
      return JSON.parse(out.pop()!) as { pages: Record<string, number>; crawls: Record<string, number> };
    };
    // The latest version of each URL, all older than an hour, all with their reparse job waiting.
    expect((await reconcile()).pages).toEqual({ candidates: 3, live: 3, indexed: 0, failed: 0, requeued: 0 });
    const parser = ctx.queues.get('parser');
    await (await parser.getJob(`reparse-run2-${pageIds.p3}`))!.remove();
    expect((await reconcile('--dry-run')).pages).toMatchObject({ live: 2, requeued: 1 });
    expect(await parser.getJobCountByTypes('waiting', 'paused')).toBe(2); // a dry run adds nothing
    const r = await reconcile();
    expect(r.pages).toMatchObject({ live: 2, requeued: 1 });
    expect(r.crawls).toEqual({ running: 0, finished: 0, requeued: 0, failed: 0 });
    const jobs = await parser.getJobs(['waiting', 'paused']);
    const p3 = jobs.filter((j) => (j.data as { page: { pageId: number } }).page.pageId === pageIds.p3);
    expect(p3.map((j) => j.id)).toEqual([expect.stringMatching(new RegExp(`^parse-${pageIds.p3}-r`))]);
    expect((await reconcile()).pages).toMatchObject({ live: 3, requeued: 0 });
    // Read by a person: one line per kind of lost work.
    expect(await runOps(['reconcile', '--grace', '1h', '--dry-run'], io)).toBe(0);
    expect(out.pop()!.split('\n')).toEqual([
      'failures: 0 waiting in the outbox',
      'crawls: 0 running; 0 would be ended, 0 URL(s) would be queued again, 0 URL(s) would be marked failed',
      'pages: 3 stored page(s) without a parse outcome (older than 3600 s): 0 would be queued again, 3 still queued, 0 found indexed, 0 found failed',
    ]);
    await expect(runOps(['reconcile', '--grace', 'soon'], io)).rejects.toThrow(/--grace "soon"/);
    await expect(runOps(['failed', '--since', '99999999d'], io)).rejects.toThrow(
      /--since "99999999d" is out of range/,
    );
  });

  it('status shows the paused queue, its oldest waiting job and each source last crawl', async () => {
    const r = await statusCommand(ctx);
    const parser = r.queues.find((q) => q.queue === 'parser')!;
    expect(parser).toMatchObject({ paused: true, waiting: 3 });
    expect(parser.oldestWaitingJobId).toBe(`reparse-run1-${pageIds.p1new}`);
    // Nobody works the paused parser queue: paused, not "no worker".
    expect(parser.noWorker).toBe(false);
    const a = r.sources.find((s) => s.sourceId === 'rp-a')!;
    expect(a.lastRun).toMatchObject({
      crawlId: 'rp-a:2',
      status: 'failed',
      error: 'robots.txt 503',
      trigger: 'manual',
    });
    expect(r.sources.find((s) => s.sourceId === 'rp-b')).toMatchObject({ lastRun: null });
  });

  it('crawl queues a manual crawl of a source from the sources file, and names unknown ones', async () => {
    const r = await crawlCommand(ctx, 'zj-gov-yaowen');
    expect(r.crawlId.startsWith('zj-gov-yaowen:')).toBe(true);
    const job = (await ctx.queues.get('crawler').getJob(r.jobId))!;
    expect(job.name).toBe('crawl-source');
    expect(job.data).toMatchObject({ sourceId: 'zj-gov-yaowen', crawlId: r.crawlId, trigger: 'manual' });
    await expect(crawlCommand(ctx, 'no-such-source')).rejects.toThrow(/unknown source "no-such-source"/);
  });

  it('spam terms: add, list, remove', async () => {
    expect(await spamTermsAdd(ctx, ' 澳门赌场 ', 'seen on 2026-11-21')).toEqual({
      term: '澳门赌场',
      added: true,
    });
    expect(await spamTermsAdd(ctx, '澳门赌场')).toEqual({ term: '澳门赌场', added: false });
    expect((await spamTermsList(ctx)).map((t) => [t.term, t.addedBy, t.note])).toEqual([
      ['澳门赌场', userInfo().username, 'seen on 2026-11-21'],
    ]);
    await spamTermsRemove(ctx, '澳门赌场');
    expect(await spamTermsList(ctx)).toEqual([]);
    await expect(spamTermsRemove(ctx, '澳门赌场')).rejects.toThrow(UsageError);
  });
});

describe('the ops program (commander wiring, in process)', () => {
  // Every context runOps makes creates its queues, and BullMQ writes each queue's meta key then.
  let config: Config;
  beforeAll(() => {
    config = testConfig({ DATABASE_URL: tdb.url });
  });
  afterAll(async () => {
    await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
  });

  it('prints the failed table, the audit log, and refuses bad flags', async () => {
    const out: string[] = [];
    const io = {
      makeContext: () => createOpsContext(config),
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(`ERR ${t}`),
    };
    // The discards of the first block are in the shared database's audit log.
    expect(await runOps(['audit', '--json', '--limit', '50'], io)).toBe(0);
    const audit = (
      JSON.parse(out.pop()!) as { entries: Array<{ action: string; actor: string; count: number }> }
    ).entries;
    expect(audit.filter((a) => a.action === 'discard')).toEqual([
      expect.objectContaining({ action: 'discard', actor: userInfo().username, count: 2 }),
    ]);
    expect(await runOps(['failed', '--status', 'discarded', '--source', 'src-b'], io)).toBe(0);
    const table = out.pop()!.split('\n');
    expect(table[0]).toMatch(/^QUEUE\s+JOB ID\s+NAME\s+SOURCE\s+ATTEMPTS\s+FAILED AT\s+ERROR\s+URL$/);
    expect(table.filter((l) => /^crawler\s+fp-b\d-\w+\s+fetch-page\s+src-b\s+1\s/.test(l))).toHaveLength(2);
    expect(table.at(-1)).toBe('2 discarded jobs');
    await expect(runOps(['failed', '--status', 'lost'], io)).rejects.toThrow(UsageError);
    await expect(runOps(['discard', '--queue', 'crawler', '--all', '7'], io)).rejects.toThrow(/not both/);
  });
});

describe('ops audit', () => {
  // Even a read-only command creates the queues' meta keys (see above).
  let config: Config;
  beforeAll(() => {
    config = testConfig({ DATABASE_URL: tdb.url });
  });
  afterAll(async () => {
    await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
  });

  it('filters by actor, action and time, and pages without hiding what is left', async () => {
    const rows = [
      { action: 'replay', actor: 'auditor-a', selection: '{"n":1}', count: 1, at: '2026-11-20T00:00:00Z' },
      { action: 'replay', actor: 'auditor-a', selection: '{"n":2}', count: 2, at: '2026-11-21T00:00:00Z' },
      { action: 'discard', actor: 'auditor-a', selection: '{"n":3}', count: 3, at: '2026-11-22T00:00:00Z' },
      { action: 'replay', actor: 'auditor-b', selection: '{"n":4}', count: 4, at: '2026-11-23T00:00:00Z' },
      { action: 'replay', actor: 'auditor-a', selection: '{"n":5}', count: 5, at: '2026-11-24T00:00:00Z' },
    ];
    for (const r of rows) await tdb.db.insertInto('ops_audit').values(r).execute();
    const out: string[] = [];
    const io = {
      makeContext: () => createOpsContext(config),
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(`ERR ${t}`),
    };
    type Page = {
      total: number;
      shown: number;
      more: number;
      nextBefore: number | null;
      entries: Array<{ id: number; count: number }>;
    };
    const page = async (args: string[]) => {
      expect(await runOps(['audit', '--json', ...args], io)).toBe(0);
      return JSON.parse(out.pop()!) as Page;
    };
    const a = await page(['--actor', 'auditor-a', '--action', 'replay']);
    expect(a.entries.map((e) => e.count)).toEqual([5, 2, 1]);
    expect(a).toMatchObject({ total: 3, shown: 3, more: 0, nextBefore: null });
    expect(
      (await page(['--actor', 'auditor-a', '--since', '2026-11-21T12:00:00Z'])).entries.map((e) => e.count),
    ).toEqual([5, 3]);
    // A page of two: it says how many are left and how to get them, and the next page has them.
    const first = await page(['--actor', 'auditor-a', '--limit', '2']);
    expect(first.entries.map((e) => e.count)).toEqual([5, 3]);
    expect(first).toMatchObject({ total: 4, shown: 2, more: 2 });
    const second = await page(['--actor', 'auditor-a', '--limit', '2', '--before', String(first.nextBefore)]);
    expect(second.entries.map((e) => e.count)).toEqual([2, 1]);
    expect(second).toMatchObject({ total: 4, more: 0 });
    expect(await runOps(['audit', '--actor', 'auditor-a', '--limit', '2'], io)).toBe(0);
    expect(out.pop()!.split('\n').at(-1)).toBe(`2 shown of 4; 2 older: add --before ${first.nextBefore}`);
    await expect(runOps(['audit', '--since', 'last week'], io)).rejects.toThrow(UsageError);
  });
});

describe('pnpm ops as a process', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        ['packages/ops/src/ops/main.ts', ...args],
        {
          cwd: ROOT,
          env: { ...process.env, LOG_LEVEL: 'silent', ...env },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  // The child process creates its queues (and their meta keys) under this prefix; a unique one, not
  // the pid, so a run never reads keys another left.
  const config = testConfig();
  afterAll(async () => {
    await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
  });

  it('rejects an unknown queue with one line and a non-zero exit, and prints JSON when asked', async () => {
    const env = { DATABASE_URL: tdb.url, QUEUE_PREFIX: config.QUEUE_PREFIX };
    const bad = await run(['failed', '--queue', 'nope'], env);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'error: unknown queue "nope" (queues: crawler, parser, indexer)',
    ]);
    const ok = await run(['failed', '--json', '--source', 'src-b', '--status', 'discarded'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ total: 2, notFound: [] });
  });
});
