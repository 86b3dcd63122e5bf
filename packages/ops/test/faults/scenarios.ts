import { fetchJobId } from '@govwire/crawler';
import { pagesRepo, sha256Hex, type ServiceDeps } from '@govwire/shared';
import type { Infra } from './infra';
import {
  article,
  deepNestingPage,
  gzipBomb as makeGzipBomb,
  type FaultSite,
  type SiteScenario,
} from './site';
import type { ChildName, Supervised } from './workers';

/** What a scenario's fault may use: the services, the workers, the site, the suite's own deps. */
export interface FaultContext {
  infra: Infra;
  workers: Supervised;
  site: FaultSite;
  deps: ServiceDeps;
  crawlId: string;
  /** Kills the scenario made (they are not counted as unexpected exits). */
  killed: ChildName[];
  note(line: string): void;
}

export interface Scenario extends SiteScenario {
  title: string;
  /** Runs alongside the crawl; resolves when the fault is over (the pipeline may still be healing). */
  fault(ctx: FaultContext): Promise<void>;
  /** Checks of its own once everything settled: problems, if any. */
  check?(
    ctx: FaultContext,
    failures: Array<{ url: string; code: string; permanent: boolean; queue: string; jobId: string }>,
  ): Promise<string[]>;
  /** Extra pages the scenario stores itself (not crawled), by URL, and accounts for. */
  seed?(ctx: FaultContext): Promise<string[]>;
  settleTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The workers a scenario kills; each is named after the queue it takes jobs from. */
type WorkerName = Exclude<ChildName, 'scheduler'>;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // a service is down: keep looking
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Waits until the worker's current process is running a job of `pick` (all its jobs by default). */
async function midJob(
  ctx: FaultContext,
  name: WorkerName,
  pick: (data: unknown) => boolean = () => true,
): Promise<void> {
  const queue = ctx.deps.queues.get(name);
  await waitFor(`${name} mid-job`, async () => {
    const since = ctx.workers.child(name).startedAt;
    const active = await queue.getActive();
    return active.some((j) => (j.processedOn ?? 0) >= since && pick(j.data));
  });
}

async function killMidJob(ctx: FaultContext, name: WorkerName, pick?: (d: unknown) => boolean) {
  await midJob(ctx, name, pick);
  const pid = ctx.workers.kill(name);
  ctx.killed.push(name);
  ctx.note(`SIGKILL ${name} (pid ${pid}) mid-job`);
  await ctx.workers.restarted(name, pid);
}

/** Waits until `n` URLs of the crawl have an outcome: the fault hits a crawl under way. */
async function progressed(ctx: FaultContext, n: number): Promise<void> {
  await waitFor(`${n} URLs done`, async () => {
    const r = await ctx.deps.db
      .selectFrom('crawl_urls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('crawl_id', '=', ctx.crawlId)
      .where('done_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n) >= n;
  });
}

const HTML = { 'content-type': 'text/html; charset=utf-8' };

function sigkillTwice(name: WorkerName, articles: number): Scenario {
  return {
    id: `sigkill-${name}`,
    title: `SIGKILL ${name} ×2 mid-job`,
    articles,
    async fault(ctx) {
      // The crawler is killed while fetching articles (its crawl-source job lasts milliseconds).
      const pick =
        name === 'crawler' ? (d: unknown) => (d as { kind?: string }).kind === 'article' : undefined;
      await killMidJob(ctx, name, pick);
      await killMidJob(ctx, name, pick);
    },
  };
}

export function scenarios(): Scenario[] {
  return [
    {
      id: 'baseline',
      title: 'no fault (baseline)',
      articles: 40,
      async fault() {},
    },
    sigkillTwice('crawler', 60),
    sigkillTwice('parser', 60),
    sigkillTwice('indexer', 60),
    {
      id: 'redis-restart',
      title: 'Redis SIGKILL + restart (AOF)',
      articles: 60,
      async fault(ctx) {
        await progressed(ctx, 15);
        ctx.infra.redis.kill();
        ctx.note('redis-server SIGKILLed');
        await sleep(2_000);
        await ctx.infra.redis.start();
        ctx.note('redis-server restarted from its append-only file');
      },
    },
    {
      id: 'pg-restart',
      title: 'PostgreSQL restart -m fast',
      articles: 60,
      async fault(ctx) {
        await progressed(ctx, 15);
        ctx.infra.pg.restart();
        ctx.note('pg_ctl restart -m fast done');
      },
    },
    {
      id: 'pg-stop',
      title: 'PostgreSQL stopped 30 s',
      articles: 60,
      settleTimeoutMs: 180_000,
      async fault(ctx) {
        await progressed(ctx, 15);
        ctx.infra.pg.stop('fast');
        ctx.note('PostgreSQL stopped');
        await sleep(30_000);
        await ctx.infra.pg.start();
        ctx.note('PostgreSQL started again');
      },
    },
    stallTwice(),
    gzipBomb(),
    deepNesting(),
  ];
}

/** A fetch whose worker dies under it twice: BullMQ fails it as stalled, and it must be recorded. */
function stallTwice(): Scenario {
  const slow = 'slow.html';
  return {
    id: 'stall-twice',
    title: 'a job that stalls twice',
    articles: 20,
    settleTimeoutMs: 150_000,
    extra: {
      [slow]: (_req, res) => {
        const t = setTimeout(() => res.writeHead(200, HTML).end(article('stall-twice', 999).html), 12_000);
        res.on('close', () => clearTimeout(t));
      },
    },
    async fault(ctx) {
      const isSlow = (d: unknown) => String((d as { url?: string }).url).endsWith(`/${slow}`);
      await killMidJob(ctx, 'crawler', isSlow);
      await killMidJob(ctx, 'crawler', isSlow);
    },
    async check(ctx, failures) {
      const url = `${ctx.site.origin}/s/stall-twice/a/${slow}`;
      const f = failures.find((x) => x.url === url);
      if (!f) return [`the twice-stalled fetch of ${slow} has no failure row`];
      if (f.code !== 'stalled') return [`the ${slow} failure is coded ${f.code}, not stalled`];
      // And it can be replayed for real: fetched, parsed, stored.
      const jobId = fetchJobId(ctx.crawlId, url);
      const { replayCommand } = await import('../../src/ops/commands/failures');
      const { createOpsContext, closeOpsContext } = await import('../../src/ops/context');
      const ops = createOpsContext(ctx.deps.config);
      try {
        const r = await replayCommand(ops, { jobIds: [`crawler:${jobId}`] });
        if (r.done !== 1) return [`replay of ${slow}: ${JSON.stringify(r.jobs)}`];
      } finally {
        await closeOpsContext(ops);
      }
      try {
        await waitFor(
          'the replayed page stored',
          async () => {
            const row = await ctx.deps.db
              .selectFrom('article_urls')
              .select('url')
              .where('url', '=', url)
              .executeTakeFirst();
            return Boolean(row);
          },
          60_000,
        );
      } catch {
        return [`the replayed ${slow} was not stored within 60 s`];
      }
      ctx.note(`${slow}: recorded as stalled, replayed with ops replay, stored`);
      return [];
    },
  };
}

/** A page served as a gzip bomb, and a stored page row whose body is one (a parse job's bomb). */
function gzipBomb(): Scenario {
  // Made once, on first use (a few seconds of deflate), and awaited by whoever needs it first.
  let bomb: Promise<Buffer> | undefined;
  const getBomb = () => (bomb ??= makeGzipBomb());
  return {
    id: 'gzip-bomb',
    title: 'gzip bombs (HTTP and stored)',
    articles: 20,
    extra: {
      'bomb.html': (_req, res) => {
        void getBomb().then((b) => res.writeHead(200, { ...HTML, 'content-encoding': 'gzip' }).end(b));
      },
    },
    async seed(ctx) {
      const body = await getBomb();
      // A stored page whose body inflates to 1 GiB: its parse job must fail, bounded.
      const url = `${ctx.site.origin}/s/gzip-bomb/a/stored-bomb.html`;
      const contentHash = sha256Hex('stored bomb');
      const id = await pagesRepo.savePage(ctx.deps.db, {
        url,
        finalUrl: url,
        sourceId: 'gzip-bomb',
        crawlId: ctx.crawlId,
        status: 200,
        contentHash,
        headers: HTML,
        bodyGzip: body,
        bytes: body.length,
        fetchedAt: new Date(),
      });
      const page = (await pagesRepo.findPageVersion(ctx.deps.db, url, contentHash))!;
      await ctx.deps.queues.enqueue(
        'parse-page',
        { page: pagesRepo.pageRefOf(page, null) },
        { jobId: `parse-${id}` },
      );
      return [url];
    },
    async fault() {},
    async check(ctx, failures) {
      const out: string[] = [];
      for (const name of ['bomb.html', 'stored-bomb.html']) {
        const f = failures.find((x) => x.url.endsWith(`/${name}`));
        if (!f) out.push(`${name}: no failure recorded`);
        else if (f.code !== 'too_large' || !f.permanent)
          out.push(`${name}: failed as ${f.code}, permanent ${f.permanent}`);
      }
      for (const name of ['crawler', 'parser'] as const) {
        const mb = ctx.workers.peakRssMb(name);
        ctx.note(`${name} peak RSS ${mb} MB`);
        if (mb > 800) out.push(`${name} peaked at ${mb} MB RSS: the bomb was inflated`);
      }
      return out;
    },
  };
}

/** 200,000 nested divs: stored, or failed permanently with a reason; never stalled, never lost. */
function deepNesting(): Scenario {
  const page = deepNestingPage();
  return {
    id: 'deep-nesting',
    title: 'deep nesting (200,000 divs)',
    articles: 20,
    settleTimeoutMs: 150_000,
    extra: { 'deep.html': (_req, res) => void res.writeHead(200, HTML).end(page) },
    async fault() {},
    async check(ctx, failures) {
      const f = failures.find((x) => x.url.endsWith('/deep.html'));
      if (f && (f.code === 'stalled' || !f.permanent)) {
        return [
          `deep.html ended as ${f.code} (permanent ${f.permanent}), not stored or failed with a reason`,
        ];
      }
      // Neither stored nor failed is counted as lost by the common checks.
      if (f) ctx.note(`deep.html failed permanently: ${f.code}`);
      return [];
    },
  };
}
