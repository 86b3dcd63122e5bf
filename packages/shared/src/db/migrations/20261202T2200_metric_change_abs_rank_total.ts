import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * Two more figures a metric can state (issue 16): `change_abs`, an absolute change in the value's
 * unit (收入比缩小0.02 → −0.02; 常住人口增加0.5万人 → 5000), and `rank_total`, the size of the ranked
 * set (the highest among Zhejiang's 90 counties → rank 1, rank_total 90). Both views keep every
 * column of 20261201T1330 in order and gain the two at the end; a change of either refreshes the
 * fact, like a change of any other figure.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table article_metrics add column change_abs double precision`.execute(db);
  await sql`alter table article_metrics add column rank_total integer`.execute(db);
  await updatedTrigger(db, true);
  await sql`
    create or replace view metric_statements as
    select m.id, m.article_id, m.region, m.indicator, m.period, m.value, m.unit,
           case when m.change_kind = 'percentage_points' then null else m.change_pct end as change_pct,
           m.change_kind,
           coalesce(m.change_pp, case when m.change_kind = 'percentage_points' then m.change_pct end) as change_pp,
           m.rank,
           case when m.rank is null then null when m.qualifier = 'top_n' then 'top_n' else 'exact' end as rank_kind,
           m.rank_scope,
           m.qualifier,
           case when m.qualifier in ('above', 'about', 'below') then m.qualifier end as value_qualifier,
           m.evidence, m.lang, m.version_id, m.updated_at, m.sync_token,
           m.change_abs, m.rank_total
      from article_metrics m
     where not m.is_target`.execute(db);
  await metricsView(db, true);
  await indicatorValuesView(db, true);
  await sql`grant select on all tables in schema curated to govwire_reader`.execute(db);
}

/** The update trigger's function: which columns, when changed, refresh the facts a row belongs to. */
async function updatedTrigger(db: Kysely<any>, withNew: boolean): Promise<void> {
  const extra = sql.raw(withNew ? ', o.change_abs, o.rank_total' : '');
  const extraNew = sql.raw(withNew ? ', n.change_abs, n.rank_total' : '');
  await sql`
    create or replace function article_metrics_updated() returns trigger language plpgsql as $$
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
               o.change_kind, o.change_pp, o.rank, o.rank_scope, o.qualifier${extra})
              is distinct from
              (n.article_id, n.region, n.indicator, n.period, n.is_target, n.value, n.unit, n.change_pct,
               n.change_kind, n.change_pp, n.rank, n.rank_scope, n.qualifier${extraNew})
       having count(*) > 0;
      return null;
    end $$`.execute(db);
}

async function metricsView(db: Kysely<any>, withNew: boolean): Promise<void> {
  const extra = sql.raw(withNew ? ',\n           s.change_abs,\n           s.rank_total' : '');
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
           s.sync_token${extra}
      from metric_statements s
      cross join lateral curated.period_bounds(s.period) pb
      left join article_versions src on src.id = s.version_id`.execute(db);
}

/**
 * As in 20261201T1330, plus the absolute change most articles state and the rank's total taken
 * with the rank it belongs to (a total is read only with its rank, kind and scope).
 */
async function indicatorValuesView(db: Kysely<any>, withNew: boolean): Promise<void> {
  const fact = sql.raw('s.region = f.region and s.indicator = f.indicator and s.period = f.period');
  const extra = sql.raw(withNew ? ',\n           a.change_abs,\n           r.rank_total' : '');
  const rankTotal = sql.raw(withNew ? ', s.rank_total' : '');
  const disagreeAbs = sql.raw(withNew ? '\n                     or count(distinct s.change_abs) > 1' : '');
  const absJoin = withNew
    ? sql`
      left join lateral (
            select s.change_abs
              from metric_statements s
             where ${fact} and s.change_abs is not null
             group by s.change_abs
             order by count(*) desc, s.change_abs
             limit 1) a on true`
    : sql``;
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
           f.sync_token${extra}
      from indicator_facts f
      cross join lateral (
            select count(distinct s.article_id)::integer as article_count,
                   (count(distinct s.value) > 1 or count(distinct s.unit) > 1
                     or count(distinct coalesce(s.value_qualifier, '')) filter (where s.value is not null) > 1
                     or count(distinct s.change_pct) > 1
                     or count(distinct s.change_kind) filter (where s.change_pct is not null) > 1
                     or count(distinct s.change_pp) > 1${disagreeAbs}) as disagree
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
            select s.rank, s.rank_kind, s.rank_scope${rankTotal}
              from metric_statements s
             where ${fact} and s.rank is not null
             group by s.rank, s.rank_kind, s.rank_scope${rankTotal}
             order by count(*) desc, (s.rank_kind = 'exact') desc, s.rank
             limit 1) r on true${absJoin}
      cross join lateral curated.period_bounds(f.period) pb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Views lose columns only by being recreated: the definitions 20261201T1330 left.
  await sql`drop view if exists curated.indicator_values`.execute(db);
  await sql`drop view if exists curated.metrics`.execute(db);
  await sql`drop view if exists metric_statements`.execute(db);
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
  await metricsView(db, false);
  await indicatorValuesView(db, false);
  await updatedTrigger(db, false);
  await sql`alter table article_metrics drop column if exists rank_total`.execute(db);
  await sql`alter table article_metrics drop column if exists change_abs`.execute(db);
  await sql`grant select on all tables in schema curated to govwire_reader`.execute(db);
}
