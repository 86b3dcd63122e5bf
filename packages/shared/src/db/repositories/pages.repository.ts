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
    .values({
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
    })
    .onConflict((oc) =>
      oc.columns(['url', 'content_hash']).doUpdateSet({ fetched_at: sql`excluded.fetched_at` }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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
