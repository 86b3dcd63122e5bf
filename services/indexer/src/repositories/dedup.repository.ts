import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';
import type { BandKey } from '../dedup';
import { fmix32 } from '../dedup/hash32';

/** Must equal the row count the indexer migration put in `dedup_lock_slots`. */
export const LOCK_SLOTS = 65_536;

const SEGMENT_CODE: Record<string, number> = { zh: 1, en: 2 };

export function hashSlot(contentHash: string): number {
  return Number.parseInt(contentHash.slice(0, 8), 16) % LOCK_SLOTS;
}

export function bandSlot(b: BandKey): number {
  return (
    fmix32((b.bucket ^ Math.imul((SEGMENT_CODE[b.segment] ?? 0) * 64 + b.band, 0x9e3779b1)) >>> 0) %
    LOCK_SLOTS
  );
}

/**
 * Locks the given slots until the transaction ends, in ascending order so two transactions never
 * wait on each other in a cycle. Under READ COMMITTED every later statement of the transaction sees
 * what a transaction that held one of these slots committed.
 */
export async function lockSlots(tx: DbOrTx, slots: Iterable<number>): Promise<void> {
  const sorted = [...new Set(slots)].sort((a, b) => a - b);
  if (sorted.length === 0) return;
  await sql`select slot from dedup_lock_slots where slot = any(${sorted}::int[]) order by slot for no key update`.execute(
    tx,
  );
}

export interface Candidate {
  versionId: number;
  articleId: number;
  hits: number;
}

/**
 * At most this many versions of any one article are verified per look-up, so an article stored
 * with many copies cannot crowd other articles out of the candidate limit.
 */
export const CANDIDATES_PER_ARTICLE = 3;

/** Versions sharing at least one LSH bucket with the given bands, most shared first. */
export async function findCandidates(tx: DbOrTx, bands: BandKey[], limit: number): Promise<Candidate[]> {
  const found = await findCandidatesForItems(tx, [bands], limit);
  return found.get(0) ?? [];
}

export async function insertBands(
  tx: DbOrTx,
  versionId: number,
  articleId: number,
  bands: BandKey[],
): Promise<void> {
  if (bands.length === 0) return;
  await tx
    .insertInto('article_lsh_bands')
    .values(
      bands.map((b) => ({
        segment: b.segment,
        band: b.band,
        bucket: b.bucket,
        version_id: versionId,
        article_id: articleId,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Candidates for several texts in one query (a batch): item index → its candidates, most shared
 * buckets first, at most `limit` each and CANDIDATES_PER_ARTICLE of any one article.
 */
export async function findCandidatesForItems(
  tx: DbOrTx,
  items: BandKey[][],
  limit: number,
): Promise<Map<number, Candidate[]>> {
  const out = new Map<number, Candidate[]>();
  const item: number[] = [];
  const segment: string[] = [];
  const band: number[] = [];
  const bucket: number[] = [];
  items.forEach((bands, i) => {
    out.set(i, []);
    for (const b of bands) {
      item.push(i);
      segment.push(b.segment);
      band.push(b.band);
      bucket.push(b.bucket);
    }
  });
  if (item.length === 0) return out;
  const { rows } = await sql<{ item: number; version_id: number; article_id: number; hits: number }>`
    select item, version_id, article_id, hits
      from (select *, row_number() over (partition by item order by hits desc, version_id) as rn
              from (select q.item, b.version_id, b.article_id, count(*)::int as hits,
                           row_number() over (partition by q.item, b.article_id
                                              order by count(*) desc, b.version_id) as per_article
                      from unnest(${item}::int[], ${segment}::text[], ${band}::smallint[], ${bucket}::int[])
                             as q(item, segment, band, bucket)
                      join article_lsh_bands b
                        on b.segment = q.segment and b.band = q.band and b.bucket = q.bucket
                     group by q.item, b.version_id, b.article_id) grouped
             where per_article <= ${CANDIDATES_PER_ARTICLE}) ranked
     where rn <= ${limit}
     order by item, hits desc, version_id`.execute(tx);
  for (const r of rows)
    out.get(r.item)!.push({ versionId: r.version_id, articleId: r.article_id, hits: r.hits });
  return out;
}
