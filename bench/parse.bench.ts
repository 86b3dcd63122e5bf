/**
 * `pnpm bench:parse`: the govwire parser and @mozilla/readability (with linkedom) over the same
 * pages in one run: every HTML article page of the committed corpus (services/parser/test/corpus).
 * Prints, for each: pages/s, MB/s and the share of must/must-not segments it gets right (all pages,
 * the Chinese pages, the English news pages); then the parser's time on a 10 MB page and on deep
 * nesting.
 *
 * The parser is measured twice: `parseArticle` (the clean article: what Readability does, and what
 * the 3x target is about) and `parseDocument` (that plus metric extraction, what the worker runs).
 * Last, start-up by spawning real processes (bench/parse-start.ts): the CLI's wall time for one
 * 10 KB page and the parser service's time until its worker listens.
 */
import { loadavg } from 'node:os';
import { createParserContext } from '../services/parser/src/context';
import { parseDocument } from '../services/parser/src/parse';
import {
  benchPages,
  govwireExtractor,
  govwireWithMetricsExtractor,
  readabilityExtractor,
  scorePage,
  type BenchPage,
  type Extractor,
} from './parse-compare';
import { printStartTimes } from './parse-start';

const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 3000);

/**
 * Pages/s by wall clock, and by the process's CPU time: on a shared machine (other jobs running) the
 * CPU figure is the steadier one. The parsers run in alternating rounds so load hits all alike.
 */
function throughput(
  exs: Extractor[],
  pages: BenchPage[],
): Map<string, { pagesPerS: number; mbPerS: number; cpuPagesPerS: number }> {
  for (const ex of exs) for (const p of pages) ex.run(p); // warm-up (JIT, dictionaries)
  const bytes = pages.reduce((n, p) => n + p.bytes.length, 0);
  const acc = new Map(exs.map((e) => [e.name, { wallMs: 0, cpuMs: 0, rounds: 0 }]));
  const start = performance.now();
  while (performance.now() - start < MIN_MS * exs.length || acc.get(exs[0]!.name)!.rounds < 3) {
    for (const ex of exs) {
      const a = acc.get(ex.name)!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const p of pages) ex.run(p);
      a.wallMs += performance.now() - t0;
      const c = process.cpuUsage(c0);
      a.cpuMs += (c.user + c.system) / 1000;
      a.rounds++;
    }
  }
  const out = new Map<string, { pagesPerS: number; mbPerS: number; cpuPagesPerS: number }>();
  for (const [name, a] of acc) {
    out.set(name, {
      pagesPerS: (a.rounds * pages.length) / (a.wallMs / 1000),
      mbPerS: (a.rounds * bytes) / 1e6 / (a.wallMs / 1000),
      cpuPagesPerS: (a.rounds * pages.length) / (a.cpuMs / 1000),
    });
  }
  return out;
}

function accuracy(ex: Extractor, pages: BenchPage[]): { share: number; failures: string[] } {
  let right = 0;
  let total = 0;
  const failures: string[] = [];
  for (const p of pages) {
    const s = scorePage(ex, p);
    right += s.right;
    total += s.total;
    failures.push(...s.failures);
  }
  return { share: total ? right / total : 1, failures };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function largePages(): void {
  const ctx = createParserContext();
  // A 10 MB page: the body of a corpus district portal page repeated until the page weighs 10 MB.
  const base = benchPages().find((p) => p.entry.id === 'keqiao-economy.portal-utf8')!;
  const html = new TextDecoder().decode(base.bytes);
  const [head, rest] = html.split('<div class="article-content">');
  const [content, tail] = rest!.split('</div>\n<div class="article-tools">');
  const repeats = Math.ceil(10e6 / Buffer.byteLength(content!));
  const big = `${head}<div class="article-content">${content!.repeat(repeats)}</div>\n<div class="article-tools">${tail}`;
  const times: string[] = [];
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    parseDocument(ctx, { bytes: Buffer.from(big) });
    const c = process.cpuUsage(c0);
    times.push(
      `${Math.round(performance.now() - t0)} ms wall / ${Math.round((c.user + c.system) / 1000)} ms CPU`,
    );
  }
  console.log(`10 MB page (${(Buffer.byteLength(big) / 1e6).toFixed(1)} MB): ${times.join(', ')}`);
  const p = '<p>近日,浙江省2021年高质量发展建设共同富裕示范区工作考核评价结果出炉,柯桥区获评优秀等次。</p>';
  for (const depth of [4_000, 200_000]) {
    const nested = `<html><body>${'<div>'.repeat(depth)}${p}${'</div>'.repeat(depth)}</body></html>`;
    const t = performance.now();
    let outcome: string;
    try {
      outcome = parseDocument(ctx, { bytes: Buffer.from(nested) }).text.includes('柯桥区获评优秀等次')
        ? 'text kept'
        : 'TEXT LOST';
    } catch (err) {
      outcome = `failed: ${(err as { code?: string }).code}`;
    }
    console.log(
      `${depth.toLocaleString('en')} nested elements: ${Math.round(performance.now() - t)} ms, ${outcome}`,
    );
  }
}

function main(): void {
  const pages = benchPages();
  const mb = pages.reduce((n, p) => n + p.bytes.length, 0) / 1e6;
  const zh = pages.filter((p) => p.chinese);
  const en = pages.filter((p) => p.englishNews);
  console.log(
    `page set: ${pages.length} corpus pages (${zh.length} Chinese, ${en.length} English news), ${mb.toFixed(2)} MB`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const exs = [govwireExtractor, govwireWithMetricsExtractor, readabilityExtractor];
  const speed = throughput(exs, pages);
  const rows = exs.map((ex) => {
    const t = speed.get(ex.name)!;
    const all = accuracy(ex, pages);
    if (process.env.BENCH_VERBOSE) for (const f of all.failures) console.log(`  ${ex.name}: ${f}`);
    else console.log(`${ex.name}: ${all.failures.length} failed checks (BENCH_VERBOSE=1 lists them)`);
    return {
      parser: ex.name,
      'pages/s': t.pagesPerS.toFixed(1),
      'MB/s': t.mbPerS.toFixed(2),
      'pages/CPU-s': t.cpuPagesPerS.toFixed(1),
      'segments right (all)': pct(all.share),
      'segments right (Chinese)': pct(accuracy(ex, zh).share),
      'segments right (English news)': pct(accuracy(ex, en).share),
    };
  });
  console.table(rows);
  const r0 = speed.get(readabilityExtractor.name)!;
  for (const ex of [govwireExtractor, govwireWithMetricsExtractor]) {
    const g = speed.get(ex.name)!;
    console.log(
      `speed ratio ${ex.name} / readability: ${(g.pagesPerS / r0.pagesPerS).toFixed(2)}x wall, ${(g.cpuPagesPerS / r0.cpuPagesPerS).toFixed(2)}x CPU`,
    );
  }
  console.log('');
  largePages();
}

main();
console.log('');
await printStartTimes();
