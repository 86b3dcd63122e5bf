import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { createParserContext } from '../services/parser/src/context';
import { parseArticle, parseDocument } from '../services/parser/src/parse';
import { checkPage, loadCorpus, pageBytes, type CorpusEntry } from '../services/parser/test/corpus/manifest';

/** A corpus page as the benchmark runs it: its bytes, how it is served, what it must give. */
export interface BenchPage {
  entry: CorpusEntry;
  bytes: Uint8Array;
  /** Chinese content (Han-script expectations). */
  chinese: boolean;
  /** An English news page (the comparison issue 17 asks for). */
  englishNews: boolean;
}

/** The corpus pages that are articles (the bad inputs are tested, not timed), HTML only. */
export function benchPages(): BenchPage[] {
  return loadCorpus()
    .filter((e) => !e.expect.error && e.file.endsWith('.html') && !e.charset.startsWith('utf-16'))
    .map((entry) => ({
      entry,
      bytes: pageBytes(entry),
      chinese: /[\u4e00-\u9fff]/.test(entry.expect.must.join('')),
      englishNews: entry.kind.startsWith('en-'),
    }));
}

export interface Extractor {
  name: string;
  /** Clean text and its paragraphs. */
  run(page: BenchPage): { text: string; paragraphs: string[] };
}

const ctx = createParserContext();

/** The clean article, as Readability gives it: decoding, extraction, cleaning, metadata. */
export const govwireExtractor: Extractor = {
  name: 'govwire parseArticle',
  run(page) {
    const r = parseArticle(ctx, { bytes: page.bytes, headers: { 'content-type': page.entry.contentType } });
    return { text: r.text, paragraphs: r.paragraphs.map((p) => p.text) };
  },
};

/** The same, plus metric extraction: what the parser worker runs for every page. */
export const govwireWithMetricsExtractor: Extractor = {
  name: 'govwire parseDocument (+ metrics)',
  run(page) {
    const r = parseDocument(ctx, { bytes: page.bytes, headers: { 'content-type': page.entry.contentType } });
    return { text: r.text, paragraphs: r.paragraphs.map((p) => p.text) };
  },
};

export const readabilityExtractor: Extractor = {
  name: '@mozilla/readability + linkedom',
  run(page) {
    // Readability takes a DOM, not bytes: decode with the page's real charset (in its favour).
    const html = new TextDecoder(page.entry.charset).decode(page.bytes);
    const { document } = parseHTML(html);
    const article = new Readability(document as never).parse();
    const paragraphs = (article?.textContent ?? '')
      .split(/\n+/)
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    return { text: paragraphs.join('\n'), paragraphs };
  },
};

export interface Score {
  right: number;
  total: number;
  failures: string[];
}

/** The page's must/must-not checks on one extractor's output (a crash fails every must). */
export function scorePage(ex: Extractor, page: BenchPage): Score {
  let out: { text: string; paragraphs: string[] };
  try {
    out = ex.run(page);
  } catch {
    out = { text: '', paragraphs: [] };
  }
  const { total, failed } = checkPage(page.entry, out);
  return { right: total - failed.length, total, failures: failed.map((f) => `${page.entry.id}: ${f}`) };
}
