import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * The indexer writes a batch in two transactions (issue 15): the versions first, under the index
 * lock that serializes dedup decisions, then the articles they belong to, beside other batches.
 * Between the two commits a version names an article whose row is not written yet, so the foreign
 * key from `article_versions.article_id` goes. What it did on delete stays: deleting an article
 * deletes its versions (a statement trigger, as the cascade did). Readers never see a version:
 * the curated views read articles.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table article_versions drop constraint if exists article_versions_article_id_fkey`.execute(
    db,
  );
  await sql`
    create function articles_delete_versions() returns trigger language plpgsql as $$
    begin
      delete from article_versions v using old_rows o where v.article_id = o.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger articles_delete_versions after delete on articles
      referencing old table as old_rows for each statement execute function articles_delete_versions()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists articles_delete_versions on articles`.execute(db);
  await sql`drop function if exists articles_delete_versions()`.execute(db);
  // Versions whose article was never written (a batch that died between its two transactions).
  await sql`delete from article_versions v where not exists (select 1 from articles a where a.id = v.article_id)`.execute(
    db,
  );
  await sql`
    alter table article_versions add constraint article_versions_article_id_fkey
      foreign key (article_id) references articles (id) on delete cascade`.execute(db);
}
