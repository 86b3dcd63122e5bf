import type { DbOrTx } from '@govwire/shared';
import { lshKey } from '../dedup';
import { earliestPublished, rankVersions } from '../merge/best-version';
import { mergeMetrics } from '../merge/metrics';
import * as articlesRepo from '../repositories/articles.repository';
import * as batchRepo from '../repositories/batch.repository';
import type { ArticleMetrics } from '../repositories/metrics.repository';
import { writeArticleMetrics } from '../repositories/metrics.repository';
import type { IndexItem, IndexResult } from '../index-article';
import type { Decision, PlanItem } from './plan';

export type WriteItem = IndexItem & PlanItem;

/** The version an item stores, as the version row it becomes. */
function newVersionOf(it: WriteItem, d: Decision & { kind: 'new' | 'near' }): batchRepo.VersionInsert {
  const { article, page, fp } = it;
  return {
    id: d.versionId,
    articleId: d.articleId,
    contentHash: fp.contentHash,
    matchKind: d.kind,
    matchedVersionId: d.kind === 'near' ? d.matchedVersionId : null,
    similarity: d.kind === 'near' ? d.score : null,
    url: page.finalUrl,
    sourceId: page.sourceId,
    pageId: page.pageId,
    pageContentHash: page.contentHash,
    crawlId: page.crawlId,
    title: article.title,
    publishedAt: article.publishedAt,
    source: article.source,
    language: article.language,
    text: article.text,
    textSimplified: article.textSimplified,
    paragraphs: article.paragraphs,
    metrics: article.metrics,
    warnings: article.warnings,
    isBilingual: fp.isBilingual,
    cleanChars: fp.cleanChars,
    lshKeys: fp.bands.map(lshKey),
    seenAt: page.fetchedAt,
  };
}

/** The stored-row view of a version the batch is about to insert (for ranking and merging). */
function asVersionRow(v: batchRepo.VersionInsert): articlesRepo.VersionRow {
  return {
    id: v.id,
    articleId: v.articleId,
    contentHash: v.contentHash,
    title: v.title,
    publishedAt: v.publishedAt,
    source: v.source,
    language: v.language,
    isBilingual: v.isBilingual,
    cleanChars: v.cleanChars,
    metrics: v.metrics,
    firstSeenAt: new Date(v.seenAt),
    lastSeenAt: new Date(v.lastSeenAt ?? v.seenAt),
  };
}

/** Body, dates and counts of an article from all its versions (`ranked` best first). */
export function articleState(ranked: articlesRepo.VersionRow[]): articlesRepo.ArticleState {
  const best = ranked[0];
  if (!best) throw new Error('an article has no versions');
  return {
    contentHash: best.contentHash,
    title: best.title,
    publishedAt: earliestPublished(ranked),
    source: best.source ?? ranked.find((v) => v.source !== null)?.source ?? null,
    language: best.language,
    bestVersionId: best.id,
    versionCount: ranked.length,
    firstSeenAt: new Date(Math.min(...ranked.map((v) => v.firstSeenAt.getTime()))),
    lastSeenAt: new Date(Math.max(...ranked.map((v) => v.lastSeenAt.getTime()))),
  };
}

const metricsOf = (ranked: articlesRepo.VersionRow[]) =>
  mergeMetrics(ranked.map((v) => ({ versionId: v.id, metrics: v.metrics })));

/** The batch's own versions; an exact copy of one of them only widens when it was seen. */
function collectVersions(items: readonly WriteItem[], decisions: readonly Decision[]) {
  const versions = new Map<number, batchRepo.VersionInsert>();
  for (const [i, d] of decisions.entries()) {
    if (d.kind !== 'exact') versions.set(d.versionId, newVersionOf(items[i]!, d));
    else if (!d.storedVersion) {
      const v = versions.get(d.versionId)!;
      const seen = items[i]!.page.fetchedAt;
      if (Date.parse(seen) < Date.parse(v.seenAt)) v.seenAt = seen;
      if (Date.parse(seen) > Date.parse(v.lastSeenAt ?? v.seenAt)) v.lastSeenAt = seen;
    }
  }
  return versions;
}

/**
 * Writes what `planBatch` decided, a statement per table for the whole batch: locks of the stored
 * articles it touches, new articles, versions (with their LSH keys), URL sightings, recomputed stored articles
 * and every touched article's metric rows.
 */
export async function writeBatch(
  tx: DbOrTx,
  items: readonly WriteItem[],
  decisions: readonly Decision[],
): Promise<IndexResult[]> {
  const touched = decisions.filter((d) => d.kind !== 'new' && d.storedArticle).map((d) => d.articleId);
  await batchRepo.lockArticles(tx, touched);
  const refreshed = await refreshExact(tx, items, decisions);
  const versions = collectVersions(items, decisions);
  const created = await insertCreated(tx, decisions, versions);
  await batchRepo.insertVersions(tx, [...versions.values()]);
  await batchRepo.upsertUrls(
    tx,
    decisions.map((d, i) => sighting(items[i]!, d)),
  );
  const dirty = [
    ...new Set(
      decisions
        .filter(
          (d) =>
            (d.kind === 'near' && d.storedArticle) ||
            (d.kind === 'exact' && d.storedArticle && refreshed.has(d.versionId)),
        )
        .map((d) => d.articleId),
    ),
  ];
  const { changed, metrics } = await recomputeStored(tx, dirty);
  await writeArticleMetrics(tx, [...created, ...metrics]);
  return decisions.map((d, i) => result(items[i]!, d, refreshed, changed));
}

/** Articles the batch creates, computed from the batch's versions of them; their metric rows. */
async function insertCreated(
  tx: DbOrTx,
  decisions: readonly Decision[],
  versions: Map<number, batchRepo.VersionInsert>,
): Promise<ArticleMetrics[]> {
  const byArticle = new Map<number, articlesRepo.VersionRow[]>();
  for (const d of decisions) if (d.kind === 'new') byArticle.set(d.articleId, []);
  for (const v of versions.values()) byArticle.get(v.articleId)?.push(asVersionRow(v));
  const rows: batchRepo.NewArticleRow[] = [];
  const metrics: ArticleMetrics[] = [];
  for (const [id, vs] of byArticle) {
    const ranked = rankVersions(vs);
    const best = versions.get(ranked[0]!.id)!;
    rows.push({ id, ...articleState(ranked), body: best.text, bodySimplified: best.textSimplified });
    metrics.push({ articleId: id, merged: metricsOf(ranked), fresh: true });
  }
  await batchRepo.insertArticles(tx, rows);
  return metrics;
}

/** Stored articles that gained a version or whose version changed, recomputed from all versions. */
async function recomputeStored(tx: DbOrTx, ids: number[]) {
  const all = await articlesRepo.versionsOfArticles(tx, ids);
  const states: (articlesRepo.ArticleState & { id: number })[] = [];
  const metrics: ArticleMetrics[] = [];
  for (const [id, vs] of all) {
    const ranked = rankVersions(vs);
    states.push({ id, ...articleState(ranked) });
    metrics.push({ articleId: id, merged: metricsOf(ranked), fresh: false });
  }
  return { changed: await batchRepo.updateArticles(tx, states), metrics };
}

/** Stored versions seen again: widen when seen, refresh metadata when it is the same page. */
function refreshExact(tx: DbOrTx, items: readonly WriteItem[], decisions: readonly Decision[]) {
  return articlesRepo.refreshVersions(
    tx,
    decisions.flatMap((d, i) => {
      if (d.kind !== 'exact' || !d.storedVersion) return [];
      const { article, page } = items[i]!;
      const { title, publishedAt, source, language, paragraphs, metrics, warnings } = article;
      return [
        {
          id: d.versionId,
          url: page.finalUrl,
          seenAt: page.fetchedAt,
          ...{ title, publishedAt, source, language, paragraphs, metrics, warnings },
        },
      ];
    }),
  );
}

function sighting({ page, fp }: WriteItem, d: Decision): articlesRepo.UrlSighting {
  return {
    url: page.finalUrl,
    requestedUrl: page.url !== page.finalUrl ? page.url : null,
    articleId: d.articleId,
    sourceId: page.sourceId,
    pageId: page.pageId,
    crawlId: page.crawlId,
    contentHash: fp.contentHash,
    seenAt: page.fetchedAt,
  };
}

function result(it: WriteItem, d: Decision, refreshed: Set<number>, changed: Set<number>): IndexResult {
  const base = { articleId: d.articleId, versionId: d.versionId, url: it.page.finalUrl };
  if (d.kind === 'new')
    return { ...base, match: 'new', created: true, matchedVersionId: null, similarity: null, changed: true };
  if (d.kind === 'near')
    return {
      ...base,
      match: 'near',
      created: false,
      matchedVersionId: d.matchedVersionId,
      similarity: d.score,
      changed: !d.storedArticle || changed.has(d.articleId),
    };
  const articleChanged = d.storedVersion
    ? refreshed.has(d.versionId) && changed.has(d.articleId)
    : !d.storedArticle;
  return {
    ...base,
    match: 'exact',
    created: false,
    matchedVersionId: d.versionId,
    similarity: 1,
    changed: articleChanged,
  };
}
