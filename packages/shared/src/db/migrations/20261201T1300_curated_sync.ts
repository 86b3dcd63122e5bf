import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * What incremental sync of the curated views needs, kept in the database so that any writer (the
 * indexer, a backfill, an operator's UPDATE) produces it:
 *
 * - a sync token on every row: the id of the transaction that last changed it
 *   (`pg_current_xact_id()`). Unlike a timestamp it lets a reader stop exactly where every
 *   transaction before it has ended (`curated.sync_horizon()`, read from its own snapshot), so a
 *   transaction that commits after a later one is never skipped;
 * - `updated_at` and the token move only when something a reader sees changes: an UPDATE that
 *   rewrites the same values is dropped by a BEFORE trigger, so a replay writes nothing;
 * - deletions (a fact no version states any more, a fact moved to another key, an article
 *   removed) leave a row in `curated_deletions`, written by AFTER triggers;
 * - `indicator_facts`: one row per fact of `curated.indicator_values`, stamped whenever a metric
 *   row behind it changes, and deleted (leaving a deletion) when no article states it any more.
 *
 * The stamps of an article live in `article_sync`, not in `articles`: an indexed column that
 * changes on every sighting would make each update of the row non-HOT, and every non-HOT update
 * re-inserts the article's whole body into the search index (20261201T1310).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function sync_token_now() returns bigint language sql volatile parallel unsafe
      as $$ select pg_current_xact_id()::text::bigint $$`.execute(db);
  // The oldest transaction of this database still running when the reader's snapshot was taken
  // (or, none running, the next to start): every row below it is committed and visible, every row
  // written later gets a token at or above it. Transaction ids are cluster-wide, so a transaction
  // is left out only when pg_locks shows it belongs to another database; one that ended meanwhile
  // (so it is not there) still counts: the horizon may wait, it never skips.
  await sql`
    create function curated.sync_horizon() returns bigint language sql stable as $$
      with snap as (select pg_current_snapshot() as s),
      elsewhere as (
        select l.transactionid::text::bigint as xid32
          from pg_locks l
          join pg_stat_activity a on a.pid = l.pid
         where l.locktype = 'transactionid' and l.mode = 'ExclusiveLock' and l.granted
           and a.datid <> (select oid from pg_database where datname = current_database())
      )
      select least(pg_snapshot_xmax(snap.s)::text::bigint,
                   (select min(x::text::bigint) from pg_snapshot_xip(snap.s) as x
                     where x::text::bigint % 4294967296 not in (select xid32 from elsewhere)))
        from snap
    $$`.execute(db);

  await createDeletions(db);
  await articleStamps(db);
  await articleUrlStamps(db);
  await metricStamps(db);
  await indicatorFacts(db);
  await metricTriggers(db);
}

async function createDeletions(db: Kysely<any>): Promise<void> {
  await sql`
    create table curated_deletions (
      id bigint generated always as identity primary key,
      view_name text not null,
      row_id bigint not null,
      article_id bigint,
      region text,
      indicator text,
      period text,
      deleted_at timestamptz not null default now(),
      sync_token bigint not null default sync_token_now()
    )`.execute(db);
  await sql`create index curated_deletions_cursor on curated_deletions (sync_token, id)`.execute(db);
}

async function articleStamps(db: Kysely<any>): Promise<void> {
  // The stamps of curated.articles. updated_at lives here too: the URL triggers stamp an article
  // without rewriting its row. Leaving room on each page keeps an update of articles (a sighting)
  // on its page (HOT), so it never re-enters the search index.
  await sql`
    create table article_sync (
      article_id bigint primary key references articles (id) on delete cascade,
      sync_token bigint not null default sync_token_now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into article_sync (article_id, updated_at) select id, updated_at from articles`.execute(
    db,
  );
  await sql`create index article_sync_cursor on article_sync (sync_token, article_id)`.execute(db);
  await sql`alter table articles set (fillfactor = 90)`.execute(db);
  await sql`
    create function stamp_articles(ids bigint[]) returns void language sql as $$
      update article_sync set sync_token = sync_token_now(), updated_at = now()
       where article_id = any (ids) and sync_token <> sync_token_now()
    $$`.execute(db);

  // Columns of articles no view shows: a change to them alone stamps nothing.
  await sql`
    create function articles_stamp() returns trigger language plpgsql as $$
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
  await sql`create trigger articles_stamp before update on articles
              for each row execute function articles_stamp()`.execute(db);

  await sql`
    create function articles_inserted() returns trigger language plpgsql as $$
    begin
      insert into article_sync (article_id) select id from new_rows;
      return null;
    end $$`.execute(db);
  await sql`create trigger articles_inserted after insert on articles
              referencing new table as new_rows for each statement execute function articles_inserted()`.execute(
    db,
  );
  await sql`
    create function articles_deleted() returns trigger language plpgsql as $$
    begin
      insert into curated_deletions (view_name, row_id, article_id)
      select 'articles', id, id from old_rows;
      return null;
    end $$`.execute(db);
  await sql`create trigger articles_deleted after delete on articles
              referencing old table as old_rows for each statement execute function articles_deleted()`.execute(
    db,
  );
}

async function articleUrlStamps(db: Kysely<any>): Promise<void> {
  // curated.articles shows urls and source_ids from article_urls: a URL added, removed or re-dated
  // is a change of its article. A sighting (last_seen_at of the URL) is not. Statement triggers,
  // so a backfill of many URLs stamps each article once.
  await sql`
    create function article_urls_changed() returns trigger language plpgsql as $$
    begin
      perform stamp_articles(array(select distinct article_id from changed_rows));
      return null;
    end $$`.execute(db);
  await sql`create trigger article_urls_inserted after insert on article_urls
              referencing new table as changed_rows for each statement execute function article_urls_changed()`.execute(
    db,
  );
  await sql`create trigger article_urls_deleted after delete on article_urls
              referencing old table as changed_rows for each statement execute function article_urls_changed()`.execute(
    db,
  );
  await sql`
    create function article_urls_updated() returns trigger language plpgsql as $$
    begin
      perform stamp_articles(array(
        select distinct coalesce(n.article_id, o.article_id)
          from old_rows o
          full join new_rows n on n.url = o.url and n.article_id = o.article_id
         where o.url is null or n.url is null
            or (o.source_id, o.first_seen_at) is distinct from (n.source_id, n.first_seen_at)));
      return null;
    end $$`.execute(db);
  await sql`create trigger article_urls_updated after update on article_urls
              referencing old table as old_rows new table as new_rows for each statement
              execute function article_urls_updated()`.execute(db);
}

async function metricStamps(db: Kysely<any>): Promise<void> {
  // A change in percentage points (+1.2 points for a share), apart from change_pct (in percent).
  await sql`alter table article_metrics add column change_pp double precision`.execute(db);
  // A stable id per metric row (the primary key is five columns): the sync cursor's tie-breaker.
  await sql`alter table article_metrics add column id bigint generated by default as identity`.execute(db);
  await sql`alter table article_metrics add constraint article_metrics_id_key unique (id)`.execute(db);
  await sql`alter table article_metrics add column sync_token bigint not null default sync_token_now()`.execute(
    db,
  );
  await sql`create index article_metrics_cursor on article_metrics (sync_token, id) where not is_target`.execute(
    db,
  );
  // Every column but the stamps is visible (version_id through source_url and the evidence URLs).
  await sql`
    create function article_metrics_stamp() returns trigger language plpgsql as $$
    declare
      stamps constant text[] := array['updated_at', 'sync_token'];
    begin
      if to_jsonb(new) - stamps = to_jsonb(old) - stamps then
        return null;
      end if;
      new.updated_at := now();
      new.sync_token := sync_token_now();
      return new;
    end $$`.execute(db);
  await sql`create trigger article_metrics_stamp before update on article_metrics
              for each row execute function article_metrics_stamp()`.execute(db);
}

async function indicatorFacts(db: Kysely<any>): Promise<void> {
  await sql`
    create table indicator_facts (
      id bigint generated always as identity primary key,
      region text not null,
      indicator text not null,
      period text not null,
      updated_at timestamptz not null default now(),
      sync_token bigint not null default sync_token_now(),
      unique (region, indicator, period)
    )`.execute(db);
  await sql`create index indicator_facts_cursor on indicator_facts (sync_token, id)`.execute(db);
  await sql`
    insert into indicator_facts (region, indicator, period)
    select distinct region, indicator, period from article_metrics where not is_target`.execute(db);

  // Facts whose metric rows changed: stamped while some article states them, deleted (with a
  // deletion row) once none does.
  await sql`
    create function refresh_indicator_facts(regions text[], indicators text[], periods text[])
      returns void language plpgsql as $$
    begin
      insert into indicator_facts as f (region, indicator, period)
      select distinct k.region, k.indicator, k.period
        from unnest(regions, indicators, periods) as k(region, indicator, period)
       where exists (select 1 from article_metrics m
                      where m.region = k.region and m.indicator = k.indicator and m.period = k.period
                        and not m.is_target)
       order by 1, 2, 3
      on conflict (region, indicator, period) do update
         set updated_at = now(), sync_token = sync_token_now()
       where f.sync_token <> sync_token_now();
      with gone as (
        delete from indicator_facts f
         using unnest(regions, indicators, periods) as k(region, indicator, period)
         where f.region = k.region and f.indicator = k.indicator and f.period = k.period
           and not exists (select 1 from article_metrics m
                            where m.region = k.region and m.indicator = k.indicator and m.period = k.period
                              and not m.is_target)
        returning f.id, f.region, f.indicator, f.period
      )
      insert into curated_deletions (view_name, row_id, region, indicator, period)
      select 'indicator_values', id, region, indicator, period from gone;
    end $$`.execute(db);
}

async function metricTriggers(db: Kysely<any>): Promise<void> {
  await sql`
    create function article_metrics_inserted() returns trigger language plpgsql as $$
    begin
      -- Rows just inserted: their facts exist, nothing can have vanished. In key order, so two
      -- writers sharing facts lock them in the same order.
      insert into indicator_facts as f (region, indicator, period)
      select distinct region, indicator, period from new_rows where not is_target order by 1, 2, 3
      on conflict (region, indicator, period) do update
         set updated_at = now(), sync_token = sync_token_now()
       where f.sync_token <> sync_token_now();
      return null;
    end $$`.execute(db);
  await sql`create trigger article_metrics_inserted after insert on article_metrics
              referencing new table as new_rows for each statement
              execute function article_metrics_inserted()`.execute(db);

  // A row that leaves curated.metrics (deleted, turned into a target, or moved to another key)
  // leaves a deletion; the facts it belonged to, before and after, are refreshed.
  await sql`
    create function article_metrics_deleted() returns trigger language plpgsql as $$
    begin
      insert into curated_deletions (view_name, row_id, article_id, region, indicator, period)
      select 'metrics', id, article_id, region, indicator, period from old_rows where not is_target;
      perform refresh_indicator_facts(array_agg(region), array_agg(indicator), array_agg(period))
         from old_rows where not is_target having count(*) > 0;
      return null;
    end $$`.execute(db);
  await sql`create trigger article_metrics_deleted after delete on article_metrics
              referencing old table as old_rows for each statement
              execute function article_metrics_deleted()`.execute(db);

  await sql`
    create function article_metrics_updated() returns trigger language plpgsql as $$
    begin
      insert into curated_deletions (view_name, row_id, article_id, region, indicator, period)
      select 'metrics', o.id, o.article_id, o.region, o.indicator, o.period
        from old_rows o join new_rows n on n.id = o.id
       where not o.is_target
         and (n.is_target or (o.article_id, o.region, o.indicator, o.period)
                             is distinct from (n.article_id, n.region, n.indicator, n.period));
      -- Only columns curated.indicator_values reads: new evidence alone does not change a fact.
      perform refresh_indicator_facts(array_agg(k.region), array_agg(k.indicator), array_agg(k.period))
         from old_rows o join new_rows n on n.id = o.id
        cross join lateral (values (o.region, o.indicator, o.period, o.is_target),
                                   (n.region, n.indicator, n.period, n.is_target)) as k(region, indicator, period, is_target)
        where not k.is_target
          and (o.article_id, o.region, o.indicator, o.period, o.is_target, o.value, o.unit, o.change_pct,
               o.change_kind, o.change_pp, o.rank, o.rank_scope, o.qualifier)
              is distinct from
              (n.article_id, n.region, n.indicator, n.period, n.is_target, n.value, n.unit, n.change_pct,
               n.change_kind, n.change_pp, n.rank, n.rank_scope, n.qualifier)
       having count(*) > 0;
      return null;
    end $$`.execute(db);
  await sql`create trigger article_metrics_updated after update on article_metrics
              referencing old table as old_rows new table as new_rows for each statement
              execute function article_metrics_updated()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists article_metrics_updated on article_metrics`.execute(db);
  await sql`drop trigger if exists article_metrics_deleted on article_metrics`.execute(db);
  await sql`drop trigger if exists article_metrics_inserted on article_metrics`.execute(db);
  await sql`drop trigger if exists article_metrics_stamp on article_metrics`.execute(db);
  await sql`drop trigger if exists article_urls_updated on article_urls`.execute(db);
  await sql`drop trigger if exists article_urls_deleted on article_urls`.execute(db);
  await sql`drop trigger if exists article_urls_inserted on article_urls`.execute(db);
  await sql`drop trigger if exists articles_deleted on articles`.execute(db);
  await sql`drop trigger if exists articles_inserted on articles`.execute(db);
  await sql`drop trigger if exists articles_stamp on articles`.execute(db);
  for (const f of [
    'article_metrics_updated()',
    'article_metrics_deleted()',
    'article_metrics_inserted()',
    'refresh_indicator_facts(text[], text[], text[])',
    'article_metrics_stamp()',
    'article_urls_updated()',
    'article_urls_changed()',
    'articles_deleted()',
    'articles_inserted()',
    'articles_stamp()',
    'stamp_articles(bigint[])',
  ]) {
    await sql.raw(`drop function if exists ${f}`).execute(db);
  }
  await sql`drop table if exists indicator_facts`.execute(db);
  await sql`drop table if exists article_sync`.execute(db);
  await sql`drop table if exists curated_deletions`.execute(db);
  await sql`alter table article_metrics drop column if exists sync_token, drop column if exists id,
              drop column if exists change_pp`.execute(db);
  await sql`alter table articles reset (fillfactor)`.execute(db);
  await sql`drop function if exists curated.sync_horizon()`.execute(db);
  await sql`drop function if exists sync_token_now()`.execute(db);
}
