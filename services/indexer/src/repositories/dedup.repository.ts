import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';
import type { BandKey } from '../dedup';

/**
 * The key of the one advisory lock every indexing transaction takes (any 64-bit constant that no
 * other code uses; it spells "govwindx").
 */
export const INDEX_LOCK_KEY = 0x676f7677696e6478n;

/**
 * Serializes the dedup decision: held from before a batch reads the store until its commit, so a
 * batch always sees every batch that decided before it, and two copies of one article indexed at
 * the same moment meet here. One lock, not one per LSH bucket: a batch of 50 texts has ~2,000
 * buckets, so any two batches shared a bucket lock anyway (the per-bucket row locks serialized
 * every batch, 83k row locks per 2,000 articles, for nothing). Everything that does not read the
 * store (limits, fingerprints) runs before the lock.
 */
export async function lockIndex(tx: DbOrTx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${INDEX_LOCK_KEY.toString()}::bigint)`.execute(tx);
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
