import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * curated.indicator_values, same columns, rewritten so a filter on region/indicator/period reaches
 * the `article_metrics_fact` index: the first version read every metric through a CTE used three
 * times (materialized, so no filter could be pushed into it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace view curated.indicator_values as
    select g.region,
           g.indicator,
           g.period,
           pick.value,
           pick.unit,
           g.change_pct,
           g.article_count,
           pick.n::integer as agreeing_count,
           g.disagree
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
}

export async function down(_db: Kysely<any>): Promise<void> {
  // The first version is restored by migrating 20261122T0310_indexer down and up again.
}
