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
    assertionKeys: it.assertionKeys,
    seenAt: page.fetchedAt,
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
 * Part one of writing a batch, in the transaction that holds the index lock: the versions the
 * decisions store (with their LSH keys), and the stored versions whose own page came again with a
 * new record (title, metrics: what the merge guard compares). That is all a later batch's decision
 * reads, so the lock is released at this commit and the articles are written in part two, beside
 * other batches; a refreshed version is recorded as pending until its article is.
 */
export async function writeVersions(
  tx: DbOrTx,
  items: readonly WriteItem[],
  decisions: readonly Decision[],
): Promise<void> {
  await batchRepo.insertVersions(tx, [...collectVersions(items, decisions).values()]);
  const refreshed = await refreshExact(tx, items, decisions);
  const articleOf = new Map(decisions.map((d) => [d.versionId, d.articleId]));
  await batchRepo.recordRefreshes(
    tx,
    [...refreshed].map((versionId) => ({ versionId, articleId: articleOf.get(versionId)! })),
  );
}

/**
 * Part two, its own transaction after part one committed: under the locks of the articles the
 * batch touched, every article that gained or changed a version (or was left unsettled by a batch
 * that died between its two parts: versions without their article, refreshes not taken) is
 * recomputed from all its stored versions and written, then the URL sightings and metric rows.
 * Re-running it writes nothing new, so a retried job finishes what a crash left.
 */
export async function settleArticles(
  tx: DbOrTx,
  items: readonly WriteItem[],
  decisions: readonly Decision[],
): Promise<IndexResult[]> {
  const touched = [...new Set(decisions.map((d) => d.articleId))];
  await batchRepo.lockArticleIds(tx, touched);
  const taken = await batchRepo.takeRefreshes(tx, touched);
  const refreshed = new Set(taken.map((r) => r.versionId));
  const dirty = await batchRepo.unsettledArticles(
    tx,
    decisions.filter((d) => d.kind === 'exact' && d.storedVersion).map((d) => d.articleId),
  );
  for (const r of taken) dirty.add(r.articleId);
  for (const d of decisions) if (d.kind !== 'exact' || !d.storedVersion) dirty.add(d.articleId);
  const { changed, metrics } = await recompute(tx, [...dirty]);
  await batchRepo.upsertUrls(
    tx,
    decisions.map((d, i) => sighting(items[i]!, d)),
  );
  for (const id of await writeArticleMetrics(tx, metrics)) changed.add(id);
  return decisions.map((d, i) => result(items[i]!, d, refreshed, changed));
}

/** Articles recomputed from all their stored versions and written; their metric rows. */
async function recompute(tx: DbOrTx, ids: number[]) {
  const all = await articlesRepo.versionsOfArticles(tx, ids);
  const states: (articlesRepo.ArticleState & { id: number })[] = [];
  const metrics: ArticleMetrics[] = [];
  for (const [id, vs] of all) {
    if (vs.length === 0) continue;
    const ranked = rankVersions(vs);
    states.push({ id, ...articleState(ranked) });
    metrics.push({ articleId: id, merged: metricsOf(ranked) });
  }
  return { changed: await batchRepo.upsertArticles(tx, states), metrics };
}

/** Stored versions seen again: widen when seen, refresh metadata when it is the same page. */
function refreshExact(tx: DbOrTx, items: readonly WriteItem[], decisions: readonly Decision[]) {
  return articlesRepo.refreshVersions(
    tx,
    decisions.flatMap((d, i) => {
      if (d.kind !== 'exact' || !d.storedVersion) return [];
      const { article, page, assertionKeys } = items[i]!;
      const { title, publishedAt, source, language, paragraphs, metrics, warnings } = article;
      return [
        {
          id: d.versionId,
          url: page.finalUrl,
          seenAt: page.fetchedAt,
          ...{ title, publishedAt, source, language, paragraphs, metrics, warnings, assertionKeys },
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
