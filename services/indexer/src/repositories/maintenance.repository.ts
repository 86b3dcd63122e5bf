import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';

/** Empties every indexer table (tests and benchmarks; never called by the services). */
export async function truncateIndex(db: DbOrTx): Promise<void> {
  await sql`truncate article_lsh_bands, article_metrics, article_urls, article_versions, articles, indicator_facts,
                     curated_deletions restart identity cascade`.execute(db);
}

export async function countArticles(db: DbOrTx): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from articles`.execute(db);
  return rows[0]!.n;
}

/**
 * Benchmark filler: `count` placeholder articles, each with one version and 32 LSH bands in random
 * buckets, written by three set-based statements, so look-ups can be timed against a large table
 * without indexing that many real texts. Never used on real data.
 */
export async function fillSyntheticArticles(db: DbOrTx, count: number): Promise<void> {
  await sql`
    with a as (
      insert into articles (content_hash, title, language, body, body_simplified, version_count)
      select 'fill' || g || '-' || md5(random()::text), 'filler ' || g, 'zh-Hans', 'filler', 'filler', 1
        from generate_series(1, ${count}::int) g
      returning id, content_hash
    ), v as (
      insert into article_versions (article_id, content_hash, match_kind, url, title, language, text,
                                    text_simplified, paragraphs, metrics, warnings, is_bilingual, clean_chars,
                                    first_seen_at, last_seen_at)
      select id, content_hash, 'new', 'https://fill.example/' || id, 'filler', 'zh-Hans', 'filler', 'filler',
             '[]', '[]', '[]', false, 6, now(), now()
        from a
      returning id, article_id
    )
    insert into article_lsh_bands (segment, band, bucket, version_id, article_id)
    select 'zh', b, (random() * 4294967295 - 2147483648)::bigint::int, v.id, v.article_id
      from v cross join generate_series(0, 31) b`.execute(db);
  await sql`analyze article_lsh_bands`.execute(db);
  await sql`analyze article_versions`.execute(db);
}

/** Process ids of the Postgres backends connected to this database (the benchmarks read their CPU). */
export async function backendPids(db: DbOrTx): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return rows.map((r) => r.pid);
}
