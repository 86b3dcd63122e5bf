import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSources, startCrawl, syncSources } from '@govwire/crawler';
import {
  closeServiceDeps,
  createServiceDeps,
  loadConfig,
  migrateToLatest,
  type Config,
} from '@govwire/shared';
import { startInfra, type Infra } from './infra';
import { measure, settle } from './measure';
import { scenarios, type FaultContext, type Scenario } from './scenarios';
import { startFaultSite, type FaultSite } from './site';
import { CHILDREN, Supervised } from './workers';

/**
 * `pnpm test:faults`: the pipeline under the faults an operator meets, on a private Redis and
 * PostgreSQL (free ports, a temp dir; the machine's services are never touched), with the workers
 * started as the README says (`pnpm start`). Each scenario crawls its own part of a local site
 * while a fault strikes, waits until everything settled, and checks that every page is stored
 * exactly once or recorded as a failure `ops failed` lists and `ops replay` can replay, that the
 * crawl ended with true counts, and that every worker is alive. Exits non-zero on any problem.
 * `FAULTS_ONLY=a,b` runs some scenarios; `FAULTS_KEEP=1` keeps the temp dir (logs, data).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Row {
  scenario: string;
  expected: number;
  stored: number;
  failedRecorded: number;
  lost: number;
  duplicated: number;
  seconds: number;
  problems: string[];
}

function sourcesFile(dir: string, site: FaultSite, list: Scenario[]): string {
  const file = path.join(dir, 'sources.yaml');
  const sources = list.map((s) => ({
    id: s.id,
    name: s.title,
    enabled: true,
    startUrls: [site.listUrl(s)],
    links: { selector: '.news-list a', allow: [`/s/${s.id}/a/`] },
    politeness: { minIntervalMs: 0, maxInFlight: 16 },
    maxPagesPerRun: 500,
  }));
  writeFileSync(file, JSON.stringify({ sources }, null, 2)); // YAML is a superset of JSON
  return file;
}

function workerEnv(infra: Infra, site: FaultSite, sources: string): Record<string, string> {
  return {
    REDIS_URL: infra.redis.url,
    DATABASE_URL: infra.pg.url,
    QUEUE_PREFIX: 'faults',
    SOURCES_FILE: sources,
    CRAWLER_ALLOWED_PRIVATE_HOSTS: new URL(site.origin).host,
    CRAWLER_DEFAULT_MIN_INTERVAL_MS: '0',
    LOG_LEVEL: 'info',
    // A dead worker's jobs come back in seconds, not half a minute: the suite must fit in minutes.
    JOB_LOCK_MS: '5000',
    JOB_BACKOFF_MS: '500',
    OUTAGE_MAX_DELAY_MS: '8000',
    RECONCILE_INTERVAL_S: '3',
    RECONCILE_GRACE_S: '15',
    COMPLETED_JOBS_KEEP_COUNT: '100000',
  };
}

async function runScenario(
  base: Omit<FaultContext, 'crawlId' | 'killed'>,
  config: Config,
  s: Scenario,
): Promise<Row> {
  const started = Date.now();
  const exitsBefore = base.workers.exitCounts();
  const ctx: FaultContext = { ...base, crawlId: '', killed: [] };
  const problems: string[] = [];
  const { crawlId } = await startCrawl(base.deps, s.id, 'manual');
  ctx.crawlId = crawlId;
  const urls = base.site.articleUrls(s);
  if (s.seed) urls.push(...(await s.seed(ctx)));
  await s.fault(ctx).catch((err: unknown) => problems.push(`fault: ${(err as Error).message}`));
  const unsettled = await settle(base.deps, crawlId, s.settleTimeoutMs ?? 120_000);
  if (unsettled) problems.push(unsettled);
  const outcome = await measure(base.deps, config, crawlId, urls);
  problems.push(...outcome.problems);
  if (s.check)
    problems.push(
      ...(await s.check(ctx, outcome.failures).catch((e: unknown) => [`check: ${(e as Error).message}`])),
    );
  const dead = base.workers.dead();
  if (dead.length) problems.push(`not running: ${dead.join(', ')}`);
  const exits = base.workers.exitCounts();
  for (const c of CHILDREN) {
    const unexpected = exits[c] - exitsBefore[c] - ctx.killed.filter((k) => k === c).length;
    if (unexpected > 0) problems.push(`${c} exited ${unexpected} time(s) on its own`);
  }
  return {
    scenario: s.title,
    expected: outcome.expected,
    stored: outcome.stored,
    failedRecorded: outcome.failedRecorded,
    lost: outcome.lost,
    duplicated: outcome.duplicated,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    problems,
  };
}

function table(rows: Row[]): string {
  const head = [
    'scenario',
    'pages expected',
    'stored',
    'failed+recorded',
    'lost',
    'duplicated',
    'seconds',
    'result',
  ];
  const body = rows.map((r) => [
    r.scenario,
    String(r.expected),
    String(r.stored),
    String(r.failedRecorded),
    String(r.lost),
    String(r.duplicated),
    r.seconds.toFixed(1),
    r.problems.length ? 'FAIL' : 'ok',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const only = process.env.FAULTS_ONLY?.split(',').filter(Boolean);
  const list = scenarios().filter((s) => !only || only.includes(s.id));
  const infra = await startInfra();
  const log = (line: string) =>
    console.log(`[faults ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${line}`);
  log(`redis ${infra.redis.url}, postgres ${infra.pg.url}, data in ${infra.dir}`);
  const site = await startFaultSite(list);
  const sources = sourcesFile(infra.dir, site, list);
  const env = workerEnv(infra, site, sources);
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const deps = createServiceDeps('faults', config);
  const workers = new Supervised(ROOT, { ...process.env, ...env }, path.join(infra.dir, 'workers.log'));
  const rows: Row[] = [];
  // Interrupted (Ctrl-C, CI's timeout): leave no worker, Redis or PostgreSQL behind.
  const abort = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping everything`);
    void workers
      .stop(2_000)
      .then(() => infra.teardown())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    await migrateToLatest(deps.db);
    await syncSources(deps.db, loadSources(sources));
    workers.start();
    await workers.ready();
    log('pnpm start: crawler, parser, indexer and scheduler running');
    for (const s of list) {
      log(`scenario: ${s.title}`);
      const row = await runScenario({ infra, workers, site, deps, note: (l) => log(`  ${l}`) }, config, s);
      for (const p of row.problems) log(`  PROBLEM: ${p}`);
      rows.push(row);
    }
  } finally {
    await workers.stop();
    await closeServiceDeps(deps).catch(() => undefined);
    await site.close();
    await infra.teardown();
  }
  console.log(`\n${table(rows)}\n`);
  const failed = rows.filter((r) => r.problems.length);
  console.log(
    `${rows.length - failed.length}/${rows.length} scenarios passed in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return failed.length || rows.length < list.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
