import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSources, startCrawl, syncSources } from '@govwire/crawler';
import {
  closeServiceDeps,
  createServiceDeps,
  deleteQueuePrefix,
  loadConfig,
  migrateToLatest,
  runCli,
  UsageError,
  type QueueName,
} from '@govwire/shared';
import { startPipelineWorkers, waitUntilDrained, type QueueCounts } from '../pipeline';
import { ensureDemoInfra } from './infra';
import { startMirrorSite } from './mirror';
import { demoReport, formatReport } from './report';
import { buildDemoMirror, DEMO_SOURCE_ID, DEMO_SOURCE_IDS } from './site';

/**
 * `pnpm demo`, the main job on a fresh machine: a local mirror of the seed documents, one crawl of
 * it through all three workers, and a report of what landed in Postgres.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

await runCli(async () => {
  const started = Date.now();
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--keep');
  if (unknown.length) throw new UsageError(`unknown argument ${unknown[0]}: the demo takes only --keep`);
  const keep = args.includes('--keep');
  const base = loadConfig();
  const sources = loadSources(path.resolve(root, base.SOURCES_FILE));
  const demoSource = sources.find((s) => s.id === DEMO_SOURCE_ID);
  if (!demoSource) throw new UsageError(`source "${DEMO_SOURCE_ID}" is missing from ${base.SOURCES_FILE}`);
  const startUrl = new URL(demoSource.startUrls[0]!.url);

  const infra = await ensureDemoInfra({
    redisUrl: base.REDIS_URL,
    databaseUrl: base.DATABASE_URL,
    dataDir: path.join(root, '.data'),
  });
  for (const note of infra.notes) console.log(`• ${note}`);

  const mirror = await buildDemoMirror(root);
  const site = await startMirrorSite(mirror.pages, Number(startUrl.port) || 80, mirror.routes).catch(
    (err: unknown) => {
      throw new UsageError(
        `cannot serve the demo mirror on ${startUrl.host} (${err instanceof Error ? err.message : String(err)}): is another demo running?`,
      );
    },
  );
  console.log(`• mirror site serving the seed documents at ${site.baseUrl}/`);

  // The demo runs on a queue prefix of its own, new for each run and removed at the end: workers of a
  // running `pnpm start` (which would refuse the loopback mirror) never take its jobs, and completed
  // jobs of an earlier run (deterministic ids such as parse-<pageId>) cannot shadow this run's when
  // the database is a different one.
  const demoPrefix = `${base.QUEUE_PREFIX}-demo-${Date.now().toString(36)}`;
  const config = loadConfig({
    ...process.env,
    REDIS_URL: infra.redisUrl,
    DATABASE_URL: infra.databaseUrl,
    QUEUE_PREFIX: demoPrefix,
    CRAWLER_ALLOWED_PRIVATE_HOSTS: [...base.CRAWLER_ALLOWED_PRIVATE_HOSTS, startUrl.host].join(','),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const deps = createServiceDeps('demo', config);
  const workers: Array<{ stop(): Promise<void> }> = [];
  try {
    await migrateToLatest(deps.db);
    await syncSources(deps.db, sources);
    workers.push(...(await startPipelineWorkers(deps, ['crawler', 'parser', 'indexer'])));
    const crawls: Array<{ crawlId: string; sourceId: string }> = [];
    for (const sourceId of DEMO_SOURCE_IDS) {
      if (!sources.some((s) => s.id === sourceId)) continue; // an older sources file: the plain list only
      const { crawlId } = await startCrawl(deps, sourceId, 'demo');
      crawls.push({ crawlId, sourceId });
      console.log(`• crawl ${crawlId} started`);
    }

    let lastLine = '';
    const progress = (counts: Record<QueueName, QueueCounts>) => {
      const line = (Object.entries(counts) as Array<[QueueName, QueueCounts]>)
        .map(
          ([q, c]) =>
            `${q} ${c.completed} done/${c.waiting + c.active + c.delayed} queued/${c.failed} failed`,
        )
        .join(' · ');
      if (line !== lastLine) {
        lastLine = line;
        console.log(`  ${line}`);
      }
    };
    await waitUntilDrained(deps, { timeoutMs: 180_000, onProgress: progress });

    const report = await demoReport(deps.db, crawls);
    console.log('');
    console.log(
      formatReport(report, { seconds: (Date.now() - started) / 1000, databaseUrl: config.DATABASE_URL }),
    );
    if (infra.notes.length > 0) {
      if (keep) {
        console.log('\nThe demo keeps its own Redis/PostgreSQL and the mirror running: Ctrl-C stops them.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } else {
        console.log(
          '\nThe Redis/PostgreSQL the demo started stop with it (data stays in .data/): run `pnpm demo --keep` to keep them up for psql.',
        );
      }
    }
    return report.articles > 0 ? 0 : 1;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await deleteQueuePrefix(config.REDIS_URL, demoPrefix);
    await closeServiceDeps(deps);
    await site.close();
    await infra.stop();
  }
});
