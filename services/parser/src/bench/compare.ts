import { readFileSync, readdirSync } from 'node:fs';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { SEED_EXPECTATIONS, checkSegments, type SeedExpectation } from '../fixtures/expectations';
import {
  TEMPLATE_CHROME,
  TEMPLATE_KINDS,
  loadSeed,
  renderSeedAsHtml,
  type TemplateKind,
} from '../fixtures/templates';
import { parseArticle, parseDocument } from '../parse';

export interface BenchPage {
  name: string;
  bytes: Uint8Array;
  charset: string;
  contentType: string;
  exp: SeedExpectation;
  kind: TemplateKind;
  chinese: boolean;
}

/** Every seed rendered into every template: the same page set for both parsers. */
export function benchPages(seedDir: string): BenchPage[] {
  const files = new Set(readdirSync(seedDir));
  const pages: BenchPage[] = [];
  for (const exp of SEED_EXPECTATIONS) {
    if (!files.has(exp.file)) continue;
    const doc = loadSeed(seedDir + exp.file);
    for (const kind of TEMPLATE_KINDS) {
      const p = renderSeedAsHtml(doc, kind);
      pages.push({
        name: `${exp.file.slice(0, 3)}/${kind}`,
        bytes: p.bytes,
        charset: p.charset,
        contentType: p.contentType,
        exp,
        kind,
        chinese: exp.hasChinese && kind !== 'english-district',
      });
    }
  }
  return pages;
}

export interface Extractor {
  name: string;
  /** Clean text and its paragraphs. */
  run(page: Pick<BenchPage, 'bytes' | 'charset' | 'contentType'>): { text: string; paragraphs: string[] };
}

/** The clean article, as Readability gives it: decoding, extraction, cleaning, metadata. */
export const govwireExtractor: Extractor = {
  name: 'govwire parser',
  run(page) {
    const r = parseArticle({ bytes: page.bytes, headers: { 'content-type': page.contentType } });
    return { text: r.text, paragraphs: r.paragraphs.map((p) => p.text) };
  },
};

/** The same, plus metric extraction: what the parser worker runs for every page. */
export const govwireWithMetricsExtractor: Extractor = {
  name: 'govwire parser + metrics',
  run(page) {
    const r = parseDocument({ bytes: page.bytes, headers: { 'content-type': page.contentType } });
    return { text: r.text, paragraphs: r.paragraphs.map((p) => p.text) };
  },
};

export const readabilityExtractor: Extractor = {
  name: '@mozilla/readability + linkedom',
  run(page) {
    // Readability takes a DOM, not bytes: decode with the page's real charset (in its favour).
    const html = new TextDecoder(page.charset).decode(page.bytes);
    const { document } = parseHTML(html);
    const article = new Readability(document as never).parse();
    const raw = article?.textContent ?? '';
    const paragraphs = raw
      .split(/\n+/)
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    return { text: paragraphs.join('\n'), paragraphs };
  },
};

const isLatin = (s: string) => (s.match(/[A-Za-z]/g)?.length ?? 0) > s.length / 3;

export interface Score {
  right: number;
  total: number;
  failures: string[];
}

export function scorePage(ex: Extractor, page: BenchPage): Score {
  let out: { text: string; paragraphs: string[] };
  try {
    out = ex.run(page);
  } catch (err) {
    out = { text: '', paragraphs: [] };
    void err;
  }
  const keep = page.kind === 'english-district' ? isLatin : () => true;
  const { total, failed } = checkSegments(
    out.text,
    out.paragraphs,
    page.exp,
    TEMPLATE_CHROME[page.kind],
    keep,
  );
  return { right: total - failed.length, total, failures: failed.map((f) => `${page.name}: ${f}`) };
}

export function seedsDir(rootUrl: URL): string {
  return new URL('seeds/documents/', rootUrl).pathname;
}

export function readSeedText(dir: string, file: string): string {
  return readFileSync(dir + file, 'utf8');
}
