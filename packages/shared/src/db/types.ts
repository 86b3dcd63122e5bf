import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** int8 and numeric are parsed to JS numbers by the pool (see client.ts); timestamps to Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string, string>;

export interface SourcesTable {
  id: string;
  name: string;
  enabled: Generated<boolean>;
  schedule: string | null;
  config: Json;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CrawlsTable {
  id: string;
  source_id: string;
  trigger: string;
  status: Generated<string>;
  started_at: Timestamp;
  finished_at: Date | string | null;
  pages_queued: Generated<number>;
  /** URLs of this crawl that reached a final outcome (migration 20261122T0300). */
  pages_done: Generated<number>;
  error: string | null;
  /** List pages read, article links they listed, how many were new, why paging stopped (20261201T1400). */
  list_pages: Generated<number>;
  article_urls_found: Generated<number>;
  article_urls_new: Generated<number>;
  stop_reason: string | null;
}

export interface UrlStateTable {
  url: string;
  source_id: string | null;
  etag: string | null;
  last_modified: string | null;
  content_hash: string | null;
  last_status: number | null;
  last_crawl_id: string | null;
  last_fetched_at: Date | string | null;
  /** Consecutive crawls whose fetch failed permanently (migration 20261201T1200). */
  failed_crawls: Generated<number>;
  last_failed_crawl_id: string | null;
  /** Set once `failed_crawls` reached CRAWLER_GONE_AFTER_CRAWLS: the URL is no longer fetched. */
  gone_at: Date | string | null;
  gone_reason: string | null;
}

export interface FetchLogTable {
  id: Generated<number>;
  crawl_id: string | null;
  source_id: string | null;
  url: string;
  final_url: string | null;
  status: number | null;
  bytes: number | null;
  ms: number | null;
  outcome: 'fetched' | 'unchanged' | 'skipped' | 'failed' | 'retry';
  error: string | null;
  /** What a list reader noticed on the page (migration 20261201T1400). */
  note: ColumnType<string | null, string | null | undefined, string | null>;
  fetched_at: Timestamp;
}

/** One row per (crawl, normalized URL): the per-crawl dedup key (migration 20261122T0300). */
export interface CrawlUrlsTable {
  crawl_id: string;
  url: string;
  kind: string;
  depth: Generated<number>;
  referrer: string | null;
  queued_at: CreatedAt;
  done_at: Date | string | null;
  outcome: string | null;
  /** When the reconcile sweep re-queued the URL's vanished fetch job (migration 20261201T1100). */
  requeued_at: Date | string | null;
}

/** PDF/office links recorded against the page linking them (migration 20261122T0300). */
export interface PageAttachmentsTable {
  page_url: string;
  url: string;
  source_id: string | null;
  crawl_id: string | null;
  content_type: string | null;
  first_seen_at: CreatedAt;
}

export interface PagesTable {
  id: Generated<number>;
  url: string;
  final_url: string;
  source_id: string | null;
  crawl_id: string | null;
  status: number;
  content_hash: string;
  headers: Json;
  body_gzip: Buffer;
  bytes: number;
  fetched_at: Date | string;
  /** What became of the page downstream; null while its jobs are queued, or lost (migration 20261201T1000). */
  parse_outcome: ParseOutcome | null;
  parse_outcome_at: Date | string | null;
  /** The last parse job queued for the page when not `parse-<id>` (migration 20261201T1100). */
  parse_job_id: string | null;
}

/** A stored page's fate: stored as an article, nothing article-like in it, or a final failure. */
export type ParseOutcome = 'article' | 'no_article' | 'failed';

export interface ArticlesTable {
  id: Generated<number>;
  content_hash: string;
  title: string;
  published_at: ColumnType<string | null, string | null, string | null>;
  source: string | null;
  language: string;
  body: string;
  body_simplified: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  updated_at: Timestamp;
  /** The version whose text is the body (indexer migration). */
  best_version_id: number | null;
  version_count: Generated<number>;
}

export interface ArticleUrlsTable {
  url: string;
  article_id: number;
  source_id: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  requested_url: string | null;
  last_page_id: number | null;
  last_crawl_id: string | null;
  last_content_hash: string | null;
}

/** Every distinct text seen for an article; content_hash is unique across all articles. */
export interface ArticleVersionsTable {
  id: Generated<number>;
  article_id: number;
  content_hash: string;
  match_kind: 'new' | 'near' | 'exact';
  matched_version_id: number | null;
  similarity: number | null;
  url: string;
  source_id: string | null;
  page_id: number | null;
  page_content_hash: string | null;
  crawl_id: string | null;
  title: string;
  published_at: ColumnType<string | null, string | null, string | null>;
  source: string | null;
  language: string;
  text: string;
  text_simplified: string;
  paragraphs: Json;
  metrics: Json;
  warnings: Json;
  is_bilingual: boolean;
  clean_chars: number;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  /**
   * LSH band keys (segment code << 40 | band << 32 | bucket's 32 bits), mirrored into
   * `article_lsh_keys` by triggers for the look-up (migration 20261203T1000). pg returns int8 array
   * elements as strings.
   */
  lsh_keys: ColumnType<string[], number[] | undefined, number[]>;
  /**
   * What the version asserts (regions, periods, issues, figures) as 32-bit hashes, to rank LSH
   * candidates (migration 20261205T1000); null for versions stored before.
   */
  assertion_keys: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
}

/** LSH key → version, kept from `article_versions.lsh_keys` by triggers (the candidate look-up). */
export interface ArticleLshKeysTable {
  key: ColumnType<string, number, number>;
  version_id: number;
  article_id: number;
}

/**
 * A version refreshed under the index lock whose article is not rewritten yet (migration
 * 20261206T1000): the next batch touching the article rewrites it and deletes the row.
 */
export interface ArticleRefreshesTable {
  id: Generated<number>;
  article_id: number;
  version_id: number;
}

/** One row per article and fact; targets apart (is_target) so a goal never passes for a result. */
export interface ArticleMetricsTable {
  article_id: number;
  region: string;
  indicator: string;
  period: string;
  is_target: boolean;
  value: number | null;
  unit: string;
  change_pct: number | null;
  change_kind: string | null;
  rank: number | null;
  rank_scope: string | null;
  qualifier: string | null;
  evidence: Json;
  lang: string;
  version_id: number;
  updated_at: Timestamp;
  /** Change in percentage points; stable row id; transaction of the last change (migration 20261201T1300). */
  change_pp: number | null;
  id: Generated<number>;
  sync_token: Generated<number>;
  /** Absolute change in the value's unit; size of the ranked set (migration 20261202T2200). */
  change_abs: number | null;
  rank_total: number | null;
}

export interface FailuresTable {
  id: Generated<number>;
  queue: string;
  job_id: string;
  job_name: string;
  url: string | null;
  source_id: string | null;
  error_code: string;
  error: string;
  attempts: number;
  permanent: boolean;
  payload: Json;
  status: Generated<'failed' | 'replayed' | 'discarded' | 'succeeded'>;
  failed_at: Timestamp;
  resolved_at: Date | string | null;
}

export interface SpamTermsTable {
  term: string;
  note: string | null;
  added_by: string;
  added_at: CreatedAt;
}

export interface OpsAuditTable {
  id: Generated<number>;
  action: string;
  actor: string;
  selection: Json;
  count: number;
  at: CreatedAt;
}

export interface Database {
  sources: SourcesTable;
  crawls: CrawlsTable;
  url_state: UrlStateTable;
  fetch_log: FetchLogTable;
  pages: PagesTable;
  crawl_urls: CrawlUrlsTable;
  page_attachments: PageAttachmentsTable;
  articles: ArticlesTable;
  article_urls: ArticleUrlsTable;
  article_versions: ArticleVersionsTable;
  article_lsh_keys: ArticleLshKeysTable;
  article_refreshes: ArticleRefreshesTable;
  article_metrics: ArticleMetricsTable;
  failures: FailuresTable;
  spam_terms: SpamTermsTable;
  ops_audit: OpsAuditTable;
}

export type Source = Selectable<SourcesTable>;
export type NewFetchLog = Insertable<FetchLogTable>;
export type Page = Selectable<PagesTable>;
export type Article = Selectable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type Failure = Selectable<FailuresTable>;
