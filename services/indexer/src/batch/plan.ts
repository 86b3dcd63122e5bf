import type { Metric, ParsedArticle } from '@govwire/shared';
import {
  acceptCandidate,
  type Assertion,
  type Comparable,
  type Fingerprint,
  type MatchRules,
  type MergeGuard,
} from '../dedup';
import { ComparableCache } from './comparable-cache';

/** One item of a batch, fingerprinted, with the ids it would take if it stored anything. */
export interface PlanItem {
  fp: Fingerprint;
  /** Its assertions for the merge guard, read at most once (it may meet several candidates). */
  assertions: (guard: MergeGuard) => readonly Assertion[];
  /** `assertionKeys` of the text: stored with its version, and ranking its own LSH candidates. */
  assertionKeys: number[];
  article: ParsedArticle;
  page: { finalUrl: string };
  /** Drawn from the sequences up front: unused ids are gaps, as any rolled-back insert leaves. */
  newArticleId: number;
  newVersionId: number;
}

export interface StoredText {
  id: number;
  articleId: number;
  title: string;
  textSimplified: string;
  metrics: Metric[];
}

/** What the store held when the batch took its locks. */
export interface StoredLookups {
  /** content hash → the stored version with that exact text, and the URL of its own page. */
  exact: Map<string, { id: number; articleId: number; url: string }>;
  /** item index → the stored versions sharing an LSH bucket with it, most shared first. */
  candidates: Map<number, { versionId: number }[]>;
  texts: Map<number, StoredText>;
}

/**
 * new: the item creates an article; near: it becomes a new version of an article; exact: its text
 * is already a version. `storedArticle` says whether that article existed before the batch.
 */
export type Decision =
  | { kind: 'new'; articleId: number; versionId: number }
  | {
      kind: 'near';
      articleId: number;
      versionId: number;
      matchedVersionId: number;
      score: number;
      storedArticle: boolean;
    }
  | { kind: 'exact'; articleId: number; versionId: number; storedVersion: boolean; storedArticle: boolean };

interface Candidate {
  versionId: number;
  articleId: number;
  comparable: Comparable;
}

export interface NearMatch {
  articleId: number;
  versionId: number;
  score: number;
}

/**
 * The best-scoring article among the candidates none of whose candidate versions the merge guard
 * vetoes; ties go to the older (smaller id) article, so the answer does not depend on order.
 */
export function bestNearMatch(
  item: Comparable,
  candidates: Iterable<Candidate>,
  rules: MatchRules,
): NearMatch | null {
  const byArticle = new Map<number, { best: NearMatch | null; conflict: boolean }>();
  for (const c of candidates) {
    const entry = byArticle.get(c.articleId) ?? { best: null, conflict: false };
    byArticle.set(c.articleId, entry);
    const { score, conflict } = acceptCandidate(item, c.comparable, rules);
    if (conflict) entry.conflict = true;
    if (score !== null && (!entry.best || score > entry.best.score))
      entry.best = { articleId: c.articleId, versionId: c.versionId, score };
  }
  let best: NearMatch | null = null;
  for (const { best: b, conflict } of byArticle.values()) {
    if (!b || conflict) continue;
    if (!best || b.score > best.score || (b.score === best.score && b.articleId < best.articleId)) best = b;
  }
  return best;
}

/** An item of the batch as the merge decision sees it (its shingles are already in its fingerprint). */
export function comparableOf(item: PlanItem): Comparable {
  const { title, textSimplified, metrics } = item.article;
  return { shingles: item.fp.shingles, title, textSimplified, metrics, assertions: item.assertions };
}

const bucketKey = (b: { segment: string; band: number; bucket: number }) =>
  `${b.segment}:${b.band}:${b.bucket}`;

/**
 * Decides every item of a batch in order, each seeing the store as the batch found it plus the
 * items before it: exactly what indexing them one at a time would decide, so copies inside one
 * batch find each other. Pure: the caller reads the store under the batch's locks and writes after.
 */
export function planBatch(
  items: readonly PlanItem[],
  stored: StoredLookups,
  rules: MatchRules,
  cache: ComparableCache = new ComparableCache(),
): Decision[] {
  const written: Written = {
    hashes: new Map(),
    buckets: new Map(),
    created: new Set(),
    records: new Map(),
  };
  const decisions: Decision[] = [];
  for (const [i, item] of items.entries()) {
    const d = decide(i, item, {
      stored,
      decisions,
      written,
      items,
      storedComparable: (t: StoredText) => cache.get(t),
      rules,
    });
    decisions.push(d);
    if (d.kind === 'exact') {
      // Its own page again: the version's record becomes this parse's (refreshVersions).
      if (d.storedVersion && stored.exact.get(item.fp.contentHash)?.url === item.page.finalUrl)
        written.records.set(d.versionId, { title: item.article.title, metrics: item.article.metrics });
      continue;
    }
    if (d.kind === 'new') written.created.add(d.articleId);
    written.hashes.set(item.fp.contentHash, i);
    for (const b of item.fp.bands) {
      const k = bucketKey(b);
      const list = written.buckets.get(k);
      if (list) list.push(i);
      else written.buckets.set(k, [i]);
    }
  }
  return decisions;
}

/** What the batch's earlier items wrote, as a later item must see it. */
interface Written {
  /** content hash → the item that stores that text. */
  hashes: Map<string, number>;
  /** LSH bucket → the items that store a text in it. */
  buckets: Map<string, number[]>;
  /** Articles the batch creates. */
  created: Set<number>;
  /** Stored versions whose record an earlier item refreshes: compared as refreshed. */
  records: Map<number, Pick<StoredText, 'title' | 'metrics'>>;
}

interface DecideContext {
  stored: StoredLookups;
  decisions: Decision[];
  written: Written;
  items: readonly PlanItem[];
  storedComparable: (t: StoredText) => Comparable;
  rules: MatchRules;
}

function decide(i: number, item: PlanItem, ctx: DecideContext): Decision {
  const { fp } = item;
  const storedExact = ctx.stored.exact.get(fp.contentHash);
  if (storedExact)
    return {
      kind: 'exact',
      articleId: storedExact.articleId,
      versionId: storedExact.id,
      storedVersion: true,
      storedArticle: true,
    };
  const sameText = ctx.written.hashes.get(fp.contentHash);
  if (sameText !== undefined) {
    const d = ctx.decisions[sameText]!;
    const storedArticle = d.kind === 'near' && d.storedArticle;
    return {
      kind: 'exact',
      articleId: d.articleId,
      versionId: d.versionId,
      storedVersion: false,
      storedArticle,
    };
  }
  const near = bestNearMatch(comparableOf(item), candidatesOf(i, item, ctx), ctx.rules);
  if (!near) return { kind: 'new', articleId: item.newArticleId, versionId: item.newVersionId };
  const storedArticle = !ctx.written.created.has(near.articleId);
  return {
    kind: 'near',
    articleId: near.articleId,
    versionId: item.newVersionId,
    matchedVersionId: near.versionId,
    score: near.score,
    storedArticle,
  };
}

function* candidatesOf(i: number, item: PlanItem, ctx: DecideContext): Generator<Candidate> {
  for (const c of ctx.stored.candidates.get(i) ?? []) {
    const t = ctx.stored.texts.get(c.versionId);
    if (!t) continue;
    const refreshed = ctx.written.records.get(t.id);
    const now = refreshed ? { ...t, ...refreshed } : t;
    yield { versionId: t.id, articleId: t.articleId, comparable: ctx.storedComparable(now) };
  }
  const earlier = new Set<number>();
  for (const b of item.fp.bands) for (const j of ctx.written.buckets.get(bucketKey(b)) ?? []) earlier.add(j);
  for (const j of earlier) {
    const d = ctx.decisions[j]!;
    const other = ctx.items[j]!;
    yield {
      versionId: d.versionId,
      articleId: d.articleId,
      comparable: comparableOf(other),
    };
  }
}
