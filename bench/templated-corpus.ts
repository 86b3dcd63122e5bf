/**
 * `pnpm bench:templated`
 *
 * Indexes the templated corpus (services/indexer/test/templated-corpus: reports from one template
 * across counties, issues and months, and the copies that must join them) through the real parser
 * and indexer into a fresh database, and prints the articles stored against the articles the
 * manifest expects, with every report that was merged into another or copy that was kept apart.
 * Then it times the merge guard on every pair of corpus texts (what it costs per LSH candidate).
 */
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../packages/shared/src/testing';
import { mergeVeto } from '../services/indexer/src/dedup';
import { indexArticle } from '../services/indexer/src/index';
import { countArticles } from '../services/indexer/src/repositories/maintenance.repository';
import { DEFAULT_MERGE_GUARD } from '../services/indexer/src/settings/dedup-settings';
import { expectedArticleCount, loadCorpus } from '../services/indexer/test/templated-corpus/corpus';

const items = loadCorpus();
const tdb = await createTestDatabase();
try {
  const stored = new Map<number, string[]>();
  const owner = new Map<string, Set<number>>();
  for (const item of items) {
    const r = await indexArticle(tdb.db, item.article, item.page);
    stored.set(r.articleId, [...(stored.get(r.articleId) ?? []), item.expectedArticle]);
    owner.set(item.expectedArticle, (owner.get(item.expectedArticle) ?? new Set()).add(r.articleId));
  }
  const articles = await countArticles(tdb.db);
  const expected = expectedArticleCount(items);
  const templates = items.filter((i) => i.kind === 'template').length;
  console.log(
    `templated corpus: ${items.length} texts (${templates} template reports, ` +
      `${items.length - templates} seeds and copies)`,
  );
  console.log(`articles stored: ${articles} (expected ${expected})`);
  for (const names of stored.values()) {
    const distinct = [...new Set(names)];
    if (distinct.length > 1) console.log(`  merged, must be apart: ${distinct.join(' + ')}`);
  }
  for (const [name, ids] of owner) {
    if (ids.size > 1) console.log(`  split, must be one: ${name} (${ids.size} articles)`);
  }

  // The guard on every ordered pair of texts: the cost of one LSH candidate's check.
  const times: number[] = [];
  for (const a of items)
    for (const b of items) {
      if (a === b) continue;
      const t0 = performance.now();
      mergeVeto(DEFAULT_MERGE_GUARD, a.article, b.article);
      times.push(performance.now() - t0);
    }
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(3);
  console.log(
    `merge guard per candidate pair: median ${at(0.5)} ms, p95 ${at(0.95)} ms (${times.length} pairs)`,
  );
  process.exitCode = articles === expected ? 0 : 1;
} finally {
  await tdb.drop();
}
