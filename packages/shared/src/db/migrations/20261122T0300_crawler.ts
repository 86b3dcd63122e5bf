import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.
export async function up(db: Kysely<any>): Promise<void> {
  // The per-crawl dedup key: a URL is queued (and fetched) once per crawl however many pages link it.
  await db.schema
    .createTable('crawl_urls')
    .addColumn('crawl_id', 'text', (c) => c.notNull().references('crawls.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('referrer', 'text')
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Set when the URL's fetch reached a final outcome (fetched | unchanged | skipped | failed).
    .addColumn('done_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('crawl_urls_pk', ['crawl_id', 'url'])
    .execute();

  // PDF and office documents linked from a page: recorded, never fetched.
  await db.schema
    .createTable('page_attachments')
    .addColumn('page_url', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('crawl_id', 'text')
    .addColumn('content_type', 'text')
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('page_attachments_pk', ['page_url', 'url'])
    .execute();

  await db.schema
    .alterTable('crawls')
    .addColumn('pages_done', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('crawls').dropColumn('pages_done').execute();
  await db.schema.dropTable('page_attachments').ifExists().execute();
  await db.schema.dropTable('crawl_urls').ifExists().execute();
}
