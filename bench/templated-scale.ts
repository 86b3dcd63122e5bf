/**
 * `pnpm bench:templated-scale [--reports 3000] [--copies 300] [--batch 50] [--copies-first]`
 *
 * The templated corpus at the scale of a year of a province's publications: N weekly bulletins,
 * monthly releases and yearly notices (services/indexer/test/templated-corpus/generate.ts) across
 * the gazetteer's counties and many issues, each its own article, then copies of a sample of them
 * (a credit line added, a paragraph dropped, the traditional script, a mirror's date line and view
 * count), which must join their original.
 *
 * What it tests: siblings of one template share most of their wording, so every report is an LSH
 * candidate of every other, and only `max_candidates` of them are verified. A copy joins its
 * original only if the original is among those; with thousands of siblings, does it stay there?
 * Every text goes through the real parser, as in production. Prints the articles stored against
 * the reports, the copies that did not join (by kind) and any two reports merged; exit code 1 when
 * either is not 0. `--copies-first` indexes the copies before the reports: each report must then
 * find its stored copies.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createParserContext } from '../services/parser/src/index';
import { createTestDatabase } from '../packages/shared/src/testing';
import { assertionKeys, fingerprint, splitmix32 } from '../services/indexer/src/dedup';
import { indexArticlesSettled, type IndexItem } from '../services/indexer/src/index';
import { findCandidates } from '../services/indexer/src/repositories/dedup.repository';
import { countArticles } from '../services/indexer/src/repositories/maintenance.repository';
import { loadDedupSettings } from '../services/indexer/src/settings/dedup-settings';
import {
  COPY_KINDS,
  countyNames,
  reportItem,
  templatedGenerator,
  type CopyKind,
} from '../services/indexer/test/templated-corpus/generate';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '3000' },
    copies: { type: 'string', default: '300' },
    batch: { type: 'string', default: '50' },
    'copies-first': { type: 'boolean', default: false },
  },
});
const REPORTS = Number(args.reports);
const COPIES = Number(args.copies);
const BATCH = Number(args.batch);

const counties = countyNames();
const generator = templatedGenerator(20261201);
const rand = splitmix32(20261201);
const parser = createParserContext();
const item = (name: string, text: { title: string; paragraphs: string[] }) => reportItem(parser, name, text);

const { thresholds, maxCandidates, guard } = loadDedupSettings();
const originals = generator.reports(REPORTS, counties);
const sample = Array.from({ length: COPIES }, (_, i) => ({
  original: originals[rand() % originals.length]!,
  kind: COPY_KINDS[i % COPY_KINDS.length]!,
}));
console.log(
  `templated at scale: ${REPORTS} reports of 3 templates over ${counties.length} counties, ` +
    `${COPIES} copies; max_candidates ${maxCandidates}, batches of ${BATCH}`,
);
const t0 = performance.now();
const reportItems = originals.map((r) => item(r.name, r));
const copyItems = sample.map((s, i) =>
  item(`copy-${i}-${s.original.name}`, generator.copyOf(s.original, s.kind)),
);
console.log(
  `parsed ${reportItems.length + copyItems.length} texts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

/**
 * Is each copy's original among the max_candidates versions the indexer verifies (the look-up it
 * makes), and among how many candidates sharing a bucket? Ranked by shared buckets alone, the
 * original of a copy of a template report can fall far behind its siblings.
 */
async function originalsVerified(reportIds: number[]): Promise<void> {
  const counts: number[] = [];
  let kept = 0;
  for (const [i, s] of sample.entries()) {
    const article = copyItems[i]!.article;
    const query = {
      bands: fingerprint(article.textSimplified, article.title, guard).bands,
      assertionKeys: assertionKeys(guard, article),
    };
    const originalId = reportIds[originals.indexOf(s.original)];
    const verified = await findCandidates(tdb.db, query, maxCandidates);
    const all = await findCandidates(tdb.db, query, 100_000);
    counts.push(all.length);
    if (verified.some((c) => c.articleId === originalId)) kept++;
    else {
      const byBuckets = all.findIndex((c) => c.articleId === originalId) + 1 || 'none';
      console.log(
        `  ${s.kind} copy of ${s.original.name}: original not among the ${maxCandidates} verified ` +
          `(${all.length} candidates; by shared buckets alone it ranks ${byBuckets})`,
      );
    }
  }
  counts.sort((a, b) => a - b);
  console.log(
    `candidates per copy: median ${counts[Math.floor(counts.length / 2)]}, most ${counts.at(-1)}; ` +
      `original among the ${maxCandidates} verified for ${kept} of ${COPIES} copies`,
  );
}

const tdb = await createTestDatabase();
try {
  const opts = { thresholds, maxCandidates, guard };
  /** Article id of every item, in batches, in order. */
  const indexAll = async (items: IndexItem[]) => {
    const ids: number[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      for (const s of await indexArticlesSettled(tdb.db, items.slice(i, i + BATCH), opts)) {
        if (s.status === 'rejected') throw s.reason;
        ids.push(s.value.articleId);
      }
    }
    return ids;
  };
  const t1 = performance.now();
  const copiesFirst = args['copies-first'];
  const copyIdsFirst = copiesFirst ? await indexAll(copyItems) : [];
  const reportIds = await indexAll(reportItems);
  const merged = reportIds.length - new Set(reportIds).size;
  const byArticle = new Map<number, string[]>();
  reportIds.forEach((id, i) => byArticle.set(id, [...(byArticle.get(id) ?? []), originals[i]!.name]));
  for (const names of [...byArticle.values()].filter((n) => n.length > 1).slice(0, 10))
    console.log(`  merged, must be apart: ${names.join(' + ')}`);
  console.log(
    `reports: ${new Set(reportIds).size} articles for ${REPORTS} reports ` +
      `(${merged} merged into another) in ${((performance.now() - t1) / 1000).toFixed(1)} s` +
      (copiesFirst ? `, after the ${COPIES} copies` : ''),
  );
  if (!copiesFirst) await originalsVerified(reportIds);
  const copyIds = copiesFirst ? copyIdsFirst : await indexAll(copyItems);
  const missed = new Map<CopyKind, number>(COPY_KINDS.map((k) => [k, 0]));
  sample.forEach((s, i) => {
    if (copyIds[i] !== reportIds[originals.indexOf(s.original)]) missed.set(s.kind, missed.get(s.kind)! + 1);
  });
  const notJoined = [...missed.values()].reduce((a, b) => a + b, 0);
  console.log(
    `copies: ${COPIES - notJoined} of ${COPIES} joined their original; not joined by kind: ` +
      [...missed].map(([k, n]) => `${k} ${n}`).join(', '),
  );
  console.log(`articles stored at the end: ${await countArticles(tdb.db)} (expected ${REPORTS})`);
  process.exitCode = merged === 0 && notJoined === 0 ? 0 : 1;
} finally {
  await tdb.drop();
}
