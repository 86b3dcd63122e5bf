import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('schedule', 'text')
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('crawls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('pages_queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('crawls_source_started')
    .on('crawls')
    .columns(['source_id', 'started_at'])
    .execute();

  // Conditional-GET state per normalized URL.
  await db.schema
    .createTable('url_state')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_crawl_id', 'text')
    .addColumn('last_fetched_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('fetch_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('crawl_id', 'text')
    .addColumn('source_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('final_url', 'text')
    .addColumn('status', 'integer')
    .addColumn('bytes', 'integer')
    .addColumn('ms', 'integer')
    // fetched | unchanged | skipped | failed | retry
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('fetch_log_url').on('fetch_log').column('url').execute();
  await db.schema.createIndex('fetch_log_crawl').on('fetch_log').column('crawl_id').execute();

  // Every fetched version of a page: raw bytes kept gzip-compressed so any page can be parsed again.
  await db.schema
    .createTable('pages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('final_url', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('crawl_id', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    .addColumn('body_gzip', 'bytea', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('pages_url_hash', ['url', 'content_hash'])
    .execute();
  await db.schema
    .createIndex('pages_source_fetched')
    .on('pages')
    .columns(['source_id', 'fetched_at'])
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // sha256 of the normalized simplified text: the exact-duplicate key.
    .addColumn('content_hash', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('published_at', 'date')
    .addColumn('source', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_simplified', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('article_urls')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('source_id', 'text')
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('article_urls_article').on('article_urls').column('article_id').execute();

  // The dead-letter index: BullMQ cannot search its failed set, so final failures land here too.
  await db.schema
    .createTable('failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('source_id', 'text')
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('permanent', 'boolean', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    // failed | replayed | discarded | succeeded
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('failed'))
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addUniqueConstraint('failures_queue_job', ['queue', 'job_id'])
    .execute();
  await db.schema
    .createIndex('failures_status_time')
    .on('failures')
    .columns(['status', 'failed_at'])
    .execute();

  // Injected SEO spam terms operators add to, beside the shipped data file.
  await db.schema
    .createTable('spam_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('note', 'text')
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Who replayed, discarded or reparsed what.
  await db.schema
    .createTable('ops_audit')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('selection', 'jsonb', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'ops_audit',
    'spam_terms',
    'failures',
    'article_urls',
    'articles',
    'pages',
    'fetch_log',
    'url_state',
    'crawls',
    'sources',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
