/**
 * Metric extraction over the hand-checked corpus (services/parser/test/metrics-corpus): precision,
 * recall, wrong values and every fact still missed. Run: `pnpm bench:metrics` (add `--quiet` to
 * leave out the list of missed facts).
 *
 * Each passage goes through the whole parser (`parseDocument` on the passage's page), as a crawled
 * page would.
 */
import type { Metric } from '@govwire/shared/article';
import { createParserContext, parseDocument } from '../services/parser/src/index';
import {
  formatScore,
  loadCorpus,
  passageHtml,
  scoreCorpus,
} from '../services/parser/test/metrics-corpus/score';

const ctx = createParserContext();
const corpus = loadCorpus();

/** A page the parser refuses (no article text: bad input) states no facts. */
function metricsOf(html: string, id: string): Metric[] {
  try {
    return parseDocument(ctx, { bytes: new TextEncoder().encode(html), url: `https://example.gov.cn/${id}` })
      .metrics;
  } catch {
    return [];
  }
}

const emitted = Object.fromEntries(corpus.map((p) => [p.id, metricsOf(passageHtml(p), p.id)]));
const quiet = process.argv.includes('--quiet');
console.log(formatScore(scoreCorpus(corpus, emitted), { missed: !quiet }));
