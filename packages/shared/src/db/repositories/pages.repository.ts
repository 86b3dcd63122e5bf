import { sql } from 'kysely';
import { PermanentError, errorMessage } from '../../errors';
import { BodyTooLargeError, gunzipBounded } from '../../hash';
import type { PageRef } from '../../jobs';
import type { DbOrTx } from '../client';
import type { Page, ParseOutcome } from '../types';

export interface PageToSave {
  url: string;
  finalUrl: string;
  sourceId: string | null;
  crawlId: string | null;
  status: number;
  contentHash: string;
  headers: Record<string, string>;
  /** The raw bytes, gzip-compressed. */
  bodyGzip: Buffer;
  bytes: number;
  fetchedAt: Date;
}

/**
 * Stores one fetched version of a page (idempotent on url + content hash) and returns its id; a
 * version seen again only has its fetch time moved forward.
 */
export async function savePage(db: DbOrTx, p: PageToSave): Promise<number> {
  const row = await db
    .insertInto('pages')
    .values(pageRow(p))
    .onConflict((oc) =>
      oc.columns(['url', 'content_hash']).doUpdateSet({ fetched_at: sql`excluded.fetched_at` }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The `pages` row of a page to save, for callers that write it within a larger statement. */
export function pageRow(p: PageToSave) {
  return {
    url: p.url,
    final_url: p.finalUrl,
    source_id: p.sourceId,
    crawl_id: p.crawlId,
    status: p.status,
    content_hash: p.contentHash,
    headers: JSON.stringify(p.headers),
    body_gzip: p.bodyGzip,
    bytes: p.bytes,
    fetched_at: p.fetchedAt,
  };
}

/** A stored page as the parser reads it: the raw bytes (inflated within the byte limit) and headers. */
export interface StoredPageBody {
  bytes: Buffer;
  headers: Record<string, string>;
}

/**
 * Loads the bytes a page reference points at. Both failures are permanent: a row that is gone (the
 * page was deleted) or holds other bytes (the reference is stale) will not come back by retrying,
 * and a body that inflates past `maxBytes` is a gzip bomb, not a page.
 */
export async function loadPageBody(db: DbOrTx, ref: PageRef, maxBytes: number): Promise<StoredPageBody> {
  const row = await db
    .selectFrom('pages')
    .select(['content_hash', 'headers', 'body_gzip'])
    .where('id', '=', ref.pageId)
    .executeTakeFirst();
  if (!row) {
    throw new PermanentError('page_missing', `page ${ref.pageId} (${ref.url}) is not in the pages table`);
  }
  if (row.content_hash !== ref.contentHash) {
    throw new PermanentError(
      'page_mismatch',
      `page ${ref.pageId} holds content ${row.content_hash.slice(0, 12)}…, the job expects ${ref.contentHash.slice(0, 12)}…`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = gunzipBounded(row.body_gzip, maxBytes);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      throw new PermanentError('too_large', `page ${ref.pageId}: ${err.message} (FETCH_MAX_BYTES)`);
    }
    throw new PermanentError('bad_body', `page ${ref.pageId}: stored body is not gzip: ${errorMessage(err)}`);
  }
  return { bytes, headers: headersOf(row.headers) };
}

/** Headers as stored (jsonb) → lower-cased names and string values. */
export function headersOf(stored: unknown): Record<string, string> {
  const raw = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Record<string, unknown> | null;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v !== null && v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return headers;
}

/** A stored `pages` row as a job refers to it. */
export function pageRefOf(
  page: Pick<
    Page,
    'id' | 'content_hash' | 'url' | 'final_url' | 'source_id' | 'crawl_id' | 'fetched_at' | 'status'
  >,
  charsetOverride: string | null,
): PageRef {
  return {
    pageId: Number(page.id),
    contentHash: page.content_hash,
    url: page.url,
    finalUrl: page.final_url,
    sourceId: page.source_id,
    crawlId: page.crawl_id,
    fetchedAt: new Date(page.fetched_at).toISOString(),
    status: page.status,
    charsetOverride,
  };
}

/** Records what became of stored pages downstream (the latest outcome wins: a replay may fix a failure). */
export async function setParseOutcome(db: DbOrTx, pageIds: number[], outcome: ParseOutcome): Promise<void> {
  if (pageIds.length === 0) return;
  await db
    .updateTable('pages')
    .set({ parse_outcome: outcome, parse_outcome_at: sql`now()` })
    .where('id', 'in', pageIds)
    .where((eb) => eb('parse_outcome', 'is', null).or('parse_outcome', '!=', outcome))
    .execute();
}

/** What a re-queue needs of a stored page (never its body). */
export type UnparsedPage = Pick<
  Page,
  | 'id'
  | 'url'
  | 'final_url'
  | 'source_id'
  | 'crawl_id'
  | 'fetched_at'
  | 'status'
  | 'content_hash'
  | 'parse_outcome'
  | 'parse_job_id'
>;

const UNPARSED_COLUMNS = [
  'id',
  'url',
  'final_url',
  'source_id',
  'crawl_id',
  'fetched_at',
  'status',
  'content_hash',
  'parse_outcome',
  'parse_job_id',
] as const;

/** The stored version of `url` with this content, if any. */
export async function findPageVersion(
  db: DbOrTx,
  url: string,
  contentHash: string,
): Promise<UnparsedPage | undefined> {
  return db
    .selectFrom('pages')
    .select(UNPARSED_COLUMNS)
    .where('url', '=', url)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
}

/**
 * Stored pages without an outcome, fetched before `before`, that are the latest version of their
 * URL (an older version left unparsed is superseded, not lost), in id order after `afterId`.
 */
export async function unparsedPagesBatch(
  db: DbOrTx,
  before: Date,
  afterId: number,
  limit: number,
): Promise<UnparsedPage[]> {
  return db
    .selectFrom('pages as p')
    .select(UNPARSED_COLUMNS.map((c) => `p.${c}` as const))
    .where('p.parse_outcome', 'is', null)
    .where('p.fetched_at', '<', before)
    .where('p.id', '>', afterId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pages as n')
            .select('n.id')
            .whereRef('n.url', '=', 'p.url')
            .where(sql<boolean>`(n.fetched_at, n.id) > (p.fetched_at, p.id)`),
        ),
      ),
    )
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

export async function countUnparsedPages(db: DbOrTx, before: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from pages p
    where p.parse_outcome is null and p.fetched_at < ${before}
      and not exists (select 1 from pages n where n.url = p.url and (n.fetched_at, n.id) > (p.fetched_at, p.id))`.execute(
    db,
  );
  return r.rows[0]?.n ?? 0;
}

/**
 * Points the page at a new parse job, if nobody did since `previous` was read and it still has no
 * outcome: two sweeps (or a sweep and a crawl) racing queue it once.
 */
export async function claimParseJob(
  db: DbOrTx,
  pageId: number,
  previous: string | null,
  jobId: string,
): Promise<boolean> {
  const r = await db
    .updateTable('pages')
    .set({ parse_job_id: jobId })
    .where('id', '=', pageId)
    .where('parse_outcome', 'is', null)
    .where(sql<boolean>`parse_job_id is not distinct from ${previous}`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records the parse job an ingest or a reparse queued for pages (not `parse-<id>`). */
export async function setParseJobIds(
  db: DbOrTx,
  jobs: Array<{ pageId: number; jobId: string }>,
): Promise<void> {
  if (jobs.length === 0) return;
  const rows = sql.join(jobs.map((j) => sql`(${j.pageId}::bigint, ${j.jobId}::text)`));
  await sql`update pages set parse_job_id = v.job_id from (values ${rows}) as v(id, job_id)
            where pages.id = v.id`.execute(db);
}

/** A source's charset override, when its config declares one (pages that lie about their encoding). */
export async function sourceCharsetOverrides(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.selectFrom('sources').select(['id', 'config']).execute();
  const out = new Map<string, string>();
  for (const row of rows) {
    const cfg = (typeof row.config === 'string' ? JSON.parse(row.config) : row.config) as Record<
      string,
      unknown
    > | null;
    const cs = cfg?.charset ?? cfg?.charsetOverride;
    if (typeof cs === 'string' && cs) out.set(row.id, cs);
  }
  return out;
}
