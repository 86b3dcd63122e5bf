import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * The curated contract, second edition (docs/data-contract.md). The three views keep their
 * columns, in order, and gain new ones at the end; new views publish deletions, URL look-ups and
 * reference data. The private view `metric_statements` says once, for both metric views, how a
 * stored metric reads: a qualifier of the value apart from a rank's `top_n`, a change in points
 * apart from a change in percent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await periodBounds(db);
  await metricStatements(db);
  await articlesView(db);
  await metricsView(db);
  await indicatorValuesView(db);
  await newViews(db);
  await readerAccess(db);
}

/**
 * First and last day of a period string. Accepted: `2023` (a year), `2023-09` (a month),
 * `2023-09-30` (a day), `2023-Q3` (a quarter), `2023-H1` (a half), and `A/B` for any two of these
 * (`2023-01/2023-09`, `2021/2023`): from A's first day to B's last. Anything else, or B ending
 * before A starts, gives nulls. No exception block: this runs for every row a view returns.
 */
async function periodBounds(db: Kysely<any>): Promise<void> {
  await sql`
    create function period_part_bounds(part text, out first_day date, out last_day date)
      language plpgsql immutable parallel safe as $$
    declare
      m text[];
      y int;
    begin
      -- [0-9], not \\d: \\d also matches digits of other scripts, which ::int refuses.
      m := regexp_match(part, '^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?|-Q([1-4])|-H([12]))?$');
      if m is null then
        return;
      end if;
      y := m[1]::int;
      if m[2] is not null then
        if m[2]::int not between 1 and 12 then
          return;
        end if;
        first_day := make_date(y, m[2]::int, 1);
        last_day := (first_day + interval '1 month' - interval '1 day')::date;
        if m[3] is not null then
          if m[3]::int not between 1 and extract(day from last_day)::int then
            first_day := null;
            last_day := null;
            return;
          end if;
          first_day := make_date(y, m[2]::int, m[3]::int);
          last_day := first_day;
        end if;
      elsif m[4] is not null then
        first_day := make_date(y, m[4]::int * 3 - 2, 1);
        last_day := (first_day + interval '3 months' - interval '1 day')::date;
      elsif m[5] is not null then
        first_day := make_date(y, m[5]::int * 6 - 5, 1);
        last_day := (first_day + interval '6 months' - interval '1 day')::date;
      else
        first_day := make_date(y, 1, 1);
        last_day := make_date(y, 12, 31);
      end if;
    end $$`.execute(db);
  await sql`
    create function curated.period_bounds(period text, out period_start date, out period_end date)
      language plpgsql immutable parallel safe as $$
    declare
      parts text[] := string_to_array(period, '/');
      a record;
      b record;
    begin
      if cardinality(parts) not in (1, 2) then
        return;
      end if;
      a := period_part_bounds(parts[1]);
      b := period_part_bounds(parts[cardinality(parts)]);
      if a.first_day is null or b.last_day is null or b.last_day < a.first_day then
        return;
      end if;
      period_start := a.first_day;
      period_end := b.last_day;
    end $$`.execute(db);
}

async function metricStatements(db: Kysely<any>): Promise<void> {
  // change_pct holds percent only: a change the parser stored as change_pct with kind
  // percentage_points is a change in points, and reads as change_pp.
  await sql`
    create view metric_statements as
    select m.id, m.article_id, m.region, m.indicator, m.period, m.value, m.unit,
           case when m.change_kind = 'percentage_points' then null else m.change_pct end as change_pct,
           m.change_kind,
           coalesce(m.change_pp, case when m.change_kind = 'percentage_points' then m.change_pct end) as change_pp,
           m.rank,
           case when m.rank is null then null when m.qualifier = 'top_n' then 'top_n' else 'exact' end as rank_kind,
           m.rank_scope,
           m.qualifier,
           case when m.qualifier in ('above', 'about', 'below') then m.qualifier end as value_qualifier,
           m.evidence, m.lang, m.version_id, m.updated_at, m.sync_token
      from article_metrics m
     where not m.is_target`.execute(db);
}

async function articlesView(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace view curated.articles as
    select s.article_id as id,
           a.title,
           a.published_at,
           a.source,
           a.language,
           a.body,
           coalesce((select array_agg(u.url order by u.first_seen_at, u.url)
                       from article_urls u where u.article_id = a.id), '{}'::text[]) as urls,
           coalesce((select array_agg(distinct u.source_id order by u.source_id)
                       from article_urls u where u.article_id = a.id and u.source_id is not null),
                    '{}'::text[]) as source_ids,
           a.first_seen_at,
           a.last_seen_at,
           s.updated_at,
           a.body_simplified,
           s.sync_token
      from articles a
      join article_sync s on s.article_id = a.id`.execute(db);
}

async function metricsView(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace view curated.metrics as
    select s.article_id,
           s.region,
           s.indicator,
           s.period,
           s.value,
           s.unit,
           s.change_pct,
           s.change_kind,
           s.rank,
           s.rank_scope,
           s.qualifier,
           (select coalesce(jsonb_agg(e.item || jsonb_build_object('url', v.url) order by e.n), '[]'::jsonb)
              from jsonb_array_elements(s.evidence) with ordinality as e(item, n)
              left join article_versions v
                on v.id = case when jsonb_typeof(e.item -> 'versionId') = 'number'
                               then (e.item ->> 'versionId')::bigint end)
           as evidence,
           s.lang as language,
           s.id,
           s.change_pp,
           s.rank_kind,
           pb.period_start,
           pb.period_end,
           src.url as source_url,
           s.updated_at,
           s.sync_token
      from metric_statements s
      cross join lateral curated.period_bounds(s.period) pb
      left join article_versions src on src.id = s.version_id`.execute(db);
}

/**
 * One row per fact (indicator_facts), its figures picked from the metric rows stating it. Each
 * pick is the statement most articles make, with the statement's own context: a value with its
 * qualifier (超8万亿 is not 8万亿), a change with its kind, a rank with its kind and scope.
 */
async function indicatorValuesView(db: Kysely<any>): Promise<void> {
  const fact = sql.raw('s.region = f.region and s.indicator = f.indicator and s.period = f.period');
  await sql`
    create or replace view curated.indicator_values as
    select f.region,
           f.indicator,
           f.period,
           v.value,
           v.unit,
           c.change_pct,
           g.article_count,
           v.n::integer as agreeing_count,
           g.disagree,
           f.id,
           v.qualifier,
           c.change_kind,
           p.change_pp,
           r.rank,
           r.rank_kind,
           r.rank_scope,
           pb.period_start,
           pb.period_end,
           f.updated_at,
           f.sync_token
      from indicator_facts f
      cross join lateral (
            select count(distinct s.article_id)::integer as article_count,
                   (count(distinct s.value) > 1 or count(distinct s.unit) > 1
                     or count(distinct coalesce(s.value_qualifier, '')) filter (where s.value is not null) > 1
                     or count(distinct s.change_pct) > 1
                     or count(distinct s.change_kind) filter (where s.change_pct is not null) > 1
                     or count(distinct s.change_pp) > 1) as disagree
              from metric_statements s
             where ${fact}) g
      cross join lateral (
            select s.value, s.unit, s.value_qualifier as qualifier, count(*) as n
              from metric_statements s
             where ${fact}
             group by s.value, s.unit, s.value_qualifier
             order by (s.value is null), count(*) desc, (s.value_qualifier is not null), s.value
             limit 1) v
      left join lateral (
            select s.change_pct, s.change_kind
              from metric_statements s
             where ${fact} and s.change_pct is not null
             group by s.change_pct, s.change_kind
             order by count(*) desc, (s.change_kind = 'annual') desc, s.change_pct
             limit 1) c on true
      left join lateral (
            select s.change_pp
              from metric_statements s
             where ${fact} and s.change_pp is not null
             group by s.change_pp
             order by count(*) desc, s.change_pp
             limit 1) p on true
      left join lateral (
            select s.rank, s.rank_kind, s.rank_scope
              from metric_statements s
             where ${fact} and s.rank is not null
             group by s.rank, s.rank_kind, s.rank_scope
             order by count(*) desc, (s.rank_kind = 'exact') desc, s.rank
             limit 1) r on true
      cross join lateral curated.period_bounds(f.period) pb`.execute(db);
}

async function newViews(db: Kysely<any>): Promise<void> {
  await sql`
    create view curated.deletions as
    select d.id, d.view_name, d.row_id, d.article_id, d.region, d.indicator, d.period, d.deleted_at, d.sync_token
      from curated_deletions d`.execute(db);
  await sql`
    create view curated.article_urls as
    select u.url, u.article_id, u.source_id, u.requested_url, u.first_seen_at, u.last_seen_at
      from article_urls u`.execute(db);
  await sql`
    create view curated.regions as
    select r.code, r.name, r.level, p.name as parent, r.parent_code, r.name_en, r.name_traditional, r.pinyin,
           r.aliases
      from ref_regions r
      left join ref_regions p on p.code = r.parent_code`.execute(db);
  await sql`
    create view curated.indicators as
    select i.code, i.name_zh, i.name_en, i.unit, i.definition, i.synonyms_zh, i.synonyms_en
      from ref_indicators i`.execute(db);
  // Inlined by the planner (one SQL statement, not strict), so the caller's order and limit apply
  // to it. The matching ids are collected first, by the index, as an array: however the caller
  // orders and limits, the plan reads the index and never computes search vectors row by row
  // (which an `order by id limit 20` could otherwise choose for a common word).
  await sql`
    create function curated.search_articles(query text) returns setof curated.articles
      language sql stable parallel safe as $$
      select a.*
        from curated.articles a
       where a.id = any (array(
               select x.id
                 from curated.articles x
                where curated.search_vector(x.body_simplified) @@ curated.search_query(query)
                  and strpos(lower(x.body_simplified), lower(query)) > 0))
    $$`.execute(db);
}

/** Reads of every curated view and function; a statement timeout for the reader. */
async function readerAccess(db: Kysely<any>): Promise<void> {
  await sql`grant select on all tables in schema curated to govwire_reader`.execute(db);
  await sql`grant execute on all functions in schema curated to govwire_reader`.execute(db);
  // Role settings are cluster-wide and many databases migrate at once: a concurrent migration
  // setting the same value is not an error. PostgreSQL applies a role's settings only to sessions
  // that log in as it, so each login that inherits govwire_reader needs its own (see the contract).
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_db_role_setting s
                      where s.setrole = 'govwire_reader'::regrole and s.setdatabase = 0
                        and 'statement_timeout=30s' = any (s.setconfig)) then
        alter role govwire_reader set statement_timeout = '30s';
      end if;
    exception when unique_violation or internal_error then null;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists curated.search_articles(text)`.execute(db);
  for (const v of ['indicators', 'regions', 'article_urls', 'deletions'])
    await sql.raw(`drop view if exists curated.${v}`).execute(db);
  // Views lose columns only by being recreated: the previous definitions, as 20261122T0310 left them.
  await sql`drop view if exists curated.indicator_values`.execute(db);
  await sql`drop view if exists curated.metrics`.execute(db);
  await sql`drop view if exists curated.articles`.execute(db);
  await sql`drop view if exists metric_statements`.execute(db);
  await sql`drop function if exists curated.period_bounds(text)`.execute(db);
  await sql`drop function if exists period_part_bounds(text)`.execute(db);
  await sql`
    create view curated.articles as
    select a.id, a.title, a.published_at, a.source, a.language, a.body,
           coalesce((select array_agg(u.url order by u.first_seen_at, u.url)
                       from article_urls u where u.article_id = a.id), '{}'::text[]) as urls,
           coalesce((select array_agg(distinct u.source_id order by u.source_id)
                       from article_urls u where u.article_id = a.id and u.source_id is not null),
                    '{}'::text[]) as source_ids,
           a.first_seen_at, a.last_seen_at, a.updated_at
      from articles a`.execute(db);
  await sql`
    create view curated.metrics as
    select m.article_id, m.region, m.indicator, m.period, m.value, m.unit, m.change_pct, m.change_kind,
           m.rank, m.rank_scope, m.qualifier, m.evidence, m.lang as language
      from article_metrics m
     where not m.is_target`.execute(db);
  await sql`
    create view curated.indicator_values as
    select g.region, g.indicator, g.period, pick.value, pick.unit, g.change_pct, g.article_count,
           pick.n::integer as agreeing_count, g.disagree
      from (select region, indicator, period,
                   mode() within group (order by change_pct) as change_pct,
                   count(distinct article_id)::integer as article_count,
                   (count(distinct value) > 1 or count(distinct unit) > 1
                     or count(distinct change_pct) > 1) as disagree
              from article_metrics
             where not is_target
             group by region, indicator, period) g
      cross join lateral (
            select m.value, m.unit, count(*) as n
              from article_metrics m
             where m.region = g.region and m.indicator = g.indicator and m.period = g.period
               and not m.is_target
             group by m.value, m.unit
             order by (m.value is null), count(*) desc, m.value
             limit 1) pick`.execute(db);
  await sql`grant select on all tables in schema curated to govwire_reader`.execute(db);
}
