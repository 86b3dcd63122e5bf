import { Command } from 'commander';
import {
  assertServicesReachable,
  closeServiceDeps,
  createServiceDeps,
  loadConfig,
  migrateToLatest,
  runCli,
  UsageError,
} from '@govwire/shared';
import { startPipelineWorkers } from '../pipeline';
import { expandInputs, ingestFiles } from './ingest';

const program = new Command()
  .name('pnpm ingest')
  .description(
    'Send local files (HTML or text, any encoding) through the parse and index queues into Postgres.',
  )
  .argument('<file-or-dir...>', 'files, or directories to read recursively (.txt, .html, .htm, .xhtml)')
  .option('--no-workers', 'do not start parser/indexer workers in this process (use when `pnpm start` runs)')
  .exitOverride()
  // runCli prints the one error line; commander must not print it too.
  .configureOutput({ outputError: () => undefined });

await runCli(async () => {
  try {
    program.parse(process.argv);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    throw new UsageError(e.message?.replace(/^error: /, '') ?? 'bad arguments');
  }
  const opts = program.opts<{ workers: boolean }>();
  // The per-file lines are the output: worker logs stay quiet unless LOG_LEVEL asks for them.
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const { files, rejected } = await expandInputs(program.args, config.FETCH_MAX_BYTES);
  if (files.length === 0) {
    // Nothing to do: say why in one line (the one input refused, or that nothing matched).
    if (rejected.length === 1) throw new UsageError(`${rejected[0]!.path}: ${rejected[0]!.reason}`);
    for (const r of rejected) console.log(`failed   ${r.path}: ${r.reason}`);
    throw new UsageError('nothing to ingest: no readable .txt/.html files in the given paths');
  }
  for (const r of rejected) console.log(`failed   ${r.path}: ${r.reason}`);
  await assertServicesReachable({ redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL });
  const deps = createServiceDeps('ingest', config);
  await migrateToLatest(deps.db);
  const workers = opts.workers ? await startPipelineWorkers(deps, ['parser', 'indexer']) : [];
  try {
    const results = await ingestFiles(deps, files, {
      runId: `${Date.now().toString(36)}`,
      onResult: (r) => console.log(`${r.status.padEnd(8)} ${r.file}: ${r.detail}`),
    });
    const stored = results.filter((r) => r.status === 'stored').length;
    const failed = results.length - stored + rejected.length;
    console.log(`${stored} stored, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await closeServiceDeps(deps);
  }
});
