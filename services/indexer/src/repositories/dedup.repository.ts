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
 * buckets first, at most `limit` each and CANDIDATES_PER_ARTICLE of any one article.
 *
 * Every item's keys are one slice of a flat array, probed with `&&` on the GIN index of
 * `article_versions.lsh_keys` (a bitmap index scan per item) and ranked inside the lateral
 * subquery; `hits` counts the keys a version shares with the item (keys are distinct within a
 * version and within an item).
 *
 * The planner cannot estimate `&&` against an array that is not a constant and assumes 1% of the
 * table per item, so from ~100k stored versions a batch's estimated cost passes jit_above_cost
 * and Postgres spends ~20-30 ms compiling JIT code for a query that runs in ~15 ms (measured on
 * 100k versions, 50 items). Inside a transaction (the indexer's batches) JIT is turned off for the
 * rest of it: the batch's other statements are short OLTP writes that JIT never helps either.
 */
export async function findCandidatesForItems(
  tx: DbOrTx,
  items: BandKey[][],
  limit: number,
): Promise<Map<number, Candidate[]>> {
  const out = new Map<number, Candidate[]>();
  const keys: number[] = [];
  const item: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  items.forEach((bands, i) => {
    out.set(i, []);
    if (bands.length === 0) return;
    item.push(i);
    from.push(keys.length + 1);
    for (const b of bands) keys.push(lshKey(b));
    to.push(keys.length);
  });
  if (item.length === 0) return out;
  if (tx.isTransaction) await sql`set local jit = off`.execute(tx);
  const { rows } = await sql<{ item: number; version_id: number; article_id: number; hits: number }>`
    with q as materialized (
      select q.item, (${keys}::bigint[])[q.lo:q.hi] as keys
        from unnest(${item}::int[], ${from}::int[], ${to}::int[]) as q(item, lo, hi))
    select q.item, c.version_id, c.article_id, c.hits
      from q
      cross join lateral (
        select version_id, article_id, hits
          from (select s.*, row_number() over (partition by s.article_id
                                               order by s.hits desc, s.version_id) as per_article
                  from (select v.id as version_id, v.article_id,
                               (select count(*) from unnest(v.lsh_keys) x where x = any(q.keys))::int as hits
                          from article_versions v
                         where v.lsh_keys && q.keys) s) per_article
         where per_article <= ${CANDIDATES_PER_ARTICLE}
         order by hits desc, version_id
         limit ${limit}) c
     order by q.item, c.hits desc, c.version_id`.execute(tx);
  for (const r of rows)
    out.get(r.item)!.push({ versionId: r.version_id, articleId: r.article_id, hits: r.hits });
  return out;
}
