import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';
import type { MergedMetric } from '../merge/metrics';

/**
 * Makes the article's metric rows equal `merged`: one multi-row upsert that leaves unchanged rows
 * untouched, then a delete of facts no version states any more.
 */
export async function replaceArticleMetrics(
  tx: DbOrTx,
  articleId: number,
  merged: MergedMetric[],
  /** The article was created in this transaction: it has no rows to delete. */
  fresh = false,
): Promise<void> {
  if (merged.length > 0) {
    await tx
      .insertInto('article_metrics')
      .values(
        merged.map((m) => ({
          article_id: articleId,
          region: m.region,
          indicator: m.indicator,
          period: m.period,
          is_target: m.isTarget,
          value: m.value,
          unit: m.unit,
          change_pct: m.changePct,
          change_kind: m.changeKind,
          change_pp: m.changePp,
          change_abs: m.changeAbs,
          rank: m.rank,
          rank_scope: m.rankScope,
          rank_total: m.rankTotal,
          qualifier: m.qualifier,
          evidence: JSON.stringify(m.evidence),
          lang: m.lang,
          version_id: m.versionId,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['article_id', 'region', 'indicator', 'period', 'is_target'])
          .doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            unit: eb.ref('excluded.unit'),
            change_pct: eb.ref('excluded.change_pct'),
            change_kind: eb.ref('excluded.change_kind'),
            change_pp: eb.ref('excluded.change_pp'),
            change_abs: eb.ref('excluded.change_abs'),
            rank_total: eb.ref('excluded.rank_total'),
            rank: eb.ref('excluded.rank'),
            rank_scope: eb.ref('excluded.rank_scope'),
            qualifier: eb.ref('excluded.qualifier'),
            evidence: eb.ref('excluded.evidence'),
            lang: eb.ref('excluded.lang'),
            version_id: eb.ref('excluded.version_id'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(article_metrics.value, article_metrics.unit, article_metrics.change_pct, article_metrics.change_kind,
              article_metrics.change_pp, article_metrics.rank, article_metrics.rank_scope, article_metrics.qualifier,
              article_metrics.evidence, article_metrics.lang, article_metrics.version_id,
              article_metrics.change_abs, article_metrics.rank_total)
              is distinct from
              (excluded.value, excluded.unit, excluded.change_pct, excluded.change_kind, excluded.change_pp, excluded.rank,
               excluded.rank_scope, excluded.qualifier, excluded.evidence, excluded.lang, excluded.version_id,
               excluded.change_abs, excluded.rank_total)`,
          ),
      )
      .execute();
  }
  if (fresh) return;
  const keep = merged.map((m) => [m.region, m.indicator, m.period, m.isTarget] as const);
  await sql`
    delete from article_metrics m
     where m.article_id = ${articleId}
       and not exists (
         select 1 from unnest(${keep.map((k) => k[0])}::text[], ${keep.map((k) => k[1])}::text[],
                              ${keep.map((k) => k[2])}::text[], ${keep.map((k) => k[3])}::boolean[])
                  as k(region, indicator, period, is_target)
          where k.region = m.region and k.indicator = m.indicator and k.period = m.period
            and k.is_target = m.is_target)`.execute(tx);
}
