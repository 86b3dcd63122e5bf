import { QUEUES, UsageError, type QueueName } from '@govwire/shared';

/** What an operator picked out of the failures table: the same filters for failed, replay and discard. */
export interface Selection {
  queue?: QueueName | undefined;
  sourceId?: string | undefined;
  errorText?: string | undefined;
  since?: Date | undefined;
  /** Explicit job ids, plain (`17`) or qualified by queue (`indexer:17`). */
  jobIds?: string[] | undefined;
  all?: boolean | undefined;
}

export function parseQueueName(value: string): QueueName {
  if ((QUEUES as readonly string[]).includes(value)) return value as QueueName;
  throw new UsageError(`unknown queue "${value}" (queues: ${QUEUES.join(', ')})`);
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The oldest and newest instants `--since` accepts: PostgreSQL's timestamptz and our data fit. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** A span such as `30m`, `2h`, `1d` in milliseconds, or undefined when `value` is not one. */
export function parseSpanMs(value: string): number | undefined {
  const rel = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  return rel ? Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase()]! : undefined;
}

/**
 * `--since` takes an ISO time (`2026-11-22T01:00Z`, `2026-11-22`) or a span back from now (`30m`, `2h`,
 * `1d`). Anything else is a usage error rather than a silently empty selection, and so is a time the
 * database cannot hold (`99999999d` reaches 270,000 years back).
 */
export function parseSince(value: string, now: Date = new Date()): Date {
  const span = parseSpanMs(value);
  let at: number | undefined;
  if (span !== undefined) at = now.getTime() - span;
  else if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const d = new Date(value.trim()).getTime();
    if (!Number.isNaN(d)) at = d;
  }
  if (at === undefined) {
    throw new UsageError(
      `--since "${value}" is neither an ISO time (2026-11-22T01:00Z) nor a span like 30m, 2h, 1d`,
    );
  }
  if (!(at >= EARLIEST && at <= LATEST)) {
    throw new UsageError(`--since "${value}" is out of range: give a time between 1970-01-01 and 9999-12-31`);
  }
  return new Date(at);
}

export interface SelectionFlags {
  queue?: string | undefined;
  source?: string | undefined;
  error?: string | undefined;
  since?: string | undefined;
  all?: boolean | undefined;
}

export function selectionFromFlags(
  flags: SelectionFlags,
  jobIds: string[] = [],
  now = new Date(),
): Selection {
  const sel: Selection = {};
  if (flags.queue !== undefined) sel.queue = parseQueueName(flags.queue);
  if (flags.source !== undefined) {
    if (!flags.source.trim()) throw new UsageError('--source must not be empty');
    sel.sourceId = flags.source.trim();
  }
  if (flags.error !== undefined) {
    if (!flags.error.trim()) throw new UsageError('--error must not be empty');
    sel.errorText = flags.error;
  }
  if (flags.since !== undefined) sel.since = parseSince(flags.since, now);
  if (jobIds.length) sel.jobIds = jobIds;
  if (flags.all) sel.all = true;
  return sel;
}

export function isFiltered(sel: Selection): boolean {
  return Boolean(sel.queue || sel.sourceId || sel.errorText || sel.since || sel.jobIds?.length);
}

/**
 * Replay and discard act on many jobs at once, so an empty selection is refused: the operator says
 * `--all` when they mean everything, and job ids do not mix with `--all`.
 */
export function requireDeliberateSelection(sel: Selection, action: string): void {
  if (sel.all && sel.jobIds?.length) throw new UsageError(`${action}: give job ids or --all, not both`);
  if (!sel.all && !isFiltered(sel)) {
    throw new UsageError(
      `${action}: say which jobs: job ids, --all, or filters (--queue, --source, --error, --since)`,
    );
  }
}

/** `indexer:17` → { queue: 'indexer', id: '17' }; `17` → { id: '17' }. BullMQ ids are unique per queue only. */
export function splitJobRef(ref: string): { queue?: QueueName; id: string } {
  const i = ref.indexOf(':');
  if (i > 0) {
    const maybeQueue = ref.slice(0, i);
    if ((QUEUES as readonly string[]).includes(maybeQueue))
      return { queue: maybeQueue as QueueName, id: ref.slice(i + 1) };
  }
  return { id: ref };
}

/** A JSON-safe record of the selection for the audit log. */
export function describeSelection(sel: Selection): Record<string, unknown> {
  return {
    ...(sel.queue ? { queue: sel.queue } : {}),
    ...(sel.sourceId ? { source: sel.sourceId } : {}),
    ...(sel.errorText ? { error: sel.errorText } : {}),
    ...(sel.since ? { since: sel.since.toISOString() } : {}),
    ...(sel.jobIds?.length ? { jobIds: sel.jobIds } : {}),
    ...(sel.all ? { all: true } : {}),
  };
}
