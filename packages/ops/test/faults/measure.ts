import { sql } from 'kysely';
import { FailureOutbox, type Config, type ServiceDeps } from '@govwire/shared';
import { createOpsContext } from '../../src/ops/context';
import { runOps } from '../../src/ops/program';

/**
 * What a scenario left behind, read from PostgreSQL and through `pnpm ops` (the same program, run in
 * process): every expected page is stored once, or failed with a row that `ops failed` lists and
 * `ops replay` would replay; the crawl ended with true counts; nothing is stored twice.
 */
export interface Outcome {
  expected: number;
  stored: number;
  failedRecorded: number;
  lost: number;
  duplicated: number;
  /** Failure rows of the scenario's pages: queue, job id, code, permanent. */
  failures: Array<{ queue: string; jobId: string; url: string; code: string; permanent: boolean }>;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the crawl ended and no queue holds work for it (nothing waiting, running or delayed). */
export async function settle(deps: ServiceDeps, crawlId: string, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  const outbox = new FailureOutbox(deps.redis, deps.config.QUEUE_PREFIX);
  let quiet = 0;
  let last = 'not looked yet';
  while (Date.now() < deadline) {
    try {
      const crawl = await deps.db
        .selectFrom('crawls')
        .select('status')
        .where('id', '=', crawlId)
        .executeTakeFirst();
      const unparsed = await sql<{ n: number }>`select count(*)::int as n from pages
          where crawl_id = ${crawlId} and parse_outcome is null`.execute(deps.db);
      let busy = 0;
      for (const q of ['crawler', 'parser', 'indexer'] as const) {
        const c = await deps.queues.get(q).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
      }
      const held = await outbox.size();
      const n = unparsed.rows[0]?.n ?? 0;
      last = `crawl ${crawl?.status ?? 'missing'}, ${busy} jobs in flight, ${n} stored pages unparsed, ${held} failures in the outbox`;
      quiet = crawl?.status !== 'running' && busy === 0 && n === 0 && held === 0 ? quiet + 1 : 0;
      if (quiet >= 3) return null;
    } catch (err) {
      last = `services unavailable (${(err as Error).message})`;
      quiet = 0;
    }
    await sleep(500);
  }
  return `did not settle within ${Math.round(timeoutMs / 1000)} s: ${last}`;
}

interface UrlRow {
  url: string;
  articles: number;
  versions: number;
  pages: number;
}

export async function measure(
  deps: ServiceDeps,
  config: Config,
  crawlId: string,
  urls: string[],
): Promise<Outcome> {
  const problems: string[] = [];
  const rows = await sql<UrlRow>`
    select u.url,
      (select count(distinct article_id)::int from article_urls a where a.url = u.url or a.requested_url = u.url) as articles,
      (select count(*)::int from article_versions v where v.url = u.url) as versions,
      (select count(*)::int from pages p where p.url = u.url) as pages
    from unnest(${urls}::text[]) as u(url)`.execute(deps.db);
  const failureRows = await deps.db
    .selectFrom('failures')
    .select(['queue', 'job_id', 'url', 'error_code', 'permanent'])
    .where('status', '=', 'failed')
    .where('url', 'in', urls)
    .execute();
  const failedUrls = new Set(failureRows.map((f) => f.url!));
  let stored = 0;
  let failedRecorded = 0;
  let duplicated = 0;
  for (const r of rows.rows) {
    if (r.articles > 0) stored++;
    else if (failedUrls.has(r.url)) failedRecorded++;
    duplicated += Math.max(0, r.articles - 1) + Math.max(0, r.versions - 1) + Math.max(0, r.pages - 1);
  }
  const failures = failureRows.map((f) => ({
    queue: f.queue,
    jobId: f.job_id,
    url: f.url!,
    code: f.error_code,
    permanent: f.permanent,
  }));
  problems.push(...(await crawlProblems(deps, crawlId)));
  problems.push(...(await opsProblems(config, failures)));
  const lost = urls.length - stored - failedRecorded;
  if (lost > 0) {
    const missing = rows.rows.filter((r) => r.articles === 0 && !failedUrls.has(r.url)).map((r) => r.url);
    problems.push(`${lost} page(s) lost: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ' …' : ''}`);
  }
  if (duplicated > 0) problems.push(`${duplicated} duplicate row(s) (articles, versions or pages per URL)`);
  return { expected: urls.length, stored, failedRecorded, lost, duplicated, failures, problems };
}

/** The crawl ended (done or failed) with its counts equal to its URLs, every URL with an outcome. */
async function crawlProblems(deps: ServiceDeps, crawlId: string): Promise<string[]> {
  const r = await sql<{
    status: string;
    pages_queued: number;
    pages_done: number;
    urls: number;
    open: number;
  }>`
    select status, pages_queued, pages_done,
      (select count(*)::int from crawl_urls where crawl_id = c.id) as urls,
      (select count(*)::int from crawl_urls where crawl_id = c.id and done_at is null) as open
    from crawls c where id = ${crawlId}`.execute(deps.db);
  const c = r.rows[0];
  if (!c) return [`crawl ${crawlId} missing`];
  const out: string[] = [];
  if (c.status !== 'done' && c.status !== 'failed') out.push(`crawl still ${c.status}`);
  if (c.open > 0) out.push(`${c.open} crawl URL(s) without an outcome`);
  if (c.pages_queued !== c.urls || (c.status === 'done' && c.pages_done !== c.urls)) {
    out.push(`crawl counts wrong: queued ${c.pages_queued}, done ${c.pages_done}, URLs ${c.urls}`);
  }
  return out;
}

/** Every failure is listed by `ops failed`, and `ops replay --dry-run` would replay each of them. */
async function opsProblems(config: Config, failures: Outcome['failures']): Promise<string[]> {
  if (failures.length === 0) return [];
  const ids = failures.map((f) => `${f.queue}:${f.jobId}`);
  const run = async (args: string[]) => {
    const out: string[] = [];
    const io = {
      makeContext: () => createOpsContext(config),
      stdout: (t: string) => out.push(t),
      stderr: () => {},
    };
    const code = await runOps(['--json', ...args, ...ids], io);
    return { code, json: JSON.parse(out.join('\n')) as Record<string, unknown> };
  };
  const out: string[] = [];
  const listed = await run(['failed']);
  const jobs = (listed.json.jobs ?? []) as Array<{ queue: string; jobId: string }>;
  if (listed.code !== 0 || jobs.length !== failures.length) {
    out.push(`ops failed lists ${jobs.length} of ${failures.length} failures (exit ${listed.code})`);
  }
  const replay = await run(['replay', '--dry-run']);
  const r = replay.json as {
    done?: number;
    skipped?: number;
    jobs?: Array<{ jobId: string; detail?: string }>;
  };
  if (replay.code !== 0 || r.done !== failures.length) {
    const why = (r.jobs ?? []).find((j) => j.detail)?.detail ?? '';
    out.push(`ops replay would replay ${r.done ?? 0} of ${failures.length} failures ${why}`.trim());
  }
  return out;
}
