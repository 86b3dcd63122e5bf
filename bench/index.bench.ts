/**
 * `pnpm bench:index [--n 2000] [--batch 50] [--concurrency 4] [--lookups 200]
 *                   [--modes single,batch] [--sizes 10000,100000]`
 *
 * Indexes N synthetic articles (with metrics; a fifth of them near-duplicate copies: a credit
 * added, a paragraph dropped, the English half of a bilingual article, exact mirrors, and copies
 * whose figures differ, which must stay apart) into a fresh database, one article per batch
 * and then in batches, and prints articles/s and the CPU each article cost this process and the
 * Postgres backends (what bounds articles/s on a machine of few cores). Then it fills the store to 10k and 100k articles and
 * times one near-duplicate look-up at each size: the look-up is index probes on the LSH bands plus
 * verification of a handful of candidates, so it should not grow with the table. `--modes ''`
 * times the look-ups alone (`--sizes 10000,100000,1000000` for the 1M figure, ~15 min).
 * `--statements` also prints, per mode, the statements that took the most time per article
 * (with `--concurrency 1`, close to what each costs Postgres).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Metric, ParsedArticle } from '../packages/shared/src/index';
import { createTestDatabase } from '../packages/shared/src/testing';
import { fingerprint, mergeVeto, similarity, splitmix32 } from '../services/indexer/src/dedup';
import { DEFAULT_MERGE_GUARD } from '../services/indexer/src/settings/dedup-settings';
import {
  ComparableCache,
  indexArticles,
  lookupNearDuplicate,
  type IndexItem,
} from '../services/indexer/src/index';
import {
  backendPids,
  countArticles,
  fillSyntheticArticles,
  truncateIndex,
} from '../services/indexer/src/repositories/maintenance.repository';
import { seedArticle, SEED_FILES } from '../services/indexer/test/fixtures/seed-articles';
import { statementTimer, type StatementTime } from './statement-timer';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '4' },
    lookups: { type: 'string', default: '200' },
    sizes: { type: 'string', default: '10000,100000' },
    modes: { type: 'string', default: 'single,batch' },
    statements: { type: 'boolean', default: false },
  },
});
const N = Number(args.n);
const BATCH = Number(args.batch);
const CONCURRENCY = Number(args.concurrency);
const LOOKUPS = Number(args.lookups);
const SIZES = String(args.sizes).split(',').filter(Boolean).map(Number);
const MODES = new Set(String(args.modes).split(',').filter(Boolean));
const KNOWN_MODES = ['single', 'batch'];
const unknownModes = [...MODES].filter((m) => !KNOWN_MODES.includes(m));
if (unknownModes.length > 0) {
  console.error(
    `bench:index: unknown --modes ${unknownModes.join(',')} (known: ${KNOWN_MODES.join(', ')}, or '')`,
  );
  process.exit(2);
}

// ---------------------------------------------------------------- synthetic corpus
const rand = splitmix32(20261122);
const pick = <T>(xs: readonly T[]): T => xs[rand() % xs.length]!;

// Clauses of the real seeds, so synthetic articles share topic vocabulary the way real ones do
// (which makes false LSH candidates likelier than in a random corpus: a conservative benchmark).
const seedTexts = SEED_FILES.map((f) => seedArticle(f).textSimplified).join('\n');
const zhClauses = seedTexts.match(/[\p{Script=Han}“”]{6,}/gu)!.filter((c) => c.length <= 40);
const enClauses = seedTexts.match(/[A-Za-z][A-Za-z ,'’-]{30,120}/g)!;
const reporters = ['王小明', '李华', '张伟', '陈静', '刘洋', '赵磊', '孙悦', '周婷'];
const regions = ['柯桥区', '南湖区', '浙江省', '丽水市', '余杭区', '天台县', '萧山区', '嘉兴市'];
const indicators = [
  'gdp',
  'disposable_income_per_capita',
  'rural_disposable_income_per_capita',
  'new_urban_jobs',
];

function zhParagraph(id: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++)
    parts.push(`${pick(zhClauses)}${(rand() % 90_000) + 100}${pick(['亿元', '万元', '家', '个'])}`);
  return `${parts.join(',')},编号${id}。`;
}
function enParagraph(id: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 5; i++)
    parts.push(
      `${pick(enClauses)} ${(rand() % 90_000) + 100} ${pick(['billion yuan', 'households', 'villages'])}`,
    );
  return `${parts.join(', ')}, item ${id}.`;
}

function article(id: number): ParsedArticle {
  const bilingual = rand() % 3 === 0;
  const paragraphs: string[] = [];
  for (let p = 0; p < 6; p++) {
    if (bilingual) paragraphs.push(enParagraph(id * 100 + p));
    paragraphs.push(zhParagraph(id * 100 + p));
  }
  return build(`第${id}号 共同富裕报道`, paragraphs, id);
}

function build(title: string, paragraphs: string[], id: number): ParsedArticle {
  let text = '';
  const out: ParsedArticle['paragraphs'] = [];
  for (const p of paragraphs) {
    if (text) text += '\n\n';
    const start = text.length;
    text += p;
    out.push({ text: p, start, end: text.length, lang: /\p{Script=Han}/u.test(p) ? 'zh-Hans' : 'en' });
  }
  const metrics: Metric[] = Array.from({ length: 3 }, (_, i) => ({
    region: regions[(id + i) % regions.length]!,
    indicator: indicators[i % indicators.length]!,
    period: String(2019 + (id % 5)),
    value: 1000 + ((id * 7919 + i * 104729) % 1_000_000),
    unit: 'CNY' as const,
    changePct: (id % 90) / 10,
    changeKind: 'annual' as const,
    rank: null,
    rankScope: null,
    qualifier: null,
    evidence: [{ text: out[0]!.text.slice(0, 30), start: 0, end: 30, lang: out[0]!.lang }],
    lang: out[0]!.lang,
  }));
  const langs = new Set(out.map((p) => p.lang));
  return {
    title,
    publishedAt: `2023-0${(id % 9) + 1}-1${id % 10}`,
    source: 'bench',
    canonicalUrl: null,
    language: langs.size > 1 ? 'mixed' : 'zh-Hans',
    text,
    textSimplified: text,
    paragraphs: out,
    removed: { boilerplate: [], spamLinks: [], spamTerms: [] },
    warnings: [],
    metrics,
  };
}

/** A near-duplicate copy of `a`, of one of five kinds; `separate` when it must stay its own article. */
type CopyKind = 'credit' | 'dropped-paragraph' | 'english-half' | 'mirror' | 'figure-changed';

function copyOf(a: ParsedArticle, id: number): { article: ParsedArticle; separate: boolean; kind: CopyKind } {
  const paras = a.paragraphs.map((p) => p.text);
  // A copy reports the figures of what it copies.
  const same = (c: ParsedArticle): ParsedArticle => ({ ...c, metrics: a.metrics });
  switch (rand() % 5) {
    case 0:
      return {
        article: same(build(a.title, [...paras, `(记者 ${pick(reporters)} 通讯员 ${pick(reporters)})`], id)),
        separate: false,
        kind: 'credit',
      };
    case 1:
      return {
        article: same(
          build(
            a.title,
            paras.filter((_, i) => i !== 1),
            id,
          ),
        ),
        separate: false,
        kind: 'dropped-paragraph',
      };
    case 2: {
      const en = paras.filter((p) => !/\p{Script=Han}/u.test(p));
      if (en.length >= 3)
        return { article: same(build(a.title, en, id)), separate: false, kind: 'english-half' };
      return { article: a, separate: false, kind: 'mirror' };
    }
    case 3:
      return { article: a, separate: false, kind: 'mirror' };
    default: {
      // Same text, one figure changed: a different fact, never merged.
      const delta = 1 + (rand() % 997);
      const changed = paras.map((p, i) => (i === 0 ? p.replace(/\d+/, (d) => String(Number(d) + delta)) : p));
      return { article: same(build(a.title, changed, id)), separate: true, kind: 'figure-changed' };
    }
  }
}

interface BenchItem extends IndexItem {
  /** What indexing must do with it: create an article, or join the one it copies. */
  expect: 'new' | 'join';
  kind: CopyKind | 'original';
  original?: ParsedArticle;
}

function corpus(n: number, startId: number): { items: BenchItem[]; expectedArticles: number } {
  const items: BenchItem[] = [];
  const originals: ParsedArticle[] = [];
  let expectedArticles = 0;
  for (let i = 0; i < n; i++) {
    const id = startId + i;
    const page = {
      url: `https://bench.example/${id}`,
      finalUrl: `https://bench.example/${id}`,
      sourceId: 'bench',
      crawlId: null,
      pageId: null,
      fetchedAt: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
      status: 200,
      contentHash: id.toString(16).padStart(64, '0'),
      charsetOverride: null,
    };
    if (originals.length > 10 && rand() % 5 === 0) {
      const original = pick(originals);
      const { article: a, separate, kind } = copyOf(original, id);
      if (separate) expectedArticles++;
      items.push({ article: a, page, expect: separate ? 'new' : 'join', kind, original });
    } else {
      const a = article(id);
      originals.push(a);
      expectedArticles++;
      items.push({ article: a, page, expect: 'new', kind: 'original' });
    }
  }
  return { items, expectedArticles };
}

// ---------------------------------------------------------------- runs
/**
 * Which items must share an article: a copy its original's, everything else its own. Judged on
 * the partition, not on which item came first: with concurrent batches a copy may be indexed
 * before its original (the original then joins it), which is the same record.
 */
function judge(items: BenchItem[], articleOf: number[]): Map<string, number> {
  const originalIndex = new Map<ParsedArticle, number>();
  items.forEach((it, i) => {
    if (it.kind === 'original') originalIndex.set(it.article, i);
  });
  const group = items.map((it, i) => (it.expect === 'join' ? originalIndex.get(it.original!)! : i));
  const groupsOfArticle = new Map<number, Set<number>>();
  items.forEach((_, i) => {
    const set = groupsOfArticle.get(articleOf[i]!) ?? new Set<number>();
    set.add(group[i]!);
    groupsOfArticle.set(articleOf[i]!, set);
  });
  const wrong = new Map<string, number>();
  const count = (key: string) => wrong.set(key, (wrong.get(key) ?? 0) + 1);
  items.forEach((it, i) => {
    if (it.expect === 'join' && articleOf[i] !== articleOf[group[i]!]) count(`${it.kind} not joined`);
    else if (groupsOfArticle.get(articleOf[i]!)!.size > 1 && it.expect === 'new') count(`${it.kind} merged`);
  });
  return wrong;
}

async function runIndexing(db: Parameters<typeof indexArticles>[0], items: BenchItem[], batch: number) {
  const batches: { start: number; items: BenchItem[] }[] = [];
  for (let i = 0; i < items.length; i += batch) batches.push({ start: i, items: items.slice(i, i + batch) });
  let next = 0;
  const articleOf: number[] = new Array(items.length);
  // As the worker does: one cache of shingled candidates for the whole run.
  const comparableCache = new ComparableCache();
  const cpuBefore = await cpuNow(db);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const results = await indexArticles(db, b.items, { comparableCache });
        results.forEach((r, i) => (articleOf[b.start + i] = r.articleId));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await cpuNow(db);
  const cpu = {
    indexerMs: cpuAfter.processMs - cpuBefore.processMs,
    postgresMs: cpuAfter.postgresMs === null ? null : cpuAfter.postgresMs - cpuBefore.postgresMs!,
  };
  const wrong = judge(items, articleOf);
  if (process.env.BENCH_DEBUG && wrong.size > 0) await explainWrong(db, items, articleOf);
  return { seconds, wrong, cpu };
}

/**
 * CPU spent so far by this process and by the Postgres backends serving this database (read from
 * /proc, so only where Postgres runs on this machine; null elsewhere). On a machine of two cores
 * the two together bound the throughput: articles/s ≤ 2,000 ms / (CPU ms per article).
 */
async function cpuNow(db: Parameters<typeof indexArticles>[0]) {
  const { user, system } = process.cpuUsage();
  let ticks = 0;
  try {
    for (const pid of await backendPids(db)) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return { processMs: (user + system) / 1000, postgresMs: null };
  }
  // Kernel clock ticks: 100 per second on Linux.
  return { processMs: (user + system) / 1000, postgresMs: ticks * 10 };
}

/** BENCH_DEBUG=1: why each wrongly grouped copy did not find its original. */
async function explainWrong(
  db: Parameters<typeof indexArticles>[0],
  items: BenchItem[],
  articleOf: number[],
) {
  const { findCandidates } = await import('../services/indexer/src/repositories/dedup.repository');
  const { versionTexts } = await import('../services/indexer/src/repositories/articles.repository');
  for (const [i, it] of items.entries()) {
    if (it.expect !== 'join') continue;
    const fa = fingerprint(it.article.textSimplified, it.article.title, DEFAULT_MERGE_GUARD);
    const fb = fingerprint(it.original!.textSimplified, it.original!.title, DEFAULT_MERGE_GUARD);
    console.log(
      it.kind,
      it.page.url,
      articleOf[i],
      similarity(fa.shingles, fb.shingles),
      mergeVeto(DEFAULT_MERGE_GUARD, it.article, it.original!),
    );
    const cands = await findCandidates(db, { bands: fa.bands }, 20);
    for (const c of await versionTexts(
      db,
      cands.map((x) => x.versionId),
    )) {
      const fc = fingerprint(c.textSimplified, c.title, DEFAULT_MERGE_GUARD);
      console.log(
        '  cand',
        c.id,
        c.articleId,
        similarity(fa.shingles, fc.shingles).jaccard.toFixed(3),
        mergeVeto(DEFAULT_MERGE_GUARD, it.article, c),
      );
    }
  }
}

const storedArticles = countArticles;

function printStatements(statements: StatementTime[]) {
  const total = statements.reduce((sum, s) => sum + s.ms, 0);
  console.log(`  statements: ${(total / N).toFixed(2)} ms per article in all; the longest:`);
  for (const s of statements.slice(0, 10))
    console.log(
      `  ${(s.ms / N).toFixed(3)} ms/article ${((100 * s.ms) / total).toFixed(0).padStart(3)}% ` +
        `${String(s.count).padStart(5)}×  ${s.statement}`,
    );
}

async function fillTo(db: Parameters<typeof indexArticles>[0], target: number) {
  const have = await storedArticles(db);
  if (have >= target) return;
  const started = performance.now();
  // In steps of 100k (set-based, generate_series): one statement per step, progress between.
  for (let left = target - have; left > 0; left -= 100_000) {
    await fillSyntheticArticles(db, Math.min(100_000, left));
    if (target - have > 100_000) console.log(`  ... ${target - left + Math.min(100_000, left)} stored`);
  }
  console.log(`  filled ${target - have} articles in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function timeLookups(db: Parameters<typeof indexArticles>[0], queries: ParsedArticle[]) {
  const { findCandidates } = await import('../services/indexer/src/repositories/dedup.repository');
  const times: number[] = [];
  const probeTimes: number[] = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    if (await lookupNearDuplicate(db, q)) found++;
    times.push(performance.now() - t);
    // The part that could grow with the table: the LSH index probes alone.
    const bands = fingerprint(q.textSimplified).bands;
    const p = performance.now();
    await findCandidates(db, { bands }, 20);
    probeTimes.push(performance.now() - p);
  }
  const quantile = (xs: number[], p: number) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  };
  return {
    median: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    probeMedian: quantile(probeTimes, 0.5),
    found,
  };
}

const tdb = await createTestDatabase();
try {
  console.log(`indexer benchmark: N=${N}, concurrency ${CONCURRENCY}, batch ${BATCH}`);
  const { items, expectedArticles } = corpus(N, 1);

  const runs: [string, string, number][] = [
    ['single', 'one article per batch:      ', 1],
    ['batch', `batches of ${BATCH}:            `, BATCH],
  ];
  const timer = statementTimer();
  for (const [mode, label, size] of runs) {
    if (!MODES.has(mode)) continue;
    await truncateIndex(tdb.db);
    timer.reset();
    const run = await runIndexing(args.statements ? tdb.db.withPlugin(timer.plugin) : tdb.db, items, size);
    const stored = await storedArticles(tdb.db);
    console.log(
      `${label} ${(N / run.seconds).toFixed(0)} articles/s (${run.seconds.toFixed(1)} s); ` +
        `CPU per article: indexer ${(run.cpu.indexerMs / N).toFixed(2)} ms, Postgres ${run.cpu.postgresMs === null ? '?' : (run.cpu.postgresMs / N).toFixed(2)} ms; ` +
        `${stored} articles stored, expected ${expectedArticles}; unexpected outcomes: ${run.wrong.size === 0 ? 0 : JSON.stringify(Object.fromEntries(run.wrong))}`,
    );
    if (args.statements) printStatements(timer.report());
  }

  // Look-ups: near-duplicate copies (credit added) of articles that are stored. Without a mode
  // above, nothing is stored yet, and every look-up would time a miss: the corpus goes in first.
  if (MODES.size === 0) {
    await truncateIndex(tdb.db);
    const run = await runIndexing(tdb.db, items, BATCH);
    console.log(`  indexed the ${N} articles the look-ups copy in ${run.seconds.toFixed(1)} s`);
  }
  const queries = items
    .filter((_, i) => i % Math.max(1, Math.floor(N / LOOKUPS)) === 0)
    .slice(0, LOOKUPS)
    .map((it, i) => {
      const a = it.article;
      const copy = build(
        a.title,
        [...a.paragraphs.map((p) => p.text), `(本报记者 ${pick(reporters)})`],
        9_000_000 + i,
      );
      return { ...copy, metrics: a.metrics };
    });
  for (const size of SIZES) {
    await fillTo(tdb.db, size);
    const stored = await storedArticles(tdb.db);
    // The first pass reads the grown table and index into the cache; the second is the steady state.
    await timeLookups(tdb.db, queries);
    const r = await timeLookups(tdb.db, queries);
    console.log(
      `near-duplicate look-up with ${stored} articles stored: median ${r.median.toFixed(2)} ms, ` +
        `p95 ${r.p95.toFixed(2)} ms, of which LSH probes median ${r.probeMedian.toFixed(2)} ms ` +
        `(${r.found}/${queries.length} found their original)`,
    );
  }
} finally {
  await tdb.drop();
}
