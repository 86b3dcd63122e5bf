import type { DbOrTx, Metric, Paragraph } from '@govwire/shared';
import { sql } from 'kysely';

export interface VersionRow {
  id: number;
  articleId: number;
  contentHash: string;
  title: string;
  publishedAt: string | null;
  source: string | null;
  language: string;
  isBilingual: boolean;
  cleanChars: number;
  metrics: Metric[];
  firstSeenAt: Date;
  lastSeenAt: Date;
}

const versionColumns = [
  'id',
  'article_id',
  'content_hash',
  'title',
  'published_at',
  'source',
  'language',
  'is_bilingual',
  'clean_chars',
  'metrics',
  'first_seen_at',
  'last_seen_at',
] as const;

function toVersion(r: {
  id: number;
  article_id: number;
  content_hash: string;
  title: string;
  published_at: string | null;
  source: string | null;
  language: string;
  is_bilingual: boolean;
  clean_chars: number;
  metrics: unknown;
  first_seen_at: Date;
  last_seen_at: Date;
}): VersionRow {
  return {
    id: r.id,
    articleId: r.article_id,
    contentHash: r.content_hash,
    title: r.title,
    publishedAt: r.published_at,
    source: r.source,
    language: r.language,
    isBilingual: r.is_bilingual,
    cleanChars: r.clean_chars,
    metrics: r.metrics as Metric[],
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
  };
}

export async function findVersionByHash(tx: DbOrTx, contentHash: string): Promise<VersionRow | null> {
  const r = await tx
    .selectFrom('article_versions')
    .select(versionColumns)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
  return r ? toVersion(r) : null;
}

export async function findVersionsByHashes(tx: DbOrTx, hashes: string[]): Promise<Map<string, VersionRow>> {
  if (hashes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('article_versions')
    .select(versionColumns)
    .where('content_hash', 'in', hashes)
    .execute();
  return new Map(rows.map((r) => [r.content_hash, toVersion(r)]));
}

export async function versionsOfArticle(tx: DbOrTx, articleId: number): Promise<VersionRow[]> {
  const rows = await tx
    .selectFrom('article_versions')
    .select(versionColumns)
    .where('article_id', '=', articleId)
    .orderBy('id')
    .execute();
  return rows.map(toVersion);
}

/** The versions of several articles, one query: article id → versions by id. */
export async function versionsOfArticles(
  tx: DbOrTx,
  articleIds: number[],
): Promise<Map<number, VersionRow[]>> {
  const out = new Map<number, VersionRow[]>(articleIds.map((id) => [id, []]));
  if (articleIds.length === 0) return out;
  const rows = await tx
    .selectFrom('article_versions')
    .select(versionColumns)
    .where('article_id', 'in', articleIds)
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(Number(r.article_id))?.push(toVersion(r));
  return out;
}

/** Candidate versions with the text needed to verify them. */
export async function versionTexts(
  tx: DbOrTx,
  ids: number[],
): Promise<{ id: number; articleId: number; title: string; textSimplified: string; metrics: Metric[] }[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .selectFrom('article_versions')
    .select(['id', 'article_id', 'title', 'text_simplified', 'metrics'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    title: r.title,
    textSimplified: r.text_simplified,
    metrics: r.metrics as Metric[],
  }));
}

export interface NewVersion {
  articleId: number;
  contentHash: string;
  matchKind: 'new' | 'near';
  matchedVersionId: number | null;
  similarity: number | null;
  url: string;
  sourceId: string | null;
  pageId: number | null;
  pageContentHash: string | null;
  crawlId: string | null;
  title: string;
  publishedAt: string | null;
  source: string | null;
  language: string;
  text: string;
  textSimplified: string;
  paragraphs: Paragraph[];
  metrics: Metric[];
  warnings: string[];
  isBilingual: boolean;
  cleanChars: number;
  seenAt: string;
  /** When the same text was seen again later in the same batch. */
  lastSeenAt?: string;
}

/** Null when a version with this content hash already exists (the caller retries the decision). */
export async function insertVersion(tx: DbOrTx, v: NewVersion): Promise<number | null> {
  const r = await tx
    .insertInto('article_versions')
    .values({
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
      first_seen_at: v.seenAt,
      last_seen_at: v.seenAt,
    })
    .onConflict((oc) => oc.column('content_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/**
 * The same text seen again: widen its seen interval. When it is the same page again (the URL the
 * version was first stored from), take the latest parse of its metadata and metrics too: a replay
 * after a parser fix improves the record, and a plain replay writes nothing. A mirror of the text
 * at another URL does not overwrite them, so alternating sightings cannot flip the record.
 */
export async function refreshVersion(
  tx: DbOrTx,
  id: number,
  v: Pick<
    NewVersion,
    'url' | 'title' | 'publishedAt' | 'source' | 'language' | 'paragraphs' | 'metrics' | 'warnings' | 'seenAt'
  >,
): Promise<boolean> {
  const metrics = JSON.stringify(v.metrics);
  const paragraphs = JSON.stringify(v.paragraphs);
  const warnings = JSON.stringify(v.warnings);
  const same = sql<boolean>`(url = ${v.url})`;
  const r = await sql`
    update article_versions
       set first_seen_at = least(first_seen_at, ${v.seenAt}::timestamptz),
           last_seen_at = greatest(last_seen_at, ${v.seenAt}::timestamptz),
           title = case when ${same} then ${v.title} else title end,
           published_at = case when ${same} then ${v.publishedAt}::date else published_at end,
           source = case when ${same} then ${v.source} else source end,
           language = case when ${same} then ${v.language} else language end,
           paragraphs = case when ${same} then ${paragraphs}::jsonb else paragraphs end,
           metrics = case when ${same} then ${metrics}::jsonb else metrics end,
           warnings = case when ${same} then ${warnings}::jsonb else warnings end
     where id = ${id}
       and (first_seen_at > ${v.seenAt}::timestamptz or last_seen_at < ${v.seenAt}::timestamptz
            or (${same} and (title, published_at, source, language, paragraphs, metrics, warnings)
                            is distinct from
                            (${v.title}, ${v.publishedAt}::date, ${v.source}, ${v.language}, ${paragraphs}::jsonb,
                             ${metrics}::jsonb, ${warnings}::jsonb)))`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/**
 * A new article and its first version (and that version's LSH bands) in ONE statement: the
 * version id is drawn first so the article can name it as its body. The stored article is what
 * recomputing it from this single version would give.
 */
export async function insertArticleWithVersion(
  tx: DbOrTx,
  v: Omit<NewVersion, 'articleId' | 'matchKind' | 'matchedVersionId' | 'similarity'>,
  bands: { segment: string; band: number; bucket: number }[],
): Promise<{ articleId: number; versionId: number }> {
  const { rows } = await sql<{ article_id: number; version_id: number }>`
    with vid as (
      select nextval(pg_get_serial_sequence('article_versions', 'id')) as id
    ), a as (
      insert into articles (content_hash, title, published_at, source, language, body, body_simplified,
                            first_seen_at, last_seen_at, best_version_id, version_count)
      select ${v.contentHash}, ${v.title}, ${v.publishedAt}::date, ${v.source}, ${v.language}, ${v.text},
             ${v.textSimplified}, ${v.seenAt}::timestamptz, ${v.seenAt}::timestamptz, vid.id, 1
        from vid
      returning id
    ), ver as (
      insert into article_versions (id, article_id, content_hash, match_kind, url, source_id, page_id,
                                    page_content_hash, crawl_id, title, published_at, source, language, text,
                                    text_simplified, paragraphs, metrics, warnings, is_bilingual, clean_chars,
                                    first_seen_at, last_seen_at)
      select vid.id, a.id, ${v.contentHash}, 'new', ${v.url}, ${v.sourceId},
             (select id from pages where id = ${v.pageId}::bigint), ${v.pageContentHash}, ${v.crawlId},
             ${v.title}, ${v.publishedAt}::date, ${v.source}, ${v.language}, ${v.text}, ${v.textSimplified},
             ${JSON.stringify(v.paragraphs)}::jsonb, ${JSON.stringify(v.metrics)}::jsonb,
             ${JSON.stringify(v.warnings)}::jsonb, ${v.isBilingual}, ${v.cleanChars},
             ${v.seenAt}::timestamptz, ${v.seenAt}::timestamptz
        from vid, a
      returning id, article_id
    ), b as (
      insert into article_lsh_bands (segment, band, bucket, version_id, article_id)
      select q.segment, q.band, q.bucket, ver.id, ver.article_id
        from ver, unnest(${bands.map((b) => b.segment)}::text[], ${bands.map((b) => b.band)}::smallint[],
                         ${bands.map((b) => b.bucket)}::int[]) as q(segment, band, bucket)
      on conflict do nothing
    )
    select article_id, id as version_id from ver`.execute(tx);
  const r = rows[0];
  if (!r) throw new Error('insertArticleWithVersion returned no row');
  return { articleId: r.article_id, versionId: r.version_id };
}

/** Locks the article row: whoever changes an article's versions recomputes it under this lock. */
export async function lockArticle(tx: DbOrTx, id: number) {
  return tx.selectFrom('articles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface ArticleState {
  contentHash: string;
  title: string;
  publishedAt: string | null;
  source: string | null;
  language: string;
  bestVersionId: number;
  versionCount: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** Writes the recomputed article when anything differs (updated_at moves only on a real change). */
export async function updateArticle(tx: DbOrTx, id: number, s: ArticleState): Promise<boolean> {
  const r = await sql`
    update articles a
       set content_hash = v.content_hash, title = ${s.title}, published_at = ${s.publishedAt}::date,
           source = ${s.source}, language = ${s.language}, body = v.text, body_simplified = v.text_simplified,
           best_version_id = v.id, version_count = ${s.versionCount},
           first_seen_at = ${s.firstSeenAt}, last_seen_at = ${s.lastSeenAt}, updated_at = now()
      from article_versions v
     where a.id = ${id} and v.id = ${s.bestVersionId}
       and (a.content_hash, a.title, a.published_at, a.source, a.language, a.best_version_id, a.version_count,
            a.first_seen_at, a.last_seen_at)
           is distinct from
           (v.content_hash, ${s.title}, ${s.publishedAt}::date, ${s.source}, ${s.language}, v.id, ${s.versionCount}::int,
            ${s.firstSeenAt}::timestamptz, ${s.lastSeenAt}::timestamptz)`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export interface UrlSighting {
  url: string;
  requestedUrl: string | null;
  articleId: number;
  sourceId: string | null;
  pageId: number | null;
  crawlId: string | null;
  contentHash: string;
  seenAt: string;
}

export async function upsertUrl(tx: DbOrTx, u: UrlSighting): Promise<void> {
  await sql`
    insert into article_urls (url, article_id, source_id, first_seen_at, last_seen_at, requested_url,
                              last_page_id, last_crawl_id, last_content_hash)
    values (${u.url}, ${u.articleId}, ${u.sourceId}, ${u.seenAt}, ${u.seenAt}, ${u.requestedUrl},
            ${u.pageId}, ${u.crawlId}, ${u.contentHash})
    on conflict (url, article_id) do update set
      first_seen_at = least(article_urls.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(article_urls.last_seen_at, excluded.last_seen_at),
      source_id = coalesce(article_urls.source_id, excluded.source_id),
      requested_url = coalesce(article_urls.requested_url, excluded.requested_url),
      last_page_id = case when excluded.last_seen_at >= article_urls.last_seen_at
                          then coalesce(excluded.last_page_id, article_urls.last_page_id) else article_urls.last_page_id end,
      last_crawl_id = case when excluded.last_seen_at >= article_urls.last_seen_at
                           then coalesce(excluded.last_crawl_id, article_urls.last_crawl_id) else article_urls.last_crawl_id end,
      last_content_hash = case when excluded.last_seen_at >= article_urls.last_seen_at
                               then excluded.last_content_hash else article_urls.last_content_hash end
    where (article_urls.first_seen_at, article_urls.last_seen_at, article_urls.source_id, article_urls.requested_url,
           article_urls.last_page_id, article_urls.last_crawl_id, article_urls.last_content_hash)
          is distinct from
          (least(article_urls.first_seen_at, excluded.first_seen_at), greatest(article_urls.last_seen_at, excluded.last_seen_at),
           coalesce(article_urls.source_id, excluded.source_id), coalesce(article_urls.requested_url, excluded.requested_url),
           case when excluded.last_seen_at >= article_urls.last_seen_at
                then coalesce(excluded.last_page_id, article_urls.last_page_id) else article_urls.last_page_id end,
           case when excluded.last_seen_at >= article_urls.last_seen_at
                then coalesce(excluded.last_crawl_id, article_urls.last_crawl_id) else article_urls.last_crawl_id end,
           case when excluded.last_seen_at >= article_urls.last_seen_at
                then excluded.last_content_hash else article_urls.last_content_hash end)`.execute(tx);
}
