import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrawl, syncSources, type SourceConfig } from '@govwire/crawler';
import { parserHandlers } from '@govwire/parser';
import {
  closeServiceDeps,
  createServiceDeps,
  PermanentError,
  startQueueWorker,
  type HandlerMap,
  type ServiceDeps,
  type StartedWorker,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  type TestDatabase,
} from '@govwire/shared/testing';
import { buildDemoSite } from '../src/demo/site';
import { startMirrorSite, type MirrorSite } from '../src/demo/mirror';
import { closeOpsContext, createOpsContext, type OpsContext } from '../src/ops/context';
import { replayCommand } from '../src/ops/commands/failures';
import { goneCommand, reviveCommand } from '../src/ops/commands/gone';
import { reparseCommand } from '../src/ops/commands/reparse';
import { sourceRunsCommand, sourcesCommand, type RunView } from '../src/ops/commands/sources';
import { runOps } from '../src/ops/program';
import { groupFailures } from '../src/ops/repositories/ops.repository';
import { selectionFromFlags } from '../src/ops/selection';
import { startPipelineWorkers, waitUntilDrained } from '../src/pipeline';

// Per-source health end to end, on real queues: a site whose pages fail in the three ways an
// operator meets (a 404, a page with no article, a page the parser cannot read until it is fixed)
// is crawled; `ops sources` says what each step yielded, and stays true after a replay, a reparse
// and later crawls. A URL that keeps answering 404 is marked gone, skipped, and revived.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCE = 'health-mirror';

let tdb: TestDatabase;
let site: MirrorSite;
let deps: ServiceDeps;
let ctx: OpsContext;
const workers: StartedWorker[] = [];
const parser = { fixed: false };

const EMPTY_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>信息不存在</title></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/">新闻动态</a></div><p>该信息已删除。</p>
<div class="footer">版权所有</div></body></html>`;
// Its own story, stating its own figures: once parsed it is a new article, not a copy of a seed.
const BROKEN_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>柯桥区一季度经济运行稳中有进</title></head>
<body><div class="nav"><a href="/">首页</a></div><div class="article"><h1>柯桥区一季度经济运行稳中有进</h1>
<p>2024年一季度，柯桥区实现地区生产总值512.3亿元，按可比价格计算，同比增长6.1%。</p>
<p>一季度，全区规模以上工业增加值同比增长8.2%，社会消费品零售总额同比增长7.5%。</p>
<p>全体居民人均可支配收入21376元，同比增长5.9%，城乡居民收入比进一步缩小。</p></div></body></html>`;

async function crawl(): Promise<string> {
  const { crawlId } = await startCrawl(deps, SOURCE, 'manual');
  await waitUntilDrained(deps, { timeoutMs: 60_000 });
  return crawlId;
}

/** `pnpm ops <args>` in process; its output. */
async function ops(args: string[]): Promise<string> {
  const out: string[] = [];
  const code = await runOps(args, {
    makeContext: () => createOpsContext(deps.config),
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(`ERR ${t}`),
  });
  expect(code, out.join('\n')).toBe(0);
  return out.join('\n');
}

async function lastRun(): Promise<RunView> {
  const s = (await sourcesCommand(ctx)).find((x) => x.sourceId === SOURCE)!;
  return s.lastRun!;
}

const factsInDb = async () =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from article_metrics`.execute(tdb.db)).rows[0]!.n,
  );

beforeAll(async () => {
  tdb = await createTestDatabase();
  const pages = await buildDemoSite(root);
  const list = pages.find((p) => p.path === '/')!;
  list.body = Buffer.from(
    list.body
      .toString('utf8')
      .replace(
        '</ul>',
        '<li><a href="/art/missing.html">已删除的稿件</a></li><li><a href="/art/empty.html">空页面</a></li>' +
          '<li><a href="/art/broken.html">柯桥区一季度经济运行稳中有进</a></li></ul>',
      ),
  );
  pages.push({
    path: '/art/empty.html',
    body: Buffer.from(EMPTY_PAGE),
    contentType: 'text/html; charset=utf-8',
  });
  pages.push({
    path: '/art/broken.html',
    body: Buffer.from(BROKEN_PAGE),
    contentType: 'text/html; charset=utf-8',
  });
  site = await startMirrorSite(pages, 0);
  const config = testConfig({
    DATABASE_URL: tdb.url,
    CRAWLER_ALLOWED_PRIVATE_HOSTS: new URL(site.baseUrl).host,
    JOB_ATTEMPTS: '2',
    CRAWLER_GONE_AFTER_CRAWLS: '2',
  });
  deps = createServiceDeps('sources-test', config);
  ctx = createOpsContext(config);
  await syncSources(deps.db, [
    {
      id: SOURCE,
      name: 'health mirror',
      enabled: true,
      startUrls: [{ url: `${site.baseUrl}/`, kind: 'list' }],
      links: { allow: [], deny: [] },
      pagination: { maxPages: 1 },
      politeness: { minIntervalMs: 0, maxInFlight: 4 },
      maxPagesPerRun: 50,
    } as unknown as SourceConfig,
  ]);
  const real = parserHandlers(deps);
  // The parser "has a bug" with one template until the test deploys the fix.
  const parse: HandlerMap<'parser'> = {
    'parse-page': async (data, jobCtx) => {
      if (!parser.fixed && data.page.url.endsWith('/art/broken.html'))
        throw new PermanentError('unparseable', `no rule reads the template of ${data.page.url}`);
      return real['parse-page'](data, jobCtx);
    },
  };
  workers.push(...startPipelineWorkers(deps, ['crawler', 'indexer']));
  workers.push(startQueueWorker('parser', deps, parse, 2));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await closeOpsContext(ctx);
  await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  await closeServiceDeps(deps);
  await site.close();
  await tdb.drop();
});

describe('what each source yields, end to end', () => {
  let firstCrawl: string;

  it('counts each step of the first crawl, failures by reason', async () => {
    firstCrawl = await crawl();
    const run = await lastRun();
    expect(run.crawlId).toBe(firstCrawl);
    // The list page and eight article URLs answered; the ninth is a 404.
    expect(run.fetch).toEqual({ fetched: 9, unchanged: 0, skipped: 0, failed: 1 });
    expect(run.fetchFailedBy).toEqual({ http_404: 1 });
    // Eight article pages stored: six seed pages became articles, one has none, one failed.
    expect(run.parse).toEqual({ parsed: 6, noArticle: 1, failed: 1, pending: 0 });
    expect(run.parseFailedBy).toEqual({ unparseable: 1 });
    // Six seed pages, four stories: 000/001 and 002's two URLs each make one article.
    expect(run.articles).toEqual({ new: 4, updated: 0, merged: 2 });
    expect(await sql`select count(*)::int as n from articles`.execute(tdb.db)).toMatchObject({
      rows: [{ n: 4 }],
    });
    // One crawl into an empty database: every fact stored came from it.
    expect(run.facts).toBeGreaterThan(0);
    expect(run.facts).toBe(await factsInDb());

    const s = (await sourcesCommand(ctx)).find((x) => x.sourceId === SOURCE)!;
    expect(s).toMatchObject({ openFailures: 3, goneUrls: 0 });

    // As the operator reads it.
    const text = (await ops(['sources'])).split('\n');
    expect(text[0]).toMatch(
      /^SOURCE\s+LAST RUN\s+STATUS\s+FETCHED\s+UNCHANGED\s+SKIPPED\s+FETCH FAILED\s+PARSED\s+NO ARTICLE\s+PARSE FAILED\s+PENDING\s+NEW\s+UPDATED\s+MERGED\s+FACTS\s+OPEN FAILURES\s+GONE$/,
    );
    const row = text.find((l) => l.startsWith(SOURCE))!.split(/\s{2,}/);
    expect(row.slice(2)).toEqual([
      'done',
      '9',
      '0',
      '0',
      '1',
      '6',
      '1',
      '1',
      '0',
      '4',
      '0',
      '2',
      String(run.facts),
      '3',
      '0',
    ]);
    expect(text.at(-1)).toBe(`  ${SOURCE}: fetch failed: http_404 1; parse failed: unparseable 1`);
  });

  it('groups the failures by error and warns that a dry run holds permanent ones', async () => {
    const groups = await groupFailures(ctx.db, { sourceId: SOURCE }, 'error');
    expect(groups.map((g) => [g.key, g.count, g.queues])).toEqual([
      ['http_404', 1, ['crawler']],
      ['no_article', 1, ['parser']],
      ['unparseable', 1, ['parser']],
    ]);
    expect(groups.find((g) => g.key === 'http_404')!.exampleUrl).toBe(`${site.baseUrl}/art/missing.html`);
    const dry = await replayCommand(ctx, selectionFromFlags({ source: SOURCE }), { dryRun: true });
    expect(dry.permanent).toEqual({ count: 3, byCode: { http_404: 1, no_article: 1, unparseable: 1 } });
  });

  it('replay --wait reports the fixed page succeeded, and the source counts follow', async () => {
    parser.fixed = true;
    const out = await ops(['replay', '--source', SOURCE, '--error', 'unparseable', '--wait']);
    expect(out.split('\n').at(-1)).toBe('succeeded 1, failed again 0, still running 0');
    await waitUntilDrained(deps, { timeoutMs: 30_000 });

    const run = await lastRun();
    expect(run.crawlId).toBe(firstCrawl);
    expect(run.parse).toEqual({ parsed: 7, noArticle: 1, failed: 0, pending: 0 });
    expect(run.parseFailedBy).toEqual({});
    expect(run.articles).toEqual({ new: 5, updated: 0, merged: 2 });
    expect(run.facts).toBe(await factsInDb());
  });

  it('a reparse of the source leaves its counts as they were', async () => {
    const before = await lastRun();
    const r = await reparseCommand(ctx, { sourceId: SOURCE, runId: 'health1' });
    expect(r.enqueued).toBe(8);
    await waitUntilDrained(deps, { timeoutMs: 30_000 });
    const after = await lastRun();
    expect(after.parse).toEqual(before.parse);
    expect(after.articles).toEqual(before.articles);
    expect(after.facts).toBe(before.facts);
  });

  it('marks the 404 gone after two crawls in a row, skips it, and fetches it again once revived', async () => {
    const second = await crawl();
    const run2 = (await sourceRunsCommand(ctx, SOURCE)).runs[0]!;
    expect(run2.crawlId).toBe(second);
    // Same bytes as last time: unchanged, not parsed again.
    expect(run2.fetch).toEqual({ fetched: 1, unchanged: 8, skipped: 0, failed: 1 });
    expect(run2.parse).toEqual({ parsed: 0, noArticle: 0, failed: 0, pending: 0 });
    const gone = await goneCommand(ctx, { sourceId: SOURCE, limit: 10 });
    expect(gone.urls.map((u) => [u.url, u.reason, u.failedCrawls])).toEqual([
      [`${site.baseUrl}/art/missing.html`, 'http_404', 2],
    ]);

    const hits = site.hits.get('/art/missing.html');
    await crawl();
    const run3 = (await sourceRunsCommand(ctx, SOURCE)).runs[0]!;
    expect(run3.fetch).toEqual({ fetched: 1, unchanged: 8, skipped: 1, failed: 0 });
    expect(run3.skippedBy).toEqual({ gone: 1 });
    expect(site.hits.get('/art/missing.html')).toBe(hits);

    const revived = await reviveCommand(ctx, { urls: [`${site.baseUrl}/art/missing.html`] });
    expect(revived.revived).toEqual([`${site.baseUrl}/art/missing.html`]);
    expect((await goneCommand(ctx, { sourceId: SOURCE, limit: 10 })).total).toBe(0);
    await crawl();
    const run4 = (await sourceRunsCommand(ctx, SOURCE)).runs[0]!;
    expect(run4.fetch.failed).toBe(1);
    expect(site.hits.get('/art/missing.html')).toBe(hits! + 1);
    // One failed crawl after the revival: counting again from one, not gone.
    expect((await goneCommand(ctx, { sourceId: SOURCE, limit: 10 })).total).toBe(0);

    const status = (await ops(['status', '--source', SOURCE])).split('\n');
    const runsAt = status.findIndex((l) => l.startsWith('RUN STARTED'));
    // Open: the 404 of runs 1, 2 and 4, and the empty page's no_article from the crawl and the reparse.
    expect(status[runsAt - 1]).toBe(`${SOURCE} (health mirror): 5 open failure(s), 0 gone URL(s)`);
    expect(status.slice(runsAt + 1, runsAt + 5).map((l) => l.split(/\s{2,}/).slice(1, 4))).toEqual([
      ['manual', 'done', '10'],
      ['manual', 'done', '10'],
      ['manual', 'done', '10'],
      ['manual', 'done', '10'],
    ]);
    expect(status.filter((l) => l.includes('skipped: gone 1'))).toHaveLength(1);

    // The first run's figures are still its own.
    const runs = (await sourceRunsCommand(ctx, SOURCE)).runs;
    expect(runs).toHaveLength(4);
    expect(runs.at(-1)).toMatchObject({ crawlId: firstCrawl, articles: { new: 5, updated: 0, merged: 2 } });
  });
});
