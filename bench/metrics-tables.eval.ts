/**
 * Table passages of the metrics corpus (kind `table`, plus `bad_input`) through parseDocument:
 * recall, precision, wrong values, and the warnings bad input gets. Pass `--all` to score the
 * whole corpus, `--missed` to list the facts not found. Run: `pnpm tsx bench/metrics-tables.eval.ts`.
 */
import { createParserContext, parseDocument } from '../services/parser/src/index';
import { parseArticle } from '../services/parser/src/parse';
import {
  formatScore,
  loadCorpus,
  passageHtml,
  scoreCorpus,
} from '../services/parser/test/metrics-corpus/score';

const all = process.argv.includes('--all');
const ctx = createParserContext();
const corpus = loadCorpus().filter((p) => all || p.kind === 'table' || p.kind === 'bad_input');
const warnings: string[] = [];
const emitted = Object.fromEntries(
  corpus.map((p) => {
    try {
      const bytes = new TextEncoder().encode(passageHtml(p));
      const r = parseDocument(ctx, { bytes, url: `https://example.gov.cn/${p.id}.html` });
      if (p.kind === 'bad_input') for (const w of r.warnings) warnings.push(`  ${p.id}: ${w}`);
      return [p.id, r.metrics];
    } catch (err) {
      // A page the parser refuses (too little text) states nothing.
      warnings.push(`  ${p.id}: refused: ${(err as Error).message}`);
      return [p.id, []];
    }
  }),
);
console.log(formatScore(scoreCorpus(corpus, emitted), { missed: process.argv.includes('--missed') }));
if (warnings.length > 0) console.log(`bad input warnings:\n${warnings.join('\n')}`);

/**
 * Bad input costs: parseDocument on a normal table page, on a 2 MB table (refused by maxTableRows),
 * on a page with a sentence of 10,000 numbers (cut by maxNumbersPerSentence), and on a 20233年 page;
 * best of 5, and each against the normal page (ratios hold under load better than milliseconds).
 */
function bestOf(
  html: string,
  runs = 5,
): { ms: number; articleMs: number; metrics: number; warnings: number } {
  let best = Infinity;
  let article = Infinity;
  let last = { metrics: 0, warnings: 0 };
  const bytes = new TextEncoder().encode(html);
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    parseArticle(ctx, { bytes });
    article = Math.min(article, performance.now() - t);
    t = performance.now();
    const r = parseDocument(ctx, { bytes });
    best = Math.min(best, performance.now() - t);
    last = { metrics: r.metrics.length, warnings: r.warnings.length };
  }
  return { ms: best, articleMs: article, ...last };
}
const row = (i: number) => `<tr><td>地区生产总值</td><td>亿元</td><td>${i}.5</td><td>6.1</td></tr>`;
const tablePage = (rows: number, title = '2023年柯桥区主要经济指标') =>
  `<html><head><meta charset="utf-8"><title>${title}</title></head><body><h2>${title}</h2><table>` +
  `<tr><td>指标</td><td>单位</td><td>1-12月</td><td>增长(%)</td></tr>${Array.from({ length: rows }, (_, i) => row(i)).join('')}</table></body></html>`;
const numbers = Array.from({ length: 10_000 }, (_, i) => `${(i % 900) + 100}.${i % 10}`).join('、');
const pages: Array<[string, string]> = [
  ['normal table (table-keqiao-2023)', passageHtml(loadCorpus().find((p) => p.id === 'table-keqiao-2023')!)],
  ['2 MB table (40,000 rows)', tablePage(40_000)],
  [
    '10,000 numbers in a sentence',
    `<html><head><meta charset="utf-8"><title>2023年柯桥区经济运行情况</title></head><body><p>2023年，柯桥区地区生产总值2083.4亿元，增长5.9%。各村收入依次为${numbers}。</p></body></html>`,
  ],
  ['20233年 in the table title', tablePage(12, '20233年柯桥区主要经济指标')],
];
const normal = bestOf(pages[0]![1]).ms;
console.log('\nbad input (parseDocument, best of 5, under whatever load the machine has):');
for (const [label, html] of pages) {
  const r = bestOf(html);
  console.log(
    `  ${label.padEnd(30)} ${String(html.length).padStart(8)} chars  ${r.ms.toFixed(1).padStart(7)} ms ` +
      `(${(r.ms / normal).toFixed(1)}x normal; without metrics ${r.articleMs.toFixed(1)} ms)  ` +
      `${r.metrics} metrics, ${r.warnings} warnings`,
  );
}
