import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * Parse jobs now carry a reference to the stored page instead of its bytes, so the `pages` row is
 * the one copy of a fetched page; and each stored page records what became of it downstream, so a
 * page that was stored but never parsed (its job lost with a Redis that kept nothing) can be found.
 *
 * parse_outcome: null (not parsed yet, or its jobs are still queued or lost), `article` (the indexer
 * stored it), `no_article` (the parser found nothing article-like), `failed` (a parse or index job
 * failed finally; the `failures` table says why).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('pages')
    .addColumn('parse_outcome', 'text')
    .addColumn('parse_outcome_at', 'timestamptz')
    .execute();
  // The reconcile sweep's path: stored pages still waiting for an outcome, oldest first.
  await sql`create index pages_awaiting_outcome on pages (fetched_at, id) where parse_outcome is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists pages_awaiting_outcome`.execute(db);
  await db.schema.alterTable('pages').dropColumn('parse_outcome').dropColumn('parse_outcome_at').execute();
}
