import {
  isOutageError,
  PermanentError,
  TransientError,
  type Db,
  type DbOrTx,
  type PageRef,
  type Logger,
  type ParsedArticle,
} from '@govwire/shared';
import {
  DEFAULT_THRESHOLDS,
  fingerprint,
  mergeVeto,
  nearDuplicateScore,
  shingles,
  similarity,
  type Fingerprint,
  type MergeGuard,
  type NearDuplicateThresholds,
} from './dedup';
import { earliestPublished, rankVersions } from './merge/best-version';
import { mergeMetrics } from './merge/metrics';
import * as articlesRepo from './repositories/articles.repository';
import * as dedupRepo from './repositories/dedup.repository';
import * as metricsRepo from './repositories/metrics.repository';
import { DEFAULT_MERGE_GUARD } from './settings/dedup-settings';

/** The page an article came from; tests and benchmarks index articles with no stored page behind them. */
export type IndexPage = Omit<PageRef, 'pageId'> & { pageId: number | null };

export interface IndexOptions {
  thresholds?: NearDuplicateThresholds;
  /** How many LSH candidates are verified on their text, most shared buckets first. */
  maxCandidates?: number;
  /** Vetoes merges of texts asserting different regions, periods, issues or figures (dedup.yaml). */
  guard?: MergeGuard;
  /** Attempts when Postgres reports a deadlock or serialization failure before giving up as transient. */
  maxAttempts?: number;
  log?: Logger;
  /**
   * Called inside the transaction once its lock slots are held, before the dedup decision. A seam
   * for the race tests (they hold racers here to force overlap); production code leaves it unset.
   */
  afterLock?: () => Promise<void>;
}

export interface IndexResult {
  articleId: number;
  versionId: number;
  /** new: created the article; near: joined it as a near-duplicate; exact: its text was already stored. */
  match: 'new' | 'near' | 'exact';
  created: boolean;
  matchedVersionId: number | null;
  similarity: number | null;
  /** The stored article (body, dates, metrics) changed. */
  changed: boolean;
  url: string;
}

export interface IndexItem {
  article: ParsedArticle;
  page: IndexPage;
}

/**
 * Indexes one parsed article in one transaction: exact duplicate → the same version; near
 * duplicate → a new version of the matched article; otherwise a new article. The article's body,
 * dates and metrics are then recomputed from all its versions, so replaying the same job writes
 * nothing new, and two copies indexed at once meet on a lock slot and end as one article.
 */
export async function indexArticle(
  db: Db,
  article: ParsedArticle,
  page: IndexPage,
  opts: IndexOptions = {},
): Promise<IndexResult> {
  const [result] = await indexArticles(db, [{ article, page }], opts);
  return result!;
}

/**
 * Indexes several articles in ONE transaction (one commit, multi-row writes): the lock slots of
 * every item are taken up front in order, then items run one after another, each seeing the ones
 * before it. If the batch fails for a reason retrying will not cure, items are retried one
 * transaction each so one bad article cannot sink the others; its own error is then thrown.
 */
export async function indexArticles(
  db: Db,
  items: IndexItem[],
  opts: IndexOptions = {},
): Promise<IndexResult[]> {
  if (items.length === 0) return [];
  const prepared = items.map((item) => ({
    item,
    fp: fingerprint(item.article.textSimplified, item.article.title),
  }));
  try {
    return await withRetries(opts, () =>
      db.transaction().execute(async (tx) => {
        await dedupRepo.lockSlots(
          tx,
          prepared.flatMap((p) => lockSlotsOf(p.fp)),
        );
        await opts.afterLock?.();
        const ctx = prepared.length > 1 ? await prefetch(tx, prepared, opts) : null;
        const out: IndexResult[] = [];
        for (const [i, p] of prepared.entries())
          out.push(await indexInTransaction(tx, p.item, p.fp, opts, ctx, i));
        return out;
      }),
    );
  } catch (err) {
    if (items.length === 1 || err instanceof TransientError) throw err;
    opts.log?.warn({ err, items: items.length }, 'batch failed, indexing its items one by one');
    const out: IndexResult[] = [];
    for (const p of prepared) {
      out.push(
        await withRetries(opts, () =>
          db.transaction().execute(async (tx) => {
            await dedupRepo.lockSlots(tx, lockSlotsOf(p.fp));
            await opts.afterLock?.();
            return indexInTransaction(tx, p.item, p.fp, opts);
          }),
        ),
      );
    }
    return out;
  }
}

function lockSlotsOf(fp: Fingerprint): number[] {
  return [dedupRepo.hashSlot(fp.contentHash), ...fp.bands.map(dedupRepo.bandSlot)];
}

const RETRYABLE_PG = new Set(['40001', '40P01', '55P03', '57014', '08006', '08003', '53300']);

function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Deadlocks and serialization failures are retried here; connection trouble becomes transient. */
async function withRetries<T>(opts: IndexOptions, run: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, opts.maxAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const code = pgCode(err);
      // PostgreSQL down or restarting: the worker delays the job until it answers, using no attempt.
      if (isOutageError(err, 'any')) throw err;
      const retryable = err instanceof RetryDecision || (code !== undefined && RETRYABLE_PG.has(code));
      if (retryable && attempt < attempts) {
        opts.log?.debug({ code, attempt }, 'retrying index transaction');
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
        continue;
      }
      if (retryable) {
        throw new TransientError('index_conflict', `indexing failed (${code ?? 'conflict'}), will retry`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}

/** Another transaction stored the same text between our look-up and our insert: decide again. */
class RetryDecision extends Error {}

/**
 * A batch's look-ups done up front in three queries: versions with the batch's content hashes,
 * LSH candidates of every item, and the candidates' texts. They stay valid under the batch's lock
 * slots except where an earlier item of the same batch wrote to the same hash or bucket; such an
 * item (a copy of an earlier one) is looked up again on its own.
 */
interface BatchContext {
  exact: Map<string, articlesRepo.VersionRow>;
  candidates: Map<number, dedupRepo.Candidate[]>;
  texts: Map<number, CandidateText>;
  writtenHashes: Set<string>;
  writtenBuckets: Set<string>;
}

type CandidateText = Awaited<ReturnType<typeof articlesRepo.versionTexts>>[number];

const bucketKey = (b: { segment: string; band: number; bucket: number }) =>
  `${b.segment}:${b.band}:${b.bucket}`;

async function prefetch(
  tx: DbOrTx,
  prepared: { fp: Fingerprint }[],
  opts: IndexOptions,
): Promise<BatchContext> {
  const exact = await articlesRepo.findVersionsByHashes(tx, [
    ...new Set(prepared.map((p) => p.fp.contentHash)),
  ]);
  const candidates = await dedupRepo.findCandidatesForItems(
    tx,
    prepared.map((p) => p.fp.bands),
    opts.maxCandidates ?? 20,
  );
  const ids = [...new Set([...candidates.values()].flat().map((c) => c.versionId))];
  const texts = new Map((await articlesRepo.versionTexts(tx, ids)).map((t) => [t.id, t]));
  return { exact, candidates, texts, writtenHashes: new Set(), writtenBuckets: new Set() };
}

/** The prefetched look-ups of item `i`, unless an earlier item of the batch may have changed them. */
function prefetched(ctx: BatchContext | null, i: number, fp: Fingerprint) {
  if (!ctx) return null;
  if (ctx.writtenHashes.has(fp.contentHash)) return null;
  if (fp.bands.some((b) => ctx.writtenBuckets.has(bucketKey(b)))) return null;
  const candidates = ctx.candidates.get(i) ?? [];
  return {
    exact: ctx.exact.get(fp.contentHash) ?? null,
    texts: candidates
      .map((c) => ctx.texts.get(c.versionId))
      .filter((t): t is CandidateText => t !== undefined),
  };
}

async function indexInTransaction(
  tx: DbOrTx,
  { article, page }: IndexItem,
  fp: Fingerprint,
  opts: IndexOptions,
  ctx: BatchContext | null = null,
  index = 0,
): Promise<IndexResult> {
  if (!article.textSimplified.trim()) {
    throw new PermanentError('empty_article', `article from ${page.finalUrl} has no text`);
  }
  const seenAt = page.fetchedAt;
  const url = page.finalUrl;
  const versionData = {
    title: article.title,
    publishedAt: article.publishedAt,
    source: article.source,
    language: article.language,
    paragraphs: article.paragraphs,
    metrics: article.metrics,
    warnings: article.warnings,
    seenAt,
  };
  // A version not stored yet: the same fields whether it makes a new article or joins one.
  const newVersion = {
    ...versionData,
    contentHash: fp.contentHash,
    url,
    sourceId: page.sourceId,
    pageId: page.pageId,
    pageContentHash: page.contentHash,
    crawlId: page.crawlId,
    text: article.text,
    textSimplified: article.textSimplified,
    isBilingual: fp.isBilingual,
    cleanChars: fp.cleanChars,
  };

  let articleId: number;
  let versionId: number;
  let match: IndexResult['match'];
  let matchedVersionId: number | null = null;
  let score: number | null = null;
  let versionChanged = true;

  const pre = prefetched(ctx, index, fp);
  if (ctx) {
    // Whatever this item writes, later items of the batch must look up afresh.
    ctx.writtenHashes.add(fp.contentHash);
    for (const b of fp.bands) ctx.writtenBuckets.add(bucketKey(b));
  }
  const existing = pre ? pre.exact : await articlesRepo.findVersionByHash(tx, fp.contentHash);
  if (existing) {
    articleId = existing.articleId;
    versionId = existing.id;
    match = 'exact';
    matchedVersionId = existing.id;
    score = 1;
    await articlesRepo.lockArticle(tx, articleId);
    versionChanged = await articlesRepo.refreshVersion(tx, versionId, { ...versionData, url });
  } else {
    const near = await findNearDuplicate(tx, article, fp, opts, pre?.texts);
    if (near) {
      articleId = near.articleId;
      matchedVersionId = near.versionId;
      score = near.score;
      match = 'near';
      // The matched article may have been changed by a transaction we waited for: lock, then read.
      await articlesRepo.lockArticle(tx, articleId);
    } else {
      // A new article: article, version and bands in one statement; its state needs no recompute.
      const created = await articlesRepo.insertArticleWithVersion(tx, newVersion, fp.bands);
      await articlesRepo.upsertUrl(tx, {
        url,
        requestedUrl: page.url !== page.finalUrl ? page.url : null,
        articleId: created.articleId,
        sourceId: page.sourceId,
        pageId: page.pageId,
        crawlId: page.crawlId,
        contentHash: fp.contentHash,
        seenAt,
      });
      await metricsRepo.replaceArticleMetrics(
        tx,
        created.articleId,
        mergeMetrics([{ versionId: created.versionId, metrics: article.metrics }]),
        true,
      );
      return {
        articleId: created.articleId,
        versionId: created.versionId,
        match: 'new',
        created: true,
        matchedVersionId: null,
        similarity: null,
        changed: true,
        url,
      };
    }
    const inserted = await articlesRepo.insertVersion(tx, {
      ...newVersion,
      articleId,
      matchKind: 'near',
      matchedVersionId,
      similarity: score,
    });
    if (inserted === null) throw new RetryDecision('content hash stored concurrently');
    versionId = inserted;
    await dedupRepo.insertBands(tx, versionId, articleId, fp.bands);
  }

  await articlesRepo.upsertUrl(tx, {
    url,
    requestedUrl: page.url !== page.finalUrl ? page.url : null,
    articleId,
    sourceId: page.sourceId,
    pageId: page.pageId,
    crawlId: page.crawlId,
    contentHash: fp.contentHash,
    seenAt,
  });
  // The article is a function of its versions: a replay that changed no version changes nothing.
  const changed = versionChanged ? await recomputeArticle(tx, articleId) : false;
  return {
    articleId,
    versionId,
    match,
    created: false,
    matchedVersionId,
    similarity: score,
    changed,
    url,
  };
}

/**
 * Read-only: which stored article would this text join as a near-duplicate (no locks, no writes).
 * For operators' questions and the benchmark's look-up timing; indexing decides under its locks.
 */
export async function lookupNearDuplicate(
  db: DbOrTx,
  article: ParsedArticle,
  opts: IndexOptions = {},
): Promise<NearMatch | null> {
  return findNearDuplicate(db, article, fingerprint(article.textSimplified, article.title), opts);
}

export interface NearMatch {
  articleId: number;
  versionId: number;
  score: number;
}

/**
 * LSH candidates verified on their exact shingle sets: the best-scoring article whose versions
 * state no figure differently. Ties go to the older article, so the answer does not depend on order.
 */
async function findNearDuplicate(
  tx: DbOrTx,
  article: ParsedArticle,
  fp: Fingerprint,
  opts: IndexOptions,
  prefetchedTexts?: CandidateText[],
): Promise<NearMatch | null> {
  let texts = prefetchedTexts;
  if (!texts) {
    const candidates = await dedupRepo.findCandidates(tx, fp.bands, opts.maxCandidates ?? 20);
    if (candidates.length === 0) return null;
    texts = await articlesRepo.versionTexts(
      tx,
      candidates.map((c) => c.versionId),
    );
  }
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const byArticle = new Map<number, { best: NearMatch | null; conflict: boolean }>();
  for (const c of texts) {
    const entry = byArticle.get(c.articleId) ?? { best: null, conflict: false };
    byArticle.set(c.articleId, entry);
    const sim = similarity(fp.shingles, shingles(c.textSimplified));
    const score = nearDuplicateScore(sim, thresholds);
    if (score === null) continue;
    // Any version of the article asserting something differently vetoes the merge.
    if (mergeVeto(opts.guard ?? DEFAULT_MERGE_GUARD, article, c)) {
      entry.conflict = true;
      continue;
    }
    if (!entry.best || score > entry.best.score)
      entry.best = { articleId: c.articleId, versionId: c.id, score };
  }
  let best: NearMatch | null = null;
  for (const { best: b, conflict } of byArticle.values()) {
    if (!b || conflict) continue;
    if (!best || b.score > best.score || (b.score === best.score && b.articleId < best.articleId)) best = b;
  }
  return best;
}

/** Body, dates, counts and metrics of an article from all its versions; true when anything changed. */
async function recomputeArticle(tx: DbOrTx, articleId: number): Promise<boolean> {
  const versions = await articlesRepo.versionsOfArticle(tx, articleId);
  const ranked = rankVersions(versions);
  const best = ranked[0];
  if (!best) throw new Error(`article ${articleId} has no versions`);
  const changed = await articlesRepo.updateArticle(tx, articleId, {
    contentHash: best.contentHash,
    title: best.title,
    publishedAt: earliestPublished(versions),
    source: best.source ?? ranked.find((v) => v.source !== null)?.source ?? null,
    language: best.language,
    bestVersionId: best.id,
    versionCount: versions.length,
    firstSeenAt: new Date(Math.min(...versions.map((v) => v.firstSeenAt.getTime()))),
    lastSeenAt: new Date(Math.max(...versions.map((v) => v.lastSeenAt.getTime()))),
  });
  await metricsRepo.replaceArticleMetrics(
    tx,
    articleId,
    mergeMetrics(ranked.map((v) => ({ versionId: v.id, metrics: v.metrics }))),
  );
  return changed;
}
