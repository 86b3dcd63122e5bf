import { Job } from 'bullmq';
import {
  errorMessage,
  failuresRepo,
  JOBS,
  QUEUES,
  UsageError,
  type Failure,
  type JobName,
  type QueueName,
} from '@govwire/shared';
import type { OpsContext } from '../context';
import { mapLimit } from '../concurrency';
import {
  countFailures,
  failurePayload,
  findFailureRefs,
  insertAudit,
  retargetFailure,
  type FailureRef,
} from '../repositories/ops.repository';
import { describeSelection, requireDeliberateSelection, splitJobRef, type Selection } from '../selection';

export type FailureStatus = Failure['status'];

/** Jobs replayed or discarded at once: each is a few round trips, and the pools hold only a few connections. */
const BULK_CONCURRENCY = 8;

export interface SelectedFailures {
  rows: FailureRef[];
  /** Job ids the operator named that match no failure row in the requested status. */
  notFound: string[];
}

/**
 * Finds failure rows in Postgres (BullMQ cannot search its failed set, and trims it). Job ids are unique
 * per queue only, so a bare id found in two queues is refused rather than guessed.
 */
export async function selectFailures(
  ctx: OpsContext,
  sel: Selection,
  status: FailureStatus = 'failed',
  limit?: number,
): Promise<SelectedFailures> {
  const refs = (sel.jobIds ?? []).map((r) => ({ ref: r, ...splitJobRef(r) }));
  const rows = await findFailureRefs(ctx.db, {
    ...filterOf(sel, status),
    jobIds: refs.length ? [...new Set(refs.map((r) => r.id))] : undefined,
    limit,
  });
  if (!refs.length) return { rows, notFound: [] };
  const picked = new Map<number, FailureRef>();
  const notFound: string[] = [];
  for (const ref of refs) {
    const matches = rows.filter((r) => r.job_id === ref.id && (!ref.queue || r.queue === ref.queue));
    if (matches.length === 0) notFound.push(ref.ref);
    else if (matches.length > 1) {
      const queues = matches.map((m) => m.queue).join(', ');
      throw new UsageError(
        `job id ${ref.id} is in several queues (${queues}): write it as <queue>:${ref.id} or add --queue`,
      );
    } else picked.set(matches[0]!.id, matches[0]!);
  }
  return { rows: [...picked.values()], notFound };
}

function filterOf(sel: Selection, status: FailureStatus) {
  return { queue: sel.queue, sourceId: sel.sourceId, errorText: sel.errorText, since: sel.since, status };
}

export interface FailedJobView {
  queue: string;
  jobId: string;
  name: string;
  sourceId: string | null;
  /** The URL the job concerns (the page for parse and index jobs). */
  url: string | null;
  attempts: number;
  errorCode: string;
  error: string;
  permanent: boolean;
  status: FailureStatus;
  failedAt: string;
}

export function viewFailure(r: FailureRef): FailedJobView {
  return {
    queue: r.queue,
    jobId: r.job_id,
    name: r.job_name,
    sourceId: r.source_id,
    url: r.url,
    attempts: r.attempts,
    errorCode: r.error_code,
    error: r.error,
    permanent: r.permanent,
    status: r.status,
    failedAt: new Date(r.failed_at).toISOString(),
  };
}

export interface FailedResult {
  total: number;
  jobs: FailedJobView[];
  notFound: string[];
}

export async function failedCommand(
  ctx: OpsContext,
  sel: Selection,
  opts: { status?: FailureStatus; limit?: number } = {},
): Promise<FailedResult> {
  if (opts.status === 'replayed') await reconcileReplayed(ctx);
  const status = opts.status ?? 'failed';
  const { rows, notFound } = await selectFailures(ctx, sel, status, opts.limit);
  // With job ids the rows are the answer; with filters the list may be cut at the limit, the count is not.
  const total = sel.jobIds?.length ? rows.length : await countFailures(ctx.db, filterOf(sel, status));
  return { total, jobs: rows.map(viewFailure), notFound };
}

type JobState = Awaited<ReturnType<Job['getState']>> | 'missing';

async function findJob(ctx: OpsContext, row: FailureRef): Promise<{ job: Job | undefined; state: JobState }> {
  if (!(QUEUES as readonly string[]).includes(row.queue)) return { job: undefined, state: 'missing' };
  const job = await Job.fromId(ctx.queues.get(row.queue as QueueName), row.job_id);
  if (!job) return { job: undefined, state: 'missing' };
  const state = await job.getState();
  return { job, state: state === 'unknown' ? 'missing' : state };
}

/** BullMQ refuses integer custom ids, so a trimmed auto-id job comes back under `replay-<id>`. */
export function readdJobId(jobId: string): string {
  return /^\d+$/.test(jobId) ? `replay-${jobId}` : jobId;
}

export type JobAction =
  'retried' | 're-added' | 'discarded' | 'skipped' | 'would-retry' | 'would-re-add' | 'would-discard';

export interface JobOutcome {
  queue: string;
  jobId: string;
  name: string;
  action: JobAction;
  /** Why a job was skipped, or the id a re-added job now has. */
  detail?: string;
  /** The failure row, and the id the job runs under now (a re-added job may have a new one). */
  failureId: number;
  runsAs: string;
}

/** Selected failures that failed permanently: replayed as they are, they will fail the same way. */
export interface PermanentInSelection {
  count: number;
  byCode: Record<string, number>;
}

export interface BulkResult {
  action: 'replay' | 'discard';
  dryRun: boolean;
  selected: number;
  done: number;
  skipped: number;
  notFound: string[];
  jobs: JobOutcome[];
  auditId?: number;
  /** How many failures the filters matched before `--limit` cut them. */
  matched?: number;
  permanent?: PermanentInSelection;
}

function outcome(row: FailureRef, action: JobAction, detail?: string, runsAs = row.job_id): JobOutcome {
  return {
    queue: row.queue,
    jobId: row.job_id,
    name: row.job_name,
    action,
    ...(detail ? { detail } : {}),
    failureId: row.id,
    runsAs,
  };
}

function permanentIn(rows: FailureRef[]): PermanentInSelection {
  const byCode: Record<string, number> = {};
  for (const r of rows.filter((x) => x.permanent)) byCode[r.error_code] = (byCode[r.error_code] ?? 0) + 1;
  return { count: Object.values(byCode).reduce((a, b) => a + b, 0), byCode };
}

/**
 * Replays failed jobs: a job still in BullMQ's failed set is retried in place with its attempts reset (so
 * it gets its full retries again); a job BullMQ has trimmed is re-added from the payload Postgres kept,
 * validated like any enqueue. The row is marked `replayed` before the job moves, so a job that finishes
 * at once cannot have its `succeeded` (or renewed `failed`) overwritten.
 */
export async function replayCommand(
  ctx: OpsContext,
  sel: Selection,
  opts: { dryRun?: boolean; limit?: number | undefined } = {},
): Promise<BulkResult> {
  requireDeliberateSelection(sel, 'replay');
  const { rows, notFound } = await selectFailures(ctx, sel, 'failed', opts.limit);
  const matched =
    opts.limit !== undefined && !sel.jobIds?.length
      ? await countFailures(ctx.db, filterOf(sel, 'failed'))
      : rows.length;
  const dryRun = Boolean(opts.dryRun);
  const cut = matched > rows.length ? ` of ${matched} (--limit ${opts.limit})` : '';
  ctx.note(
    `${dryRun ? 'would replay' : 'replaying'} ${rows.length}${cut} failed job${rows.length === 1 ? '' : 's'}`,
  );
  if (rows.length) ctx.progress.start(rows.length, dryRun ? 'checking' : 'replaying');
  const jobs = await mapLimit(rows, BULK_CONCURRENCY, async (row) => {
    const o = await replayOne(ctx, row, dryRun);
    ctx.progress.tick();
    return o;
  });
  if (rows.length) ctx.progress.stop();
  const extra = opts.limit !== undefined ? { limit: opts.limit } : {};
  const result = await finish(ctx, 'replay', sel, dryRun, rows.length, notFound, jobs, extra);
  return { ...result, matched, permanent: permanentIn(rows) };
}

async function replayOne(ctx: OpsContext, row: FailureRef, dryRun: boolean): Promise<JobOutcome> {
  if (!(row.job_name in JOBS) || JOBS[row.job_name as JobName].queue !== row.queue) {
    return outcome(row, 'skipped', `unknown job "${row.job_name}" on queue ${row.queue}`);
  }
  try {
    const { job, state } = await findJob(ctx, row);
    if (job && state === 'failed') {
      if (dryRun) return outcome(row, 'would-retry');
      await failuresRepo.markFailures(ctx.db, [row.id], 'replayed');
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } catch (err) {
        await resetFailure(ctx, row);
        throw err;
      }
      return outcome(row, 'retried');
    }
    if (state === 'completed') {
      // Someone already retried it (the dashboard) and it worked: resolve the row, nothing to replay.
      if (!dryRun) await failuresRepo.markFailures(ctx.db, [row.id], 'succeeded');
      return outcome(row, 'skipped', 'already completed');
    }
    if (state !== 'missing') return outcome(row, 'skipped', `job is ${state}, not failed`);
    const newId = readdJobId(row.job_id);
    if (dryRun) return outcome(row, 'would-re-add', newId === row.job_id ? undefined : `as ${newId}`);
    if (newId !== row.job_id) {
      const clash = await Job.fromId(ctx.queues.get(row.queue as QueueName), newId);
      if (clash) return outcome(row, 'skipped', `trimmed from Redis, and ${newId} already exists`);
      await retargetFailure(ctx.db, row.id, newId);
    }
    await failuresRepo.markFailures(ctx.db, [row.id], 'replayed');
    try {
      const payload = await failurePayload(ctx.db, row.id);
      await ctx.queues.enqueue(row.job_name as JobName, payload as never, { jobId: newId });
    } catch (err) {
      await resetFailure(ctx, row);
      throw err;
    }
    return outcome(
      row,
      're-added',
      newId === row.job_id ? 'from stored payload' : `from stored payload as ${newId}`,
      newId,
    );
  } catch (err) {
    return outcome(row, 'skipped', errorMessage(err));
  }
}

/** Puts a row back as it was when its replay could not be started. */
async function resetFailure(ctx: OpsContext, row: FailureRef): Promise<void> {
  await ctx.db
    .updateTable('failures')
    .set({ status: 'failed', resolved_at: null, job_id: row.job_id })
    .where('id', '=', row.id)
    .execute();
}

/** Removes failed jobs from BullMQ's failed set and marks their rows `discarded`; jobs in flight are left alone. */
export async function discardCommand(
  ctx: OpsContext,
  sel: Selection,
  opts: { dryRun?: boolean } = {},
): Promise<BulkResult> {
  requireDeliberateSelection(sel, 'discard');
  const { rows, notFound } = await selectFailures(ctx, sel, 'failed');
  const dryRun = Boolean(opts.dryRun);
  ctx.note(
    `${dryRun ? 'would discard' : 'discarding'} ${rows.length} failed job${rows.length === 1 ? '' : 's'}`,
  );
  if (rows.length) ctx.progress.start(rows.length, dryRun ? 'checking' : 'discarding');
  const jobs = await mapLimit(rows, BULK_CONCURRENCY, async (row) => {
    const o = await discardOne(ctx, row, dryRun);
    ctx.progress.tick();
    return o;
  });
  if (rows.length) ctx.progress.stop();
  return finish(ctx, 'discard', sel, dryRun, rows.length, notFound, jobs);
}

async function discardOne(ctx: OpsContext, row: FailureRef, dryRun: boolean): Promise<JobOutcome> {
  try {
    const { job, state } = await findJob(ctx, row);
    if (state === 'completed') {
      if (!dryRun) await failuresRepo.markFailures(ctx.db, [row.id], 'succeeded');
      return outcome(row, 'skipped', 'already completed');
    }
    if (state !== 'failed' && state !== 'missing')
      return outcome(row, 'skipped', `job is ${state}, not failed`);
    if (dryRun) return outcome(row, 'would-discard');
    if (job && state === 'failed') await job.remove();
    await failuresRepo.markFailures(ctx.db, [row.id], 'discarded');
    return outcome(row, 'discarded');
  } catch (err) {
    return outcome(row, 'skipped', errorMessage(err));
  }
}

async function finish(
  ctx: OpsContext,
  action: 'replay' | 'discard',
  sel: Selection,
  dryRun: boolean,
  selected: number,
  notFound: string[],
  jobs: JobOutcome[],
  extra: Record<string, unknown> = {},
): Promise<BulkResult> {
  const skipped = jobs.filter((j) => j.action === 'skipped').length;
  const done = jobs.length - skipped;
  const result: BulkResult = { action, dryRun, selected, done, skipped, notFound, jobs };
  if (!dryRun) {
    result.auditId = await insertAudit(ctx.db, {
      action,
      actor: ctx.actor,
      selection: { ...describeSelection(sel), ...extra, result: { selected, done, skipped, notFound } },
      count: done,
    });
  }
  return result;
}

/**
 * Resolves `replayed` rows whose job has since completed. The worker wrapper marks them as they finish;
 * this catches jobs run by a worker without that hook. A job missing from Redis is left `replayed`:
 * it may have completed and been trimmed, or been removed by hand, and we cannot tell which.
 */
export async function reconcileReplayed(ctx: OpsContext): Promise<number> {
  const rows = await findFailureRefs(ctx.db, { status: 'replayed', limit: 5_000 });
  const done: number[] = [];
  for (const row of rows) {
    const { state } = await findJob(ctx, row);
    if (state === 'completed') done.push(row.id);
  }
  await failuresRepo.markFailures(ctx.db, done, 'succeeded');
  return done.length;
}
