/**
 * `pnpm bench:reparse [--pages 100000] [--parser-concurrency 2] [--jobs-per-thread 6] [--batch 50]`
 *
 * `pnpm ops reparse` end to end: stores N pages in a scratch database (realistic article HTML,
 * a fifth of them copies of earlier ones under other URLs), starts the real parser and indexer
 * workers as their own processes (`services/<name>/src/main.ts`, as `pnpm start` runs them), runs
 * `pnpm ops reparse` and waits until every page has its parse outcome. Prints the time from the
 * command to the last outcome and pages/s, and every 10 s the queue depths, which say which stage
 * is the bottleneck: a parser queue that stays long while the indexer's stays short means parsing
 * limits the reparse, not indexing. Needs the local Redis and PostgreSQL.
 *
 * `--again` then reparses the same pages a second time, into the index the first pass built: a
 * parser fix that changes few articles, where most texts come out as they are already stored.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { closeServiceDeps, createServiceDeps, sha256Hex } from '../packages/shared/src/index';
import { createTestDatabase, deleteQueuePrefix, testConfig } from '../packages/shared/src/testing';
import { splitmix32 } from '../services/indexer/src/dedup';
import { seedArticle, SEED_FILES } from '../services/indexer/test/fixtures/seed-articles';

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '100000' },
    'parser-concurrency': { type: 'string', default: '2' },
    'jobs-per-thread': { type: 'string', default: '6' },
    batch: { type: 'string', default: '50' },
    again: { type: 'boolean', default: false },
  },
});
const PAGES = Number(args.pages);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- pages
const rand = splitmix32(20261202);
const clauses = SEED_FILES.map((f) => seedArticle(f).textSimplified)
  .join('\n')
  .match(/[\p{Script=Han}“”]{6,40}/gu)!;
const pick = <T>(xs: readonly T[]) => xs[rand() % xs.length]!;

function articleHtml(id: number): string {
  const paragraphs = Array.from({ length: 8 }, (_, p) => {
    const parts = Array.from({ length: 5 }, () => `${pick(clauses)}${(rand() % 90_000) + 100}万元`);
    return `<p>${parts.join('，')}，第${id}-${p}项。</p>`;
  });
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>第${id}号 共同富裕工作简报</title></head>` +
    `<body><div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>` +
    `<div class="article"><h1>第${id}号 共同富裕工作简报</h1><div class="info">发布时间：2024-0${(id % 9) + 1}-1${id % 10}</div>` +
    `${paragraphs.join('')}</div><div class="footer">版权所有 示例县人民政府</div></body></html>`
  );
}

async function storePages(db: Awaited<ReturnType<typeof createTestDatabase>>['db'], n: number) {
  const bodies: string[] = [];
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      // A fifth are the same page under another URL (a mirror): exact copies for the indexer.
      const html = bodies.length > 10 && rand() % 5 === 0 ? pick(bodies) : articleHtml(i);
      if (bodies.length < 5000) bodies.push(html);
      const bytes = Buffer.from(html);
      rows.push({
        url: `https://reparse.example/${i}.html`,
        final_url: `https://reparse.example/${i}.html`,
        source_id: null,
        crawl_id: null,
        status: 200,
        content_hash: sha256Hex(bytes),
        headers: JSON.stringify({ 'content-type': 'text/html; charset=utf-8' }),
        body_gzip: gzipSync(bytes),
        bytes: bytes.length,
        fetched_at: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      });
    }
    await db.insertInto('pages').values(rows).execute();
  }
}

async function countPages(db: Awaited<ReturnType<typeof createTestDatabase>>['db'], withOutcome: boolean) {
  const r = await db
    .selectFrom('pages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('parse_outcome', withOutcome ? 'is not' : 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---------------------------------------------------------------- workers
function startWorker(service: 'parser' | 'indexer', env: NodeJS.ProcessEnv): ChildProcess {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', `services/${service}/src/main.ts`], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`${service} exited (${code ?? signal})`);
  });
  return child;
}

function runOps(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['-s', 'ops', ...argv], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pnpm ops ${argv.join(' ')}: ${code}`)),
    );
  });
}

const stopped = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null) return resolve();
    c.on('exit', () => resolve());
    c.kill('SIGTERM');
  });

// ---------------------------------------------------------------- run
const tdb = await createTestDatabase();
const config = testConfig({ DATABASE_URL: tdb.url });
const env = {
  ...process.env,
  DATABASE_URL: tdb.url,
  QUEUE_PREFIX: config.QUEUE_PREFIX,
  LOG_LEVEL: 'warn',
  PARSER_CONCURRENCY: String(args['parser-concurrency']),
  PARSER_JOBS_PER_THREAD: String(args['jobs-per-thread']),
  INDEXER_BATCH_SIZE: String(args.batch),
};
const deps = createServiceDeps('bench', config);
const workers: ChildProcess[] = [];

/**
 * Whether both queues are empty: every page's jobs are done, so every outcome is written (the
 * indexer writes a page's outcome in the transaction that indexes it). Asked of Redis, not of
 * `pages`: counting outcomes reads the whole table (0.56 s a count at 50k pages), which polled
 * every 500 ms took about half a core from the reparse being measured.
 */
async function queuesEmpty(): Promise<boolean> {
  for (const name of ['parser', 'indexer'] as const) {
    const counts = await deps.queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
}

/** `pnpm ops reparse` over every stored page; waits for every outcome and prints the time. */
async function reparseAll(label: string): Promise<void> {
  const t1 = performance.now();
  await runOps(['reparse'], env);
  console.log(`  enqueued in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  for (let last = 0; ;) {
    const s = (performance.now() - t1) / 1000;
    // Outcomes are counted once the queues are empty (a page whose job is lost would show here as
    // a wait that never ends).
    if ((await queuesEmpty()) && (await countPages(tdb.db, true)) >= PAGES) break;
    // The progress line reads Redis only: counting outcomes in `pages` (0.5 s of a busy core per
    // count at 100k pages) every 10 s took about 2% of the machine from the reparse it measures.
    if (s - last >= 10) {
      last = s;
      const parser = await deps.queues.get('parser').getJobCounts('waiting', 'active', 'delayed');
      const indexer = await deps.queues.get('indexer').getJobCounts('waiting', 'active', 'delayed');
      console.log(
        `  ${s.toFixed(0)} s: parser queue ${JSON.stringify(parser)}, indexer queue ${JSON.stringify(indexer)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - t1) / 1000;
  const rows = await tdb.db
    .selectFrom('pages')
    .select((eb) => ['parse_outcome as outcome', eb.fn.countAll<number>().as('n')])
    .groupBy('parse_outcome')
    .execute();
  const articles = await tdb.db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `${label} of ${PAGES} pages: ${seconds.toFixed(1)} s end to end, ${(PAGES / seconds).toFixed(0)} pages/s; ` +
      `outcomes ${JSON.stringify(Object.fromEntries(rows.map((r) => [r.outcome, r.n])))}; ${articles.n} articles`,
  );
}
try {
  console.log(
    `reparse benchmark: ${PAGES} stored pages, parser concurrency ${env.PARSER_CONCURRENCY} (${env.PARSER_JOBS_PER_THREAD} jobs per thread), indexer batches of ${env.INDEXER_BATCH_SIZE}`,
  );
  const t0 = performance.now();
  await storePages(tdb.db, PAGES);
  // No outcome yet: each page gets one when its parse (and index) is done. No crawler runs here,
  // so nothing else (the reconcile sweep) acts on pages without one.
  console.log(`  stored ${PAGES} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  workers.push(startWorker('parser', env), startWorker('indexer', env));
  await new Promise((r) => setTimeout(r, 5000));

  await reparseAll('reparse');
  if (args.again) {
    // Outcomes cleared, so the wait below counts the second pass; the pages and the index stay.
    await tdb.db.updateTable('pages').set({ parse_outcome: null }).execute();
    await reparseAll('reparse again (every text already stored)');
  }
} finally {
  await Promise.all(workers.map(stopped));
  await closeServiceDeps(deps);
  await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
  await tdb.drop();
}
