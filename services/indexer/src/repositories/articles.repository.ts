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

export async function findVersionsByHashes(tx: DbOrTx, hashes: string[]): Promise<Map<string, VersionRow>> {
  if (hashes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('article_versions')
    .select(versionColumns)
    .where('content_hash', 'in', hashes)
    .execute();
  return new Map(rows.map((r) => [r.content_hash, toVersion(r)]));
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
  /** The text's LSH band keys (`lshKey`), what near-duplicate look-ups of later texts probe. */
  lshKeys: number[];
  seenAt: string;
  /** When the same text was seen again later in the same batch. */
  lastSeenAt?: string;
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
