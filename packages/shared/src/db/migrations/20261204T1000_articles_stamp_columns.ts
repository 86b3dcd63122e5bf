import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/** Columns of articles that no curated view shows: a change to them alone stamps nothing. */
const HIDDEN = ['updated_at', 'content_hash', 'best_version_id', 'version_count'];
/** Every other column of articles. A column added to articles must be added here (a test checks). */
const VISIBLE = [
  'id',
  'title',
  'published_at',
  'source',
  'language',
  'body',
  'body_simplified',
  'first_seen_at',
  'last_seen_at',
];

const row = (rec: 'new' | 'old', columns: string[]) =>
  sql.raw(`(${columns.map((c) => `${rec}.${c}`).join(', ')})`);
const same = (columns: string[]) => sql`${row('new', columns)} is not distinct from ${row('old', columns)}`;

/**
 * `articles_stamp` compared whole rows (`new is not distinct from old`, `to_jsonb(new)`). A whole-row
 * value of NEW inlines its TOASTed bodies, and the row the trigger returns then carries fresh copies
 * of them: Postgres sees the indexed body changed, so hardly any update of an article was HOT (77
 * of 541 in a bench:index run). Each update of a count or a sighting re-entered the ~1,000 pairs of the
 * search index and compressed both bodies again. The same checks, column by column, keep the stored
 * values, and an update that changes neither body stays on its page (the 90% fillfactor of
 * 20261201T1300 was meant for that).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function articles_stamp() returns trigger language plpgsql as $$
    begin
      -- Column by column, never NEW or OLD as a whole row: see migration 20261204T1000.
      if ${same([...VISIBLE, ...HIDDEN])} then
        return null;
      end if;
      if ${same(VISIBLE)} then
        new.updated_at := old.updated_at;
      else
        new.updated_at := now();
        perform stamp_articles(array[new.id]);
      end if;
      return new;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function articles_stamp() returns trigger language plpgsql as $$
    declare
      hidden constant text[] := array['updated_at', 'content_hash', 'best_version_id', 'version_count'];
    begin
      if new is not distinct from old then
        return null;
      end if;
      if to_jsonb(new) - hidden = to_jsonb(old) - hidden then
        new.updated_at := old.updated_at;
      else
        new.updated_at := now();
        perform stamp_articles(array[new.id]);
      end if;
      return new;
    end $$`.execute(db);
}
