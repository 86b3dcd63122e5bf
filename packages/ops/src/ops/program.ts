import { Command, CommanderError, Option } from 'commander';
import { UsageError, type QueueName } from '@govwire/shared';
import { closeOpsContext, type OpsContext } from './context';
import { crawlCommand } from './commands/crawl';
import {
  discardCommand,
  failedCommand,
  replayCommand,
  type BulkResult,
  type FailureStatus,
} from './commands/failures';
import { pauseCommand, resumeCommand } from './commands/queue-control';
import { reconcileCommand, renderReconcile } from './commands/reconcile';
import { reparseCommand } from './commands/reparse';
import { spamTermsAdd, spamTermsList, spamTermsRemove } from './commands/spam-terms';
import { statusCommand, type StatusResult } from './commands/status';
import { formatAge, renderTable, truncate } from './format';
import { listAudit } from './repositories/ops.repository';
import {
  parseQueueName,
  parseSince,
  parseSpanMs,
  selectionFromFlags,
  type SelectionFlags,
} from './selection';

export interface OpsIo {
  /** Builds the context when a command needs it (so `--help` never connects); `json` silences notes. */
  makeContext(opts: { json: boolean }): OpsContext;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface GlobalFlags {
  json?: boolean;
}

/**
 * Runs `pnpm ops <argv>` and returns the exit code. Usage mistakes throw UsageError (runCli prints one
 * line, exit 2); a command that ran but could not do all it was asked returns 1.
 */
export async function runOps(argv: string[], io: OpsIo): Promise<number> {
  let exitCode = 0;
  let ctx: OpsContext | undefined;
  const program = new Command('ops');
  const context = (cmd: Command): { ctx: OpsContext; json: boolean } => {
    const json = Boolean((cmd.optsWithGlobals() as GlobalFlags).json);
    ctx ??= io.makeContext({ json });
    return { ctx, json };
  };
  const print = (json: boolean, data: unknown, human: () => string) => {
    io.stdout(json ? JSON.stringify(data, null, 2) : human());
  };

  program
    .description('govwire operator tools: queue status, failed jobs, replay, reparse')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s.trimEnd()),
      writeErr: (s) => io.stderr(s.trimEnd()),
      outputError: () => {},
    })
    .showSuggestionAfterError(true);

  const filters = (cmd: Command) =>
    cmd
      .option('--queue <queue>', 'crawler | parser | indexer')
      .option('--source <source>', 'source id')
      .option('--error <text>', 'error message or code contains TEXT (case-insensitive)')
      .option('--since <time>', 'failed at or after: ISO time or 30m, 2h, 1d');

  program
    .command('status')
    .description('queue depths, throughput, oldest waiting job; last crawl per source')
    .option('--window <minutes>', 'throughput window', '5')
    .action(async (opts: { window: string }, cmd: Command) => {
      const windowMin = Number(opts.window);
      if (!Number.isInteger(windowMin) || windowMin < 1)
        throw new UsageError('--window: a whole number of minutes ≥ 1');
      const { ctx, json } = context(cmd);
      const r = await statusCommand(ctx, { windowMin });
      print(json, r, () => renderStatus(r));
    });

  filters(program.command('failed').description('failed jobs, searched in Postgres'))
    .addOption(
      new Option('--status <status>', 'row status')
        .choices(['failed', 'replayed', 'discarded', 'succeeded'])
        .default('failed'),
    )
    .option('--limit <n>', 'at most this many rows', '200')
    .argument('[job-ids...]', 'only these jobs (<id> or <queue>:<id>)')
    .action(
      async (
        jobIds: string[],
        opts: SelectionFlags & { status: FailureStatus; limit: string },
        cmd: Command,
      ) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit: a whole number ≥ 1');
        const sel = selectionFromFlags(opts, jobIds);
        const { ctx, json } = context(cmd);
        const r = await failedCommand(ctx, sel, { status: opts.status, limit });
        if (r.notFound.length) exitCode = 1;
        print(json, r, () => {
          const table = renderTable(
            ['QUEUE', 'JOB ID', 'NAME', 'SOURCE', 'ATTEMPTS', 'FAILED AT', 'ERROR', 'URL'],
            r.jobs.map((j) => [
              j.queue,
              j.jobId,
              j.name,
              j.sourceId,
              j.attempts,
              j.failedAt.slice(0, 19).replace('T', ' '),
              truncate(`[${j.errorCode}] ${j.error}`, 60),
              j.url,
            ]),
          );
          const foot = `${r.total} ${opts.status} job${r.total === 1 ? '' : 's'}${r.jobs.length < r.total ? ` (newest ${r.jobs.length} shown; use --limit)` : ''}`;
          const nf = r.notFound.length ? `\nnot found: ${r.notFound.join(', ')}` : '';
          return `${r.total ? `${table}\n` : ''}${foot}${nf}`;
        });
      },
    );

  const bulk = (name: 'replay' | 'discard', run: typeof replayCommand) =>
    filters(program.command(name))
      .description(
        name === 'replay'
          ? 'replay failed jobs (attempts reset); trimmed jobs are re-added from Postgres'
          : 'drop failed jobs from the failed set and mark them discarded',
      )
      .argument('[job-ids...]', '<id> or <queue>:<id>')
      .option('--all', 'every failed job')
      .option('--dry-run', 'only count and list what would happen')
      .action(async (jobIds: string[], opts: SelectionFlags & { dryRun?: boolean }, cmd: Command) => {
        const sel = selectionFromFlags(opts, jobIds);
        const { ctx, json } = context(cmd);
        const r = await run(ctx, sel, { dryRun: opts.dryRun });
        if (r.notFound.length) exitCode = 1;
        print(json, r, () => renderBulk(r));
      });
  bulk('replay', replayCommand);
  bulk('discard', discardCommand);

  for (const [name, fn] of [
    ['pause', pauseCommand],
    ['resume', resumeCommand],
  ] as const) {
    program
      .command(name)
      .description(`${name} a queue for every worker`)
      .argument('<queue>', 'crawler | parser | indexer')
      .action(async (queue: string, _opts: unknown, cmd: Command) => {
        const q: QueueName = parseQueueName(queue);
        const { ctx, json } = context(cmd);
        const r = await fn(ctx, q);
        print(json, r, () => `${r.queue}: ${r.paused ? 'paused' : 'running'}`);
      });
  }

  program
    .command('crawl')
    .description('start a crawl of one source now')
    .argument('<source>', 'source id')
    .action(async (source: string, _opts: unknown, cmd: Command) => {
      const { ctx, json } = context(cmd);
      const r = await crawlCommand(ctx, source);
      print(json, r, () => `crawl ${r.crawlId} queued (job ${r.jobId}); follow it with: pnpm ops status`);
    });

  program
    .command('reparse')
    .description('parse and index stored raw pages again (after a rules change)')
    .option('--source <source>', 'source id')
    .option('--since <time>', 'pages fetched at or after: ISO time or 30m, 2h, 1d')
    .option('--run-id <id>', 'resume an interrupted run under the same id')
    .option('--dry-run', 'only count')
    .action(
      async (opts: { source?: string; since?: string; runId?: string; dryRun?: boolean }, cmd: Command) => {
        const since = opts.since !== undefined ? parseSince(opts.since) : undefined;
        const { ctx, json } = context(cmd);
        const r = await reparseCommand(ctx, {
          sourceId: opts.source,
          since,
          runId: opts.runId,
          dryRun: opts.dryRun,
        });
        print(json, r, () =>
          r.dryRun
            ? `would reparse ${r.pages} page${r.pages === 1 ? '' : 's'}`
            : `reparse ${r.runId}: ${r.enqueued} parse jobs enqueued, ${r.alreadyQueued} already queued (of ${r.pages} pages)`,
        );
      },
    );

  program
    .command('reconcile')
    .description(
      'heal lost work: failures not yet recorded, crawls whose URLs have no live job, stored pages never parsed',
    )
    .option('--grace <span>', 'leave pages and URLs younger than this (30m, 2h; default RECONCILE_GRACE_S)')
    .option('--dry-run', 'only count')
    .action(async (opts: { grace?: string; dryRun?: boolean }, cmd: Command) => {
      const graceMs = opts.grace === undefined ? undefined : parseSpanMs(opts.grace);
      if (opts.grace !== undefined && graceMs === undefined)
        throw new UsageError(`--grace "${opts.grace}": a span like 30s, 10m, 2h`);
      const { ctx, json } = context(cmd);
      const r = await reconcileCommand(ctx, { dryRun: opts.dryRun, graceMs });
      print(json, r, () => renderReconcile(r));
    });

  program
    .command('audit')
    .description('who replayed, discarded or reparsed what, newest first')
    .option('--limit <n>', 'at most this many entries', '20')
    .action(async (opts: { limit: string }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit: a whole number ≥ 1');
      const { ctx, json } = context(cmd);
      const rows = (await listAudit(ctx.db, limit)).map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        action: r.action,
        actor: r.actor,
        count: r.count,
        selection: r.selection,
      }));
      print(json, rows, () =>
        rows.length
          ? renderTable(
              ['AT', 'ACTION', 'BY', 'COUNT', 'SELECTION'],
              rows.map((r) => [
                r.at.slice(0, 19).replace('T', ' '),
                r.action,
                r.actor,
                r.count,
                truncate(JSON.stringify(r.selection), 90),
              ]),
            )
          : 'no operator actions logged yet',
      );
    });

  const spam = program.command('spam-terms').description('injected SEO spam terms the parser removes');
  spam
    .command('add')
    .argument('<term>')
    .option('--note <text>', 'why')
    .action(async (term: string, opts: { note?: string }, cmd: Command) => {
      const { ctx, json } = context(cmd);
      const r = await spamTermsAdd(ctx, term, opts.note);
      print(json, r, () => (r.added ? `added "${r.term}"` : `"${r.term}" was already listed`));
    });
  spam.command('list').action(async (_opts: unknown, cmd: Command) => {
    const { ctx, json } = context(cmd);
    const r = await spamTermsList(ctx);
    print(json, r, () =>
      r.length
        ? renderTable(
            ['TERM', 'ADDED BY', 'ADDED AT', 'NOTE'],
            r.map((t) => [t.term, t.addedBy, t.addedAt.slice(0, 19).replace('T', ' '), t.note]),
          )
        : 'no spam terms in the database (the parser also ships its own list)',
    );
  });
  spam
    .command('remove')
    .argument('<term>')
    .action(async (term: string, _opts: unknown, cmd: Command) => {
      const { ctx, json } = context(cmd);
      const r = await spamTermsRemove(ctx, term);
      print(json, r, () => `removed "${r.term}"`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync')
        return err.exitCode;
      throw new UsageError(err.message.replace(/^error:\s*/, ''));
    }
    throw err;
  } finally {
    if (ctx) await closeOpsContext(ctx);
  }
  return exitCode;
}

function renderStatus(r: StatusResult): string {
  const q = renderTable(
    [
      'QUEUE',
      'STATE',
      'WAITING',
      'ACTIVE',
      'DELAYED',
      'FAILED',
      'COMPLETED',
      'DONE/MIN',
      'FAILED/MIN',
      'OLDEST WAITING',
    ],
    r.queues.map((x) => [
      x.queue,
      x.paused ? 'paused' : 'running',
      x.waiting,
      x.active,
      x.delayed,
      x.failed,
      x.completed,
      `${x.rateIsLowerBound ? '≥' : ''}${x.completedPerMin}`,
      x.failedPerMin,
      x.oldestWaitingJobId ? `${formatAge(x.oldestWaitingAgeS)} (${x.oldestWaitingJobId})` : '-',
    ]),
  );
  const s = r.sources.length
    ? renderTable(
        ['SOURCE', 'LAST CRAWL', 'TRIGGER', 'STATUS', 'URLS DONE', 'OUTCOMES', 'ERROR'],
        r.sources.map((x) => [
          x.sourceId + (x.enabled === false ? ' (disabled)' : ''),
          x.startedAt ? new Date(x.startedAt).toISOString().slice(0, 19).replace('T', ' ') : 'never',
          x.trigger,
          x.status,
          x.crawlId ? `${x.pagesDone ?? 0}/${x.pagesQueued ?? 0}` : null,
          Object.keys(x.outcomes).length
            ? Object.entries(x.outcomes)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ')
            : null,
          x.error ? truncate(x.error, 50) : null,
        ]),
      )
    : 'no sources known yet';
  const rec = r.reconciled ? `\n${r.reconciled} replayed job(s) found completed, marked succeeded` : '';
  return `${q}\n(rates over the last ${r.windowMin} min)\n\n${s}${rec}`;
}

function renderBulk(r: BulkResult): string {
  const verb = r.action === 'replay' ? 'replayed' : 'discarded';
  const lines: string[] = [];
  if (r.dryRun) {
    if (r.jobs.length) {
      lines.push(
        renderTable(
          ['QUEUE', 'JOB ID', 'NAME', 'WOULD', 'DETAIL'],
          r.jobs.map((j) => [j.queue, j.jobId, j.name, j.action.replace('would-', ''), j.detail]),
        ),
      );
    }
    lines.push(`dry run: ${r.done} job(s) would be ${verb}, ${r.skipped} skipped`);
  } else {
    for (const j of r.jobs.filter((x) => x.action === 'skipped'))
      lines.push(`skipped ${j.queue}:${j.jobId}: ${j.detail ?? ''}`);
    lines.push(`${verb} ${r.done}, skipped ${r.skipped} (of ${r.selected} selected)`);
  }
  if (r.notFound.length) lines.push(`not found among failed jobs: ${r.notFound.join(', ')}`);
  return lines.join('\n');
}
