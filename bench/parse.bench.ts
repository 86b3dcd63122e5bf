/**
 * `pnpm bench:parse`: the govwire parser and @mozilla/readability (with linkedom) over the same
 * pages (every seed rendered into every template) in one run. Prints, for each: pages/s, MB/s and
 * the share of must/must-not segments it gets right (all pages, and the Chinese pages alone); then
 * the parser's time on a 10 MB page and on 20,000 nested elements.
 */
import { loadavg } from 'node:os';
import {
  benchPages,
  govwireExtractor,
  readabilityExtractor,
  scorePage,
  type BenchPage,
  type Extractor,
} from '../services/parser/src/bench/compare';
import { loadSeed, renderSeedAsHtml } from '../services/parser/src/fixtures/templates';
import { parseDocument } from '../services/parser/src/parse';

const SEEDS = new URL('../seeds/documents/', import.meta.url).pathname;
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 3000);

function throughput(
  ex: Extractor,
  pages: BenchPage[],
): { pagesPerS: number; mbPerS: number; rounds: number } {
  for (const p of pages) ex.run(p); // warm-up (JIT, dictionaries)
  const bytes = pages.reduce((n, p) => n + p.bytes.length, 0);
  let rounds = 0;
  const start = performance.now();
  while (performance.now() - start < MIN_MS || rounds < 2) {
    for (const p of pages) ex.run(p);
    rounds++;
  }
  const s = (performance.now() - start) / 1000;
  return { pagesPerS: (rounds * pages.length) / s, mbPerS: (rounds * bytes) / 1e6 / s, rounds };
}

function accuracy(ex: Extractor, pages: BenchPage[]): { all: number; chinese: number; failures: string[] } {
  let right = 0;
  let total = 0;
  let zhRight = 0;
  let zhTotal = 0;
  const failures: string[] = [];
  for (const p of pages) {
    const s = scorePage(ex, p);
    right += s.right;
    total += s.total;
    if (p.chinese) {
      zhRight += s.right;
      zhTotal += s.total;
    }
    failures.push(...s.failures);
  }
  return { all: right / total, chinese: zhRight / zhTotal, failures };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function main(): void {
  const pages = benchPages(SEEDS);
  const mb = pages.reduce((n, p) => n + p.bytes.length, 0) / 1e6;
  console.log(
    `page set: ${pages.length} pages (${pages.filter((p) => p.chinese).length} Chinese), ${mb.toFixed(2)} MB`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const rows: Array<Record<string, string>> = [];
  const results: Record<string, { pagesPerS: number }> = {};
  for (const ex of [govwireExtractor, readabilityExtractor]) {
    const t = throughput(ex, pages);
    const a = accuracy(ex, pages);
    results[ex.name] = t;
    rows.push({
      parser: ex.name,
      'pages/s': t.pagesPerS.toFixed(1),
      'MB/s': t.mbPerS.toFixed(2),
      'segments right (all)': pct(a.all),
      'segments right (Chinese pages)': pct(a.chinese),
    });
    if (process.env.BENCH_VERBOSE) for (const f of a.failures) console.log(`  ${ex.name}: ${f}`);
    else console.log(`${ex.name}: ${a.failures.length} failed checks (BENCH_VERBOSE=1 lists them)`);
  }
  console.table(rows);
  const ratio = results[govwireExtractor.name]!.pagesPerS / results[readabilityExtractor.name]!.pagesPerS;
  console.log(`speed ratio govwire / readability: ${ratio.toFixed(2)}x\n`);

  // A 10 MB page: the feature article repeated until the page weighs 10 MB.
  const doc = loadSeed(`${SEEDS}002_c648c510082db0c0.txt`);
  const paragraphs: string[] = [];
  let bytes = 0;
  while (bytes < 10 * 1024 * 1024 - 20_000) {
    for (const p of doc.paragraphs) {
      paragraphs.push(p);
      bytes += Buffer.byteLength(p) + 30;
    }
  }
  const big = renderSeedAsHtml({ ...doc, paragraphs }, 'news-portal');
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    parseDocument({ bytes: big.bytes });
    times.push(performance.now() - t0);
  }
  console.log(
    `10 MB page (${(big.bytes.length / 1e6).toFixed(1)} MB): ${times.map((t) => `${Math.round(t)} ms`).join(', ')} (best ${Math.round(Math.min(...times))} ms)`,
  );

  const nested =
    '<html><body>' +
    '<div>'.repeat(20_000) +
    '<p>近日,浙江省2021年高质量发展建设共同富裕示范区工作考核评价结果出炉,柯桥区获评优秀等次。</p>' +
    '</div>'.repeat(20_000) +
    '</body></html>';
  const t1 = performance.now();
  const r = parseDocument({ bytes: Buffer.from(nested) });
  console.log(
    `20,000 nested elements: ${Math.round(performance.now() - t1)} ms, text kept: ${r.text.includes('柯桥区获评优秀等次') ? 'yes' : 'NO'}`,
  );
  try {
    const t2 = performance.now();
    readabilityExtractor.run({ bytes: Buffer.from(nested), charset: 'utf-8', contentType: 'text/html' });
    console.log(`readability on 20,000 nested elements: ${Math.round(performance.now() - t2)} ms`);
  } catch (err) {
    console.log(`readability on 20,000 nested elements: failed (${(err as Error).message.slice(0, 80)})`);
  }
}

main();
