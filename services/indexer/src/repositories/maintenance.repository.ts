import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';

/** Empties every indexer table (tests and benchmarks; never called by the services). */
export async function truncateIndex(db: DbOrTx): Promise<void> {
  await sql`truncate article_metrics, article_urls, article_versions, article_lsh_keys, article_refreshes, articles, indicator_facts,
                     curated_deletions restart identity cascade`.execute(db);
}

export async function countArticles(db: DbOrTx): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from articles`.execute(db);
  return rows[0]!.n;
}

/**
 * Benchmark filler: `count` placeholder articles, each with one version holding 32 LSH keys of
 * Chinese bands in random buckets (packed as `lshKey` does), written by one set-based statement,
 * so look-ups can be timed against a large table without indexing that many real texts. Never
 * used on real data.
 */
export async function fillSyntheticArticles(db: DbOrTx, count: number): Promise<void> {
  await sql`
    with a as (
      insert into articles (content_hash, title, language, body, body_simplified, version_count)
      select 'fill' || g || '-' || md5(random()::text), 'filler ' || g, 'zh-Hans', 'filler', 'filler', 1
        from generate_series(1, ${count}::int) g
      returning id, content_hash
    )
    insert into article_versions (article_id, content_hash, match_kind, url, title, language, text,
                                  text_simplified, paragraphs, metrics, warnings, is_bilingual, clean_chars,
                                  lsh_keys, first_seen_at, last_seen_at)
    select id, content_hash, 'new', 'https://fill.example/' || id, 'filler', 'zh-Hans', 'filler', 'filler',
           '[]', '[]', '[]', false, 6,
           -- Correlated with the row (a.id), so it is drawn per version, not once as an init plan.
           array(select (1::bigint << 40) | (b::bigint << 32) | (random() * 4294967295)::bigint
                   from generate_series(0, 31) b
                  where a.id is not null),
           now(), now()
      from a`.execute(db);
  await sql`analyze article_versions`.execute(db);
  await sql`analyze article_lsh_keys`.execute(db);
}

/** Process ids of the Postgres backends connected to this database (the benchmarks read their CPU). */
export async function backendPids(db: DbOrTx): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return rows.map((r) => r.pid);
}
