/**
 * Metric extraction over the hand-checked corpus (services/parser/test/metrics-corpus): precision,
 * recall, wrong values and every fact still missed. Run: `pnpm bench:metrics` (add `--quiet` to
 * leave out the list of missed facts; `--dir <folder>` scores another set of passages in the same
 * format, such as the held-out services/parser/test/metrics-holdout, whose `passages/` it reads).
 *
 * Each passage goes through the whole parser (`parseDocument` on the passage's page), as a crawled
 * page would.
 */
import type { Metric } from '@govwire/shared/article';
import { createParserContext, parseDocument } from '../services/parser/src/index';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  formatScore,
  loadCorpus,
  passageHtml,
  scoreCorpus,
} from '../services/parser/test/metrics-corpus/score';

const ctx = createParserContext();

/** The passages folder: `--dir <folder>` (its `passages/` subfolder when it has one), else the corpus. */
function passagesDir(argv: string[]): string | undefined {
  const at = argv.indexOf('--dir');
  if (at < 0) return undefined;
  const given = argv[at + 1];
  if (given === undefined || given.startsWith('--')) throw new Error('--dir needs a folder');
  const dir = resolve(given);
  return existsSync(join(dir, 'passages')) ? join(dir, 'passages') : dir;
}

const corpus = loadCorpus(passagesDir(process.argv));

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
