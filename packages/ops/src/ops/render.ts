import type { BulkResult } from './commands/failures';
import type { GoneResult } from './commands/gone';
import type { ReplayFollowResult } from './commands/replay-follow';
import type { RunView, SourceRunsResult, SourceView } from './commands/sources';
import type { StatusResult } from './commands/status';
import { formatAge, formatCounts, formatTime, red, renderTable, truncate } from './format';
import type { FailureGroup } from './repositories/ops.repository';

/** How `pnpm ops` prints for people; `--json` prints the command results as they are. */

export function renderStatus(r: StatusResult, color: boolean): string {
  const q = renderTable(
    [
      'QUEUE',
      'STATE',
      'WORKERS',
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
      x.noWorker ? red('no worker', color) : x.paused ? 'paused' : 'running',
      x.workers.length
        ? `${x.workers.length} (${x.workers.reduce((n, w) => n + w.concurrency, 0)} slots)`
        : 0,
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
  const workers = r.queues.flatMap((x) => x.workers);
  const w = workers.length
    ? renderTable(
        ['QUEUE', 'HOST', 'PID', 'CONCURRENCY', 'VERSION', 'UP', 'LAST SEEN'],
        workers.map((x) => [
          x.queue,
          x.host,
          x.pid,
          x.concurrency,
          x.version,
          formatAge(Math.round((Date.parse(r.at) - Date.parse(x.startedAt)) / 1000)),
          `${formatAge(Math.max(0, Math.round((Date.parse(r.at) - Date.parse(x.beatAt)) / 1000)))} ago`,
        ]),
      )
    : red('no worker is running', color);
  const rec = r.reconciled ? `\n${r.reconciled} replayed job(s) found completed, marked succeeded` : '';
  const tail = r.source ? renderSourceRuns(r.source) : renderSources(r.sources, { reasons: false });
  return `${q}\n(rates over the last ${r.windowMin} min)\n\n${w}\n\n${tail}${rec}`;
}

const YIELD_HEADERS = [
  'FETCHED',
  'UNCHANGED',
  'SKIPPED',
  'FETCH FAILED',
  'PARSED',
  'NO ARTICLE',
  'PARSE FAILED',
  'PENDING',
  'NEW',
  'UPDATED',
  'MERGED',
  'FACTS',
];

function yieldCells(r: RunView | null): Array<number | null> {
  if (!r) return YIELD_HEADERS.map(() => null);
  return [
    r.fetch.fetched,
    r.fetch.unchanged,
    r.fetch.skipped,
    r.fetch.failed,
    r.parse.parsed,
    r.parse.noArticle,
    r.parse.failed,
    r.parse.pending,
    r.articles.new,
    r.articles.updated,
    r.articles.merged,
    r.facts,
  ];
}

/** Why a run lost pages: fetch failures, skips and parse failures by reason. */
function reasons(r: RunView): string | null {
  const parts = [
    Object.keys(r.fetchFailedBy).length ? `fetch failed: ${formatCounts(r.fetchFailedBy)}` : null,
    Object.keys(r.skippedBy).length ? `skipped: ${formatCounts(r.skippedBy)}` : null,
    Object.keys(r.parseFailedBy).length ? `parse failed: ${formatCounts(r.parseFailedBy)}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join('; ') : null;
}

export function renderSources(sources: SourceView[], opts: { reasons: boolean } = { reasons: true }): string {
  if (sources.length === 0) return 'no sources known yet';
  const table = renderTable(
    ['SOURCE', 'LAST RUN', 'STATUS', ...YIELD_HEADERS, 'OPEN FAILURES', 'GONE'],
    sources.map((s) => [
      s.sourceId + (s.enabled === false ? ' (disabled)' : ''),
      s.lastRun ? formatTime(s.lastRun.startedAt) : 'never',
      s.lastRun?.status,
      ...yieldCells(s.lastRun),
      s.openFailures,
      s.goneUrls,
    ]),
  );
  if (!opts.reasons) return table;
  const why = sources
    .map((s) => (s.lastRun ? [s.sourceId, reasons(s.lastRun)] : null))
    .filter((x): x is [string, string] => Boolean(x?.[1]));
  return why.length
    ? `${table}\n\nlast run, by reason:\n${why.map(([id, r]) => `  ${id}: ${r}`).join('\n')}`
    : table;
}

export function renderSourceRuns(r: SourceRunsResult): string {
  const s = r.source;
  const head = `${s.sourceId}${s.name ? ` (${s.name})` : ''}${s.enabled === false ? ', disabled' : ''}: ${s.openFailures} open failure(s), ${s.goneUrls} gone URL(s)`;
  if (r.runs.length === 0) return `${head}\nnever crawled`;
  const table = renderTable(
    ['RUN STARTED', 'TRIGGER', 'STATUS', 'URLS', ...YIELD_HEADERS],
    r.runs.map((x) => [formatTime(x.startedAt), x.trigger, x.status, x.urlsQueued, ...yieldCells(x)]),
  );
  const why = r.runs
    .map((x) => [formatTime(x.startedAt), reasons(x), x.error] as const)
    .filter(([, why, err]) => why || err)
    .map(
      ([at, why, err]) =>
        `  ${at}: ${[why, err ? `crawl error: ${truncate(err, 80)}` : null].filter(Boolean).join('; ')}`,
    );
  return `${head}\n${table}${why.length ? `\n\nby reason:\n${why.join('\n')}` : ''}`;
}

export function renderBulk(r: BulkResult, color: boolean): string {
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
    if (r.permanent?.count) {
      lines.push(
        red(
          `warning: ${r.permanent.count} of them failed permanently (${formatCounts(r.permanent.byCode)}): ` +
            'they will fail again unless the page or the code changed',
          color,
        ),
      );
    }
  } else {
    for (const j of r.jobs.filter((x) => x.action === 'skipped'))
      lines.push(`skipped ${j.queue}:${j.jobId}: ${j.detail ?? ''}`);
    lines.push(`${verb} ${r.done}, skipped ${r.skipped} (of ${r.selected} selected)`);
  }
  if (r.matched !== undefined && r.matched > r.selected)
    lines.push(`${r.matched - r.selected} more match the filters (--limit)`);
  if (r.notFound.length) lines.push(`not found among failed jobs: ${r.notFound.join(', ')}`);
  return lines.join('\n');
}

export function renderFollow(f: ReplayFollowResult, color: boolean): string {
  const failed = f.failedAgain
    ? red(`failed again ${f.failedAgain} (${formatCounts(f.failedBy)})`, color)
    : 'failed again 0';
  const lines = [
    `succeeded ${f.succeeded}, ${failed}, still running ${f.stillRunning}${f.missing ? `, gone from the queue ${f.missing}` : ''}`,
  ];
  const again = f.jobs.filter((j) => j.state === 'failed').slice(0, 10);
  for (const j of again)
    lines.push(`  ${j.queue}:${j.jobId}: ${truncate(j.error ?? j.errorCode ?? '', 100)}`);
  if (f.failedAgain > again.length)
    lines.push(`  … and ${f.failedAgain - again.length} more (pnpm ops failed)`);
  if (f.timedOut) lines.push('stopped waiting (--wait-timeout); the rest are still queued or running');
  return lines.join('\n');
}

export function renderFailureGroups(groups: FailureGroup[], by: 'error' | 'source', status: string): string {
  if (groups.length === 0) return `no ${status} jobs`;
  const table = renderTable(
    [by === 'error' ? 'ERROR' : 'SOURCE', 'COUNT', 'QUEUES', 'PERMANENT', 'LATEST', 'EXAMPLE URL'],
    groups.map((g) => [
      g.key,
      g.count,
      g.queues.join(','),
      g.permanent ? 'yes' : 'no',
      formatTime(g.latest),
      g.exampleUrl,
    ]),
  );
  const total = groups.reduce((n, g) => n + g.count, 0);
  return `${table}\n${total} ${status} job${total === 1 ? '' : 's'} in ${groups.length} group${groups.length === 1 ? '' : 's'}`;
}

export interface AuditView {
  total: number;
  shown: number;
  /** Matching entries older than the last one shown. */
  more: number;
  nextBefore: number | null;
  entries: Array<{
    id: number;
    at: string;
    action: string;
    actor: string;
    count: number;
    selection: unknown;
  }>;
}

export function renderAudit(a: AuditView): string {
  if (a.total === 0) return 'no operator actions match';
  const table = a.entries.length
    ? renderTable(
        ['ID', 'AT', 'ACTION', 'BY', 'COUNT', 'SELECTION'],
        a.entries.map((r) => [
          r.id,
          formatTime(r.at),
          r.action,
          r.actor,
          r.count,
          truncate(JSON.stringify(r.selection), 90),
        ]),
      )
    : 'no entries on this page';
  const foot = a.more
    ? `${a.shown} shown of ${a.total}; ${a.more} older: add --before ${a.nextBefore}`
    : `${a.total} entr${a.total === 1 ? 'y' : 'ies'}${a.shown < a.total ? ` (${a.shown} on this page)` : ''}`;
  return `${table}\n${foot}`;
}

export function renderGone(g: GoneResult): string {
  if (g.total === 0) return 'no URL is marked gone';
  const table = renderTable(
    ['URL', 'SOURCE', 'GONE SINCE', 'FAILED CRAWLS', 'REASON'],
    g.urls.map((u) => [u.url, u.sourceId, formatTime(u.goneAt), u.failedCrawls, u.reason]),
  );
  const more = g.total > g.urls.length ? ` (${g.urls.length} shown; use --limit)` : '';
  return `${table}\n${g.total} gone URL${g.total === 1 ? '' : 's'}${more}; revive with: pnpm ops revive <url…>`;
}
