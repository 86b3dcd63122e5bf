/**
 * Table passages of the metrics corpus (kind `table`, plus `bad_input`) through parseDocument:
 * recall, precision, wrong values, and the warnings bad input gets. Pass `--all` to score the
 * whole corpus, `--missed` to list the facts not found. Run: `pnpm tsx bench/metrics-tables.eval.ts`.
 */
import { createParserContext, parseDocument } from '../services/parser/src/index';
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
