/**
 * `pnpm bench:curated [--n 100000] [--chars 400] [--runs 5]`
 *
 * Fills a fresh database with N articles (bodies: slices of the seed documents, so the pairs of
 * characters are as frequent as in real Chinese text), N URLs, versions, metrics and deletions,
 * then times the contract's queries (docs/data-contract.md) as a downstream login: the sync
 * cursors, a URL look-up and searches of 1 to 7 characters, common ones and an absent one (火星).
 * Each query: the indexes its plan uses, rows, and the median EXPLAIN ANALYZE execution time of
 * `runs` runs. When pg_trgm installs, it then builds a trigram index on the same text and times
 * LIKE searches for comparison, with the time each index takes to build (what it adds to writing
 * an article). Bodies are sliced from about 20,000 characters of text: words repeat across
 * articles far more than in a real archive, so searches for common words find many rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createReaderLogin, createTestDatabase } from '../packages/shared/src/testing';
import {
  benchQueries,
  buildTrigramIndex,
  curatedQueries,
  explain,
  fillCurated,
  rebuildSearchIndex,
} from '../services/indexer/test/fixtures/curated-bulk';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    chars: { type: 'string', default: '400' },
    runs: { type: 'string', default: '5' },
  },
});
const N = Number(args.n);
const CHARS = Number(args.chars);
const RUNS = Number(args.runs);

const seeds = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../seeds/documents');
const corpus = readdirSync(seeds)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(path.join(seeds, f), 'utf8').replace(/\s+/g, ''))
  .join('');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1).padStart(8);

const tdb = await createTestDatabase();
const reader = await createReaderLogin(tdb);
try {
  console.log(`curated bench: ${N} rows per view, bodies of ${CHARS} characters, median of ${RUNS} runs`);
  let t0 = performance.now();
  const token = await tdb.db
    .transaction()
    .execute((tx) => fillCurated(tx, N, { chars: CHARS, corpus, versions: true }));
  console.log(`fill (all views, triggers and indexes): ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const timed = async (name: string, query: Parameters<typeof explain>[1], db = reader.db) => {
    const plans = [];
    for (let i = 0; i < RUNS; i++) plans.push(await explain(db, query));
    const p = plans.at(-1)!;
    const used = [...new Set(p.indexes)].join(', ') || '-';
    const seq = p.seqScans.length ? `  seq scan: ${[...new Set(p.seqScans)].join(', ')}` : '';
    console.log(
      `${name.padEnd(44)} ${ms(median(plans.map((x) => x.executionMs)))} ms  rows ${String(p.rows).padStart(5)}  ${used}${seq}`,
    );
  };
  for (const q of curatedQueries(N, token)) await timed(q.name, q.query);
  for (const q of ['发展', '慈善', '共同富裕', '城乡居民收入', '火星'])
    await timed(`search: ${q}`, benchQueries.search(q));
  for (const q of ['发展', '共同富裕']) await timed(`search: ${q}, newest first`, benchQueries.newest(q));

  t0 = performance.now();
  await rebuildSearchIndex(tdb.db);
  console.log(
    `build: character-pair index on ${N} bodies: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  t0 = performance.now();
  if (!(await buildTrigramIndex(tdb.db))) {
    console.log('pg_trgm does not install here: no comparison');
  } else {
    console.log(`build: pg_trgm index on the same bodies: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const q of ['发展', '慈善', '共同富裕', '共同富裕示范区', '火星'])
      await timed(`pg_trgm: like '%${q}%'`, benchQueries.like(q), tdb.db);
  }
} finally {
  await reader.drop();
  await tdb.drop();
}
