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

/** A text as the candidate look-up sees it: its LSH bands, and what it asserts (`assertionKeys`). */
export interface CandidateQuery {
  bands: BandKey[];
  assertionKeys?: readonly number[];
}

/** Versions sharing at least one LSH bucket with the text (see findCandidatesForItems). */
export async function findCandidates(tx: DbOrTx, text: CandidateQuery, limit: number): Promise<Candidate[]> {
  const found = await findCandidatesForItems(tx, [text], limit);
  return found.get(0) ?? [];
}

/**
 * Candidates for several texts in one query (a batch): item index → at most `limit` candidates
 * (CANDIDATES_PER_ARTICLE of any one article), listed most shared buckets first.
 *
 * - Every (item, key) pair probes the btree of `article_lsh_keys` (article ids are in the index);
 *   `hits` counts the rows a version matches, i.e. the keys it shares with the item. A probe per
 *   key (a lateral subquery kept apart by `offset 0`), not a join: without statistics for the
 *   parameter's keys, the planner chose a merge join reading the whole index (560 ms for 50 texts
 *   on 4,000 articles, against 23 ms probing key by key).
 * - When an item has more candidates than `limit`, those whose assertion keys (`assertionKeys`)
 *   contain the item's, or are contained in them, are kept first, then those sharing the most
 *   buckets. Reports of one template share nearly every bucket, so buckets alone kept siblings
 *   and dropped the original (bench:templated-scale); a copy asserts nothing its original does
 *   not, whichever of the two comes first, while each sibling asserts a county, period or issue
 *   of its own. A version stored without keys (before migration 20261205T1000) counts as
 *   contained. Below the limit, or for a text without keys, nothing is ranked and no version is
 *   read. The ranking's cost is mostly planning a larger query: 2.0 ms against 1.3 (EXPLAIN, 2,800
 *   articles), once per batch; a look-up alone in bench:index took 1.0 to 1.6 ms more (median).
 */
export async function findCandidatesForItems(
  tx: DbOrTx,
  items: readonly CandidateQuery[],
  limit: number,
): Promise<Map<number, Candidate[]>> {
  const out = new Map<number, Candidate[]>();
  const item: number[] = [];
  const keys: number[] = [];
  const assertedItem: number[] = [];
  const asserted: number[] = [];
  items.forEach((text, i) => {
    out.set(i, []);
    for (const b of text.bands) {
      item.push(i);
      keys.push(lshKey(b));
    }
    for (const k of text.assertionKeys ?? []) {
      assertedItem.push(i);
      asserted.push(k);
    }
  });
  if (item.length === 0) return out;
  // Run without JIT (the workers' SHORT_QUERY_SETTINGS): the planner cannot estimate the keys of
  // an array parameter, its cost passed jit_above_cost on a large table, and compiling took 375 ms
  // for a query that runs in 30 (measured on 4,000 articles).
  const { rows } = await sql<{ item: number; version_id: number; article_id: number; hits: number }>`
    with grouped as (
      select q.item, k.version_id, k.article_id, count(*)::int as hits,
             row_number() over (partition by q.item, k.article_id
                                order by count(*) desc, k.version_id) as per_article
        from unnest(${item}::int[], ${keys}::bigint[]) as q(item, key)
        cross join lateral (select l.version_id, l.article_id
                              from article_lsh_keys l where l.key = q.key offset 0) k
       group by q.item, k.version_id, k.article_id),
    kept as (
      select g.*, count(*) over (partition by g.item) as found
        from grouped g where g.per_article <= ${CANDIDATES_PER_ARTICLE}),
    asserts as (
      select a.item, array_agg(a.key) as keys
        from unnest(${assertedItem}::int[], ${asserted}::int[]) as a(item, key) group by a.item),
    scored as (
      select kept.*,
             case when kept.found <= ${limit} or s.keys is null then false
                  else coalesce((select not (v.assertion_keys @> s.keys or s.keys @> v.assertion_keys)
                                   from article_versions v where v.id = kept.version_id), false)
             end as lacks
        from kept left join asserts s on s.item = kept.item)
    select item, version_id, article_id, hits
      from (select *, row_number() over (partition by item order by lacks, hits desc, version_id) as rn
              from scored) ranked
     where rn <= ${limit}
     order by item, hits desc, version_id`.execute(tx);
  for (const r of rows)
    out.get(r.item)!.push({ versionId: Number(r.version_id), articleId: Number(r.article_id), hits: r.hits });
  return out;
}
