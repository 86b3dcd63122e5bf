import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * What the reconcile sweeps need to heal lost work without doing it twice.
 *
 * pages.parse_job_id: the id of the parse job last queued for the page when it is not the
 * crawler's `parse-<id>` (a re-queue, an ingest, a reparse). A re-queue needs a fresh id (BullMQ
 * keeps completed jobs, and add() with a kept id does nothing), and the sweep must find the job it
 * queued to see whether it is still waiting.
 *
 * crawl_urls.requeued_at: when the sweep re-queued a URL whose fetch job had vanished (a Redis
 * that lost it). A URL lost a second time is marked failed and recorded for replay instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pages').addColumn('parse_job_id', 'text').execute();
  await db.schema.alterTable('crawl_urls').addColumn('requeued_at', 'timestamptz').execute();
  // The sweep's path to the crawls that have not ended.
  await sql`create index crawls_running on crawls (started_at) where status = 'running'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists crawls_running`.execute(db);
  await db.schema.alterTable('crawl_urls').dropColumn('requeued_at').execute();
  await db.schema.alterTable('pages').dropColumn('parse_job_id').execute();
}
