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
import type { ComparableCache } from './batch/comparable-cache';
import { checkLimits, type IndexLimits } from './batch/limits';
import { bestNearMatch, comparableOf, planBatch, type NearMatch, type StoredLookups } from './batch/plan';
import { settleArticles, writeVersions, type WriteItem } from './batch/write';
import {
  assertionKeys,
  assertionsMemo,
  comparableText,
  contentHashOf,
  DEFAULT_THRESHOLDS,
  fingerprint,
  fingerprintWithHash,
  storedTextFingerprint,
  type Fingerprint,
  type MatchRules,
  type MergeGuard,
  type NearDuplicateThresholds,
} from './dedup';
import * as articlesRepo from './repositories/articles.repository';
import * as batchRepo from './repositories/batch.repository';
import * as dedupRepo from './repositories/dedup.repository';
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
  /** Stored candidates already shingled, kept across batches (a worker keeps one for its life). */
  comparableCache?: ComparableCache;
  /** Size limits of an article (title, text, metrics): see batch/limits.ts. */
  limits?: Partial<IndexLimits>;
  /**
   * Called inside the transaction once the index lock is held, before the dedup decision. A seam
   * for the race tests (they hold racers here to force overlap); production code leaves it unset.
   */
  afterLock?: () => Promise<void>;
  /**
   * Called at the start of the second transaction, once the versions committed. A seam for the
   * crash tests (they throw here to leave a batch half written); production code leaves it unset.
   */
  beforeSettle?: () => Promise<void>;
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
 * nothing new, and two copies indexed at once meet on the index lock and end as one article.
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
 * Indexes several articles in two transactions and a dozen statements whatever their number:
 *
 * 1. each item is checked against the size limits (truncated or failed on its own, see
 *    batch/limits.ts) and its content hash taken, outside any transaction;
 * 2. the items whose text no stored version has are fingerprinted (shingles, MinHash bands): a
 *    text already stored is decided `exact` on its hash alone, as most are in a reparse;
 * 3. the index lock is taken (dedupRepo.lockIndex), so a concurrent batch holding a copy of one
 *    of ours waits for our versions to commit and sees them, or we wait for its;
 * 4. exact matches, LSH candidates and the candidates' texts are read for the whole batch;
 * 5. `planBatch` decides item after item in memory, each seeing the items before it, which is what
 *    indexing them one at a time would decide;
 * 6. `writeVersions` writes the versions, and refreshes the stored ones whose own page came again
 *    (their title and metrics, which the next decision compares), and the first transaction
 *    commits, releasing the lock;
 * 7. `settleArticles` writes the articles, URLs and metrics in the second, beside other batches.
 *
 * An item failing its checks gets its own PermanentError; the others commit. If a transaction
 * fails for a reason retrying will not cure, items are indexed one at a time, so a bad item that
 * only Postgres can spot fails alone too.
 */
export async function indexArticlesSettled(
  db: Db,
  items: IndexItem[],
  opts: IndexOptions = {},
): Promise<PromiseSettledResult<IndexResult>[]> {
  const out: PromiseSettledResult<IndexResult>[] = new Array(items.length);
  const good: { index: number; item: CheckedItem }[] = [];
  for (const [index, raw] of items.entries()) {
    try {
      good.push({ index, item: checkItem(raw, opts) });
    } catch (reason) {
      out[index] = { status: 'rejected', reason };
    }
  }
  if (good.length === 0) return out;
  try {
    const checked = good.map((g) => g.item);
    await fingerprintNewTexts(db, checked);
    const { planned, results } = await indexBatch(db, checked, opts);
    for (const [k, g] of good.entries()) out[g.index] = { status: 'fulfilled', value: results[k]! };
    rememberStored(opts.comparableCache, planned, results);
  } catch (err) {
    if (good.length === 1 || err instanceof TransientError || isOutageError(err, 'any')) {
      for (const g of good) out[g.index] = { status: 'rejected', reason: err };
      return out;
    }
    opts.log?.warn({ err, items: good.length }, 'batch failed, indexing its items one by one');
    for (const g of good) {
      try {
        const { results } = await indexBatch(db, [g.item], opts);
        out[g.index] = { status: 'fulfilled', value: results[0]! };
      } catch (reason) {
        out[g.index] = { status: 'rejected', reason };
      }
    }
  }
  return out;
}

/**
 * An item before the index lock: within the limits, its content hash taken; `fp` is its
 * fingerprint once computed (null for a text a stored version had when the batch looked).
 */
type CheckedItem = Omit<WriteItem, 'fp'> & { contentHash: string; fp: Fingerprint | null };

function checkItem(raw: IndexItem, opts: IndexOptions): CheckedItem {
  const guard = opts.guard ?? DEFAULT_MERGE_GUARD;
  const article = checkLimits(raw.article, raw.page.finalUrl, opts.limits);
  return {
    ...raw,
    article,
    contentHash: contentHashOf(article.textSimplified, article.title, guard),
    fp: null,
    assertions: assertionsMemo(article),
    assertionKeys: assertionKeys(guard, article),
    newArticleId: 0,
    newVersionId: 0,
  };
}

/**
 * Fingerprints the items whose text no stored version has (read without locks: one found here is
 * looked up again under the index lock, and fingerprinted there if it went in between).
 */
async function fingerprintNewTexts(db: DbOrTx, items: CheckedItem[]): Promise<void> {
  const stored = await articlesRepo.storedContentHashes(db, [...new Set(items.map((it) => it.contentHash))]);
  for (const it of items) {
    if (stored.has(it.contentHash)) continue;
    it.fp = fingerprintWithHash(it.article.textSimplified, it.contentHash);
    // A fingerprint is a millisecond or two of CPU: between two, the event loop serves the batch
    // that holds the index lock in this process, whose transaction would otherwise wait for the
    // whole of this batch's fingerprints (and every other batch with it).
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The versions a committed batch stored, into the worker's cache of comparable texts. */
function rememberStored(
  cache: ComparableCache | undefined,
  planned: readonly WriteItem[],
  results: readonly IndexResult[],
): void {
  if (!cache) return;
  for (const [k, item] of planned.entries()) {
    const r = results[k]!;
    if (r.match !== 'exact') cache.remember(r.versionId, comparableOf(item));
  }
}

/** As indexArticlesSettled, throwing the first item's error when any failed. */
export async function indexArticles(
  db: Db,
  items: IndexItem[],
  opts: IndexOptions = {},
): Promise<IndexResult[]> {
  const settled = await indexArticlesSettled(db, items, opts);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<IndexResult>).value);
}

/**
 * A batch in two transactions. The first holds the index lock: it reads the store, decides every
 * item and writes the versions, which is all the next batch's decision reads, so batches queue
 * only for that. The second writes the articles, URLs and metrics beside other batches (see
 * settleArticles, which also finishes a batch that died between the two).
 */
async function indexBatch(db: Db, items: CheckedItem[], opts: IndexOptions) {
  const { planned, decisions } = await withRetries(opts, () =>
    db.transaction().execute((tx) => decideBatch(tx, items, opts)),
  );
  const results = await withRetries(opts, () =>
    db.transaction().execute(async (tx) => {
      await opts.beforeSettle?.();
      return settleArticles(tx, planned, decisions);
    }),
  );
  return { planned, results };
}

async function decideBatch(tx: DbOrTx, items: CheckedItem[], opts: IndexOptions) {
  await dedupRepo.lockIndex(tx);
  await opts.afterLock?.();
  const ids = await batchRepo.allocateIds(tx, items.length);
  const exact = await articlesRepo.findVersionsByHashes(tx, [...new Set(items.map((it) => it.contentHash))]);
  const planned: WriteItem[] = items.map((it, i) => ({
    ...it,
    fp:
      it.fp ??
      (exact.has(it.contentHash)
        ? storedTextFingerprint(it.contentHash)
        : fingerprintWithHash(it.article.textSimplified, it.contentHash)),
    newArticleId: ids.articles[i]!,
    newVersionId: ids.versions[i]!,
  }));
  const stored = await readStored(tx, planned, exact, opts);
  const decisions = planBatch(planned, stored, matchRules(opts), opts.comparableCache);
  await writeVersions(tx, planned, decisions);
  return { planned, decisions };
}

/**
 * The LSH candidates of every item whose text is not stored (an exact match is decided before
 * candidates are read) and their texts: two queries.
 */
async function readStored(
  tx: DbOrTx,
  items: readonly Pick<WriteItem, 'fp' | 'assertionKeys'>[],
  exact: StoredLookups['exact'],
  opts: IndexOptions,
): Promise<StoredLookups> {
  const candidates = await dedupRepo.findCandidatesForItems(
    tx,
    items.map((it) => ({
      bands: exact.has(it.fp.contentHash) ? [] : it.fp.bands,
      assertionKeys: it.assertionKeys,
    })),
    opts.maxCandidates ?? 20,
  );
  const ids = [...new Set([...candidates.values()].flat().map((c) => c.versionId))];
  const texts = new Map((await articlesRepo.versionTexts(tx, ids)).map((t) => [t.id, t]));
  return { exact, candidates, texts };
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
      const retryable = code !== undefined && RETRYABLE_PG.has(code);
      if (retryable && attempt < attempts) {
        opts.log?.debug({ code, attempt }, 'retrying index transaction');
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
        continue;
      }
      if (retryable) {
        throw new TransientError('index_conflict', `indexing failed (${code}), will retry`, { cause: err });
      }
      // Class 22, data exceptions (a NUL character, a value out of range): the same article
      // would be refused again, so its job fails permanently, saying what Postgres refused.
      if (code?.startsWith('22')) {
        const why = (err as Error).message.split('\n')[0];
        throw new PermanentError('bad_article', `Postgres refused the article (${code}): ${why}`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}

/**
 * Read-only: which stored article would this text join as a near-duplicate (no locks, no writes).
 * For operators' questions and the benchmark's look-up timing; indexing decides under the index lock.
 */
export async function lookupNearDuplicate(
  db: DbOrTx,
  article: ParsedArticle,
  opts: IndexOptions = {},
): Promise<NearMatch | null> {
  const guard = opts.guard ?? DEFAULT_MERGE_GUARD;
  const fp = fingerprint(article.textSimplified, article.title, guard);
  const assertions = assertionsMemo(article);
  const candidates = await dedupRepo.findCandidates(
    db,
    { bands: fp.bands, assertionKeys: assertionKeys(guard, article) },
    opts.maxCandidates ?? 20,
  );
  if (candidates.length === 0) return null;
  const texts = await articlesRepo.versionTexts(
    db,
    candidates.map((c) => c.versionId),
  );
  return bestNearMatch(
    { shingles: fp.shingles, ...article, assertions },
    texts.map((t) => ({ versionId: t.id, articleId: t.articleId, comparable: comparableText(t) })),
    matchRules(opts),
  );
}

function matchRules(opts: IndexOptions): MatchRules {
  return { thresholds: opts.thresholds ?? DEFAULT_THRESHOLDS, guard: opts.guard ?? DEFAULT_MERGE_GUARD };
}

export type { NearMatch };
