import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';
import { lshKey, type BandKey } from '../dedup';

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
  // The deciding transaction commits without waiting for its WAL to reach the disk, so the lock is
  // released sooner. Safe: the batch's second transaction commits synchronously, which flushes this
  // one's (earlier) commit record too, and a job is done only after that; if the server dies before,
  // the decision is lost with everything after it, and the retried jobs decide again.
  await sql`select set_config('synchronous_commit', 'off', true),
                   pg_advisory_xact_lock(${INDEX_LOCK_KEY.toString()}::bigint)`.execute(tx);
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

/**
 * Candidates for several texts in one query (a batch): item index → its candidates, most shared
 * buckets first, at most `limit` each and CANDIDATES_PER_ARTICLE of any one article. Every
 * (item, key) pair probes the btree of `article_lsh_keys` (article ids are in the index); `hits`
 * counts the rows a version matches, i.e. the keys it shares with the item. A probe per key (a
 * lateral subquery kept apart by `offset 0`), not a join: without statistics for the parameter's
 * keys, the planner chose a merge join reading the whole index (560 ms for 50 texts on 4,000
 * articles, against 23 ms probing key by key).
 */
export async function findCandidatesForItems(
  tx: DbOrTx,
  items: BandKey[][],
  limit: number,
): Promise<Map<number, Candidate[]>> {
  const out = new Map<number, Candidate[]>();
  const item: number[] = [];
  const keys: number[] = [];
  items.forEach((bands, i) => {
    out.set(i, []);
    for (const b of bands) {
      item.push(i);
      keys.push(lshKey(b));
    }
  });
  if (item.length === 0) return out;
  // Inside a transaction (the indexer's batches), no JIT for the rest of it: the planner cannot
  // estimate the keys of an array parameter, its cost passed jit_above_cost on a large table, and
  // compiling took 375 ms for a query that runs in 30 (measured on 4,000 articles).
  if (tx.isTransaction) await sql`set local jit = off`.execute(tx);
  const { rows } = await sql<{ item: number; version_id: number; article_id: number; hits: number }>`
    select item, version_id, article_id, hits
      from (select *, row_number() over (partition by item order by hits desc, version_id) as rn
              from (select q.item, k.version_id, k.article_id, count(*)::int as hits,
                           row_number() over (partition by q.item, k.article_id
                                              order by count(*) desc, k.version_id) as per_article
                      from unnest(${item}::int[], ${keys}::bigint[]) as q(item, key)
                      cross join lateral (select l.version_id, l.article_id
                                            from article_lsh_keys l where l.key = q.key offset 0) k
                     group by q.item, k.version_id, k.article_id) grouped
             where per_article <= ${CANDIDATES_PER_ARTICLE}) ranked
     where rn <= ${limit}
     order by item, hits desc, version_id`.execute(tx);
  for (const r of rows)
    out.get(r.item)!.push({ versionId: Number(r.version_id), articleId: Number(r.article_id), hits: r.hits });
  return out;
}
