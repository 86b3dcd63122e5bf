import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * Versions whose record a batch refreshed, while their article still shows the record before.
 *
 * A page parsed again (after a parser fix) refreshes its stored version's title and metrics, and
 * the merge guard compares copies with those metrics: so the refresh is written under the index
 * lock, with the decisions, and the article is rewritten in the batch's second transaction, as
 * every article is. A row here says that second transaction has not run yet. It is written with
 * the refresh and deleted by whoever next rewrites the article, so a batch that dies between its
 * two transactions leaves the article to be finished, not stale (the retried job, or any batch
 * touching the article, rewrites it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table article_refreshes (
      id bigint generated always as identity primary key,
      article_id bigint not null,
      version_id bigint not null references article_versions (id) on delete cascade
    )`.execute(db);
  await sql`create index article_refreshes_article on article_refreshes (article_id)`.execute(db);
  await sql`create index article_refreshes_version on article_refreshes (version_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists article_refreshes`.execute(db);
}
