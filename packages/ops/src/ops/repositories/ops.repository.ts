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

export async function listAudit(db: DbOrTx, limit = 50) {
  return db.selectFrom('ops_audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

export interface SourceLastCrawl {
  sourceId: string;
  name: string | null;
  enabled: boolean | null;
  crawlId: string | null;
  trigger: string | null;
  status: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  pagesQueued: number | null;
  pagesDone: number | null;
  /** URLs of the crawl by outcome: fetched, unchanged, skipped, failed. */
  outcomes: Record<string, number>;
  error: string | null;
}

/** Each known source with its latest crawl (sources never crawled included; crawls of unknown sources too). */
export async function lastCrawlPerSource(db: DbOrTx): Promise<SourceLastCrawl[]> {
  const r = await sql<{
    source_id: string;
    name: string | null;
    enabled: boolean | null;
    crawl_id: string | null;
    trigger: string | null;
    status: string | null;
    started_at: Date | null;
    finished_at: Date | null;
    pages_queued: number | null;
    pages_done: number | null;
    outcomes: Record<string, number> | null;
    error: string | null;
  }>`
    with last as (
      select distinct on (source_id) id, source_id, trigger, status, started_at, finished_at, pages_queued,
             pages_done, error
      from crawls order by source_id, started_at desc
    )
    select coalesce(s.id, l.source_id) as source_id, s.name, s.enabled, l.id as crawl_id, l.trigger, l.status,
           l.started_at, l.finished_at, l.pages_queued, l.pages_done, l.error,
           (select jsonb_object_agg(outcome, n) from (
              select outcome, count(*)::int as n from crawl_urls
              where crawl_id = l.id and outcome is not null group by outcome) o) as outcomes
    from sources s full outer join last l on l.source_id = s.id
    order by 1`.execute(db);
  return r.rows.map((x) => ({
    sourceId: x.source_id,
    name: x.name,
    enabled: x.enabled,
    crawlId: x.crawl_id,
    trigger: x.trigger,
    status: x.status,
    startedAt: x.started_at,
    finishedAt: x.finished_at,
    pagesQueued: x.pages_queued,
    pagesDone: x.pages_done,
    outcomes: x.outcomes ?? {},
    error: x.error,
  }));
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
  const r = await sql<LatestPage>`
    select * from (
      select distinct on (url) id, url, final_url, source_id, crawl_id, fetched_at, status, content_hash
        from pages
      where ${f.sourceId ? sql`source_id = ${f.sourceId}` : sql`true`}
        and ${f.since ? sql`fetched_at >= ${f.since}` : sql`true`}
      order by url, fetched_at desc, id desc
    ) latest
    where id > ${afterId}
    order by id
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

export async function failurePayload(db: DbOrTx, id: number): Promise<unknown> {
  const r = await db.selectFrom('failures').select('payload').where('id', '=', id).executeTakeFirst();
  return r?.payload;
}
