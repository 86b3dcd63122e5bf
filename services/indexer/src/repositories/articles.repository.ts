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

/** A stored version by its text's content hash, with the URL of its own page. */
export interface StoredHash {
  id: number;
  articleId: number;
  url: string;
}

export async function findVersionsByHashes(tx: DbOrTx, hashes: string[]): Promise<Map<string, StoredHash>> {
  if (hashes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('article_versions')
    .select(['id', 'article_id', 'content_hash', 'url'])
    .where('content_hash', 'in', hashes)
    .execute();
  return new Map(rows.map((r) => [r.content_hash, { id: r.id, articleId: r.article_id, url: r.url }]));
}

/** Which of these content hashes a stored version has (the hash column only: no text is read). */
export async function storedContentHashes(db: DbOrTx, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('article_versions')
    .select('content_hash')
    .where('content_hash', 'in', hashes)
    .execute();
  return new Set(rows.map((r) => r.content_hash));
}

/** The query of versionsOfArticles (its plan is tested: test/unanalyzed-plans.test.ts). */
export const versionsOfArticlesQuery = (tx: DbOrTx, articleIds: number[]) =>
  tx
    .selectFrom('article_versions')
    .select(versionColumns)
    .where('article_id', 'in', articleIds)
    .orderBy('id');

/** The versions of several articles, one query: article id → versions by id. */
export async function versionsOfArticles(
  tx: DbOrTx,
  articleIds: number[],
): Promise<Map<number, VersionRow[]>> {
  const out = new Map<number, VersionRow[]>(articleIds.map((id) => [id, []]));
  if (articleIds.length === 0) return out;
  const rows = await versionsOfArticlesQuery(tx, articleIds).execute();
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
  /** What the text asserts (`assertionKeys`): ranks it as a candidate of later texts. */
  assertionKeys: number[];
  seenAt: string;
  /** When the same text was seen again later in the same batch. */
  lastSeenAt?: string;
}

/** A stored version seen again, by a page of one URL. */
export type VersionSighting = Pick<
  NewVersion,
  | 'url'
  | 'title'
  | 'publishedAt'
  | 'source'
  | 'language'
  | 'paragraphs'
  | 'metrics'
  | 'warnings'
  | 'assertionKeys'
  | 'seenAt'
> & { id: number };

/**
 * The same texts seen again, one statement: each version's seen interval widens. When it is the
 * same page again (the URL the version was first stored from), take the latest parse of its
 * metadata and metrics too: a replay after a parser fix improves the record, and a plain replay
 * writes nothing. A mirror of the text at another URL does not overwrite them, so alternating
 * sightings cannot flip the record. Several sightings of one version in a batch apply as they
 * would one after another: the widest interval, and the last sighting of its own URL. Returns the
 * ids of the versions that changed. The same page also writes its assertion keys, which versions
 * stored before migration 20261205T1000 lack (a reparse fills them); they rank candidates only,
 * so a change to them alone does not count as a change of the version.
 */
export async function refreshVersions(
  tx: DbOrTx,
  sightings: readonly VersionSighting[],
): Promise<Set<number>> {
  const rows = foldVersionSightings(sightings);
  if (rows.length === 0) return new Set();
  const col = <K extends keyof FoldedVersionSighting>(k: K) => rows.map((r) => r[k]);
  const { rows: changed } = await sql<{ id: number; changed: boolean }>`
    with s as (
      select * from unnest(${col('id')}::bigint[], ${col('url')}::text[], ${col('firstSeen')}::timestamptz[],
                           ${col('lastSeen')}::timestamptz[], ${col('title')}::text[], ${col('publishedAt')}::date[],
                           ${col('source')}::text[], ${col('language')}::text[], ${col('paragraphs')}::jsonb[],
                           ${col('metrics')}::jsonb[], ${col('warnings')}::jsonb[], ${col('assertionKeys')}::text[])
        as s(id, url, first_seen, last_seen, title, published_at, source, language, paragraphs, metrics, warnings,
             assertion_keys)),
    -- One row per version: its own URL's sighting when there is one (every row of a version
    -- carries the version's widest dates).
    own as (
      select distinct on (s.id) s.*, s.assertion_keys::int[] as keys, s.url = v.url as own,
             v.first_seen_at as was_first, v.last_seen_at as was_last,
             (v.title, v.published_at, v.source, v.language, v.paragraphs, v.metrics, v.warnings)
               as was_record, v.assertion_keys as was_keys
        from s join article_versions v on v.id = s.id
       order by s.id, s.url = v.url desc),
    pick as (
      select own.*,
             was_first > first_seen or was_last < last_seen
               or (own and was_record is distinct from
                           (title, published_at, source, language, paragraphs, metrics, warnings)) as changed
        from own)
    update article_versions v
       set first_seen_at = least(v.first_seen_at, p.first_seen),
           last_seen_at = greatest(v.last_seen_at, p.last_seen),
           title = case when p.own then p.title else v.title end,
           published_at = case when p.own then p.published_at else v.published_at end,
           source = case when p.own then p.source else v.source end,
           language = case when p.own then p.language else v.language end,
           paragraphs = case when p.own then p.paragraphs else v.paragraphs end,
           metrics = case when p.own then p.metrics else v.metrics end,
           warnings = case when p.own then p.warnings else v.warnings end,
           assertion_keys = case when p.own then p.keys else v.assertion_keys end
      from pick p
     where v.id = p.id
       and (p.changed or (p.own and p.was_keys is distinct from p.keys))
    returning v.id, p.changed`.execute(tx);
  return new Set(changed.filter((r) => r.changed).map((r) => Number(r.id)));
}

type FoldedVersionSighting = Omit<
  VersionSighting,
  'seenAt' | 'paragraphs' | 'metrics' | 'warnings' | 'assertionKeys'
> & {
  firstSeen: string;
  lastSeen: string;
  paragraphs: string;
  metrics: string;
  warnings: string;
  assertionKeys: string;
};

/** One row per (version, URL): the last sighting's metadata, the version's widest dates. */
export function foldVersionSightings(sightings: readonly VersionSighting[]): FoldedVersionSighting[] {
  const span = new Map<number, { first: string; last: string }>();
  const byUrl = new Map<string, VersionSighting>();
  for (const s of sightings) {
    const d = span.get(s.id);
    const t = Date.parse(s.seenAt);
    if (!d) span.set(s.id, { first: s.seenAt, last: s.seenAt });
    else {
      if (t < Date.parse(d.first)) d.first = s.seenAt;
      if (t > Date.parse(d.last)) d.last = s.seenAt;
    }
    byUrl.set(`${s.id}\u0000${s.url}`, s);
  }
  return [...byUrl.values()].map((s) => ({
    id: s.id,
    url: s.url,
    title: s.title,
    publishedAt: s.publishedAt,
    source: s.source,
    language: s.language,
    firstSeen: span.get(s.id)!.first,
    lastSeen: span.get(s.id)!.last,
    paragraphs: JSON.stringify(s.paragraphs),
    metrics: JSON.stringify(s.metrics),
    warnings: JSON.stringify(s.warnings),
    // A Postgres array literal: unnest takes no ragged int[][], so each row's keys travel as text.
    assertionKeys: `{${s.assertionKeys.join(',')}}`,
  }));
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
