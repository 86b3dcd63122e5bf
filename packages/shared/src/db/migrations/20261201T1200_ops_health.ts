import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * What operators read per source and per run, computed from the record rather than from counters:
 * the paths those queries take (a run's pages, the versions a page made, the failures of a page),
 * and Nutch-style "gone" URLs: an article URL that failed permanently on several crawls in a row
 * is no longer fetched until an operator revives it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('url_state')
    // Consecutive crawls whose fetch of this URL failed permanently (reset by a good fetch).
    .addColumn('failed_crawls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failed_crawl_id', 'text')
    .addColumn('gone_at', 'timestamptz')
    .addColumn('gone_reason', 'text')
    .execute();
  await sql`create index url_state_gone on url_state (source_id, gone_at) where gone_at is not null`.execute(
    db,
  );

  await db.schema.createIndex('pages_crawl').on('pages').column('crawl_id').execute();
  await db.schema.createIndex('article_versions_page').on('article_versions').column('page_id').execute();
  await db.schema.createIndex('article_versions_crawl').on('article_versions').column('crawl_id').execute();
  // A parse or index failure names its stored page in the payload: the link from a page to its failure.
  await sql`create index failures_page on failures ((payload #>> '{page,pageId}')) where payload ? 'page'`.execute(
    db,
  );
  await db.schema.createIndex('ops_audit_at').on('ops_audit').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'ops_audit_at',
    'failures_page',
    'article_versions_crawl',
    'article_versions_page',
    'pages_crawl',
    'url_state_gone',
  ]) {
    await sql`drop index if exists ${sql.id(index)}`.execute(db);
  }
  await db.schema
    .alterTable('url_state')
    .dropColumn('failed_crawls')
    .dropColumn('last_failed_crawl_id')
    .dropColumn('gone_at')
    .dropColumn('gone_reason')
    .execute();
}
