import { Command, CommanderError, Option } from 'commander';
import { UsageError, type QueueName } from '@govwire/shared';
import { closeOpsContext, type OpsContext } from './context';
import { crawlCommand } from './commands/crawl';
import { discardCommand, failedCommand, replayCommand, type FailureStatus } from './commands/failures';
import { goneCommand, reviveCommand } from './commands/gone';
import { pauseCommand, resumeCommand } from './commands/queue-control';
import { followReplay } from './commands/replay-follow';
import { reconcileCommand, renderReconcile } from './commands/reconcile';
import { reparseCommand } from './commands/reparse';
import { sourcesCommand } from './commands/sources';
import { spamTermsAdd, spamTermsList, spamTermsRemove } from './commands/spam-terms';
import { statusCommand } from './commands/status';
import { renderTable, truncate } from './format';
import {
  renderAudit,
  renderBulk,
  renderFailureGroups,
  renderFollow,
  renderGone,
  renderSources,
  renderStatus,
  type AuditView,
} from './render';
import { groupFailures, listAudit } from './repositories/ops.repository';
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
  /** Whether stdout shows colours (a terminal, and NO_COLOR unset). */
  color?: boolean;
}

/** `--limit 20` and the like: a whole number ≥ 1, or one clear line. */
function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: a whole number ≥ 1`);
  return n;
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

  const color = Boolean(io.color);
  program
    .command('status')
    .description('queues, their workers (or "no worker"), throughput; what each source last yielded')
    .option('--window <minutes>', 'throughput window', '5')
    .option('--source <source>', "that source's newest runs instead, each end to end")
    .option('--runs <n>', 'with --source: how many runs', '10')
    .action(async (opts: { window: string; source?: string; runs: string }, cmd: Command) => {
      const windowMin = positiveInt('--window', opts.window);
      const runs = positiveInt('--runs', opts.runs);
      const { ctx, json } = context(cmd);
      const r = await statusCommand(ctx, { windowMin, sourceId: opts.source?.trim(), runs });
      if (r.queues.some((x) => x.noWorker)) exitCode = 1;
      print(json, r, () => renderStatus(r, color));
    });

  program
    .command('sources')
    .description('each source with what its last crawl yielded: fetched, parsed, articles, facts, failures')
    .action(async (_opts: unknown, cmd: Command) => {
      const { ctx, json } = context(cmd);
      const r = await sourcesCommand(ctx);
      print(json, r, () => renderSources(r));
    });

  filters(program.command('failed').description('failed jobs, searched in Postgres'))
    .addOption(
      new Option('--status <status>', 'row status')
        .choices(['failed', 'replayed', 'discarded', 'succeeded'])
        .default('failed'),
    )
    .option('--limit <n>', 'at most this many rows', '200')
    .addOption(
      new Option('--group-by <what>', 'count by error code or by source, one example URL each').choices([
        'error',
        'source',
      ]),
    )
    .argument('[job-ids...]', 'only these jobs (<id> or <queue>:<id>)')
    .action(
      async (
        jobIds: string[],
        opts: SelectionFlags & { status: FailureStatus; limit: string; groupBy?: 'error' | 'source' },
        cmd: Command,
      ) => {
        const limit = positiveInt('--limit', opts.limit);
        const sel = selectionFromFlags(opts, jobIds);
        const { ctx, json } = context(cmd);
        if (opts.groupBy) {
          if (jobIds.length) throw new UsageError('--group-by works on filters, not job ids');
          const by = opts.groupBy;
          const groups = await groupFailures(ctx.db, { ...sel, status: opts.status, jobIds: undefined }, by);
          print(json, groups, () => renderFailureGroups(groups, by, opts.status));
          return;
        }
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

  const bulk = (name: 'replay' | 'discard') =>
    filters(program.command(name))
      .description(
        name === 'replay'
          ? 'replay failed jobs (attempts reset); trimmed jobs are re-added from Postgres'
          : 'drop failed jobs from the failed set and mark them discarded',
      )
      .argument('[job-ids...]', '<id> or <queue>:<id>')
      .option('--all', 'every failed job')
      .option('--dry-run', 'only count and list what would happen');
  bulk('replay')
    .option('--limit <n>', 'replay at most this many (the newest) to try a few first')
    .option('--wait', 'follow the replayed jobs and end with what became of them')
    .option('--wait-timeout <seconds>', 'with --wait: stop following after this long', '600')
    .action(
      async (
        jobIds: string[],
        opts: SelectionFlags & { dryRun?: boolean; limit?: string; wait?: boolean; waitTimeout: string },
        cmd: Command,
      ) => {
        const sel = selectionFromFlags(opts, jobIds);
        const limit = opts.limit !== undefined ? positiveInt('--limit', opts.limit) : undefined;
        const waitS = positiveInt('--wait-timeout', opts.waitTimeout);
        const { ctx, json } = context(cmd);
        const r = await replayCommand(ctx, sel, { dryRun: opts.dryRun, limit });
        if (r.notFound.length) exitCode = 1;
        if (!opts.wait || r.dryRun) {
          print(json, r, () => renderBulk(r, color));
          return;
        }
        if (!json) io.stdout(renderBulk(r, color));
        const followed = await followReplay(ctx, r.jobs, { timeoutMs: waitS * 1000 });
        if (followed.failedAgain || followed.stillRunning || followed.missing) exitCode = 1;
        print(json, { ...r, followed }, () => renderFollow(followed, color));
      },
    );
  bulk('discard').action(
    async (jobIds: string[], opts: SelectionFlags & { dryRun?: boolean }, cmd: Command) => {
      const sel = selectionFromFlags(opts, jobIds);
      const { ctx, json } = context(cmd);
      const r = await discardCommand(ctx, sel, { dryRun: opts.dryRun });
      if (r.notFound.length) exitCode = 1;
      print(json, r, () => renderBulk(r, color));
    },
  );

  for (const [name, fn] of [
    ['pause', pauseCommand],
    ['resume', resumeCommand],
  ] as const) {
    program
      .command(name)
      .description(`${name} a queue for every worker (audited)`)
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
    .description('who replayed, discarded, reparsed, paused or revived what (CLI and board), newest first')
    .option('--since <time>', 'entries at or after: ISO time or 30m, 2h, 1d')
    .option('--actor <name>', 'only this actor (an OS user, or board:<user> for the dashboard)')
    .option('--action <action>', 'only this action (replay, discard, reparse, pause, resume, revive, …)')
    .option('--limit <n>', 'entries per page', '50')
    .option('--before <id>', 'the page of entries older than this id')
    .action(
      async (
        opts: { since?: string; actor?: string; action?: string; limit: string; before?: string },
        cmd: Command,
      ) => {
        const limit = positiveInt('--limit', opts.limit);
        const beforeId = opts.before !== undefined ? positiveInt('--before', opts.before) : undefined;
        const since = opts.since !== undefined ? parseSince(opts.since) : undefined;
        const { ctx, json } = context(cmd);
        const page = await listAudit(
          ctx.db,
          { since, actor: opts.actor, action: opts.action, beforeId },
          limit,
        );
        const entries = page.rows.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          action: r.action,
          actor: r.actor,
          count: r.count,
          selection: r.selection,
        }));
        const more = page.matchingFromHere - entries.length;
        const view: AuditView = {
          total: page.total,
          shown: entries.length,
          more,
          nextBefore: more > 0 ? (entries.at(-1)?.id ?? null) : null,
          entries,
        };
        print(json, view, () => renderAudit(view));
      },
    );

  program
    .command('gone')
    .description('URLs no longer fetched: they failed permanently on several crawls in a row')
    .option('--source <source>', 'source id')
    .option('--limit <n>', 'at most this many rows', '200')
    .action(async (opts: { source?: string; limit: string }, cmd: Command) => {
      const limit = positiveInt('--limit', opts.limit);
      const { ctx, json } = context(cmd);
      const r = await goneCommand(ctx, { sourceId: opts.source?.trim(), limit });
      print(json, r, () => renderGone(r));
    });

  program
    .command('revive')
    .description('fetch gone URLs again from the next crawl on (audited)')
    .argument('[urls...]', 'URLs as `pnpm ops gone` lists them')
    .option('--source <source>', 'every gone URL of this source')
    .option('--all', 'every gone URL')
    .action(async (urls: string[], opts: { source?: string; all?: boolean }, cmd: Command) => {
      const { ctx, json } = context(cmd);
      const r = await reviveCommand(ctx, { urls, sourceId: opts.source?.trim(), all: opts.all });
      if (r.notGone.length) exitCode = 1;
      print(json, r, () =>
        [
          `revived ${r.revived.length} URL${r.revived.length === 1 ? '' : 's'}`,
          ...(r.notGone.length ? [`not marked gone: ${r.notGone.join(', ')}`] : []),
        ].join('\n'),
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
