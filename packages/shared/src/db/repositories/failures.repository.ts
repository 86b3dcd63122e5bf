import { sql } from 'kysely';
import type { FailureRecord } from '../../queue';
import type { DbOrTx } from '../client';
import type { Failure } from '../types';
import { setParseOutcome } from './pages.repository';

/** The stored page a parse or index job was about, if its payload names one. */
function pageIdOf(payload: unknown): number | null {
  const page = (payload as { page?: { pageId?: unknown } } | null)?.page;
  return typeof page?.pageId === 'number' ? page.pageId : null;
}

/**
 * A failed job's final failure; a job that fails again after a replay updates its row. A parse or
 * index job's failure is also the outcome of its stored page: that page is accounted for, not lost.
 */
export async function recordFailure(db: DbOrTx, f: FailureRecord): Promise<void> {
  const pageId = f.queue === 'crawler' ? null : pageIdOf(f.payload);
  if (pageId !== null) {
    await setParseOutcome(db, [pageId], f.errorCode === 'no_article' ? 'no_article' : 'failed');
  }
  await db
    .insertInto('failures')
    .values({
      queue: f.queue,
      job_id: f.jobId,
      job_name: f.jobName,
      url: f.url,
      source_id: f.sourceId,
      error_code: f.errorCode,
      error: f.error.slice(0, 4000),
      attempts: f.attempts,
      permanent: f.permanent,
      payload: JSON.stringify(f.payload),
      failed_at: f.failedAt ? new Date(f.failedAt) : sql<Date>`now()`,
    })
    .onConflict((oc) =>
      oc.columns(['queue', 'job_id']).doUpdateSet({
        error_code: (eb) => eb.ref('excluded.error_code'),
        error: (eb) => eb.ref('excluded.error'),
        attempts: (eb) => eb.ref('excluded.attempts'),
        permanent: (eb) => eb.ref('excluded.permanent'),
        payload: (eb) => eb.ref('excluded.payload'),
        url: (eb) => eb.ref('excluded.url'),
        source_id: (eb) => eb.ref('excluded.source_id'),
        status: 'failed',
        failed_at: (eb) => eb.ref('excluded.failed_at'),
        resolved_at: null,
      }),
    )
    .execute();
}

export interface FailureFilter {
  queue?: string | undefined;
  sourceId?: string | undefined;
  errorText?: string | undefined;
  since?: Date | undefined;
  jobIds?: string[] | undefined;
  status?: Failure['status'] | undefined;
  limit?: number | undefined;
}

export async function findFailures(db: DbOrTx, f: FailureFilter): Promise<Failure[]> {
  let q = db.selectFrom('failures').selectAll();
  q = q.where('status', '=', f.status ?? 'failed');
  if (f.queue) q = q.where('queue', '=', f.queue);
  if (f.sourceId) q = q.where('source_id', '=', f.sourceId);
  if (f.errorText) q = q.where('error', 'ilike', `%${f.errorText.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.since) q = q.where('failed_at', '>=', f.since);
  if (f.jobIds?.length) q = q.where('job_id', 'in', f.jobIds);
  return q
    .orderBy('failed_at', 'desc')
    .limit(f.limit ?? 10_000)
    .execute();
}

export async function markFailures(
  db: DbOrTx,
  ids: number[],
  status: 'replayed' | 'discarded' | 'succeeded',
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('failures')
    .set({ status, resolved_at: sql`now()` })
    .where('id', 'in', ids)
    .execute();
}

/**
 * Jobs that completed after failing (replayed, or retried from the dashboard) resolve their rows:
 * one indexed UPDATE for many jobs, which touches nothing for the usual jobs that never failed.
 */
export async function resolveCompletedFailures(db: DbOrTx, queue: string, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .updateTable('failures')
    .set({ status: 'succeeded', resolved_at: sql`now()` })
    .where('queue', '=', queue)
    .where('job_id', '=', sql<string>`any(${jobIds}::text[])`)
    .where('status', 'in', ['failed', 'replayed'])
    .execute();
}
