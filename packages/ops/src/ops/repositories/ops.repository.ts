import { sql } from 'kysely';
import type { DbOrTx, Failure, Page, failuresRepo } from '@govwire/shared';

type FailureFilter = failuresRepo.FailureFilter;

/** Every replay, discard and reparse leaves a row: what was selected, by whom, how many. */
export async function insertAudit(
  db: DbOrTx,
  row: { action: string; actor: string; selection: Record<string, unknown>; count: number },
): Promise<number> {
  const r = await db
    .insertInto('ops_audit')
    .values({
      action: row.action,
      actor: row.actor,
      selection: JSON.stringify(row.selection),
      count: row.count,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface AuditFilter {
  since?: Date | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  /** Entries older than this id (the next page of a long log). */
  beforeId?: number | undefined;
}

function auditQuery(db: DbOrTx, f: AuditFilter) {
  let q = db.selectFrom('ops_audit');
  if (f.since) q = q.where('at', '>=', f.since);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.action) q = q.where('action', '=', f.action);
  return q;
}

/** Newest first, `limit` entries, and how many match in all (so a cut list says it is cut). */
export async function listAudit(db: DbOrTx, f: AuditFilter, limit: number) {
  let page = auditQuery(db, f).selectAll();
  if (f.beforeId !== undefined) page = page.where('id', '<', f.beforeId);
  const [rows, total] = await Promise.all([
    page.orderBy('id', 'desc').limit(limit).execute(),
    auditQuery(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const older =
    f.beforeId !== undefined
      ? await auditQuery(db, f)
          .where('id', '<', f.beforeId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      : total;
  return { rows, total: Number(total.n), matchingFromHere: Number(older.n) };
}

export interface PageFilter {
  sourceId?: string | undefined;
  since?: Date | undefined;
}

/** How many pages a reparse would touch: the latest stored version of each URL. */
export async function countLatestPages(db: DbOrTx, f: PageFilter): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(distinct url)::int as n from pages
    where ${f.sourceId ? sql`source_id = ${f.sourceId}` : sql`true`}
      and ${f.since ? sql`fetched_at >= ${f.since}` : sql`true`}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * The latest stored version of each URL, in id order after `afterId` (keyset pages: bodies are big,
 * so a reparse streams them in batches rather than loading the whole table).
 */
export type LatestPage = Pick<
  Page,
  'id' | 'url' | 'final_url' | 'source_id' | 'crawl_id' | 'fetched_at' | 'status' | 'content_hash'
>;

export async function latestPagesBatch(
  db: DbOrTx,
  f: PageFilter,
  afterId: number,
  limit: number,
): Promise<LatestPage[]> {
  // Only what a page reference needs: the bodies stay in Postgres, the parser reads them itself.
  // Paged on the id index: a page is the latest of its URL when no newer version of the URL
  // passes the filters (a probe of the url index), so each batch reads about `limit` rows. A
  // DISTINCT ON over the whole selection per batch made a reparse of N pages cost N²/limit.
  const where = (t: string) =>
    sql`${f.sourceId ? sql`${sql.ref(`${t}.source_id`)} = ${f.sourceId}` : sql`true`}
        and ${f.since ? sql`${sql.ref(`${t}.fetched_at`)} >= ${f.since}` : sql`true`}`;
  const r = await sql<LatestPage>`
    select p.id, p.url, p.final_url, p.source_id, p.crawl_id, p.fetched_at, p.status, p.content_hash
      from pages p
     where p.id > ${afterId} and ${where('p')}
       and not exists (select 1 from pages n
                        where n.url = p.url and ${where('n')}
                          and (n.fetched_at, n.id) > (p.fetched_at, p.id))
     order by p.id
     limit ${limit}`.execute(db);
  return r.rows;
}

export async function addSpamTerm(
  db: DbOrTx,
  term: string,
  note: string | null,
  addedBy: string,
): Promise<boolean> {
  const r = await db
    .insertInto('spam_terms')
    .values({ term, note, added_by: addedBy })
    .onConflict((oc) => oc.column('term').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listSpamTerms(db: DbOrTx) {
  return db.selectFrom('spam_terms').selectAll().orderBy('term').execute();
}

export async function removeSpamTerm(db: DbOrTx, term: string): Promise<boolean> {
  const r = await db.deleteFrom('spam_terms').where('term', '=', term).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Points a failure row at the job that now carries it (a trimmed job re-added under a new id). */
export async function retargetFailure(db: DbOrTx, id: number, jobId: string): Promise<void> {
  await db.updateTable('failures').set({ job_id: jobId }).where('id', '=', id).execute();
}

export type FailureRef = Omit<Failure, 'payload'>;

/** Failure rows without their payloads: a parse job's payload holds a whole page, and a selection may hold thousands. */
export function failureQuery(db: DbOrTx, f: FailureFilter) {
  let q = db.selectFrom('failures').where('status', '=', f.status ?? 'failed');
  if (f.queue) q = q.where('queue', '=', f.queue);
  if (f.sourceId) q = q.where('source_id', '=', f.sourceId);
  if (f.errorText) {
    // LIKE's wildcards in the operator's text are literal characters. The code ([http_404]) counts too.
    const pattern = `%${f.errorText.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('error', 'ilike', pattern), eb('error_code', 'ilike', pattern)]));
  }
  if (f.since) q = q.where('failed_at', '>=', f.since);
  if (f.jobIds?.length) q = q.where('job_id', 'in', f.jobIds);
  return q;
}

export async function findFailureRefs(db: DbOrTx, f: FailureFilter): Promise<FailureRef[]> {
  let q = failureQuery(db, f)
    .select([
      'id',
      'queue',
      'job_id',
      'job_name',
      'url',
      'source_id',
      'error_code',
      'error',
      'attempts',
      'permanent',
      'status',
      'failed_at',
      'resolved_at',
    ])
    .orderBy('failed_at', 'desc')
    .orderBy('id', 'desc');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return q.execute();
}

export async function countFailures(db: DbOrTx, f: FailureFilter): Promise<number> {
  const r = await failureQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface FailureGroup {
  key: string;
  count: number;
  queues: string[];
  /** Every failure of the group was permanent (it will fail again unless something changed). */
  permanent: boolean;
  latest: Date;
  exampleUrl: string | null;
}

/** Failures counted by error code or by source, largest group first, with one example URL each. */
export async function groupFailures(
  db: DbOrTx,
  f: FailureFilter,
  by: 'error' | 'source',
): Promise<FailureGroup[]> {
  const key = by === 'error' ? sql<string>`error_code` : sql<string>`coalesce(source_id, '(none)')`;
  const rows = await failureQuery(db, f)
    .select([
      key.as('key'),
      sql<number>`count(*)::int`.as('count'),
      sql<string[]>`array_agg(distinct queue order by queue)`.as('queues'),
      sql<boolean>`bool_and(permanent)`.as('permanent'),
      sql<Date>`max(failed_at)`.as('latest'),
      sql<
        string | null
      >`(array_agg(url order by failed_at desc, id desc) filter (where url is not null))[1]`.as(
        'example_url',
      ),
    ])
    .groupBy(key)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(key)
    .execute();
  return rows.map((r) => ({
    key: r.key,
    count: r.count,
    queues: r.queues,
    permanent: r.permanent,
    latest: new Date(r.latest),
    exampleUrl: r.example_url,
  }));
}

/** Failure rows by id: their status and reason, for following a replay. */
export async function failureStates(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('failures')
    .select(['id', 'queue', 'job_id', 'status', 'error_code', 'error'])
    .where('id', 'in', ids)
    .execute();
}

/**
 * Marks the failure rows of jobs acted on from the dashboard, as the CLI does for its own: a job
 * deleted there is `discarded`, a job retried there is `replayed` until it completes or fails again.
 */
export async function markFailuresOfJobs(
  db: DbOrTx,
  queue: string,
  jobIds: string[],
  status: 'replayed' | 'discarded',
): Promise<number> {
  if (jobIds.length === 0) return 0;
  const r = await db
    .updateTable('failures')
    .set({ status, resolved_at: sql`now()` })
    .where('queue', '=', queue)
    .where('job_id', 'in', jobIds)
    .where('status', 'in', status === 'discarded' ? ['failed', 'replayed'] : ['failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface GoneUrl {
  url: string;
  sourceId: string | null;
  goneAt: Date;
  reason: string | null;
  failedCrawls: number;
  lastStatus: number | null;
}

export async function countGoneUrls(db: DbOrTx, sourceId?: string): Promise<number> {
  let q = db.selectFrom('url_state').where('gone_at', 'is not', null);
  if (sourceId) q = q.where('source_id', '=', sourceId);
  const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** URLs marked gone (no longer fetched), newest first. */
export async function listGoneUrls(
  db: DbOrTx,
  sourceId: string | undefined,
  limit: number,
): Promise<GoneUrl[]> {
  let q = db
    .selectFrom('url_state')
    .select(['url', 'source_id', 'gone_at', 'gone_reason', 'failed_crawls', 'last_status'])
    .where('gone_at', 'is not', null);
  if (sourceId) q = q.where('source_id', '=', sourceId);
  const rows = await q.orderBy('gone_at', 'desc').orderBy('url').limit(limit).execute();
  return rows.map((r) => ({
    url: r.url,
    sourceId: r.source_id,
    goneAt: new Date(r.gone_at!),
    reason: r.gone_reason,
    failedCrawls: r.failed_crawls,
    lastStatus: r.last_status,
  }));
}

/** Clears the gone mark (and the run of failures) of the given URLs, or of every gone URL of a source. */
export async function reviveUrls(
  db: DbOrTx,
  sel: { urls?: string[] | undefined; sourceId?: string | undefined },
): Promise<string[]> {
  let q = db
    .updateTable('url_state')
    .set({ gone_at: null, gone_reason: null, failed_crawls: 0, last_failed_crawl_id: null })
    .where('gone_at', 'is not', null);
  if (sel.urls?.length) q = q.where('url', 'in', sel.urls);
  if (sel.sourceId) q = q.where('source_id', '=', sel.sourceId);
  const rows = await q.returning('url').execute();
  return rows.map((r) => r.url).sort();
}

export async function failurePayload(db: DbOrTx, id: number): Promise<unknown> {
  const r = await db.selectFrom('failures').select('payload').where('id', '=', id).executeTakeFirst();
  return r?.payload;
}
