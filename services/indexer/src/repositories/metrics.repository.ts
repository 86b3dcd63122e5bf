import type { DbOrTx } from '@govwire/shared';
import { sql } from 'kysely';
import type { MergedMetric } from '../merge/metrics';
import { chunksOf } from './batch.repository';

/**
 * THE mapping of a merged fact to its `article_metrics` row: every write goes through it, and the
 * upsert below updates whatever columns it lists, so a new column is one line here.
 */
export function metricRow(articleId: number, m: MergedMetric) {
  return {
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
  };
}

const KEY = ['article_id', 'region', 'indicator', 'period', 'is_target'] as const;

export interface ArticleMetrics {
  articleId: number;
  merged: MergedMetric[];
}

/**
 * Makes each article's metric rows equal its `merged` facts: one multi-row upsert for all the
 * articles that leaves unchanged rows untouched, then one delete of facts no version states any
 * more. The ids of the articles whose rows changed.
 */
export async function writeArticleMetrics(tx: DbOrTx, articles: ArticleMetrics[]): Promise<Set<number>> {
  const changed = new Set<number>();
  const rows = articles.flatMap((a) => a.merged.map((m) => metricRow(a.articleId, m)));
  for (const chunk of chunksOf(rows)) for (const id of await upsertRows(tx, chunk)) changed.add(id);
  if (articles.length === 0) return changed;
  const keep = articles.flatMap((a) => a.merged.map((m) => ({ id: a.articleId, m })));
  const { rows: deleted } = await sql<{ article_id: string }>`
    delete from article_metrics m
     where m.article_id = any(${articles.map((a) => a.articleId)}::bigint[])
       and not exists (
         select 1 from unnest(${keep.map((k) => k.id)}::bigint[], ${keep.map((k) => k.m.region)}::text[],
                              ${keep.map((k) => k.m.indicator)}::text[], ${keep.map((k) => k.m.period)}::text[],
                              ${keep.map((k) => k.m.isTarget)}::boolean[])
                  as k(article_id, region, indicator, period, is_target)
          where k.article_id = m.article_id and k.region = m.region and k.indicator = m.indicator
            and k.period = m.period and k.is_target = m.is_target)
    returning m.article_id`.execute(tx);
  for (const r of deleted) changed.add(Number(r.article_id));
  return changed;
}

/** The article ids of the rows inserted or changed. */
async function upsertRows(tx: DbOrTx, rows: ReturnType<typeof metricRow>[]): Promise<number[]> {
  const columns = Object.keys(rows[0]!).filter((c) => !(KEY as readonly string[]).includes(c));
  const mine = sql.join(columns.map((c) => sql.ref(`article_metrics.${c}`)));
  const theirs = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)));
  const written = await tx
    .insertInto('article_metrics')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns([...KEY])
        .doUpdateSet(() => ({
          ...Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])),
          updated_at: sql`now()`,
        }))
        .where(sql<boolean>`(${mine}) is distinct from (${theirs})`),
    )
    .returning('article_id')
    .execute();
  return written.map((r) => Number(r.article_id));
}
