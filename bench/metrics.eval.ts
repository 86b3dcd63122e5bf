/**
 * Metric extraction on the fixture set: found X of Y expected, Z wrong (must be 0), and the time
 * on a 10 MB page. Run: `pnpm tsx bench/metrics.eval.ts`.
 *
 * Fixture set: the five seeds as clean text (hand-cleaned, services/parser/test/support/seed-fixtures),
 * the five seed .txt pages through parseDocument, and each seed rendered into the five HTML templates
 * of the corpus (services/parser/test/corpus/pages/seed-*.html) through parseDocument. Expected metrics are those of seeds/README.md.
 *
 * Wrong: a metric for an expected indicator/region/period whose value, unit, change, rank or
 * qualifier differs from the README; any other non-target metric that is not in the hand-checked
 * ALSO_TRUE list (unverified counts as wrong); and any target stored as an actual value.
 */
import { readFileSync } from 'node:fs';
import type { Metric } from '@govwire/shared';
import { createParserContext, parseDocument } from '../services/parser/src/index';
import { extractMetrics } from '../services/parser/src/metrics/index';
import { ALSO_TRUE, buildInput, EXPECTED, SEEDS } from '../services/parser/test/support/seed-fixtures';
import type { ExpectedMetric } from '../services/parser/test/support/seed-fixtures';

const FILES: Record<string, string> = {
  '000': '000_470bb5686944492e.txt',
  '001': '001_3f8d7578f9eff8c9.txt',
  '002': '002_c648c510082db0c0.txt',
  '003': '003_c3625e4dd3ccaf1d.txt',
  '004': '004_809b2510820eaeed.txt',
};
const seedDir = new URL('../seeds/documents/', import.meta.url);
const corpusDir = new URL('../services/parser/test/corpus/pages/', import.meta.url);
const KINDS = ['district-portal', 'wechat-mirror', 'news-portal', 'wordpress-copy', 'english-district'];
const ctx = createParserContext();

const sameKey = (m: Metric, e: ExpectedMetric): boolean =>
  m.indicator === e.indicator && m.region === e.region && m.period === e.period;

function matches(m: Metric, e: ExpectedMetric): boolean {
  return (
    sameKey(m, e) &&
    m.value === e.value &&
    m.unit === e.unit &&
    (e.changePct === undefined || m.changePct === e.changePct) &&
    (e.changeKind === undefined || m.changeKind === e.changeKind) &&
    (e.rank === undefined || m.rank === e.rank) &&
    (e.rankScope === undefined || m.rankScope === e.rankScope) &&
    (e.qualifier === undefined || m.qualifier === e.qualifier)
  );
}

/** Phrases of the seeds that state goals: a metric read from them must carry `target`. */
const TARGET_PHRASES = ['2500亿元', '600亿元的目标', '增长7.5%以上'];

interface Score {
  expected: number;
  found: number;
  wrong: string[];
  targets: number;
}

function score(id: string, metrics: Metric[], label: string, into: Score): void {
  const expected = EXPECTED[id] ?? [];
  const alsoTrue = ALSO_TRUE[id] ?? [];
  into.expected += expected.length;
  for (const e of expected) if (metrics.some((m) => m.qualifier !== 'target' && matches(m, e))) into.found++;
  for (const m of metrics) {
    const desc = `${label}: ${m.indicator} ${m.region} ${m.period} value=${m.value} change=${m.changePct} q=${m.qualifier}`;
    if (m.qualifier === 'target') {
      into.targets++;
      continue;
    }
    if (
      m.evidence.some(
        (ev) =>
          TARGET_PHRASES.some((p) => ev.text.includes(p)) &&
          m.value !== null &&
          [250_000_000_000, 60_000_000_000].includes(m.value),
      )
    ) {
      into.wrong.push(`${desc} (target stored as actual)`);
      continue;
    }
    const e = expected.find((x) => sameKey(m, x));
    if (e) {
      if (!matches(m, e)) into.wrong.push(`${desc} (README: value=${e.value} change=${e.changePct})`);
      continue;
    }
    if (!alsoTrue.some((x) => matches(m, x))) into.wrong.push(`${desc} (not in README, unverified)`);
  }
}

function report(name: string, s: Score): void {
  console.log(
    `${name.padEnd(34)} found ${s.found} of ${s.expected} expected, ${s.wrong.length} wrong, ${s.targets} targets (never actual)`,
  );
  for (const w of s.wrong) console.log(`  wrong: ${w}`);
}

const total: Score = { expected: 0, found: 0, wrong: [], targets: 0 };
const add = (s: Score): void => {
  total.expected += s.expected;
  total.found += s.found;
  total.wrong.push(...s.wrong);
  total.targets += s.targets;
};

const clean: Score = { expected: 0, found: 0, wrong: [], targets: 0 };
for (const [id, make] of Object.entries(SEEDS))
  score(id, extractMetrics(ctx.metrics, make()), `clean ${id}`, clean);
report('clean text fixtures (5)', clean);
add(clean);

const txt: Score = { expected: 0, found: 0, wrong: [], targets: 0 };
for (const [id, file] of Object.entries(FILES)) {
  const r = parseDocument(ctx, { bytes: readFileSync(new URL(file, seedDir)), mode: 'text' });
  score(id, r.metrics, `txt ${id}`, txt);
}
report('seed .txt via parseDocument (5)', txt);
add(txt);

const html: Score = { expected: 0, found: 0, wrong: [], targets: 0 };
for (const id of Object.keys(FILES)) {
  for (const kind of KINDS) {
    const bytes = readFileSync(new URL(`seed-${id}.${kind}.html`, corpusDir));
    const r = parseDocument(ctx, { bytes, headers: { 'content-type': 'text/html' } });
    score(id, r.metrics, `html ${kind} ${id}`, html);
  }
}
report(`HTML renderings via parseDocument (${5 * KINDS.length})`, html);
add(html);

report('TOTAL', total);

// Time on 10 MB pages: a seed repeated until 10 MB (every paragraph full of figures, the worst
// case for the extractor). Wall time depends on the machine's load; CPU time less so.
for (const id of ['000', '003']) {
  const base = SEEDS[id]!();
  const paragraphs: string[] = [];
  let length = 0;
  while (length < 10_000_000) {
    for (const p of base.paragraphs) {
      paragraphs.push(p.text);
      length += p.text.length + 2;
    }
  }
  const big = buildInput(paragraphs, {
    title: base.title,
    publishedAt: base.publishedAt,
    source: base.source,
    traditional: id === '003',
  });
  // The same size with every sentence made unique (a copy number before each full stop), so that
  // nothing read once can be reused.
  const unique = buildInput(
    paragraphs.map((p, i) => {
      // Letters, not digits: a copy number such as 2021 would read as a year.
      const tag = [...i.toString(26)].map((c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
      return p.replace(/。/g, `(${tag})。`).replace(/\. /g, ` (${tag}). `);
    }),
    { title: base.title, publishedAt: base.publishedAt, source: base.source, traditional: id === '003' },
  );
  extractMetrics(ctx.metrics, base);
  for (const [what, input] of [
    ['repeated', big],
    ['unique sentences', unique],
  ] as const) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const found = extractMetrics(ctx.metrics, input);
    const used = process.cpuUsage(cpu);
    console.log(
      `10 MB page from seed ${id}, ${what} (${input.text.length} chars, ${input.paragraphs.length} paragraphs): ` +
        `${Math.round(performance.now() - t)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU, ${found.length} metrics`,
    );
  }
}
