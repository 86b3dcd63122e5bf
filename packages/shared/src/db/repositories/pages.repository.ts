import { sql } from 'kysely';
import type { DbOrTx } from '../client';

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
