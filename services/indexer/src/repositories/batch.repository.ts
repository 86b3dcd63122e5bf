import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';
import type { ArticleState, NewVersion, UrlSighting } from './articles.repository';

/**
 * Set-based writes of one batch: each function is one statement for the whole batch (chunked
 * only where Postgres's 65,535 bind parameters would overflow), so a batch costs a dozen round
 * trips whatever its size.
 */

const MAX_PARAMS = 60_000;

/** Rows in chunks that fit the bind-parameter limit. */
export function chunksOf<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const perRow = Math.max(1, Object.keys(rows[0]!).length);
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** `n` article ids and `n` version ids drawn from their sequences in one round trip. */
export async function allocateIds(
  tx: DbOrTx,
  n: number,
): Promise<{ articles: number[]; versions: number[] }> {
  const { rows } = await sql<{ a: string[]; v: string[] }>`
    select array(select nextval(pg_get_serial_sequence('articles', 'id')) from generate_series(1, ${n}::int)) as a,
           array(select nextval(pg_get_serial_sequence('article_versions', 'id'))
                   from generate_series(1, ${n}::int)) as v`.execute(tx);
  return { articles: rows[0]!.a.map(Number), versions: rows[0]!.v.map(Number) };
}

/**
 * Locks the given article ids until the transaction ends, in ascending order (no cycles). Advisory
 * locks, not row locks: an article the batch creates has no row yet (its versions were committed
 * first, under the index lock). Whoever recomputes an article holds its lock, so it reads every
 * version committed before it and the last writer writes the whole state.
 */
export async function lockArticleIds(tx: DbOrTx, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  await sql`select pg_advisory_xact_lock(id) from unnest(${sorted}::bigint[]) as id order by id`.execute(tx);
}

/**
 * Of the given articles, those whose row is missing or does not account for all their versions:
 * a batch whose versions committed but whose articles did not (a crash, an outage between its two
 * transactions) left them so, and the retried jobs, now exact copies, must finish them.
 */
export async function unsettledArticles(tx: DbOrTx, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    select t.id from unnest(${[...new Set(ids)]}::bigint[]) as t(id)
     where not exists (select 1 from articles a
                        where a.id = t.id
                          and a.version_count = (select count(*) from article_versions v where v.article_id = a.id))`.execute(
    tx,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** Versions refreshed under the index lock, their articles to be rewritten (migration 20261206T1000). */
export async function recordRefreshes(
  tx: DbOrTx,
  refreshes: readonly { articleId: number; versionId: number }[],
): Promise<void> {
  if (refreshes.length === 0) return;
  await sql`
    insert into article_refreshes (article_id, version_id)
    select * from unnest(${refreshes.map((r) => r.articleId)}::bigint[], ${refreshes.map((r) => r.versionId)}::bigint[])`.execute(
    tx,
  );
}

/**
 * The refreshes pending on these articles, taken (deleted) by the caller that rewrites them: under
 * the articles' locks and before their versions are read, so the rewrite includes every refresh
 * taken. One committed after this statement's snapshot stays for its own batch to take.
 */
export async function takeRefreshes(
  tx: DbOrTx,
  articleIds: number[],
): Promise<{ articleId: number; versionId: number }[]> {
  if (articleIds.length === 0) return [];
  const { rows } = await sql<{ article_id: string; version_id: string }>`
    delete from article_refreshes where article_id = any (${articleIds}::bigint[])
    returning article_id, version_id`.execute(tx);
  return rows.map((r) => ({ articleId: Number(r.article_id), versionId: Number(r.version_id) }));
}

export type VersionInsert = NewVersion & { id: number };

export async function insertVersions(tx: DbOrTx, rows: VersionInsert[]): Promise<void> {
  for (const chunk of chunksOf(rows.map(versionRow)))
    await tx.insertInto('article_versions').values(chunk).execute();
}

function versionRow(v: VersionInsert) {
  return {
    id: v.id,
    article_id: v.articleId,
    content_hash: v.contentHash,
    match_kind: v.matchKind,
    matched_version_id: v.matchedVersionId,
    similarity: v.similarity,
    url: v.url,
    source_id: v.sourceId,
    // A page id the crawler did not store here (a replay in another database) is not provenance.
    page_id: v.pageId === null ? null : sql<number | null>`(select id from pages where id = ${v.pageId})`,
    page_content_hash: v.pageContentHash,
    crawl_id: v.crawlId,
    title: v.title,
    published_at: v.publishedAt,
    source: v.source,
    language: v.language,
    text: v.text,
    text_simplified: v.textSimplified,
    paragraphs: JSON.stringify(v.paragraphs),
    metrics: JSON.stringify(v.metrics),
    warnings: JSON.stringify(v.warnings),
    is_bilingual: v.isBilingual,
    clean_chars: v.cleanChars,
    lsh_keys: v.lshKeys,
    assertion_keys: v.assertionKeys,
    first_seen_at: v.seenAt,
    last_seen_at: v.lastSeenAt ?? v.seenAt,
  };
}

/**
 * Sightings of URLs, one statement. Several sightings of one (url, article) in a batch are folded
 * first as the upsert would fold them one after another (one statement may touch a row only once).
 */
export async function upsertUrls(tx: DbOrTx, sightings: UrlSighting[]): Promise<void> {
  const folded = foldSightings(sightings);
  if (folded.length === 0) return;
  const col = <K extends keyof UrlSighting>(k: K) => folded.map((s) => s[k]);
  await sql`
    insert into article_urls as u (url, article_id, source_id, first_seen_at, last_seen_at, requested_url,
                                   last_page_id, last_crawl_id, last_content_hash)
    select url, article_id, source_id, seen_at, last_seen_at, requested_url, page_id, crawl_id, content_hash
      from unnest(${col('url')}::text[], ${col('articleId')}::bigint[], ${col('sourceId')}::text[],
                  ${col('seenAt')}::timestamptz[], ${folded.map((s) => s.lastSeenAt ?? s.seenAt)}::timestamptz[],
                  ${col('requestedUrl')}::text[], ${col('pageId')}::bigint[], ${col('crawlId')}::text[],
                  ${col('contentHash')}::text[])
           as s(url, article_id, source_id, seen_at, last_seen_at, requested_url, page_id, crawl_id, content_hash)
    on conflict (url, article_id) do update set
      first_seen_at = least(u.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(u.last_seen_at, excluded.last_seen_at),
      source_id = coalesce(u.source_id, excluded.source_id),
      requested_url = coalesce(u.requested_url, excluded.requested_url),
      last_page_id = case when excluded.last_seen_at >= u.last_seen_at
                          then coalesce(excluded.last_page_id, u.last_page_id) else u.last_page_id end,
      last_crawl_id = case when excluded.last_seen_at >= u.last_seen_at
                           then coalesce(excluded.last_crawl_id, u.last_crawl_id) else u.last_crawl_id end,
      last_content_hash = case when excluded.last_seen_at >= u.last_seen_at
                               then excluded.last_content_hash else u.last_content_hash end
    where (u.first_seen_at, u.last_seen_at, u.source_id, u.requested_url, u.last_page_id, u.last_crawl_id,
           u.last_content_hash)
          is distinct from
          (least(u.first_seen_at, excluded.first_seen_at), greatest(u.last_seen_at, excluded.last_seen_at),
           coalesce(u.source_id, excluded.source_id), coalesce(u.requested_url, excluded.requested_url),
           case when excluded.last_seen_at >= u.last_seen_at
                then coalesce(excluded.last_page_id, u.last_page_id) else u.last_page_id end,
           case when excluded.last_seen_at >= u.last_seen_at
                then coalesce(excluded.last_crawl_id, u.last_crawl_id) else u.last_crawl_id end,
           case when excluded.last_seen_at >= u.last_seen_at
                then excluded.last_content_hash else u.last_content_hash end)`.execute(tx);
}

type FoldedSighting = UrlSighting & { lastSeenAt?: string };

/** The upsert's rules applied in memory: earliest first, latest last and latest page wins. */
export function foldSightings(sightings: readonly UrlSighting[]): FoldedSighting[] {
  const byKey = new Map<string, FoldedSighting>();
  for (const s of sightings) {
    const k = `${s.articleId}\u0000${s.url}`;
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, { ...s, lastSeenAt: s.seenAt });
      continue;
    }
    const last = prev.lastSeenAt ?? prev.seenAt;
    const newer = Date.parse(s.seenAt) >= Date.parse(last);
    byKey.set(k, {
      ...prev,
      seenAt: Date.parse(s.seenAt) < Date.parse(prev.seenAt) ? s.seenAt : prev.seenAt,
      lastSeenAt: newer ? s.seenAt : last,
      sourceId: prev.sourceId ?? s.sourceId,
      requestedUrl: prev.requestedUrl ?? s.requestedUrl,
      pageId: newer ? (s.pageId ?? prev.pageId) : prev.pageId,
      crawlId: newer ? (s.crawlId ?? prev.crawlId) : prev.crawlId,
      contentHash: newer ? s.contentHash : prev.contentHash,
    });
  }
  return [...byKey.values()];
}

/**
 * The recomputed state of several articles, one statement: created when missing, updated when
 * different (the body is the best version's text, read here, not sent again); the ids whose row
 * was written.
 *
 * A body whose text is unchanged (same content hash) is set to the row's own value, not to the
 * version's copy: Postgres then sees the indexed column unchanged and keeps the stored TOAST value,
 * so a copy joining an article (a new count, a later sighting) is a HOT update instead of
 * compressing the text again and inserting its ~1,000 search-index pairs again. (The stamp
 * trigger's whole-row comparisons blocked HOT the same way: migration 20261204T1000.)
 */
export async function upsertArticles(
  tx: DbOrTx,
  states: (ArticleState & { id: number })[],
): Promise<Set<number>> {
  if (states.length === 0) return new Set();
  const col = <K extends keyof (ArticleState & { id: number })>(k: K) => states.map((s) => s[k]);
  const { rows } = await sql<{ id: number }>`
    insert into articles as a (id, content_hash, title, published_at, source, language, body, body_simplified,
                               best_version_id, version_count, first_seen_at, last_seen_at)
    select s.id, v.content_hash, s.title, s.published_at, s.source, s.language, v.text, v.text_simplified, v.id,
           s.version_count, s.first_seen_at, s.last_seen_at
      from unnest(${col('id')}::bigint[], ${col('title')}::text[], ${col('publishedAt')}::date[],
                  ${col('source')}::text[], ${col('language')}::text[], ${col('bestVersionId')}::bigint[],
                  ${col('versionCount')}::int[], ${col('firstSeenAt')}::timestamptz[], ${col('lastSeenAt')}::timestamptz[])
             as s(id, title, published_at, source, language, best_version_id, version_count, first_seen_at,
                  last_seen_at)
      join article_versions v on v.id = s.best_version_id
     order by s.id
    on conflict (id) do update
       set content_hash = excluded.content_hash, title = excluded.title, published_at = excluded.published_at,
           source = excluded.source, language = excluded.language,
           body = case when a.content_hash = excluded.content_hash then a.body else excluded.body end,
           body_simplified = case when a.content_hash = excluded.content_hash then a.body_simplified
                                  else excluded.body_simplified end,
           best_version_id = excluded.best_version_id,
           version_count = excluded.version_count, first_seen_at = excluded.first_seen_at,
           last_seen_at = excluded.last_seen_at, updated_at = now()
     where (a.content_hash, a.title, a.published_at, a.source, a.language, a.best_version_id, a.version_count,
            a.first_seen_at, a.last_seen_at)
           is distinct from
           (excluded.content_hash, excluded.title, excluded.published_at, excluded.source, excluded.language,
            excluded.best_version_id, excluded.version_count, excluded.first_seen_at, excluded.last_seen_at)
    returning a.id`.execute(tx);
  return new Set(rows.map((r) => Number(r.id)));
}
