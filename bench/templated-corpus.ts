/**
 * `pnpm bench:templated`
 *
 * Indexes the templated corpus (services/indexer/test/templated-corpus: reports from one template
 * across counties, issues and months, and the copies that must join them) through the real parser
 * and indexer into a fresh database, in manifest order and reversed (copies first), and prints the
 * articles stored against the articles the manifest expects, with every report merged into another
 * and every copy kept apart. Then it times the merge guard on every pair of corpus texts (what it
 * costs per LSH candidate that passed the similarity thresholds).
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../packages/shared/src/index';
import { createTestDatabase } from '../packages/shared/src/testing';
import { mergeVeto } from '../services/indexer/src/dedup';
import { indexArticle } from '../services/indexer/src/index';
import { countArticles, truncateIndex } from '../services/indexer/src/repositories/maintenance.repository';
import { loadDedupSettings } from '../services/indexer/src/settings/dedup-settings';
import {
  expectedArticleCount,
  loadCorpus,
  type CorpusItem,
} from '../services/indexer/test/templated-corpus/corpus';

// The shipped settings, as the worker passes them.
const { thresholds, maxCandidates, guard } = loadDedupSettings();

/** Indexes `order` into an empty store; prints and returns the articles stored. */
async function run(db: Db, name: string, order: CorpusItem[]): Promise<number> {
  await truncateIndex(db);
  const stored = new Map<number, string[]>();
  const owner = new Map<string, Set<number>>();
  for (const item of order) {
    const r = await indexArticle(db, item.article, item.page, { thresholds, maxCandidates, guard });
    stored.set(r.articleId, [...(stored.get(r.articleId) ?? []), item.expectedArticle]);
    owner.set(item.expectedArticle, (owner.get(item.expectedArticle) ?? new Set()).add(r.articleId));
  }
  const articles = await countArticles(db);
  console.log(`${name}: articles stored: ${articles} (expected ${expectedArticleCount(order)})`);
  for (const names of stored.values()) {
    const distinct = [...new Set(names)];
    if (distinct.length > 1) console.log(`  merged, must be apart: ${distinct.join(' + ')}`);
  }
  for (const [article, ids] of owner) {
    if (ids.size > 1) console.log(`  split, must be one: ${article} (${ids.size} articles)`);
  }
  return articles;
}

/** The guard on every ordered pair of texts: the cost of one candidate's check. */
function timeGuard(items: CorpusItem[]): void {
  const times: number[] = [];
  for (const a of items)
    for (const b of items) {
      if (a === b) continue;
      const t0 = performance.now();
      mergeVeto(guard, a.article, b.article);
      times.push(performance.now() - t0);
    }
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(3);
  console.log(
    `merge guard per candidate pair: median ${at(0.5)} ms, p95 ${at(0.95)} ms (${times.length} pairs)`,
  );
}

const items = loadCorpus();
const templates = items.filter((i) => i.kind === 'template').length;
console.log(
  `templated corpus: ${items.length} texts (${templates} template reports, ` +
    `${items.length - templates} seeds and copies); max_candidates ${maxCandidates}`,
);
const tdb = await createTestDatabase();
try {
  const forward = await run(tdb.db, 'originals first', items);
  const reverse = await run(tdb.db, 'copies first   ', [...items].reverse());
  timeGuard(items);
  const expected = expectedArticleCount(items);
  process.exitCode = forward === expected && reverse === expected ? 0 : 1;
} finally {
  await tdb.drop();
}
